"""Demo delivery log: the last two periods of every demo subscription, as if beat had
sent them, so that ``make run`` shows the log with sent, skipped, failed and "outcome unknown" lines.

Rows are bulk inserted and keyed by the log's own once-per-period constraints, so the
seeder is idempotent and fast; no report is rendered (the archive fills when beat runs).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pmo.core.registry import registry
from pmo.reports import periods
from pmo.reports.models import Delivery, Subscription
from pmo.reports.services import recipient_entries
from pmo.reports.services.deliveries import unknown_outcome_note

SMTP_ERROR = "SMTPServerDisconnected: Connection unexpectedly closed"


def _previous_periods(frequency: str, today: dt.date, count: int) -> list[periods.Period]:
    found = []
    current = periods.period_containing(frequency, today)
    day = current.start - dt.timedelta(days=1)
    while len(found) < count:
        period = periods.period_containing(frequency, day)
        found.append(period)
        day = period.start - dt.timedelta(days=1)
    return found


def _sent_at(subscription: Subscription, period: periods.Period) -> dt.datetime:
    day = period.end + dt.timedelta(days=1)
    moment = dt.datetime.combine(day, dt.time(subscription.hour, 0, 12))
    return timezone.make_aware(moment)


def seed(demo) -> None:
    """Add the delivery lines of the two periods before today for each subscription."""
    rows = []
    rng = demo.rng("reports.delivery_log")
    subscriptions = list(
        Subscription.objects.filter(kind__in=list(registry.report_kinds)).order_by("pk")
    )
    for index, subscription in enumerate(subscriptions):
        entries = recipient_entries(subscription) if subscription.send_email else []
        for number, period in enumerate(_previous_periods(subscription.frequency, demo.today, 2)):
            sent_at = _sent_at(subscription, period)
            for position, (user, email, reason) in enumerate(entries):
                # One address of the first subscription bounced last period (SMTP retries
                # exhausted), so the log shows a line the PMO can send again.
                failed = index == 0 and number == 0 and position == 0
                # And a worker died while sending one e-mail the period before: the log
                # says its outcome is unknown rather than sending it twice.
                unknown = index == 0 and number == 1 and position == 0 and not reason
                status = Delivery.Status.SKIPPED if reason else Delivery.Status.SENT
                if failed:
                    status = Delivery.Status.FAILED
                elif unknown:
                    status = Delivery.Status.UNKNOWN
                rows.append(
                    Delivery(
                        subscription=subscription,
                        period_start=period.start,
                        recipient=user,
                        email=email,
                        status=status,
                        skip_reason=reason,
                        error=SMTP_ERROR if failed else (unknown_outcome_note() if unknown else ""),
                        attempts=7 if failed else (0 if reason else 1 + (rng.random() < 0.1)),
                        last_attempt_at=None if reason else sent_at,
                        sent_at=sent_at if status == Delivery.Status.SENT else None,
                    )
                )
    before = Delivery.objects.count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    demo.created["report deliveries"] += Delivery.objects.count() - before


def register() -> None:
    """Seed after the demo subscriptions (order 950)."""
    from pmo.core.registry import DemoSeeder

    registry.add_demo_seeder(
        DemoSeeder(key="report_delivery_log", seed="pmo.reports.demo_log.seed", order=955)
    )
