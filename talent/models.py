"""Models of the project management talent area."""
