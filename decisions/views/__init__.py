"""Pages of decision support, one module per part of the work (see ``decisions.urls``)."""
