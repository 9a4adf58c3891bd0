"""Report runs: asked for once per (kind, period, language, parameters), rendered by a
Celery task that claims the run with a conditional update."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.core import queue
from pmo.core.registry import registry
from pmo.reports import periods
from pmo.reports.models import ReportRun
from pmo.reports.pdf import render_pdf

log = logging.getLogger(__name__)

# A run left "running" this long by a worker that died may be claimed again (the lease
# exceeds every task's time limit, see the system check pmo.E102).
STALE_RUN_AFTER = dt.timedelta(seconds=settings.PMO_REPORT_RUN_LEASE_SECONDS)
# A pending run older than one sweep has lost its task; the sweeper queues it again.
WAITING_GRACE = dt.timedelta(seconds=settings.PMO_SWEEP_SECONDS)
SWEEP_BATCH = 200
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def params_hash(params: dict) -> str:
    """A stable digest of a run's parameters, part of its once-per-period key."""
    canonical = json.dumps(params or {}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _enqueue_render(run_id: int) -> None:
    """Queue the render after commit; with the broker down the run stays pending and
    the reports' sweeper queues it when the broker is back."""
    from pmo.reports.tasks import render_report_run

    queue.enqueue(render_report_run, run_id, waiting=RENDER_WAITING)


RENDER_WAITING = gettext_lazy(
    "The background service is not reachable right now. The report is listed as waiting "
    "in the archive and is generated as soon as the service is back."
)


# --- runs ----------------------------------------------------------------------------


def report_run_request(
    *,
    kind: str,
    period: periods.Period,
    language: str,
    params: dict | None = None,
    actor=None,
    refresh: bool = False,
    enqueue: bool = True,
) -> ReportRun:
    """The run of ``kind`` for ``period`` and ``language``, created and queued if new.

    A failed run is queued again; a finished one only when ``refresh`` is asked (the
    "generate now" button), so that a scheduled delivery reuses the period's file.
    """
    if kind not in registry.report_kinds:
        raise ValidationError({"kind": _("Unknown report.")})
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Unknown language.")})
    params = params or {}
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        run, created = ReportRun.objects.get_or_create(
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            language=language,
            params_hash=params_hash(params),
            defaults={"period_label": period.label, "params": params, "created_by": user},
        )
        if created:
            requeue = True
        else:
            again = [ReportRun.Status.FAILED] + ([ReportRun.Status.DONE] if refresh else [])
            requeue = bool(
                ReportRun.objects.filter(pk=run.pk, status__in=again).update(
                    status=ReportRun.Status.PENDING,
                    error="",
                    started_at=None,
                    finished_at=None,
                    created_by=user or run.created_by,
                )
            )
            if requeue:
                run.refresh_from_db()
        if requeue and enqueue:
            _enqueue_render(run.pk)
    return run


def _claim_run(run_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=ReportRun.Status.PENDING) | Q(
        status=ReportRun.Status.RUNNING, started_at__lt=now - STALE_RUN_AFTER
    )
    return bool(
        ReportRun.objects.filter(claimable, pk=run_id).update(
            status=ReportRun.Status.RUNNING, started_at=now, error=""
        )
    )


def report_run_render(*, run_id: int) -> ReportRun:
    """Claim a pending run, print its PDF and store it; record the error if it fails.

    Returns the run as it is afterwards; when another worker holds the claim, the run
    is returned untouched.
    """
    if not _claim_run(run_id):
        return ReportRun.objects.get(pk=run_id)
    run = ReportRun.objects.get(pk=run_id)
    old_name = run.file.name
    try:
        kind = registry.report_kind(run.kind)
        params = {
            **run.params,
            "period_start": run.period_start,
            "period_end": run.period_end,
            "period_label": run.period_label,
        }
        if settings.PMO_RENDER_DELAY_SECONDS:
            time.sleep(settings.PMO_RENDER_DELAY_SECONDS)
        with translation.override(run.language):
            content = kind.build(params, run.language)
            pdf = render_pdf(content, language=run.language, period_label=run.period_label)
        run.file.save(
            f"{run.kind}-{run.period_label}-{run.language}.pdf", ContentFile(pdf), save=False
        )
    except Exception as error:  # any failure of a builder or the printer ends the run
        log.exception("Report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
            status=ReportRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:4000],
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        return run
    run.checksum = hashlib.sha256(pdf).hexdigest()
    run.status = ReportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["file", "checksum", "status", "finished_at"])
    if old_name and old_name != run.file.name:
        run.file.storage.delete(old_name)
    return run


def runs_waiting_requeue(*, now: dt.datetime | None = None) -> int:
    """Queue again the runs nobody is rendering: pending for over a minute (their task
    was never queued, e.g. the broker was down) or running past their lease (the worker
    died). The claim in ``report_run_render`` makes an extra task harmless. Returns how
    many were queued; stops at the first refusal of the broker."""
    from pmo.reports.tasks import render_report_run

    now = now or timezone.now()
    waiting = Q(status=ReportRun.Status.PENDING, created_at__lt=now - WAITING_GRACE) | Q(
        status=ReportRun.Status.RUNNING, started_at__lt=now - STALE_RUN_AFTER
    )
    queued = 0
    for run_id in (
        ReportRun.objects.filter(waiting).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH]
    ):
        try:
            queue.send(render_report_run, run_id)
        except queue.QueueUnavailable:
            break
        queued += 1
    return queued
