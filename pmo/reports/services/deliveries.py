"""Delivery of subscriptions: the period's report e-mailed to each recipient and posted as
a card to each chat channel, once.

Every message has a row in the delivery log, inserted before it is sent and claimed by
a conditional update, so a delivery task that runs twice sends nothing twice. Who may
read the report is checked again at send time: a recipient who was deactivated or lost
the report's permission gets a "skipped" row with the reason instead of the e-mail.
A report kind registered with ``scoped=True`` is rendered once per visibility scope,
and each recipient is sent the rendering of their own scope.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pmo.core import queue
from pmo.core.registry import ReportKind, registry
from pmo.reports import periods
from pmo.reports.content import scope_for
from pmo.reports.models import Delivery, ReportRun, Subscription
from pmo.reports.services.runs import report_run_render, report_run_request

log = logging.getLogger(__name__)
Reason = Delivery.SkipReason
RETRYABLE = (Delivery.Status.PENDING, Delivery.Status.FAILED)
# Sent again only when the PMO asks for it from the delivery log.
RESENDABLE = (*RETRYABLE, Delivery.Status.UNKNOWN)
SEND_LEASE = dt.timedelta(seconds=settings.PMO_SEND_LEASE_SECONDS)


class DeliveryIncomplete(Exception):
    """Some recipients or channels could not be sent the report yet; the task retries."""


def _address(user) -> str:
    person = getattr(user, "person", None)
    return (user.email or (person.email if person else "")).strip().lower()


def _skip_reason(kind: ReportKind | None, user) -> str:
    """Why ``user`` may not be sent the report now, or "" when they may."""
    if user is None or not user.is_active:
        return Reason.DEACTIVATED
    if kind is None or not kind.visible_to(user):
        return Reason.NOT_ALLOWED
    return ""


def recipient_entries(subscription: Subscription) -> list[tuple[object, str, str]]:
    """(user, e-mail, skip reason) of each person the subscription names, once per address.

    People chosen by name are listed even when deactivated (their row says so); members
    of the group are listed while their account is active. The reason is "" for those
    who are sent the report; where one address belongs to several people, the report
    goes to it once if any of them may read it.
    """
    kind = registry.report_kinds.get(subscription.kind)
    users = get_user_model().objects.filter(report_subscriptions=subscription)
    if subscription.group_id:
        users = get_user_model().objects.filter(
            Q(report_subscriptions=subscription) | Q(groups=subscription.group_id, is_active=True)
        )
    found: dict[str, tuple[object, str, str]] = {}
    for user in users.distinct().select_related("person").order_by("pk"):
        email = _address(user)
        reason = _skip_reason(kind, user) or ("" if email else Reason.NO_ADDRESS)
        key = email or f"user:{user.pk}"
        if key not in found or (found[key][2] and not reason):
            found[key] = (user, email, reason)
    return list(found.values())


def subscription_recipients(subscription: Subscription) -> list[tuple[object, str]]:
    """(user, e-mail) of each recipient who is sent the report."""
    return [(u, e) for u, e, reason in recipient_entries(subscription) if not reason]


# --- runs ------------------------------------------------------------------------------


def _run_params(subscription: Subscription, kind: ReportKind, user) -> dict:
    """The run's parameters: the subscription's filters, and the reader's scope for a
    kind whose content depends on who reads it."""
    if kind.scoped:
        return {**subscription.params, "scope": scope_for(user)}
    return dict(subscription.params)


def _ready_run(subscription: Subscription, period: periods.Period, params: dict) -> ReportRun:
    """The period's run for these parameters, rendered here if it is not ready yet."""
    run = report_run_request(
        kind=subscription.kind,
        period=period,
        language=subscription.language,
        params=params,
        enqueue=False,
    )
    if run.status != ReportRun.Status.DONE:
        run = report_run_render(run_id=run.pk)
    if run.status != ReportRun.Status.DONE:
        raise DeliveryIncomplete(_("The report is not ready: %(error)s") % {"error": run.error})
    return run


def run_url(run: ReportRun) -> str:
    """The absolute address of a run's page in the archive (it opens the PDF)."""
    return f"{settings.SITE_URL}{reverse('reports:run_preview', args=[run.pk])}"


# --- sending ---------------------------------------------------------------------------


def _message(
    subscription: Subscription, run: ReportRun, pdf: bytes, email: str, recipient=None
) -> EmailMessage:
    with translation.override(subscription.language):
        context = {
            "subscription": subscription,
            "run": run,
            "kind_label": subscription.kind_label,
            "site_url": settings.SITE_URL,
            "run_url": run_url(run),
            # Links to the archive only for readers who may open it.
            "can_open": recipient is not None and recipient.has_perm("reports.view_archive"),
        }
        subject = render_to_string("reports/email/delivery_subject.txt", context)
        body = render_to_string("reports/email/delivery_body.txt", context)
        filename = f"{subscription.kind_label}-{run.period_label}.pdf"
    message = EmailMessage(" ".join(subject.split()), body, to=[email])
    message.attach(filename, pdf, "application/pdf")
    return message


def _card(subscription: Subscription, run: ReportRun) -> dict:
    """The chat card of a run: its title, the kind's summary lines and the link."""
    kind = registry.report_kind(subscription.kind)
    params = {
        **run.params,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "period_label": run.period_label,
    }
    with translation.override(subscription.language):
        lines = [(_("Period"), run.period_label)]
        lines += kind.summarise(params, subscription.language) or [
            (str(kind.label), str(kind.description))
        ]
        title = _("%(report)s for %(period)s") % {
            "report": kind.label,
            "period": run.period_label,
        }
        return {"title": str(title), "lines": [(str(k), str(v)) for k, v in lines]}


def unknown_outcome_note() -> str:
    """What the delivery log says of a row marked "outcome unknown"."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The worker stopped while sending; the message may or may not have been "
            "delivered. It is not sent again unless you choose to."
        )


def deliveries_mark_unknown(*, now: dt.datetime | None = None) -> int:
    """Rows left "sending" past their lease by a worker that died become "outcome
    unknown": the message may have gone out, so it is not sent again by itself.
    Returns how many rows were marked."""
    now = now or timezone.now()
    marked = Delivery.objects.filter(
        status=Delivery.Status.SENDING, last_attempt_at__lt=now - SEND_LEASE
    ).update(status=Delivery.Status.UNKNOWN, error=unknown_outcome_note())
    if marked:
        log.warning("%s deliveries left sending by a stopped worker marked unknown", marked)
    return marked


def _claim(delivery_id: int, run: ReportRun, statuses=RETRYABLE) -> bool:
    now = timezone.now()
    return bool(
        Delivery.objects.filter(pk=delivery_id, status__in=statuses).update(
            status=Delivery.Status.SENDING,
            run=run,
            error="",
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
    )


def _send(
    delivery: Delivery,
    subscription: Subscription,
    run: ReportRun,
    pdf: bytes,
    statuses=RETRYABLE,
) -> bool:
    """Claim one row and send its e-mail or card; True when it is (or already was) sent,
    or when another worker holds it or left it with an unknown outcome."""
    from pmo.core.channels import ChannelError, post_card

    if not _claim(delivery.pk, run, statuses):
        return True
    try:
        if delivery.channel_id:
            post_card(delivery.channel, url=run_url(run), **_card(subscription, run))
        else:
            _message(subscription, run, pdf, delivery.email, delivery.recipient).send()
    except Exception as error:  # SMTP, network and robot errors: logged, retried by the task
        log.warning("Delivery %s failed: %s", delivery.pk, error)
        text = str(error) if isinstance(error, ChannelError) else f"{type(error).__name__}: {error}"
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, error=text[:2000]
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    return True


def _read(run: ReportRun) -> bytes:
    with run.file.open("rb") as handle:
        return handle.read()


def _mark_skipped(rows: Q, reason: str) -> None:
    Delivery.objects.filter(rows, status__in=RETRYABLE).update(
        status=Delivery.Status.SKIPPED, skip_reason=reason, error=""
    )


def _revive(rows: Q) -> None:
    """A skipped row whose reason has gone (permission given back) is sent after all."""
    Delivery.objects.filter(rows, status=Delivery.Status.SKIPPED).update(
        status=Delivery.Status.PENDING, skip_reason=""
    )


# --- one subscription, one period -------------------------------------------------------


def _deliver_emails(subscription, kind, period) -> tuple[list[int], int]:
    """Log and send the e-mails; returns (row ids, number of failures)."""
    entries = recipient_entries(subscription)
    runs: dict[str, ReportRun] = {}
    plan = []
    for user, email, reason in entries:
        run = None
        if not reason:
            params = _run_params(subscription, kind, user)
            key = params.get("scope", "")
            if key not in runs:
                runs[key] = _ready_run(subscription, period, params)
            run = runs[key]
        plan.append((user, email, reason, run))
    base = {"subscription": subscription, "period_start": period.start}
    Delivery.objects.bulk_create(
        [
            Delivery(
                **base,
                run=run,
                recipient=user,
                email=email,
                status=Delivery.Status.SKIPPED if reason else Delivery.Status.PENDING,
                skip_reason=reason,
            )
            for user, email, reason, run in plan
        ],
        ignore_conflicts=True,
    )
    ids, failures, files = [], 0, {}
    for user, email, reason, run in plan:
        rows = Q(**base, email=email) if email else Q(**base, email="", recipient=user)
        if reason:
            _mark_skipped(rows, reason)
        else:
            _revive(rows)
        delivery = Delivery.objects.filter(rows).first()
        ids.append(delivery.pk)
        if reason:
            continue
        if run.pk not in files:
            files[run.pk] = _read(run)
        if not _send(delivery, subscription, run, files[run.pk]):
            failures += 1
    return ids, failures


def _owner_reason(subscription, kind) -> str:
    if subscription.owner is None or not subscription.owner.is_active:
        return Reason.OWNER_GONE
    if not kind.visible_to(subscription.owner):
        return Reason.OWNER_GONE
    return ""


def _deliver_cards(subscription, kind, period) -> tuple[list[int], int]:
    """Log and post one card per chat channel. A card is read by a whole group, so it
    shows what the subscription's owner may see, and nothing when they may no longer."""
    channels = list(subscription.channels.all())
    if not channels:
        return [], 0
    owner_reason = _owner_reason(subscription, kind)
    run = None
    if not owner_reason:
        run = _ready_run(subscription, period, _run_params(subscription, kind, subscription.owner))
    base = {"subscription": subscription, "period_start": period.start}

    def reason_for(channel) -> str:
        return owner_reason or ("" if channel.is_active else Reason.CHANNEL_INACTIVE)

    Delivery.objects.bulk_create(
        [
            Delivery(
                **base,
                run=run,
                channel=channel,
                channel_name=channel.name,
                status=Delivery.Status.SKIPPED if reason_for(channel) else Delivery.Status.PENDING,
                skip_reason=reason_for(channel),
            )
            for channel in channels
        ],
        ignore_conflicts=True,
    )
    ids, failures = [], 0
    for channel in channels:
        rows = Q(**base, channel=channel)
        reason = reason_for(channel)
        if reason:
            _mark_skipped(rows, reason)
        else:
            _revive(rows)
        delivery = Delivery.objects.select_related("channel").filter(rows).first()
        ids.append(delivery.pk)
        if not reason and not _send(delivery, subscription, run, b""):
            failures += 1
    return ids, failures


def subscription_deliver(*, subscription_id: int, today: dt.date | None = None) -> list[Delivery]:
    """Send the current period's report of a subscription to each recipient and chat
    channel, once.

    The runs are made (or reused) and rendered here, inside the delivery task: one per
    period and language, and for a scoped kind one per visibility scope among the
    recipients. Running this twice sends nothing twice; failed sends are tried again on
    the next call. Raises ``DeliveryIncomplete`` when the report, some e-mails or some
    cards are not out yet.
    """
    subscription = (
        Subscription.objects.select_related("owner")
        .filter(pk=subscription_id, is_active=True)
        .first()
    )
    if subscription is None:
        return []
    kind = registry.report_kinds.get(subscription.kind)
    if kind is None:
        raise ValidationError({"kind": _("Unknown report.")})
    period = periods.period_containing(subscription.frequency, today or timezone.localdate())
    deliveries_mark_unknown()
    ids, failures = [], 0
    if subscription.send_email:
        email_ids, email_failures = _deliver_emails(subscription, kind, period)
        ids += email_ids
        failures += email_failures
    card_ids, card_failures = _deliver_cards(subscription, kind, period)
    ids += card_ids
    failures += card_failures
    if failures:
        raise DeliveryIncomplete(
            ngettext(
                "%(count)d message could not be sent.",
                "%(count)d messages could not be sent.",
                failures,
            )
            % {"count": failures}
        )
    return list(Delivery.objects.filter(pk__in=ids))


def subscription_deliver_now(*, subscription: Subscription) -> None:
    """Queue a delivery of the current period now, e.g. to test a setup.

    Nothing is saved before the task runs, so when the broker is down nothing is left
    behind: ``QueueUnavailable`` is raised and the user tries again later.
    """
    from pmo.reports.tasks import deliver_subscription

    queue.send(deliver_subscription, subscription.pk)


# --- one row, from the delivery log -------------------------------------------------------


def delivery_retry(*, delivery: Delivery, actor=None) -> Delivery:
    """Queue a failed e-mail or card (or one of unknown outcome) to be sent again.

    The row is left as it is until the task runs, so when the broker is down
    ``QueueUnavailable`` is raised and the row can be retried later.
    """
    from pmo.reports.tasks import send_delivery

    if not delivery.can_retry:
        raise ValidationError(_("Only a failed delivery of an existing subscription is retried."))
    queue.send(send_delivery, delivery.pk)
    log.info("Delivery %s queued again by %s", delivery.pk, getattr(actor, "pk", None))
    return delivery


def delivery_send(*, delivery_id: int) -> Delivery:
    """Send one waiting or failed row of the log again, checking the reader first.

    The report is the one of the row's period; for a scoped kind it is rendered in the
    reader's scope as it is now. Raises ``DeliveryIncomplete`` when it fails again.
    """
    delivery = (
        Delivery.objects.select_related(
            "subscription", "subscription__owner", "run", "channel", "recipient"
        )
        .filter(pk=delivery_id, status__in=RESENDABLE, subscription__isnull=False)
        .first()
    )
    if delivery is None:
        return Delivery.objects.get(pk=delivery_id)
    subscription = delivery.subscription
    kind = registry.report_kinds.get(subscription.kind)
    rows = Q(pk=delivery.pk)
    reader = subscription.owner if delivery.channel_name else delivery.recipient
    if delivery.channel_name:
        reason = _owner_reason(subscription, kind) if kind else Reason.OWNER_GONE
        if not reason and (delivery.channel is None or not delivery.channel.is_active):
            reason = Reason.CHANNEL_INACTIVE
    else:
        reason = _skip_reason(kind, delivery.recipient)
    if reason:
        _mark_skipped(rows, reason)
        delivery.refresh_from_db()
        return delivery
    old = delivery.run
    period = (
        periods.Period(subscription.frequency, old.period_start, old.period_end, old.period_label)
        if old
        else periods.period_containing(subscription.frequency, delivery.period_start)
    )
    run = _ready_run(subscription, period, _run_params(subscription, kind, reader))
    pdf = b"" if delivery.channel_name else _read(run)
    if not _send(delivery, subscription, run, pdf, RESENDABLE):
        delivery.refresh_from_db()
        raise DeliveryIncomplete(delivery.error)
    delivery.refresh_from_db()
    return delivery
