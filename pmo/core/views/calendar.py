"""The user's calendar: the page with the feed address and the coming events, and the
iCalendar feed itself, fetched by calendar programs with the secret in its address."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pmo.core import calendar
from pmo.core.models import UserPreference


@login_required
def calendar_page(request):
    today = timezone.localdate()
    events = calendar.events_for(
        request.user, today, today + dt.timedelta(days=calendar.UPCOMING_DAYS)
    )
    days: dict[dt.date, list] = {}
    for event in events:
        all_day = calendar.is_all_day(event)
        days.setdefault(calendar.event_day(event), []).append(
            {
                "event": event,
                "all_day": all_day,
                "time": None if all_day else timezone.localtime(event.start),
            }
        )
    context = {
        "feed_url": calendar.feed_url(request.user),
        "days": sorted(days.items()),
        "upcoming_days": calendar.UPCOMING_DAYS,
        "days_back": calendar.DAYS_BACK,
        "days_ahead": calendar.DAYS_AHEAD,
    }
    return TemplateResponse(request, "core/calendar.html", context)


@require_GET
@never_cache
def calendar_feed(request, user_id: int, token: str):
    """The .ics feed of one user; 404 for a wrong token or an inactive user."""
    user = (
        get_user_model().objects.select_related("person").filter(pk=user_id, is_active=True).first()
    )
    if user is None or not calendar.token_matches(user, token):
        raise Http404
    language = (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
        or translation.get_language()
    )
    with translation.override(language):
        start, end = calendar.feed_window(timezone.localdate())
        events = calendar.events_for(user, start, end)
        name = _("PMO calendar of %(name)s") % {"name": _display_name(user)}
        body = calendar.render_calendar(events, name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pmo.ics"'
    return response


def _display_name(user) -> str:
    person = getattr(user, "person", None)
    return person.label if person is not None else user.get_username()
