"""Courses, sessions, enrolment, attendance and feedback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pmo.core.models import Person
from talent.models import Course, Enrolment, TrainingSession
from talent.services.common import require_pmo, save, set_history_user


@transaction.atomic
def course_save(
    *,
    code: str,
    name: str,
    category: str,
    hours: Decimal,
    name_en: str = "",
    delivery: str = Course.Delivery.INTERNAL,
    provider: str = "",
    description: str = "",
    competencies=(),
    is_active: bool = True,
    course: Course | None = None,
    actor=None,
) -> Course:
    """Create or change a course (PMO only)."""
    require_pmo(actor)
    course = save(
        course or Course(),
        actor,
        code=code.strip(),
        name=name,
        name_en=name_en,
        category=category,
        delivery=delivery,
        provider=provider,
        hours=hours,
        description=description,
        is_active=is_active,
    )
    course.competencies.set(list(competencies))
    return course


@transaction.atomic
def session_save(
    *,
    course: Course,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    location: str = "",
    trainer: str = "",
    capacity: int = 30,
    status: str = TrainingSession.Status.PLANNED,
    session: TrainingSession | None = None,
    actor=None,
) -> TrainingSession:
    """Schedule a run of a course or change it (PMO only)."""
    require_pmo(actor)
    return save(
        session or TrainingSession(course=course),
        actor,
        course=course,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        location=location,
        trainer=trainer,
        capacity=capacity,
        status=status,
    )


@transaction.atomic
def enrolment_create(*, session: TrainingSession, person: Person, actor=None) -> Enrolment:
    """Enrol a person in a session with free places."""
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("The session is cancelled."))
    if Enrolment.objects.filter(session=session, person=person).exists():
        raise ValidationError(_("%(person)s is already enrolled.") % {"person": person.label})
    if session.enrolments.count() >= session.capacity:
        raise ValidationError(_("The session is full."))
    return save(Enrolment(session=session, person=person), actor)


@transaction.atomic
def attendance_record(
    *, session: TrainingSession, attended: dict[int, bool], actor=None
) -> TrainingSession:
    """Record who attended a session (by enrolment id); attendees get the course hours
    and the session counts as held."""
    require_pmo(actor)
    hours = session.course.hours
    for enrolment in session.enrolments.all():
        present = bool(attended.get(enrolment.pk, False))
        save(enrolment, actor, attended=present, hours=hours if present else Decimal(0))
    if session.status == TrainingSession.Status.PLANNED:
        save(session, actor, status=TrainingSession.Status.HELD)
    return session


@transaction.atomic
def feedback_record(
    *,
    enrolment: Enrolment,
    feedback_rating: int | None = None,
    feedback: str = "",
    effectiveness_rating: int | None = None,
    actor=None,
) -> Enrolment:
    """The participant's feedback and, later, the manager's effectiveness rating."""
    if not enrolment.attended:
        raise ValidationError(_("Only attendees rate a session."))
    return save(
        enrolment,
        actor,
        feedback_rating=feedback_rating
        if feedback_rating is not None
        else enrolment.feedback_rating,
        feedback=feedback or enrolment.feedback,
        effectiveness_rating=(
            effectiveness_rating
            if effectiveness_rating is not None
            else enrolment.effectiveness_rating
        ),
    )


@transaction.atomic
def enrolment_create_attended(
    *,
    person: Person,
    course: Course,
    on: dt.date,
    hours: Decimal | None = None,
    feedback_rating: int | None = None,
    actor=None,
) -> Enrolment:
    """Record attended training in one call (imports, other apps' tests): the held
    session of ``course`` on ``on`` (created when missing) and an attended enrolment."""
    session = TrainingSession.objects.filter(
        course=course, starts_on=on, status=TrainingSession.Status.HELD
    ).first()
    if session is None:
        session = save(
            TrainingSession(course=course),
            actor,
            starts_on=on,
            ends_on=on,
            status=TrainingSession.Status.HELD,
        )
    enrolment = Enrolment.objects.filter(session=session, person=person).first() or Enrolment(
        session=session, person=person
    )
    return save(
        enrolment,
        actor,
        attended=True,
        hours=course.hours if hours is None else hours,
        feedback_rating=feedback_rating,
    )


def enrolment_delete(*, enrolment: Enrolment, actor=None) -> None:
    set_history_user(enrolment, actor)
    enrolment.delete()
