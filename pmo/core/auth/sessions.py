"""Signed-in sessions: the list of them, ending them, and idle and absolute timeouts."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings

from pmo.core.models import SecurityEvent, UserSession
from pmo.core.services import security_event_record


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_register(*, request, user) -> UserSession | None:
    """Remember the request's session as one of the user's signed-in sessions."""
    session = getattr(request, "session", None)
    if session is None:
        return None
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
