"""What the PMO and executives see and do on the monitoring pages: the watch list, a
project's monitoring plan, flags, recommendations and the project tab."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pmo.core.models import Classification, Health, Stage
from pmo.core.services import project_summary_update
from portfolio.models import AttentionFlag, MonitoringKpi, MonitoringPlan, Recommendation
from portfolio.services.monitoring import attention_flags_refresh
from tests.core.factories import OrgUnitFactory, ProjectFactory
from tests.portfolio.factories import (
    AttentionFlagFactory,
    MonitoringKpiFactory,
    MonitoringPlanFactory,
    ObjectiveFactory,
    ObjectiveLinkFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def pmo(client_for):
    return english(client_for("pmo"))


@pytest.fixture
def executive(client_for):
    return english(client_for("executive"))


@pytest.fixture
def watched(project):
    """``project`` off track with a plan (SPI threshold 0.95) and a breached KPI."""
    plan = MonitoringPlanFactory(
        project=project, spi_threshold=Decimal("0.95"), next_review=timezone.localdate()
    )
    MonitoringKpiFactory(plan=plan, name="系统可用率", actual=Decimal("98.2"))
    project_summary_update(
        project=project,
        health=Health.RED,
        spi=Decimal("0.93"),
        cpi=Decimal("1.02"),
        spend_to_date=Decimal("600000"),
        forecast_cost=Decimal("1300000"),
        last_status_date=timezone.localdate() - dt.timedelta(days=30),
        note="关键路径延误",
    )
    attention_flags_refresh()
    return project


# --- the watch list ---------------------------------------------------------------------


def test_watch_list_shows_the_core_summary_flags_and_review(pmo, watched):
    quiet = ProjectFactory(code="QUIET-1", classification=Classification.MAJOR)
    ProjectFactory(code="NOT-STRATEGIC")
    response = pmo.get(reverse("portfolio:watchlist"))
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [p.code for p in rows] == [watched.code, quiet.code]  # most flags first
    row = rows[0]
    assert (row.spi_threshold, row.is_stale, row.review_due) == (Decimal("0.95"), True, True)
    assert row.open_flag_count == 5
    html = response.content.decode()
    assert "Smart factory I" in html
    for label in ("Health is red", "SPI below threshold", "Status report is stale"):
        assert label in html
    assert "Forecast above budget" in html and "KPI beyond threshold" in html
    assert "NOT-STRATEGIC" not in html
    totals = response.context["totals"]
    assert (totals["count"], totals["flagged"], totals["stale"], totals["red"]) == (2, 1, 2, 1)


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("health=red", ["W-RED"]),
        ("rule=low_spi", ["W-RED"]),
        ("stale=on", ["W-RED"]),
        ("flagged=on", ["W-RED"]),
        ("review_due=on", []),
        ("q=green", ["W-GREEN"]),
        ("classification=major", ["W-GREEN"]),
        ("sort=-code", ["W-RED", "W-GREEN"]),
        ("sort=spi", ["W-RED", "W-GREEN"]),
    ],
)
def test_watch_list_filters_and_sorts(pmo, query, codes):
    red = ProjectFactory(code="W-RED", name="红色项目")
    MonitoringPlanFactory(project=red)
    project_summary_update(project=red, health=Health.RED, spi=Decimal("0.8"))
    green = ProjectFactory(code="W-GREEN", name="green one", classification=Classification.MAJOR)
    project_summary_update(
        project=green,
        health=Health.GREEN,
        spi=Decimal("1.1"),
        last_status_date=timezone.localdate(),
    )
    attention_flags_refresh()
    response = pmo.get(reverse("portfolio:watchlist") + "?" + query)
    assert [p.code for p in response.context["page"].object_list] == codes


def test_watch_list_filters_by_unit_and_objective(pmo):
    unit = OrgUnitFactory(name="制造事业部")
    inside = ProjectFactory(code="IN-1", org_unit=OrgUnitFactory(parent=unit))
    outside = ProjectFactory(code="OUT-1")
    objective = ObjectiveFactory()
    ObjectiveLinkFactory(project=inside, objective=objective)
    ObjectiveLinkFactory(project=outside)
    by_unit = pmo.get(reverse("portfolio:watchlist") + f"?org_unit={unit.pk}")
    assert [p.code for p in by_unit.context["page"].object_list] == ["IN-1"]
    by_objective = pmo.get(reverse("portfolio:watchlist") + f"?objective={objective.pk}")
    assert [p.code for p in by_objective.context["page"].object_list] == ["IN-1"]


def test_watch_list_htmx_returns_the_results_only(pmo, watched):
    response = pmo.get(reverse("portfolio:watchlist") + "?health=red", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="watchlist-table"' in html and "<html" not in html


def test_watch_list_is_empty_with_advice(pmo):
    response = pmo.get(reverse("portfolio:watchlist"))
    assert "No strategic project matches these filters" in response.content.decode()


def test_run_rules_now_raises_flags_and_reports(pmo):
    project = ProjectFactory(classification=Classification.MAJOR)
    response = pmo.post(reverse("portfolio:flags_refresh"), follow=True)
    assert "1 flags raised" in response.content.decode()
    assert AttentionFlag.objects.filter(project=project, resolved_at__isnull=True).count() == 1


def test_watch_list_renders_in_chinese(client_for, watched):
    response = client_for("pmo").get(reverse("portfolio:watchlist"))
    html = response.content.decode()
    assert response.status_code == 200 and 'lang="zh-hans"' in html
    assert "智慧工厂一期" in html


# --- the monitoring plan page -------------------------------------------------------------


def test_pmo_creates_a_plan_and_sees_the_flags_it_raises(pmo, project):
    url = reverse("portfolio:monitoring_plan", args=[project.pk])
    assert "Create the plan" in pmo.get(url).content.decode()
    response = pmo.post(
        url,
        {
            "frequency": "biweekly",
            "checks": "里程碑与成本",
            "spi_threshold": "0.95",
            "cpi_threshold": "0.9",
            "stale_after_days": "7",
            "is_active": "on",
        },
        follow=True,
    )
    assert "The monitoring plan was saved." in response.content.decode()
    plan = MonitoringPlan.objects.get(project=project)
    assert (plan.frequency, plan.stale_after_days) == ("biweekly", 7)
    assert plan.next_review == timezone.localdate() + dt.timedelta(days=14)
    assert "Status report is stale" in response.content.decode()


def test_bad_plan_input_rerenders_with_errors_and_writes_nothing(pmo, project):
    url = reverse("portfolio:monitoring_plan", args=[project.pk])
    response = pmo.post(
        url,
        {
            "frequency": "weekly",
            "checks": "里程碑",
            "spi_threshold": "3",
            "cpi_threshold": "0.9",
            "stale_after_days": "14",
        },
    )
    assert response.status_code == 422
    assert "A threshold must be above 0 and at most 2." in response.content.decode()
    assert not MonitoringPlan.objects.exists()


def test_executive_reads_the_plan_without_a_form(executive, watched):
    response = executive.get(reverse("portfolio:monitoring_plan", args=[watched.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="plan-form"' not in html and "系统可用率" in html
    assert "breached" in html


def test_pmo_adds_a_kpi_and_records_actuals_with_a_trend(pmo, project):
    plan = MonitoringPlanFactory(project=project)
    add = reverse("portfolio:monitoring_kpi_add", args=[project.pk])
    response = pmo.post(
        add,
        {
            "name": "用户采纳率",
            "unit": "%",
            "direction": "higher",
            "target": "85",
            "threshold": "70",
        },
    )
    assert response.status_code == 302
    kpi = plan.kpis.get()
    record = reverse("portfolio:monitoring_kpi_record", args=[kpi.pk])
    today = timezone.localdate()
    for days, value in ((14, "75"), (0, "65")):
        day = (today - dt.timedelta(days=days)).isoformat()
        response = pmo.post(record, {f"kpi{kpi.pk}-actual": value, f"kpi{kpi.pk}-measured_on": day})
        assert response.status_code == 302
    page = pmo.get(reverse("portfolio:monitoring_plan", args=[project.pk]))
    row = page.context["rows"][0]
    assert [str(p.actual) for p in row["points"]] == ["75.00", "65.00"]
    assert row["chart"]["series"][0]["data"] == [75.0, 65.0]
    assert AttentionFlag.objects.filter(project=project, rule="kpi_breached").exists()


def test_kpi_with_the_threshold_above_the_target_is_refused(pmo, project):
    MonitoringPlanFactory(project=project)
    response = pmo.post(
        reverse("portfolio:monitoring_kpi_add", args=[project.pk]),
        {"name": "用户采纳率", "direction": "higher", "target": "70", "threshold": "85"},
    )
    assert response.status_code == 422
    assert "the threshold cannot be above the target" in response.content.decode()
    assert not MonitoringKpi.objects.exists()


def test_a_future_measurement_is_refused_on_its_row(pmo, project):
    kpi = MonitoringKpiFactory(plan=MonitoringPlanFactory(project=project))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = pmo.post(
        reverse("portfolio:monitoring_kpi_record", args=[kpi.pk]),
        {f"kpi{kpi.pk}-actual": "99", f"kpi{kpi.pk}-measured_on": tomorrow},
    )
    assert response.status_code == 422
    assert "A measurement cannot be dated in the future." in response.content.decode()
    kpi.refresh_from_db()
    assert kpi.actual is None


def test_kpi_edit_and_delete(pmo, project):
    kpi = MonitoringKpiFactory(plan=MonitoringPlanFactory(project=project))
    url = reverse("portfolio:monitoring_kpi_edit", args=[kpi.pk])
    response = pmo.post(
        url,
        {"name": "可用率", "unit": "%", "direction": "higher", "target": "99", "threshold": "97"},
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.name, kpi.threshold) == ("可用率", Decimal("97"))
    pmo.post(reverse("portfolio:monitoring_kpi_delete", args=[kpi.pk]))
    assert not MonitoringKpi.objects.exists()


# --- flags and recommendations through the pages -------------------------------------------


def test_pmo_closes_a_flag_with_a_note_and_returns(pmo, project):
    flag = AttentionFlagFactory(project=project)
    url = reverse("portfolio:flag_resolve", args=[flag.pk])
    assert pmo.post(url, {"resolution": ""}).status_code == 422
    response = pmo.post(url, {"resolution": "已召开专题会", "next": "/portfolio/watchlist/"})
    assert response.status_code == 302 and response["Location"] == "/portfolio/watchlist/"
    flag.refresh_from_db()
    assert flag.resolution == "已召开专题会"


def test_flag_resolve_ignores_a_foreign_next_url(pmo, project):
    flag = AttentionFlagFactory(project=project)
    response = pmo.post(
        reverse("portfolio:flag_resolve", args=[flag.pk]),
        {"resolution": "ok", "next": "https://evil.example/"},
    )
    assert "evil" not in response["Location"]


def test_recommendation_from_a_flag_to_decision_and_implementation(
    pmo, executive, project, pm_user
):
    flag = AttentionFlagFactory(project=project, rule="low_spi", detail="SPI 0.80 < 0.90")
    create = reverse("portfolio:recommendation_create", args=[project.pk])
    form_page = pmo.get(create + f"?flag={flag.pk}")
    assert form_page.context["form"].initial["flag"] == flag.pk
    response = pmo.post(
        create,
        {"kind": "replan", "title": "重排计划", "rationale": "进度落后", "flag": flag.pk},
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert rec.flag == flag

    listing = executive.get(reverse("portfolio:recommendation_list") + "?status=proposed")
    assert "重排计划" in listing.content.decode()
    decide = reverse("portfolio:recommendation_decide", args=[rec.pk])
    assert executive.post(decide, {"decision": "accept", "decision_note": ""}).status_code == 422
    response = executive.post(decide, {"decision": "accept", "decision_note": "同意"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ACCEPTED

    done = reverse("portfolio:recommendation_done", args=[rec.pk])
    assert pmo.post(done, {"note": "计划已重排"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.DONE
    assert pm_user.notifications.count() == 3  # proposed, accepted, implemented


def test_deciding_twice_shows_an_error_and_keeps_the_first_decision(executive, project):
    rec = RecommendationFactory(project=project, status=Recommendation.Status.REJECTED)
    response = executive.post(
        reverse("portfolio:recommendation_decide", args=[rec.pk]),
        {"decision": "accept", "decision_note": "改主意"},
    )
    assert response.status_code == 422
    assert "This recommendation has been decided already." in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.REJECTED


def test_recommendation_list_counts_and_filters(pmo, project):
    RecommendationFactory(project=project, title="甲")
    RecommendationFactory(project=project, title="乙", status=Recommendation.Status.ACCEPTED)
    RecommendationFactory(
        project=project, title="丙", due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    response = pmo.get(reverse("portfolio:recommendation_list"))
    assert response.context["counts"]["proposed"] == 2
    assert response.context["counts"]["accepted"] == 1
    overdue = pmo.get(reverse("portfolio:recommendation_list") + "?overdue=on")
    assert [r.title for r in overdue.context["page"].object_list] == ["丙"]


# --- the project tab --------------------------------------------------------------------------


def test_monitoring_tab_shows_plan_flags_and_recommendations(pmo, watched):
    RecommendationFactory(project=watched, title="增派架构师")
    response = pmo.get(reverse("core:project_detail", args=[watched.pk]) + "?tab=monitoring")
    html = response.content.decode()
    assert 'data-testid="monitoring-tab"' in html
    assert "Health is red" in html and "增派架构师" in html and "系统可用率" in html


def test_monitoring_tab_loads_by_htmx(pmo, watched):
    url = reverse("core:project_tab", args=[watched.pk, "monitoring"])
    response = pmo.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="monitoring-tab"' in response.content.decode()


def test_monitoring_tab_of_a_closed_project_offers_no_recommendation(pmo):
    closed = ProjectFactory(stage=Stage.CLOSED)
    response = pmo.get(reverse("core:project_detail", args=[closed.pk]) + "?tab=monitoring")
    html = response.content.decode()
    assert "not strategic" in html
    assert reverse("portfolio:recommendation_create", args=[closed.pk]) not in html


# --- the widgets on the core dashboards --------------------------------------------------------


def test_executive_dashboard_shows_objectives_and_projects_needing_attention(executive, watched):
    ObjectiveLinkFactory(project=watched, objective=ObjectiveFactory(code="SO-W", is_key=True))
    html = executive.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="widget-objectives"' in html and "SO-W" in html
    assert 'data-testid="widget-attention"' in html and watched.code in html


def test_pmo_cockpit_shows_open_flags_and_recommendations_awaiting_decision(pmo, watched):
    RecommendationFactory(project=watched, title="重新制定基线")
    html = pmo.get(reverse("core:cockpit")).content.decode()
    assert 'data-testid="widget-flags"' in html and "Health is red" in html
    assert 'data-testid="widget-recommendations"' in html and "重新制定基线" in html


def test_executive_dashboard_widgets_follow_the_unit_filter(executive, watched):
    other_unit = OrgUnitFactory(name="别的部门")
    html = executive.get(reverse("core:dashboard") + f"?unit={other_unit.pk}").content.decode()
    assert "No strategic project carries an open attention flag." in html
