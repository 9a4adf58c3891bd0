"""Models of the major investment decisions area."""
