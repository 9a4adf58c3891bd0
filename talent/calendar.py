"""Talent's dates in a user's calendar: the training sessions the user is enrolled in
(registered in ``talent.wiring``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.registry import CalendarEvent
from talent.models import TrainingSession


def events(user, start, end):
    """Sessions the user attends that overlap ``start``–``end`` (one query)."""
    pid = roles.person_id_of(user)
    if pid is None:
        return
    sessions = (
        TrainingSession.objects.filter(
            enrolments__person_id=pid, starts_on__lte=end, ends_on__gte=start
        )
        .exclude(status=TrainingSession.Status.CANCELLED)
        .select_related("course")
        .distinct()
        .order_by("starts_on", "pk")
    )
    for s in sessions:
        yield CalendarEvent(
            uid=f"training-{s.pk}@talent",
            title=_("Training: %(course)s") % {"course": s.course.label},
            start=s.starts_on,
            end=s.ends_on,
            url=s.get_absolute_url(),
            description="\n".join(filter(None, [s.location, s.trainer])),
            category=_("Training"),
        )
