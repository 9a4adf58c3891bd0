"""Models of the strategic portfolio management area."""
