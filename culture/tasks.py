"""Thin Celery tasks of the culture area."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(time_limit=300)
def survey_invitations() -> int:
    """Invite the audience of every survey round that opened today or earlier and was
    not announced yet; safe to run twice (each round is claimed once)."""
    from culture.services import survey_rounds_due

    return survey_rounds_due(today=timezone.localdate())
