"""Models of the experience reuse and knowledge area."""
