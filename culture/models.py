"""Models of the project management culture area."""
