"""Forms of strategic portfolio management, one module per part of the work."""
