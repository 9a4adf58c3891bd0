"""Requests for the evaluation PDFs: the cycle report and the report of one project's
evaluation. They are rendered by the report service's Celery task; a request here
only asks for the run."""

from __future__ import annotations

from django.utils import timezone, translation

from pmo.reports import services as report_services
from pmo.reports.models import ReportRun
from pmo.reports.periods import DAILY, period_containing

CYCLE_KIND = "evaluation_cycle"
RESULT_KIND = "evaluation_result"
MONTHLY_KIND = "evaluation_monthly"


def _request(kind: str, params: dict, actor, language: str | None) -> ReportRun:
    return report_services.report_run_request(
        kind=kind,
        period=period_containing(DAILY, timezone.localdate()),
        language=language or translation.get_language() or "zh-hans",
        params=params,
        actor=actor,
        refresh=True,
    )


def _latest(kind: str, key: str, pk: int) -> ReportRun | None:
    return (
        ReportRun.objects.filter(kind=kind, **{f"params__{key}": pk})
        .order_by("-created_at", "-pk")
        .first()
    )


def cycle_pdf_request(*, cycle, actor, language: str | None = None) -> ReportRun:
    """Queue the evaluation report of a cycle in ``language`` (default: the active one)."""
    return _request(CYCLE_KIND, {"cycle": cycle.pk}, actor, language)


def cycle_run(cycle) -> ReportRun | None:
    return _latest(CYCLE_KIND, "cycle", cycle.pk)


def result_pdf_request(*, evaluation, actor, language: str | None = None) -> ReportRun:
    """Queue the report of one project's (and its manager's) evaluation."""
    return _request(RESULT_KIND, {"evaluation": evaluation.pk}, actor, language)


def result_run(evaluation) -> ReportRun | None:
    return _latest(RESULT_KIND, "evaluation", evaluation.pk)
