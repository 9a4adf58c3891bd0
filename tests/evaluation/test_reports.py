"""PDFs through pmo.reports: the cycle report, one project's report and the monthly
evaluation registered for subscriptions; the registry entries and the demo data."""

import pytest
from django.utils import timezone

from evaluation.services import reports
from pmo.core.registry import registry
from pmo.reports import services as report_services
from pmo.reports.models import ReportRun
from pmo.reports.periods import MONTHLY, period_containing
from tests.pdf import needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db


def test_report_kinds_and_navigation_are_registered():
    assert {"evaluation_cycle", "evaluation_result", "evaluation_monthly"} <= set(
        registry.report_kinds
    )
    assert registry.report_kinds["evaluation_monthly"].default_period == "monthly"
    assert "evaluation" in registry.project_tabs
    assert "evaluation" in registry.demo_seeders


@needs_pdftotext
def test_cycle_report_pdf_has_grades_units_dimensions_and_results(
    published, pmo_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.cycle_pdf_request(cycle=published.cycle, actor=pmo_user, language="zh-hans")
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run)
    assert "2026上半年" in text and "智慧工厂一期" in text
    assert "69.0" in text and "风险管理" in text
    assert "□" not in text and "\ufffd" not in text
    assert reports.cycle_run(published.cycle).pk == run.pk


@needs_pdftotext
def test_project_report_pdf_has_the_rationale(
    published, pm_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.result_pdf_request(evaluation=published, actor=pm_user, language="en")
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run)
    assert "风险管理良好，沟通一般。" in text and "Rationale" in text


def test_monthly_evaluation_builds_with_appeals_and_actions(published, pm_user):
    from evaluation import services

    services.appeal_submit(evaluation=published, reason="x", actor=pm_user)
    period = period_containing(MONTHLY, timezone.localdate())
    content = registry.report_kinds["evaluation_monthly"].build(
        {"period_start": period.start, "period_end": period.end, "period_label": period.label},
        "zh-hans",
    )
    assert len(content.context["appeals"]) == 1
    assert content.context["published"][0][0] == published.cycle
    run = report_services.report_run_request(
        kind="evaluation_monthly", period=period, language="zh-hans", actor=None, enqueue=False
    )
    assert run.status == ReportRun.Status.PENDING


def test_the_demo_seeder_is_idempotent(pmo_user, db):
    from pmo.core import demo

    data = demo.seed_core(today=timezone.localdate(), log=lambda _m: None)
    from evaluation import demo as evaluation_demo
    from evaluation.models import Appeal, Cycle, ImprovementAction

    evaluation_demo.seed(data)
    counts = (Cycle.objects.count(), Appeal.objects.count(), ImprovementAction.objects.count())
    evaluation_demo.seed(data)
    assert (
        Cycle.objects.count(),
        Appeal.objects.count(),
        ImprovementAction.objects.count(),
    ) == counts
    assert counts[1] == 1 and counts[2] == 4
    assert Cycle.objects.filter(status="open").count() == 1
    assert Cycle.objects.filter(status__in=("published", "closed")).count() == 4
