"""Celery tasks of the reports: thin wrappers that take ids and call a service.

All are safe to run twice: rendering claims the run with a conditional update, and
delivery claims one row per recipient (or chat channel) and period.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from pmo.reports import services

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    name="pmo.reports.tasks.render_report_run",
    autoretry_for=TRANSIENT,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
    acks_late=True,
)
def render_report_run(run_id: int) -> str:
    """Render one report run (a builder's failure is recorded on the run, not retried)."""
    return services.report_run_render(run_id=run_id).status


@shared_task(
    name=services.DELIVER_TASK,
    autoretry_for=(services.DeliveryIncomplete, *TRANSIENT),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=480,
    time_limit=540,
    acks_late=True,
)
def deliver_subscription(subscription_id: int) -> int:
    """Send a subscription's report for the current period to each recipient and chat
    channel once."""
    return len(services.subscription_deliver(subscription_id=subscription_id))


@shared_task(
    name="pmo.reports.tasks.send_delivery",
    autoretry_for=(services.DeliveryIncomplete, *TRANSIENT),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=300,
    time_limit=360,
    acks_late=True,
)
def send_delivery(delivery_id: int) -> str:
    """Send one failed e-mail or card of the delivery log again (the PMO's retry)."""
    return services.delivery_send(delivery_id=delivery_id).status


@shared_task(name="pmo.reports.tasks.sweep_waiting", soft_time_limit=60, time_limit=90)
def sweep_waiting() -> dict[str, int]:
    """Beat, every minute: queue the runs left waiting while the broker was down or
    abandoned by a dead worker, and mark messages a dead worker left "sending"."""
    return {
        "runs_queued": services.runs_waiting_requeue(),
        "deliveries_unknown": services.deliveries_mark_unknown(),
    }
