"""Views of the PM talent area, one module per group of pages."""
