"""URLs of strategic portfolio management under ``/portfolio/``."""

from portfolio.views import monitoring, prioritisation, scenarios, strategy

app_name = "portfolio"

urlpatterns = [
    *strategy.urlpatterns,
    *prioritisation.urlpatterns,
    *scenarios.urlpatterns,
    *monitoring.urlpatterns,
]
