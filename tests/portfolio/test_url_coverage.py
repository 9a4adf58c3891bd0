"""Every URL of the portfolio app has a row in one of the areas' permission matrices."""

from portfolio import urls
from tests.portfolio import (
    test_permissions_monitoring,
    test_permissions_prioritisation,
    test_permissions_scenarios,
    test_permissions_strategy,
)


def test_every_portfolio_url_is_in_a_permission_matrix():
    named = {f"portfolio:{p.name}" for p in urls.urlpatterns if p.name}
    covered = set()
    for module in (
        test_permissions_strategy,
        test_permissions_prioritisation,
        test_permissions_scenarios,
        test_permissions_monitoring,
    ):
        covered |= {n if n.startswith("portfolio:") else f"portfolio:{n}" for n in module.URL_NAMES}
    assert named - covered == set()
