"""Culture's dates in a user's calendar: the sharing sessions the user registered for or
speaks at, and every upcoming planned session, all of which are open to everyone
(registered in ``culture.wiring``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from culture.models import Attendance, SharingSession
from pmo.core import roles
from pmo.core.registry import CalendarEvent


def events(user, start, end):
    """Sessions starting between ``start`` and ``end`` (one query)."""
    pid = roles.person_id_of(user)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    mine = Q(speaker_id=pid) | Q(
        Exists(Attendance.objects.filter(session=OuterRef("pk"), person_id=pid))
    )
    upcoming = Q(status=SharingSession.Status.PLANNED, starts_at__date__gte=today)
    sessions = (
        SharingSession.objects.filter(starts_at__gte=lower, starts_at__lt=upper)
        .exclude(status=SharingSession.Status.CANCELLED)
        .filter((mine if pid else Q(pk__in=[])) | upcoming)
        .select_related("speaker")
        .order_by("starts_at", "pk")
    )
    for s in sessions:
        yield CalendarEvent(
            uid=f"session-{s.pk}@culture",
            title=_("Sharing session: %(title)s") % {"title": s.label},
            start=s.starts_at,
            end=s.starts_at + dt.timedelta(minutes=s.duration_minutes or 60),
            url=s.get_absolute_url(),
            description="\n".join(filter(None, [s.topic, s.speaker.label, s.location])),
            category=_("Sharing session"),
        )
