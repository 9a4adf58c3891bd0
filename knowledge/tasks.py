"""Celery tasks of the knowledge area: thin wrappers that call a service (celery beat).

Safe to run twice: each loan is reminded once before and once after its due date.
"""

from __future__ import annotations

from celery import shared_task

from knowledge.services import archives


@shared_task(name="knowledge.tasks.send_loan_reminders", soft_time_limit=300, time_limit=360)
def send_loan_reminders() -> dict:
    """Remind borrowers before the due date and when a loan is overdue (daily)."""
    return archives.loan_send_reminders()


@shared_task(name="knowledge.tasks.rebuild_search_index", soft_time_limit=1800, time_limit=1900)
def rebuild_search_index() -> int:
    """Rebuild the global search index (weekly), in case rows were written in bulk."""
    from pmo.core.search import rebuild

    return rebuild()
