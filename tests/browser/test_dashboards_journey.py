"""The three dashboards on the demo organisation, in real Chromium.

An executive reading Chinese opens the executive dashboard, changes the period (the
tiles refresh in place through htmx), and drills from a red project to its page. The
PMO opens the cockpit and a project manager "my work". Screenshots of the three pages
go to docs/screenshots/ (dashboard-executive.png, dashboard-cockpit.png,
dashboard-my-work.png) when PMO_SCREENSHOTS is set.
"""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from pmo.core.models import Project
from pmo.core.services import user_language_set
from tests.browser.conftest import SCREENSHOTS, login

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo12345"  # noqa: S105 - the published password of the demo logins


@pytest.fixture
def shoot_page(page):
    """The whole dashboard, below the fold too, as documentation."""

    def take(name: str) -> None:
        if os.environ.get("PMO_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    for user in get_user_model().objects.filter(username__in=["exec", "pmo", "pm"]):
        user_language_set(user=user, language="zh-hans")


def test_executive_drills_from_a_red_project_to_its_page(page, live_server, demo, shoot_page):
    assert Project.objects.filter(stage="active", health="red").exists()
    login(page, live_server, "exec", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="高管仪表盘", exact=True)).to_be_visible()
    expect(page.get_by_test_id("tile-kpis")).to_contain_text("本季度")
    for key in ("health", "delivery_health_trend", "money", "decisions_benefits"):
        expect(page.locator(f"#tile-{key} [data-chart] svg").first).to_be_visible()
    page.wait_for_timeout(800)  # let the charts finish drawing
    shoot_page("dashboard-executive")

    # The period selector refreshes the tiles without leaving the page.
    with page.expect_response(lambda r: "/dashboard/executive/tile/kpis/" in r.url):
        page.get_by_test_id("period").select_option("year")
    expect(page.get_by_test_id("tile-kpis")).to_contain_text("本年度")
    assert "period=year" in page.url
    expect(page.locator("#tile-health [data-chart] svg").first).to_be_visible()

    # A red project in the "needs attention" tile leads to the project page.
    red = page.locator("[data-testid=attention] tr:has(.text-bg-danger) a").first
    href = red.get_attribute("href")
    red.click()
    expect(page.get_by_test_id("project-title")).to_be_visible()
    assert page.url.endswith(href)


def test_pmo_cockpit_and_my_work_show_their_queues(page, live_server, demo, shoot_page):
    login(page, live_server, "pmo", PASSWORD)
    page.goto(f"{live_server.url}/cockpit/")
    expect(page.get_by_role("heading", name="PMO 驾驶舱", exact=True)).to_be_visible()
    for key in ("red", "stale", "knowledge_queue", "quality", "evaluation_pmo"):
        expect(page.locator(f"#tile-{key} [data-testid=tile-count]")).to_be_visible()
    expect(page.locator("#tile-delivery_overdue [data-testid=overdue-count]")).to_be_visible()
    # A tile refreshes alone.
    with page.expect_response(lambda r: "/dashboard/pmo/tile/stale/" in r.url):
        page.locator("#tile-stale [data-tile-refresh]").click()
    expect(page.locator("#tile-stale [data-testid=tile-count]")).to_be_visible()
    page.wait_for_timeout(500)
    shoot_page("dashboard-cockpit")

    page.context.clear_cookies()
    login(page, live_server, "pm", PASSWORD)
    page.goto(f"{live_server.url}/my/")
    expect(page.get_by_role("heading", name="我的工作", exact=True)).to_be_visible()
    expect(page.get_by_test_id("my-projects").locator("tbody tr a").first).to_be_visible()
    page.wait_for_timeout(500)
    shoot_page("dashboard-my-work")
