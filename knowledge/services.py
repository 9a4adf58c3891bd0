"""Every write to lessons learned goes through these functions.

Duty apps (delivery at closeout, for one) call them instead of writing rows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import Lesson
from pmo.core import roles

LESSON_FIELDS = (
    "title",
    "description",
    "recommendation",
    "phase",
    "knowledge_area",
    "polarity",
    "root_cause",
    "impact",
    "applicability",
    "confidentiality",
    "project_type",
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(LESSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown lesson fields: {sorted(unknown)}")


def _set_history_user(obj, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor


@transaction.atomic
def lesson_create(*, actor, project=None, source: str = Lesson.Source.ANYTIME, **fields) -> Lesson:
    """Capture a lesson (of a project, or a general one); it waits for the PMO's curation.

    The project type defaults to the project's, so the library can filter on it.
    """
    _check_fields(fields)
    lesson = Lesson(project=project, source=source, **fields)
    if lesson.project_type_id is None and project is not None:
        lesson.project_type_id = project.project_type_id
    if getattr(actor, "is_authenticated", False):
        lesson.created_by = actor
    lesson.full_clean()
    _set_history_user(lesson, actor)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, actor, **fields) -> Lesson:
    """Correct a lesson; a curated lesson goes back to curation when its author changes it."""
    _check_fields(fields)
    for key, value in fields.items():
        setattr(lesson, key, value)
    if lesson.status != Lesson.Status.SUBMITTED and not roles.is_pmo(actor):
        lesson.status = Lesson.Status.SUBMITTED
        lesson.curated_by, lesson.curated_at = None, None
    lesson.full_clean()
    _set_history_user(lesson, actor)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_curate(*, lesson: Lesson, actor, approve: bool) -> Lesson:
    """The PMO accepts a lesson into the library (or not)."""
    if not roles.is_pmo(actor):
        raise PermissionDenied(_("Only the PMO curates lessons learned."))
    lesson.status = Lesson.Status.APPROVED if approve else Lesson.Status.REJECTED
    lesson.curated_by, lesson.curated_at = actor, timezone.now()
    lesson.full_clean()
    _set_history_user(lesson, actor)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson, actor) -> None:
    """Withdraw a lesson that has not been accepted into the library yet."""
    if lesson.status == Lesson.Status.APPROVED and not roles.is_pmo(actor):
        raise ValidationError(_("An approved lesson is part of the library; ask the PMO."))
    _set_history_user(lesson, actor)
    lesson.delete()
