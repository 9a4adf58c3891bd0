"""Celery tasks of the talent area: thin wrappers around a service (scheduled by beat)."""

from __future__ import annotations

from celery import shared_task

from talent.services.people import certificate_reminders_send


@shared_task(name="talent.tasks.send_certificate_reminders", soft_time_limit=300, time_limit=360)
def send_certificate_reminders() -> int:
    """Remind holders of certificates that expire soon (daily); safe to run twice."""
    return certificate_reminders_send()
