"""PDFs of delivery: the responsibility agreement and the closeout report.

They are rendered by the report service's Celery task (``pmo.reports``) as runs of
report kinds registered by this app, with the agreement or project id as parameter;
a request here only asks for the run.
"""

from __future__ import annotations

from django.utils import timezone, translation

from pmo.reports import services as report_services
from pmo.reports.models import ReportRun
from pmo.reports.periods import DAILY, period_containing

AGREEMENT_KIND = "delivery_agreement"
CLOSEOUT_KIND = "delivery_closeout"


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


def agreement_pdf_request(*, agreement, actor, language: str | None = None) -> ReportRun:
    """Queue the PDF of an agreement version (as it stands, with its signatures), in
    ``language`` (default: the active one)."""
    return _request(AGREEMENT_KIND, {"agreement": agreement.pk}, actor, language)


def agreement_run(agreement) -> ReportRun | None:
    return _latest(AGREEMENT_KIND, "agreement", agreement.pk)


def closeout_pdf_request(*, project, actor, language: str | None = None) -> ReportRun:
    """Queue the closeout report of a project in ``language`` (default: the active one)."""
    return _request(CLOSEOUT_KIND, {"project": project.pk}, actor, language)


def closeout_run(project) -> ReportRun | None:
    return _latest(CLOSEOUT_KIND, "project", project.pk)
