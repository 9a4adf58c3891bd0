"""Models of the project management standards area."""
