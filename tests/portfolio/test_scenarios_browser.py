"""In a real Chromium: the PMO solves a scenario under a budget, sees the frontier, forces
a project in through the htmx control, solves again and commits; the capacity page's
suggested shift removes the deficit."""

import pytest
from playwright.sync_api import expect

from pmo.core.models import ResourceDemand, Stage
from portfolio.models import PortfolioItem
from tests.browser.conftest import browser_type_launch_args, login  # noqa: F401
from tests.portfolio.test_scenarios_world import build_world, demand

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The suite's window, in English (the assertions read English text)."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}, "locale": "en-US"}


@pytest.fixture
def english_page(page):
    return page


def test_pmo_solves_forces_a_project_in_and_commits(english_page, live_server, pmo_user):
    page = english_page
    world = build_world()
    scenario = world.scenario(name="Budget 10M")
    login(page, live_server, pmo_user.username)
    page.goto(f"{live_server.url}{scenario.get_absolute_url()}")
    expect(page.get_by_test_id("unsolved")).to_be_visible()

    page.get_by_test_id("solve").click()
    expect(page.get_by_test_id("kpi-value")).to_have_text("80.0")
    row_c = page.locator("tr", has_text="W-C")
    expect(row_c.locator("[data-verdict]")).to_have_text("Out")
    expect(row_c).to_contain_text("Budget: it would exceed the limit by ¥3,000,000")
    expect(page.locator("[data-testid=frontier-chart] svg")).to_be_visible()

    row_c.get_by_label("Selection W-C").select_option("in")
    expect(page.get_by_test_id("unsolved")).to_be_visible()  # swapped in by htmx
    page.get_by_test_id("solve").click()
    row_c = page.locator("tr", has_text="W-C")
    expect(row_c.locator("[data-verdict]")).to_have_text("In")
    expect(row_c).to_contain_text("Forced in by the scenario")

    page.get_by_test_id("commit-link").click()
    expect(page.get_by_test_id("moves")).to_contain_text("Proposed → Under review → Approved")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("commit").click()
    expect(page.get_by_text("The scenario was committed")).to_be_visible()
    committed = PortfolioItem.objects.filter(decision="selected").select_related("project")
    assert {i.project.code for i in committed} == {"W-A", "W-C", "W-D"}  # 70 for 9 M
    assert {i.project.stage for i in committed} == {Stage.APPROVED}


def test_capacity_suggestion_removes_the_deficit(english_page, live_server, pmo_user):
    page = english_page
    world = build_world()
    demand(world.running, world.roles["dev"], "2027-01", 300, ResourceDemand.Source.PLAN)
    demand(world.project("A"), world.roles["dev"], "2027-01", 100)
    login(page, live_server, pmo_user.username)
    page.goto(
        f"{live_server.url}/portfolio/capacity/?start=2027-01&months=6&filtered=1&candidates=1"
    )
    expect(page.get_by_test_id("deficit-total")).to_have_text("64 h")
    page.get_by_test_id("suggestions").get_by_role("link", name="Try it").click()
    expect(page.get_by_test_id("deficit-total")).to_have_text("0 h")
    expect(page.get_by_test_id("whatif-chips")).to_contain_text("W-A shifted by 1 month")
