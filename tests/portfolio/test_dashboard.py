"""The executive portfolio dashboard: objectives' progress, health distribution, budget
vs spend vs forecast, top attention flags, milestones due, recommendations awaiting a
decision; drill-down links; org-unit and period filters; both languages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pmo.core.models import Classification, Health, Stage
from pmo.core.services import project_summary_update
from portfolio.models import Objective
from portfolio.selectors.monitoring import dashboard_period
from portfolio.services.monitoring import attention_flags_refresh
from tests.core.factories import OrgUnitFactory, ProjectFactory
from tests.portfolio.factories import (
    MonitoringPlanFactory,
    ObjectiveFactory,
    ObjectiveLinkFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def executive(client_for):
    client = client_for("executive")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def world(db):
    """Two units; a red strategic project over budget finishing this month in the first
    (serving an at-risk key objective), a green one in the second, one not strategic."""
    today = timezone.localdate()
    north, south = OrgUnitFactory(name="北区"), OrgUnitFactory(name="南区")
    objective = ObjectiveFactory(
        code="SO-1",
        name="核心系统上云",
        is_key=True,
        baseline=Decimal("20"),
        target=Decimal("80"),
        actual=Decimal("50"),
        status=Objective.Status.AT_RISK,
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
    )
    red = ProjectFactory(
        code="RED-1",
        name="云平台迁移",
        org_unit=north,
        budget=Decimal("10000000"),
        planned_finish=today,
    )
    ObjectiveLinkFactory(project=red, objective=objective)
    project_summary_update(
        project=red,
        health=Health.RED,
        spend_to_date=Decimal("6000000"),
        forecast_cost=Decimal("12000000"),
        last_status_date=today,
    )
    green = ProjectFactory(
        code="GREEN-1",
        org_unit=south,
        classification=Classification.MAJOR,
        budget=Decimal("5000000"),
        planned_finish=today + dt.timedelta(days=400),
    )
    project_summary_update(
        project=green,
        health=Health.GREEN,
        spend_to_date=Decimal("1000000"),
        last_status_date=today,
    )
    ProjectFactory(code="PLAIN-1", org_unit=north, budget=Decimal("99000000"))
    RecommendationFactory(project=red, title="压缩二期范围")
    attention_flags_refresh()
    return {"north": north, "south": south, "red": red, "green": green, "objective": objective}


def test_dashboard_figures_cover_strategic_projects_only(executive, world):
    response = executive.get(reverse("portfolio:dashboard"))
    assert response.status_code == 200
    ctx = response.context
    assert ctx["strategic_count"] == 2
    money = ctx["money"]
    assert (money["budget"], money["spend"]) == (Decimal("15000000"), Decimal("7000000"))
    assert money["forecast"] == Decimal("17000000")  # GREEN-1 counts with its budget
    assert money["variance"] == Decimal("2000000") and money["over"] == 1
    assert {code: n for code, _label, n in ctx["health"]} == {
        "red": 1,
        "amber": 0,
        "grey": 0,
        "green": 1,
    }
    assert {f.rule for f in ctx["flags"]} == {"red_health", "over_budget", "objective_at_risk"}
    assert ctx["flags"][0].rule == "red_health"  # the most serious first
    assert [p.code for p in ctx["milestones"]] == ["RED-1"]
    assert [r.title for r in ctx["awaiting"]] == ["压缩二期范围"]


def test_objective_progress_is_explained_and_drills_down(executive, world):
    response = executive.get(reverse("portfolio:dashboard"))
    row = response.context["objectives"][0]
    assert (row.objective.code, row.progress_percent) == ("SO-1", 50.0)
    assert (row.project_count, row.flagged_count) == (1, 1)
    html = response.content.decode()
    assert "Progress = (latest actual − baseline) ÷ (target − baseline)" in html
    watch = reverse("portfolio:watchlist")
    assert f"{watch}?objective={world['objective'].pk}" in html
    assert f'data-click-base="{watch}?health="' in html
    chart = response.context["objectives_chart"]
    assert chart["series"][0]["data"][0]["key"] == world["objective"].pk


def test_money_chart_bars_lead_to_the_project_on_the_watch_list(executive, world):
    chart = executive.get(reverse("portfolio:dashboard")).context["money_chart"]
    assert chart["xAxis"]["data"] == ["RED-1", "GREEN-1"]
    assert [d["key"] for d in chart["series"][0]["data"]] == ["RED-1", "GREEN-1"]
    assert chart["yAxis"]["name"] == "¥M"  # English readers count in millions


def test_unit_filter_limits_everything_to_the_unit(executive, world):
    url = reverse("portfolio:dashboard") + f"?unit={world['south'].pk}"
    ctx = executive.get(url).context
    assert ctx["strategic_count"] == 1 and ctx["unit"] == world["south"]
    assert ctx["flags"] == [] and ctx["milestones"] == [] and ctx["awaiting"] == []
    assert ctx["objectives"] == []  # the south serves no objective
    assert ctx["money"]["budget"] == Decimal("5000000")
    assert ctx["unit_query"] == f"org_unit={world['south'].pk}&"


def test_period_filter_moves_the_milestone_window(executive, world):
    today = timezone.localdate()
    ctx = executive.get(reverse("portfolio:dashboard") + "?period=next_quarter").context
    assert ctx["period"].start > today and ctx["milestones"] == []
    nonsense = executive.get(reverse("portfolio:dashboard") + "?period=forever&unit=x")
    assert nonsense.status_code == 200
    assert nonsense.context["period"].key == "quarter"


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("month", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("next_quarter", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("half", dt.date(2026, 2, 17), dt.date(2026, 7, 31)),
        ("year", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_dashboard_periods(key, start, end):
    period = dashboard_period(key, dt.date(2026, 2, 17))
    assert (period.start, period.end) == (start, end)


def test_next_quarter_crosses_the_year():
    period = dashboard_period("next_quarter", dt.date(2026, 11, 3))
    assert (period.start, period.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


def test_empty_dashboard_says_what_to_do(executive):
    html = executive.get(reverse("portfolio:dashboard")).content.decode()
    assert "No strategic objective runs in this period." in html
    assert "No open flag: every rule is satisfied." in html
    assert "No recommendation is waiting for a decision." in html


def test_dashboard_renders_in_chinese_for_an_executive(client_for, world):
    response = client_for("executive").get(reverse("portfolio:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200 and 'lang="zh-hans"' in html
    assert "云平台迁移" in html and "核心系统上云" in html
    assert "万元" in html  # money in units of ten thousand yuan


def test_closed_and_proposed_projects_add_no_money(executive, world):
    ProjectFactory(
        code="CLOSED-1", classification=Classification.MAJOR, stage=Stage.CLOSED, budget=9
    )
    ProjectFactory(
        code="PROP-1", classification=Classification.MAJOR, stage=Stage.PROPOSED, budget=7
    )
    ctx = executive.get(reverse("portfolio:dashboard")).context
    assert ctx["strategic_count"] == 3  # the proposed one is strategic, the closed one not
    assert ctx["money"]["budget"] == Decimal("15000000")


def test_executive_decides_from_the_dashboard(executive, world):
    html = executive.get(reverse("portfolio:dashboard")).content.decode()
    assert (
        reverse("portfolio:recommendation_decide", args=[world["red"].recommendations.get().pk])
        in html
    )


def test_plan_without_objective_makes_a_project_appear(executive, world):
    extra = ProjectFactory(code="PLAN-1", org_unit=world["south"])
    MonitoringPlanFactory(project=extra)
    ctx = executive.get(reverse("portfolio:dashboard")).context
    assert ctx["strategic_count"] == 3
