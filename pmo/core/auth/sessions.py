"""Signed-in sessions: the list of them, ending them, and idle and absolute timeouts."""

from __future__ import annotations

import time
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from pmo.core.models import SecurityEvent, UserSession
from pmo.core.services import security_event_record

# Session keys: when the user signed in, and when they were last seen (epoch seconds).
SIGNED_IN_AT = "pmo_signed_in_at"
SEEN_AT = "pmo_seen_at"
# The last-seen time is written at most this often, so that reading pages does not
# write the session on every request.
SEEN_RESOLUTION_SECONDS = 60


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_register(*, request, user) -> UserSession | None:
    """Remember the request's session as one of the user's signed-in sessions."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    if session.session_key is None:
        session.save()
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": request.META.get("REMOTE_ADDR") or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )
    return row


def session_rekeyed(old_key: str | None, new_key: str | None) -> None:
    """Follow a session whose key changed (a password change cycles it) in the list."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def end_sessions(
    user, *, reason: str, request=None, keep: str | Iterable[str] | None = None
) -> int:
    """End the user's signed-in sessions, except the session key(s) in ``keep``.

    Deletes the Django sessions (found through the user's ``UserSession`` rows) and
    the rows themselves, records one SESSION_END event with the reason when any
    session was ended, and returns how many were ended. Call it on logout,
    password change (keep the current session) and deactivation.
    """
    if isinstance(keep, str):
        keep = {keep}
    keep = set(keep or ())
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key__in=keep)
    keys = list(rows.values_list("session_key", flat=True))
    if not keys:
        return 0
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    security_event_record(
        kind=SecurityEvent.Kind.SESSION_END,
        user=user,
        username=user.get_username(),
        request=request,
        detail=f"{reason} ({len(keys)})",
    )
    return len(keys)


def redirect_to_login(request, message: str):
    """Send the browser to the login page with a message; htmx swaps the whole page."""
    messages.warning(request, message)
    url = reverse(settings.LOGIN_URL)
    # The header, not request.htmx: this runs before django-htmx's middleware.
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return redirect(url)


class SessionTimeoutMiddleware:
    """Ends a session idle for ``PMO_SESSION_IDLE_MINUTES`` or older than
    ``SESSION_COOKIE_AGE`` seconds since sign-in, whatever the browser keeps sending."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._check(request)
            if expired is not None:
                return self._end(request, user, expired)
        return self.get_response(request)

    def _check(self, request) -> str | None:
        session = request.session
        now = int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        seen_at = session.get(SEEN_AT)
        if signed_in_at is None or seen_at is None:
            # A session from before the timeouts: start counting now.
            session[SIGNED_IN_AT] = signed_in_at or now
            session[SEEN_AT] = now
            return None
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            return "absolute"
        if now - seen_at > settings.PMO_SESSION_IDLE_MINUTES * 60:
            return "idle"
        if now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
        return None

    def _end(self, request, user, reason: str):
        security_event_record(
            kind=SecurityEvent.Kind.SESSION_END,
            user=user,
            request=request,
            detail=f"timeout: {reason}",
        )
        # logout() removes the session's row through the user_logged_out receiver.
        request.pmo_session_timeout = reason
        logout(request)
        if reason == "idle":
            message = _("You were signed out after a period of inactivity. Please log in again.")
        else:
            message = _("Your session reached its maximum length. Please log in again.")
        return redirect_to_login(request, message)
