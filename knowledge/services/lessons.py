"""Every write to lessons learned goes through these functions.

Duty apps (delivery at closeout, for one) call them instead of writing rows. The
curation runs submitted → reviewed → published, or returned with a reason; the author
corrects a returned lesson, which sends it back to curation.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import Lesson
from knowledge.services.common import require_pmo, set_history_user
from pmo.core import roles
from pmo.core.services import notification_send

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
    "tags",
)

S = Lesson.Status


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(LESSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown lesson fields: {sorted(unknown)}")


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
    set_history_user(lesson, actor)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, actor, **fields) -> Lesson:
    """Correct a lesson; a curated lesson goes back to curation when its author changes it."""
    _check_fields(fields)
    for key, value in fields.items():
        setattr(lesson, key, value)
    if lesson.status != S.SUBMITTED and not roles.is_pmo(actor):
        lesson.status = S.SUBMITTED
        lesson.curated_by, lesson.curated_at = None, None
        lesson.reviewed_by, lesson.reviewed_at, lesson.published_at = None, None, None
    lesson.full_clean()
    set_history_user(lesson, actor)
    lesson.save()
    return lesson


def _notify_author(lesson: Lesson, title: str, body: str = "") -> None:
    if lesson.created_by_id:
        notification_send(
            recipients=[lesson.created_by], title=title, body=body, url=lesson.get_absolute_url()
        )


@transaction.atomic
def lesson_review(*, lesson: Lesson, actor) -> Lesson:
    """The PMO has read the lesson and checked its facets: it is ready to publish."""
    require_pmo(actor)
    if lesson.status not in (S.SUBMITTED, S.RETURNED):
        raise ValidationError(_("Only a lesson awaiting curation can be marked reviewed."))
    lesson.status = S.REVIEWED
    lesson.reviewed_by, lesson.reviewed_at = actor, timezone.now()
    lesson.return_reason = ""
    set_history_user(lesson, actor)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_publish(*, lesson: Lesson, actor) -> Lesson:
    """Publish a reviewed lesson to the library, where everyone finds and reuses it."""
    require_pmo(actor)
    if lesson.status != S.REVIEWED:
        raise ValidationError(_("A lesson is reviewed before it is published."))
    now = timezone.now()
    lesson.status = S.PUBLISHED
    lesson.curated_by, lesson.curated_at, lesson.published_at = actor, now, now
    set_history_user(lesson, actor)
    lesson.save()
    _notify_author(lesson, _("Your lesson “%(title)s” is published.") % {"title": lesson.title})
    return lesson


@transaction.atomic
def lesson_return(*, lesson: Lesson, actor, reason: str) -> Lesson:
    """Send a lesson back to its author with the reason (to complete, generalise …)."""
    require_pmo(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the lesson is returned.")})
    if lesson.status == S.RETURNED:
        raise ValidationError(_("The lesson has already been returned."))
    lesson.status = S.RETURNED
    lesson.return_reason = reason[:500]
    lesson.curated_by, lesson.curated_at, lesson.published_at = actor, timezone.now(), None
    set_history_user(lesson, actor)
    lesson.save()
    _notify_author(
        lesson, _("Your lesson “%(title)s” was returned.") % {"title": lesson.title}, reason
    )
    return lesson


@transaction.atomic
def lesson_curate(*, lesson: Lesson, actor, approve: bool, reason: str = "") -> Lesson:
    """Review and publish a lesson in one step (or return it)."""
    if not roles.is_pmo(actor):
        raise PermissionDenied(_("Only the PMO curates lessons learned."))
    if not approve:
        return lesson_return(lesson=lesson, actor=actor, reason=reason or _("Not accepted."))
    if lesson.status in (S.SUBMITTED, S.RETURNED):
        lesson_review(lesson=lesson, actor=actor)
    if lesson.status == S.REVIEWED:
        lesson_publish(lesson=lesson, actor=actor)
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson, actor) -> None:
    """Withdraw a lesson that has not been published yet."""
    if lesson.status == S.PUBLISHED and not roles.is_pmo(actor):
        raise ValidationError(_("A published lesson is part of the library; ask the PMO."))
    set_history_user(lesson, actor)
    lesson.delete()
