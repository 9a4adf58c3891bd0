"""A user's calendar: the dated things of every app, as a list and as an iCalendar feed.

Apps register a ``CalendarSource`` (see ``pmo.core.registry``) returning the events a
user may see. This module collects them for a window of dates and writes the feed as
RFC 5545 text (no library: the format needs only escaping, folding and CRLF).

The feed is fetched by calendar programs that hold no session, so its address carries
a per-user secret: :func:`feed_token` is an HMAC of the user's id, password hash and
active flag. Changing the password (or deactivating the account) changes the token,
and every address handed out before stops working; the user copies the new one from
the calendar page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from pmo.core.registry import CalendarEvent, registry

PRODID = "-//PMO//Project Management Office//ZH"
DAYS_BACK = 90
"""The feed starts this many days before today."""
DAYS_AHEAD = 365
"""…and ends this many days after today."""
UPCOMING_DAYS = 60
"""The calendar page lists the events of the next this many days."""
LINE_OCTETS = 75
DEFAULT_DURATION = dt.timedelta(hours=1)


# --- the secret address --------------------------------------------------------------


def feed_token(user) -> str:
    """The secret part of the user's feed address (changes with the password)."""
    value = f"{user.pk}:{user.password}:{user.is_active}"
    return salted_hmac("pmo.calendar-feed", value).hexdigest()[:32]


def token_matches(user, token: str) -> bool:
    return constant_time_compare(feed_token(user), token or "")


def feed_path(user) -> str:
    return reverse("core:calendar_feed", args=[user.pk, feed_token(user)])


def feed_url(user) -> str:
    """The absolute address a calendar program subscribes to."""
    return f"{settings.SITE_URL}{feed_path(user)}"


# --- collecting events ---------------------------------------------------------------


def involved_projects(user):
    """The projects ``user`` works on (manager, sponsor or member): the ones whose dates
    belong in the user's own calendar, even for the PMO, who may see every project."""
    from django.db.models import Exists, OuterRef, Q

    from pmo.core import roles
    from pmo.core.models import Project, ProjectMember

    pid = roles.person_id_of(user) if getattr(user, "is_authenticated", False) else None
    if pid is None:
        return Project.objects.none()
    membership = ProjectMember.objects.filter(project=OuterRef("pk"), person_id=pid)
    return Project.objects.filter(Q(manager_id=pid) | Q(sponsor_id=pid) | Q(Exists(membership)))


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=DAYS_BACK), today + dt.timedelta(days=DAYS_AHEAD)


def _sort_key(event: CalendarEvent):
    start = event.start
    if isinstance(start, dt.datetime):
        local = timezone.localtime(start) if timezone.is_aware(start) else start
        return (local.date(), local.time(), event.uid)
    return (start, dt.time.min, event.uid)


def events_for(user, start: dt.date, end: dt.date) -> list[CalendarEvent]:
    """Every source's events for ``user`` between ``start`` and ``end``, by start."""
    found: dict[str, CalendarEvent] = {}
    for source in registry.calendar_source_list():
        for event in source.events_for(user, start, end):
            found.setdefault(event.uid, event)
    return sorted(found.values(), key=_sort_key)


def event_day(event: CalendarEvent) -> dt.date:
    """The local day an event starts on."""
    start = event.start
    if isinstance(start, dt.datetime):
        return timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    return start


def is_all_day(event: CalendarEvent) -> bool:
    return not isinstance(event.start, dt.datetime)


# --- RFC 5545 text -------------------------------------------------------------------


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1).

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def format_date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def format_utc(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent, stamp: dt.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{format_utc(stamp)}"]
    if is_all_day(event):
        # DTEND of an all-day event is the day after its last day (exclusive).
        last = event.end or event.start
        if isinstance(last, dt.datetime):
            last = last.date()
        last = max(last, event.start)
        lines.append(f"DTSTART;VALUE=DATE:{format_date(event.start)}")
        lines.append(f"DTEND;VALUE=DATE:{format_date(last + dt.timedelta(days=1))}")
    else:
        end = event.end if isinstance(event.end, dt.datetime) else None
        lines.append(f"DTSTART:{format_utc(event.start)}")
        lines.append(f"DTEND:{format_utc(end or event.start + DEFAULT_DURATION)}")
    lines.append(f"SUMMARY:{escape_text(event.title)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{absolute(event.url)}")
    if event.category:
        lines.append(f"CATEGORIES:{escape_text(event.category)}")
    lines.append("END:VEVENT")
    return lines


def render_calendar(
    events: Iterable[CalendarEvent], *, name: str, stamp: dt.datetime | None = None
) -> str:
    """The VCALENDAR text of ``events``, folded, with CRLF line ends."""
    stamp = stamp or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)


def absolute(url: str) -> str:
    """An event's link as calendar programs need it: absolute, on the site's address."""
    if not url or "://" in url:
        return url
    return f"{settings.SITE_URL}{url}"
