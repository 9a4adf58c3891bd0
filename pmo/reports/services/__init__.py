"""Every write of the reports app: runs and their rendering, subscriptions, deliveries.

Rendering and sending happen in Celery tasks (``pmo.reports.tasks``), which call these
functions with ids. Each step claims its work with a conditional update, so that a task
delivered twice does nothing the second time.
"""

from pmo.reports.services.deliveries import (
    DeliveryIncomplete,
    deliveries_mark_unknown,
    delivery_retry,
    delivery_send,
    recipient_entries,
    run_url,
    subscription_deliver,
    subscription_deliver_now,
    subscription_recipients,
)
from pmo.reports.services.runs import (
    LANGUAGE_CODES,
    RENDER_WAITING,
    STALE_RUN_AFTER,
    params_hash,
    report_run_render,
    report_run_request,
    runs_waiting_requeue,
)
from pmo.reports.services.subscriptions import (
    DELIVER_TASK,
    subscription_delete,
    subscription_save,
)

__all__ = [
    "DELIVER_TASK",
    "LANGUAGE_CODES",
    "RENDER_WAITING",
    "STALE_RUN_AFTER",
    "DeliveryIncomplete",
    "deliveries_mark_unknown",
    "delivery_retry",
    "delivery_send",
    "params_hash",
    "recipient_entries",
    "report_run_render",
    "report_run_request",
    "run_url",
    "runs_waiting_requeue",
    "subscription_delete",
    "subscription_deliver",
    "subscription_deliver_now",
    "subscription_recipients",
    "subscription_save",
]
