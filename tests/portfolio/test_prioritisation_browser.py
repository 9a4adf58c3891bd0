"""In a real Chromium: the PMO compares the business drivers pairwise and watches the
consistency ratio change live, rates the candidates, and reads the priority ranking."""

import pytest
from playwright.sync_api import expect

from pmo.core import roles
from portfolio.models import DriverComparison, DriverRating, PortfolioItem
from tests.browser.conftest import (  # noqa: F401 - the browser fixtures of tests/browser
    browser_context_args,
    browser_type_launch_args,
    login,
    shoot,
)
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory
from tests.portfolio.factories import (
    BusinessDriverFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    RatingScaleFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(db):
    user = UserFactory(username="zhou.pmo", groups=[roles.PMO_STAFF])
    PersonFactory(user=user, name="周敏", name_en="Zhou Min")
    portfolio = PortfolioFactory(
        code="PF-T", name="2027年IT投资组合", name_en="2027 IT", rating_scale=RatingScaleFactory()
    )
    for i, (name, en) in enumerate(
        (("增加收入", "Revenue"), ("降低成本", "Cost"), ("合规", "Compliance"))
    ):
        BusinessDriverFactory(portfolio=portfolio, name=name, name_en=en, sort_order=i)
    for name, feasibility, risk in (("数据中台", 4, 2), ("元宇宙展厅", 2, 5)):
        PortfolioItemFactory(
            portfolio=portfolio,
            project=ProjectFactory(name=name, stage="proposed"),
            feasibility=feasibility,
            risk=risk,
        )
    return user, portfolio


def test_pmo_compares_drivers_with_live_consistency_rates_and_ranks(
    page,
    live_server,
    setting,
    shoot,  # noqa: F811 - the fixture imported above
):
    user, portfolio = setting
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/portfolio/portfolios/{portfolio.pk}/drivers/")
    page.get_by_test_id("compare-link").click()

    selects = page.locator("#compare-table select")
    expect(selects).to_have_count(3)
    # revenue ≫ cost, cost ≫ compliance, yet compliance ≫ revenue: the CR turns red live
    selects.nth(0).select_option("5")
    selects.nth(1).select_option("1/5")
    selects.nth(2).select_option("5")
    expect(page.get_by_test_id("most-inconsistent")).to_be_visible()
    expect(page.locator("#compare-result .badge.text-bg-danger")).to_be_visible()
    shoot("prioritisation-compare-inconsistent")
    selects.nth(0).select_option("3")
    selects.nth(1).select_option("9")
    selects.nth(2).select_option("3")
    expect(page.locator("#compare-result .badge.text-bg-success")).to_be_visible()
    assert not DriverComparison.objects.exists()  # the preview writes nothing
    page.get_by_test_id("save-judgements").click()
    expect(page.locator("#ahp-table [data-evaluator='zhou.pmo']")).to_be_visible()
    assert DriverComparison.objects.filter(evaluator=user).count() == 3

    page.goto(f"{live_server.url}/portfolio/portfolios/{portfolio.pk}/ratings/")
    rows = page.locator("#rating-grid tbody tr")
    expect(rows).to_have_count(2)
    for r, level in ((0, "极强"), (1, "低")):
        for c in range(3):
            rows.nth(r).locator("select").nth(c).select_option(label=level)
    page.get_by_test_id("save-ratings").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert DriverRating.objects.count() == 6

    page.goto(f"{live_server.url}/portfolio/portfolios/{portfolio.pk}/ranking/")
    first = page.locator("#ranking-table tbody tr").first
    expect(first).to_contain_text("数据中台")
    expect(first.get_by_test_id("score")).to_have_text("90.0")
    page.select_option("#id_show", "acceptable")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("acceptable-count")).to_contain_text("1")
    shoot("prioritisation-ranking")
    assert PortfolioItem.objects.get(project__name="数据中台").rank == 1
