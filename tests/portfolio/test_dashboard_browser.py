"""In a real Chromium: an executive reads the portfolio dashboard in zh-hans, drills down
to the watch list and decides a PMO recommendation; a PMO member closes a flag."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pmo.core.models import Health
from pmo.core.services import project_summary_update, user_language_set
from portfolio.models import AttentionFlag, Objective, Recommendation
from portfolio.services.monitoring import attention_flags_refresh
from tests.browser.conftest import (  # noqa: F401 - the Chromium fixtures of the browser tests
    browser_context_args,
    browser_type_launch_args,
    login,
)
from tests.core.factories import ProjectFactory
from tests.portfolio.factories import (
    MonitoringPlanFactory,
    ObjectiveFactory,
    ObjectiveLinkFactory,
    RecommendationFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def monitored(db):
    today = timezone.localdate()
    objective = ObjectiveFactory(
        code="SO-DIG-1",
        name="核心业务系统全面上云",
        is_key=True,
        actual=Decimal("41"),
        status=Objective.Status.AT_RISK,
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
    )
    project = ProjectFactory(
        code="HC-PRJ-015", name="企业云平台迁移（一期）", planned_finish=today, budget=48_000_000
    )
    ObjectiveLinkFactory(project=project, objective=objective)
    MonitoringPlanFactory(project=project)
    project_summary_update(
        project=project,
        health=Health.RED,
        spend_to_date=Decimal("21000000"),
        forecast_cost=Decimal("52000000"),
        last_status_date=today,
        note="迁移窗口推迟",
    )
    attention_flags_refresh()
    RecommendationFactory(project=project, title="二期范围后移")
    return project


def test_executive_reads_the_dashboard_in_chinese_and_decides(
    page, live_server, monitored, executive_user
):
    user_language_set(user=executive_user, language="zh-hans")
    login(page, live_server, "executive")
    page.goto(f"{live_server.url}/portfolio/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("objectives")).to_contain_text("核心业务系统全面上云")
    expect(page.get_by_test_id("top-flags")).to_contain_text("企业云平台迁移（一期）")
    expect(page.get_by_test_id("milestones")).to_contain_text("HC-PRJ-015")
    for chart in ("chart-objectives", "chart-health", "chart-money", "chart-flags"):
        expect(page.locator(f'[data-chart="{chart}"] svg')).to_have_count(1)
    expect(page.get_by_test_id("open-flag-total")).to_have_text("3")

    # Drill down: the objective's project count opens the filtered watch list.
    page.get_by_test_id("objectives").locator("a", has_text="1").first.click()
    expect(page.locator("#watchlist-table tbody tr")).to_have_count(1)
    expect(page.locator("#watchlist-table")).to_contain_text("企业云平台迁移（一期）")

    page.goto(f"{live_server.url}/portfolio/dashboard/")
    recommendation = Recommendation.objects.get()
    page.locator(f'a[href^="/portfolio/recommendations/{recommendation.pk}/decide/"]').click()
    page.locator('input[name="decision"][value="accept"]').check()
    page.fill("#id_decision_note", "同意，两周内提交范围变更。")
    page.locator('[data-testid="decide-form"] button[type="submit"]').click()
    page.wait_for_url(f"{live_server.url}/portfolio/dashboard/")
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ACCEPTED
    assert recommendation.decided_by == executive_user


def test_pmo_closes_a_flag_from_the_watch_list_in_english(page, live_server, monitored, pmo_user):
    user_language_set(user=pmo_user, language="en")
    login(page, live_server, "pmo")
    page.goto(f"{live_server.url}/portfolio/watchlist/?rule=red_health")
    row = page.locator("#watchlist-table tbody tr").first
    expect(row).to_contain_text("Health is red")
    row.locator('a[href*="/portfolio/monitoring/"]').click()
    expect(page.get_by_test_id("open-flags")).to_contain_text("迁移窗口推迟")
    page.get_by_test_id("open-flags").get_by_role("link", name="Close").first.click()
    page.fill("#id_resolution", "已召开专题会，批准新的迁移窗口")
    page.get_by_role("button", name="Close the flag").click()
    expect(page.get_by_text("The flag was closed.")).to_be_visible()
    flag = AttentionFlag.objects.get(project=monitored, rule="red_health")
    assert flag.resolution == "已召开专题会，批准新的迁移窗口"
