"""Models of the performance evaluation area."""
