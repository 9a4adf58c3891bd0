"""Models of the delivery assurance area."""
