"""The pages of strategic portfolio management, one module per part of the work
(``strategy``, ``prioritisation``, ``scenarios``, ``monitoring``); each module holds
its own ``urlpatterns``, which ``portfolio.urls`` joins under one namespace."""
