"""The quarterly strategic review: registered for PMO and executives, printed in Chinese and
English with each objective's KPI, the projects serving it, the balance, the watch list
and the recommendations decided in the quarter; scoped to its reader; bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pmo.core.models import Health
from pmo.core.registry import registry
from pmo.core.services import project_summary_update
from pmo.reports import services
from pmo.reports.models import ReportRun
from pmo.reports.periods import Period
from portfolio.models import Objective, Recommendation
from portfolio.reports import portfolio_balance, strategic_review, strategic_review_summary
from portfolio.selectors import monitoring as selectors
from tests.core.factories import (
    OrgUnitFactory,
    PersonFactory,
    ProjectFactory,
    ProjectTypeFactory,
)
from tests.pdf import needs_pdftotext, pdf_text
from tests.portfolio.factories import (
    ObjectiveFactory,
    ObjectiveLinkFactory,
    RecommendationFactory,
    StrategicThemeFactory,
)

pytestmark = pytest.mark.django_db

Q_START, Q_END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
QUARTER = Period("quarterly", Q_START, Q_END, "2026-Q1")


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def world(pm_user):
    """Two strategic projects of two types and units serving one objective; a third
    project outside the strategy; two recommendations, one decided in the quarter."""
    mfg = OrgUnitFactory(name="智能制造事业部", name_en="Smart Manufacturing")
    it = OrgUnitFactory(name="信息中心", name_en="IT Centre")
    build = ProjectTypeFactory(code="build", name="基建项目", name_en="Construction")
    digital = ProjectTypeFactory(code="digital", name="数字化项目", name_en="Digital")
    factory = ProjectFactory(
        code="ZH-001",
        name="智慧工厂",
        name_en="Smart factory",
        org_unit=mfg,
        project_type=build,
        manager=PersonFactory(name="王建国", name_en="Wang Jianguo", org_unit=mfg),
        budget=Decimal("12000000"),
    )
    project_summary_update(
        project=factory,
        health=Health.RED,
        percent_complete=Decimal("45"),
        spend_to_date=Decimal("6000000"),
        forecast_cost=Decimal("13000000"),
        spi=Decimal("0.82"),
        cpi=Decimal("0.95"),
    )
    platform = ProjectFactory(
        code="ZH-002",
        name="数据中台",
        name_en="Data platform",
        org_unit=it,
        project_type=digital,
        manager=pm_user.person,
        budget=Decimal("8000000"),
    )
    project_summary_update(project=platform, health=Health.GREEN, spend_to_date=Decimal("2000000"))
    theme = StrategicThemeFactory(code="T-DX", name="数字化转型", name_en="Digital transformation")
    objective = ObjectiveFactory(
        code="SO-1",
        theme=theme,
        name="人均产值提升",
        name_en="Output per employee up",
        kpi="人均产值",
        unit="万元",
        baseline=Decimal("100"),
        target=Decimal("150"),
        actual=Decimal("120"),
        measured_on=dt.date(2026, 3, 15),
        status=Objective.Status.AT_RISK,
    )
    ObjectiveLinkFactory(objective=objective, project=factory, contribution=60)
    ObjectiveLinkFactory(objective=objective, project=platform, contribution=30)
    ProjectFactory(code="ZH-009", name="普通项目")
    decided = RecommendationFactory(project=factory, title="重新制定进度基线")
    Recommendation.objects.filter(pk=decided.pk).update(
        status=Recommendation.Status.ACCEPTED,
        decided_at=dt.datetime(2026, 2, 10, 10, 0, tzinfo=dt.UTC),
    )
    RecommendationFactory(project=factory, title="尚未决定的建议")
    return factory, platform


def render(language: str, params=None) -> ReportRun:
    run = services.report_run_request(
        kind="strategic_review",
        period=QUARTER,
        language=language,
        params=params or {},
        enqueue=False,
    )
    return services.report_run_render(run_id=run.pk)


def test_registered_quarterly_for_pmo_and_executives_scoped_with_a_summary(
    pmo_user, executive_user, pm_user
):
    kind = registry.report_kinds["strategic_review"]
    assert kind.default_period == "quarterly"
    assert kind.scoped and kind.summary
    assert kind.visible_to(pmo_user) and kind.visible_to(executive_user)
    assert not kind.visible_to(pm_user)


def test_objective_rows_and_balance_reference_numbers(world):
    factory, platform = world
    params = {"period_start": Q_START, "period_end": Q_END}
    with translation.override("en"):
        content = strategic_review(params, "en")
    (theme, reviews) = content.context["themes"][0]
    review = reviews[0]
    assert theme.code == "T-DX"
    assert review.progress == 40.0  # (120 − 100) ÷ (150 − 100)
    assert review.coverage == 90  # 60 % + 30 %
    assert [a.project.code for a in review.projects] == ["ZH-001", "ZH-002"]
    assert review.projects[0].spi_low and not review.projects[0].cpi_low
    balance = portfolio_balance(selectors.strategic_projects(), "en")
    assert balance["type"] == [
        ("Construction", 1, Decimal("12000000")),
        ("Digital", 1, Decimal("8000000")),
    ]
    assert [name for name, _n, _b in balance["unit"]] == ["Smart Manufacturing", "IT Centre"]
    assert [r.title for r in content.context["decided"]] == ["重新制定进度基线"]
    assert dict(content.context["kpis"])["Objectives on track"] == "0 / 1"


def test_summary_for_the_chat_card(world):
    params = {"period_start": Q_START, "period_end": Q_END}
    with translation.override("en"):
        lines = dict(strategic_review_summary(params, "en"))
    assert lines["Objectives on track"] == "0 / 1"
    assert lines["Strategic projects"] == "2"
    assert lines["Off track"] == "1"
    assert lines["Recommendations decided"] == "1"
    assert lines["Spend / budget"] == "¥8.00M / ¥20.00M"


def test_a_readers_scope_limits_projects_and_objectives(world, pm_user, other_pm_user):
    params = {"period_start": Q_START, "period_end": Q_END, "scope": f"user:{pm_user.pk}"}
    content = strategic_review(params, "en")
    (_theme, reviews) = content.context["themes"][0]
    assert [a.project.code for a in reviews[0].projects] == ["ZH-002"]
    assert content.context["decided"] == []
    nobody = {**params, "scope": f"user:{other_pm_user.pk}"}
    assert strategic_review(nobody, "en").context["themes"] == []


def test_queries_stay_flat_as_projects_grow(world):
    params = {"period_start": Q_START, "period_end": Q_END}

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            strategic_review(params, "en")
        return len(ctx.captured_queries)

    few = count()
    objective = Objective.objects.get(code="SO-1")
    for i in range(27):
        p = ProjectFactory(code=f"ZZ-{i:03d}", project_type=ProjectTypeFactory(code=f"t{i}"))
        project_summary_update(project=p, health=Health.RED)
        ObjectiveLinkFactory(objective=objective, project=p, contribution=1)
        rejected = RecommendationFactory(project=p, status=Recommendation.Status.REJECTED)
        Recommendation.objects.filter(pk=rejected.pk).update(
            decided_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        )
    assert count() == few
    assert few <= 15


@needs_pdftotext
def test_pdf_in_chinese(world):
    run = render("zh-hans")
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run, flat=True)
    assert "SO-1" in text and "人均产值提升" in text and "数字化转型" in text
    assert "智慧工厂" in text and "数据中台" in text and "普通项目" not in text
    assert "重新制定进度基线" in text and "尚未决定的建议" not in text
    assert "基建项目" in text and "信息中心" in text
    assert "40%" in text and "90%" in text and "0.82" in text
    assert "1,200万元" in text
    assert "□" not in text and "\ufffd" not in text


@needs_pdftotext
def test_pdf_in_english(world):
    run = render("en")
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run, flat=True)
    assert "Strategic review" in text
    assert "Output per employee up" in text and "Digital transformation" in text
    assert "Smart factory" in text and "Wang Jianguo" in text
    assert "Progress of strategic objectives" in text  # the SVG chart's title
    assert "Budget by project type" in text and "Construction" in text
    assert "Recommendations decided in the quarter" in text
    assert "Health is red" in text or "Off track" in text
