"""Pages of the standards app, one module per part (see ``standards.urls``)."""
