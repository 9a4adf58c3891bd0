"""Subscriptions: which report goes to whom and where, and the beat schedule that sends it."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from pmo.core.registry import registry
from pmo.reports import periods
from pmo.reports.models import Frequency, Subscription

DELIVER_TASK = "pmo.reports.tasks.deliver_subscription"
# Frequencies whose schedule names a day of the month (of every month, of a quarter's first).
DAY_OF_MONTH_FREQUENCIES = (Frequency.MONTHLY, Frequency.QUARTERLY)


def _validate_schedule(subscription: Subscription, channels: list) -> None:
    errors = {}
    if subscription.kind not in registry.report_kinds:
        errors["kind"] = _("Unknown report.")
    if subscription.frequency == Frequency.WEEKLY and subscription.weekday is None:
        errors["weekday"] = _("Choose the day of the week to send on.")
    if subscription.frequency in DAY_OF_MONTH_FREQUENCIES and subscription.day_of_month is None:
        errors["day_of_month"] = _("Choose the day of the month to send on.")
    if not subscription.send_email and not channels:
        errors["send_email"] = _("Send the report by e-mail, to a chat channel, or both.")
    if errors:
        raise ValidationError(errors)


def _crontab_for(subscription: Subscription) -> CrontabSchedule:
    """The beat crontab: cron counts weekdays from Sunday = 0, Python from Monday = 0;
    a quarterly report goes out on its day of January, April, July and October."""
    day_of_week, day_of_month, month_of_year = "*", "*", "*"
    if subscription.frequency == Frequency.WEEKLY:
        day_of_week = str((subscription.weekday + 1) % 7)
    elif subscription.frequency in DAY_OF_MONTH_FREQUENCIES:
        day_of_month = str(subscription.day_of_month)
    if subscription.frequency == Frequency.QUARTERLY:
        month_of_year = ",".join(str(m) for m in periods.QUARTER_FIRST_MONTHS)
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(subscription.hour),
        day_of_week=day_of_week,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        timezone=settings.TIME_ZONE,
    )
    return crontab


def _sync_periodic_task(subscription: Subscription) -> PeriodicTask:
    task = subscription.periodic_task or PeriodicTask(
        name=f"reports.subscription.{subscription.pk}"
    )
    task.task = DELIVER_TASK
    task.interval = None
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
    send_email: bool = True,
    channels=(),
    subscription: Subscription | None = None,
) -> Subscription:
    """Create or update a subscription and the beat schedule that delivers it."""
    users, channels = list(users), list(channels)
    if send_email and not users and group is None:
        raise ValidationError({"users": _("Choose at least one recipient or a group.")})
    subscription = subscription or Subscription(owner=actor)
    subscription.name, subscription.kind, subscription.language = name, kind, language
    subscription.frequency, subscription.hour = frequency, hour
    # Keep only the day field the frequency uses, so the stored schedule is unambiguous.
    subscription.weekday = weekday if frequency == Frequency.WEEKLY else None
    subscription.day_of_month = day_of_month if frequency in DAY_OF_MONTH_FREQUENCIES else None
    subscription.group, subscription.params = group, params or {}
    subscription.is_active, subscription.send_email = is_active, send_email
    _validate_schedule(subscription, channels)
    subscription.full_clean(exclude=["owner", "periodic_task"])
    if actor is not None and getattr(actor, "is_authenticated", False):
        subscription._history_user = actor
    subscription.save()
    subscription.users.set(users)
    subscription.channels.set(channels)
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
