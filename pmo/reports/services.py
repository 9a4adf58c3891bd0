"""Every write of the reports app: runs, their rendering, subscriptions and deliveries.

Rendering and sending happen in Celery tasks (``pmo.reports.tasks``), which call these
functions with ids. Each step claims its work with a conditional update, so that a task
delivered twice does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from pmo.core.registry import registry
from pmo.reports import periods
from pmo.reports.models import Delivery, Frequency, ReportRun, Subscription
from pmo.reports.pdf import render_pdf

log = logging.getLogger(__name__)

DELIVER_TASK = "pmo.reports.tasks.deliver_subscription"
# A run left "running" this long by a worker that died may be claimed again.
STALE_RUN_AFTER = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class DeliveryIncomplete(Exception):
    """Some recipients could not be sent the report yet; the task retries later."""


def params_hash(params: dict) -> str:
    """A stable digest of a run's parameters, part of its once-per-period key."""
    canonical = json.dumps(params or {}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _enqueue_render(run_id: int) -> None:
    from pmo.reports.tasks import render_report_run

    transaction.on_commit(lambda: render_report_run.delay(run_id))


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


# --- subscriptions -------------------------------------------------------------------


def _validate_schedule(subscription: Subscription) -> None:
    errors = {}
    if subscription.kind not in registry.report_kinds:
        errors["kind"] = _("Unknown report.")
    if subscription.frequency == Frequency.WEEKLY and subscription.weekday is None:
        errors["weekday"] = _("Choose the day of the week to send on.")
    if subscription.frequency == Frequency.MONTHLY and subscription.day_of_month is None:
        errors["day_of_month"] = _("Choose the day of the month to send on.")
    if errors:
        raise ValidationError(errors)


def _crontab_for(subscription: Subscription) -> CrontabSchedule:
    """The beat crontab: cron counts weekdays from Sunday = 0, Python from Monday = 0."""
    day_of_week, day_of_month = "*", "*"
    if subscription.frequency == Frequency.WEEKLY:
        day_of_week = str((subscription.weekday + 1) % 7)
    elif subscription.frequency == Frequency.MONTHLY:
        day_of_month = str(subscription.day_of_month)
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(subscription.hour),
        day_of_week=day_of_week,
        day_of_month=day_of_month,
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    return crontab


def _sync_periodic_task(subscription: Subscription) -> PeriodicTask:
    task = subscription.periodic_task or PeriodicTask(
        name=f"reports.subscription.{subscription.pk}"
    )
    task.task = DELIVER_TASK
    task.crontab = _crontab_for(subscription)
    task.args = json.dumps([subscription.pk])
    task.kwargs = "{}"
    task.enabled = subscription.is_active
    task.description = subscription.name
    task.save()
    return task


@transaction.atomic
def subscription_save(
    *,
    actor,
    name: str,
    kind: str,
    language: str,
    frequency: str,
    hour: int,
    users=(),
    group=None,
    weekday: int | None = None,
    day_of_month: int | None = None,
    params: dict | None = None,
    is_active: bool = True,
    subscription: Subscription | None = None,
) -> Subscription:
    """Create or update a subscription and the beat schedule that delivers it."""
    users = list(users)
    if not users and group is None:
        raise ValidationError({"users": _("Choose at least one recipient or a group.")})
    subscription = subscription or Subscription(owner=actor)
    subscription.name, subscription.kind, subscription.language = name, kind, language
    subscription.frequency, subscription.hour = frequency, hour
    # Keep only the day field the frequency uses, so the stored schedule is unambiguous.
    subscription.weekday = weekday if frequency == Frequency.WEEKLY else None
    subscription.day_of_month = day_of_month if frequency == Frequency.MONTHLY else None
    subscription.group, subscription.params = group, params or {}
    subscription.is_active = is_active
    _validate_schedule(subscription)
    subscription.full_clean(exclude=["owner", "periodic_task"])
    if actor is not None and getattr(actor, "is_authenticated", False):
        subscription._history_user = actor
    subscription.save()
    subscription.users.set(users)
    task = _sync_periodic_task(subscription)
    if subscription.periodic_task_id != task.pk:
        subscription.periodic_task = task
        Subscription.objects.filter(pk=subscription.pk).update(periodic_task=task)
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription, actor=None) -> None:
    """Delete a subscription and its schedule; its delivery log is kept."""
    task = subscription.periodic_task
    if actor is not None and getattr(actor, "is_authenticated", False):
        subscription._history_user = actor
    subscription.delete()
    if task is not None:
        task.delete()


def subscription_recipients(subscription: Subscription) -> list[tuple[object, str]]:
    """(user, e-mail) of each active recipient who may read the report, once per address.

    A report e-mailed is a report read, so the report kind's permission applies to
    recipients as it does in the archive; users without an address are left out too.
    """
    kind = registry.report_kinds.get(subscription.kind)
    if subscription.group_id:
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(report_subscriptions=subscription) | Q(groups=subscription.group_id))
            .distinct()
        )
    else:
        users = subscription.users.filter(is_active=True)
    found: dict[str, tuple[object, str]] = {}
    for user in users.select_related("person").order_by("pk"):
        person = getattr(user, "person", None)
        email = (user.email or (person.email if person else "")).strip().lower()
        if kind is None or not kind.visible_to(user):
            log.warning("Subscription %s: user %s may not read it", subscription.pk, user.pk)
        elif not email:
            log.warning("Subscription %s: user %s has no e-mail address", subscription.pk, user.pk)
        elif email not in found:
            found[email] = (user, email)
    return list(found.values())


def _message(subscription: Subscription, run: ReportRun, pdf: bytes, email: str) -> EmailMessage:
    with translation.override(subscription.language):
        context = {
            "subscription": subscription,
            "run": run,
            "kind_label": subscription.kind_label,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("reports/email/delivery_subject.txt", context)
        body = render_to_string("reports/email/delivery_body.txt", context)
        filename = f"{subscription.kind_label}-{run.period_label}.pdf"
    message = EmailMessage(" ".join(subject.split()), body, to=[email])
    message.attach(filename, pdf, "application/pdf")
    return message


def _send_one(delivery_id: int, subscription, run, pdf: bytes) -> bool:
    """Claim one delivery row and send it; True when it is (or already was) sent."""
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]
    ).update(status=Delivery.Status.SENDING, run=run, error="")
    if not claimed:
        return True
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        _message(subscription, run, pdf, delivery.email).send()
    except Exception as error:  # SMTP and network errors: recorded, retried by the task
        log.warning("Delivery %s failed: %s", delivery_id, error)
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    return True


def subscription_deliver(*, subscription_id: int, today: dt.date | None = None) -> list[Delivery]:
    """E-mail the current period's report to each recipient of a subscription, once.

    The run is made (or reused) and rendered here, inside the delivery task. Each
    recipient's row is inserted if missing and then claimed, so running this twice
    sends nobody the report twice; failed sends are tried again on the next call.
    Raises ``DeliveryIncomplete`` when the report or some e-mails are not out yet.
    """
    subscription = Subscription.objects.filter(pk=subscription_id, is_active=True).first()
    if subscription is None:
        return []
    period = periods.period_containing(subscription.frequency, today or timezone.localdate())
    run = report_run_request(
        kind=subscription.kind,
        period=period,
        language=subscription.language,
        params=subscription.params,
        enqueue=False,
    )
    if run.status != ReportRun.Status.DONE:
        run = report_run_render(run_id=run.pk)
    if run.status != ReportRun.Status.DONE:
        raise DeliveryIncomplete(_("The report is not ready: %(error)s") % {"error": run.error})
    recipients = subscription_recipients(subscription)
    Delivery.objects.bulk_create(
        [
            Delivery(
                subscription=subscription,
                run=run,
                period_start=period.start,
                recipient=user,
                email=email,
            )
            for user, email in recipients
        ],
        ignore_conflicts=True,
    )
    deliveries = list(
        Delivery.objects.filter(
            subscription=subscription,
            period_start=period.start,
            email__in=[e for _u, e in recipients],
        )
    )
    with run.file.open("rb") as handle:
        pdf = handle.read()
    failed = [d.pk for d in deliveries if not _send_one(d.pk, subscription, run, pdf)]
    if failed:
        raise DeliveryIncomplete(
            ngettext(
                "%(count)d e-mail could not be sent.",
                "%(count)d e-mails could not be sent.",
                len(failed),
            )
            % {"count": len(failed)}
        )
    return list(Delivery.objects.filter(pk__in=[d.pk for d in deliveries]))


def subscription_deliver_now(*, subscription: Subscription) -> None:
    """Queue a delivery of the current period now (after commit), e.g. to test a setup."""
    from pmo.reports.tasks import deliver_subscription

    pk = subscription.pk
    transaction.on_commit(lambda: deliver_subscription.delay(pk))
