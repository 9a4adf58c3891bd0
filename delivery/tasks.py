"""Celery tasks of delivery: thin wrappers that call a service (scheduled by celery beat).

Both are safe to run twice: reminders are logged per project and period, and an issue
escalated once has a new response deadline.
"""

from __future__ import annotations

from celery import shared_task

from delivery.services import issues, status


@shared_task(name="delivery.tasks.send_status_reminders", soft_time_limit=300, time_limit=360)
def send_status_reminders() -> dict:
    """Remind managers of reports due and notify them of overdue ones (daily)."""
    return dict(status.status_reminders_send())


@shared_task(name="delivery.tasks.escalate_overdue_issues", soft_time_limit=300, time_limit=360)
def escalate_overdue_issues() -> int:
    """Move issues up the ladder when a level misses its response target (hourly)."""
    return issues.issues_escalate_overdue()
