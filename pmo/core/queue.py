"""Sending background work to Celery, and what happens when the broker is down.

Every task started from a request goes through this module, so that an outage of the
broker (Redis) never turns a user's action into a server error or half-done work:

* ``enqueue(task, *args)`` sends after the transaction commits. The action's own rows
  are saved first in a waiting state (a report run "pending", a chat post "pending", a
  notification not yet e-mailed); when the broker does not answer within a couple of
  seconds the request goes on, the user is told the work waits, and the beat sweepers
  (``pmo.core.tasks.queue_sweep``, ``pmo.reports.tasks.sweep_waiting``) send it again
  once the broker is back. The claims in the tasks make a second send harmless.
* ``send(task, *args)`` sends at once and raises ``QueueUnavailable``, for actions that
  save nothing beforehand ("send this subscription now", "retry this delivery"): the
  view says the action was not taken and the user tries again later.

``QueueNoticeMiddleware`` shows the waiting notice on the next page, once per request.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core import checks
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

UNREACHABLE = (BrokerError, RedisError, OSError)

WAITING = _(
    "The background service is not reachable right now. Your change is saved; the work "
    "it starts (e-mails, chat posts, reports) waits and runs when the service is back."
)
NOT_QUEUED = _(
    "The background service is not reachable right now, so nothing was started. "
    "Please try again in a few minutes."
)

_notices: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "pmo_queue_notices", default=()
)


class QueueUnavailable(Exception):
    """The broker did not take the task; nothing was queued."""


def _publish(task, args: tuple, options: dict) -> None:
    try:
        task.apply_async(
            args, retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY, **options
        )
    except UNREACHABLE as error:
        log.warning("Broker unavailable, task %s%r not queued: %s", task.name, args, error)
        raise QueueUnavailable(str(error)) from error


def send(task, *args, **options) -> None:
    """Queue ``task`` now; raises ``QueueUnavailable`` when the broker does not take it."""
    _publish(task, args, options)


def note_waiting(message=WAITING) -> None:
    """Tell the current request's user that some work waits for the broker."""
    notices = _notices.get()
    if str(message) not in notices:
        _notices.set((*notices, str(message)))


def enqueue(
    task,
    *args,
    waiting=WAITING,
    on_unavailable: Callable[[], None] | None = None,
    **options,
) -> None:
    """Queue ``task`` once the current transaction commits.

    When the broker is down the failure is logged, ``on_unavailable`` (if given) puts the
    action's rows back to a state the user understands, and ``waiting`` is shown to the
    user; the task is not retried here (a sweeper or the user does it later).
    """

    def publish() -> None:
        try:
            _publish(task, args, options)
        except QueueUnavailable:
            if on_unavailable is not None:
                on_unavailable()
            note_waiting(waiting)

    transaction.on_commit(publish)


def take_notices() -> tuple[str, ...]:
    """The notices of this request so far, cleared (a view that says it itself takes them)."""
    notices = _notices.get()
    _notices.set(())
    return notices


class QueueNoticeMiddleware:
    """Shows once, as a warning, that background work of this request waits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _notices.set(())
        try:
            response = self.get_response(request)
            for notice in take_notices():
                messages.warning(request, notice, fail_silently=True)
            return response
        finally:
            _notices.reset(token)


# --- system check ---------------------------------------------------------------------


def _longest_task_seconds(app) -> tuple[float, str]:
    """The longest time a task may run or wait for its retry, and which task it is."""
    longest, name = float(settings.CELERY_TASK_TIME_LIMIT or 0), "CELERY_TASK_TIME_LIMIT"
    for task in app.tasks.values():
        for attribute in ("time_limit", "retry_backoff_max"):
            value = getattr(task, attribute, None)
            if attribute == "retry_backoff_max" and not getattr(task, "retry_backoff", False):
                continue
            if isinstance(value, int | float) and value > longest:
                longest, name = float(value), f"{task.name}.{attribute}"
    return longest, name


@checks.register(checks.Tags.compatibility)
def check_visibility_timeout(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """With a Redis broker and late acknowledgement, a task still running (or waiting for
    its retry) when the visibility timeout expires is delivered to a second worker."""
    if not str(getattr(settings, "CELERY_BROKER_URL", "")).startswith(("redis://", "rediss://")):
        return []
    from django.utils.module_loading import autodiscover_modules

    from pmo.celery import app

    autodiscover_modules("tasks")
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    timeout = options.get("visibility_timeout", 3600)
    longest, name = _longest_task_seconds(app)
    errors = []
    if timeout <= longest:
        errors.append(
            checks.Error(
                f"The broker's visibility_timeout ({timeout} s) must exceed the longest task "
                f"time limit or retry delay ({name}: {longest:g} s), or a running task is "
                "handed to a second worker.",
                hint="Raise CELERY_VISIBILITY_TIMEOUT.",
                id="pmo.E101",
            )
        )
    for setting in ("PMO_REPORT_RUN_LEASE_SECONDS", "PMO_SEND_LEASE_SECONDS"):
        if getattr(settings, setting, 0) <= settings.CELERY_TASK_TIME_LIMIT:
            errors.append(
                checks.Error(
                    f"{setting} must exceed CELERY_TASK_TIME_LIMIT, or work still in "
                    "progress is taken over by another worker.",
                    id="pmo.E102",
                )
            )
    return errors
