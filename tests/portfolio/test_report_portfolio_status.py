"""The weekly "portfolio status" report: registered with pmo.reports, printed to PDF with
the dashboard's charts as SVG and the strategic watch list in Chinese and English."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from pmo.core.models import Health
from pmo.core.registry import registry
from pmo.core.services import project_summary_update
from pmo.reports import services
from pmo.reports.models import ReportRun
from pmo.reports.periods import period_containing
from portfolio.models import Objective
from portfolio.reports import portfolio_status
from portfolio.services.monitoring import attention_flags_refresh
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory
from tests.pdf import needs_pdftotext, pdf_text
from tests.portfolio.factories import (
    MonitoringKpiFactory,
    MonitoringPlanFactory,
    ObjectiveFactory,
    ObjectiveLinkFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def portfolio_world(db):
    unit = OrgUnitFactory(name="智能制造事业部", name_en="Smart Manufacturing")
    manager = PersonFactory(name="王建国", name_en="Wang Jianguo", org_unit=unit)
    today = timezone.localdate()
    factory = ProjectFactory(
        code="ZH-001",
        name="智慧工厂",
        name_en="Smart factory",
        org_unit=unit,
        manager=manager,
        budget=Decimal("12500000"),
        planned_finish=today + dt.timedelta(days=10),
    )
    project_summary_update(
        project=factory,
        health=Health.RED,
        percent_complete=Decimal("45"),
        spend_to_date=Decimal("5600000"),
        forecast_cost=Decimal("13800000"),
        spi=Decimal("0.82"),
        cpi=Decimal("0.91"),
        last_status_date=today,
    )
    plan = MonitoringPlanFactory(project=factory)
    MonitoringKpiFactory(plan=plan, name="上线系统可用率", actual=Decimal("97.5"))
    objective = ObjectiveFactory(
        code="SO-MFG-1",
        name="人均产值提升50%",
        name_en="Output per employee up 50%",
        status=Objective.Status.AT_RISK,
        actual=Decimal("50"),
    )
    ObjectiveLinkFactory(project=factory, objective=objective)
    ProjectFactory(code="ZH-002", name="普通项目")  # not strategic: not in the report
    RecommendationFactory(project=factory, title="重新制定进度基线")
    attention_flags_refresh()
    return factory


def render(language: str, params=None) -> ReportRun:
    run = services.report_run_request(
        kind="portfolio_status",
        period=period_containing("weekly", timezone.localdate()),
        language=language,
        params=params or {},
        enqueue=False,
    )
    return services.report_run_render(run_id=run.pk)


def test_portfolio_status_is_a_weekly_report_for_pmo_and_executives():
    kind = registry.report_kinds["portfolio_status"]
    assert kind.default_period == "weekly"
    assert kind.permission == "portfolio.view_monitoring"


@needs_pdftotext
def test_pdf_lists_the_watch_list_in_chinese(portfolio_world):
    run = render("zh-hans")
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run, flat=True)
    assert "智慧工厂" in text and "王建国" in text and "智能制造事业部" in text
    assert "上线系统可用率 97.5 < 99 %" in text  # the KPI flag's detail
    assert "SO-MFG-1 人均产值提升50%" in text  # the objective-at-risk flag
    assert "重新制定进度基线" in text  # awaiting decision
    assert "0.82" in text and "1,250.00万元" not in text  # compact money: 1,250万元
    assert "1,250万元" in text
    assert "普通项目" not in text
    assert "□" not in text and "\ufffd" not in text


@needs_pdftotext
def test_pdf_in_english_has_the_charts_and_labels(portfolio_world):
    run = render("en")
    text = pdf_text(run, flat=True)
    assert "Portfolio status" in text and "Strategic watch list" in text
    assert "Smart factory" in text and "Wang Jianguo" in text
    assert "Health of strategic projects in delivery" in text  # the pie's title (SVG)
    assert "Budget, spend and forecast of the largest strategic projects" in text
    assert "Progress of strategic objectives" in text
    assert "Health is red" in text and "SPI below threshold" in text


def test_builder_embeds_svg_charts_and_limits_to_the_unit(portfolio_world):
    content = portfolio_status({}, "en")
    for key in ("health_svg", "objectives_svg", "money_svg", "flags_svg"):
        assert content.context[key].lstrip().startswith("<svg"), key
    assert [r.project.code for r in content.context["watch_rows"]] == ["ZH-001"]
    elsewhere = OrgUnitFactory()
    scoped = portfolio_status({"org_unit": elsewhere.pk}, "en")
    assert scoped.context["watch_rows"] == [] and scoped.context["objectives"] == []
    assert scoped.subtitle == elsewhere.label


def test_builder_lists_milestones_due_within_four_weeks_of_the_period(portfolio_world):
    today = timezone.localdate()
    content = portfolio_status({"period_start": today, "period_end": today}, "en")
    assert [p.code for p in content.context["milestones"]] == ["ZH-001"]


def test_an_empty_portfolio_still_prints(db):
    content = portfolio_status({}, "zh-hans")
    assert content.context["watch_rows"] == []
    assert content.context["health_svg"] == "" and content.context["money_svg"] == ""
