"""Reads for the pages of strategic portfolio management, one module per part of the
work (``strategy``, ``prioritisation``, ``scenarios``, ``monitoring``): the data a page,
a chart or a report shows, computed in a fixed number of queries."""
