"""Signed-in sessions: listed, ended on logout, password change and deactivation,
and ended after the idle and absolute timeouts."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from pmo.core.auth.sessions import end_sessions
from pmo.core.models import SecurityEvent, UserSession
from tests.core.factories import UserFactory


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_signing_in_lists_the_session_and_end_sessions_keeps_the_current_one():
    user = UserFactory(username="alice")
    first, second, third = _signed_in(user), _signed_in(user), _signed_in(user)
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    assert keys == {c.session.session_key for c in (first, second, third)}

    ended = end_sessions(user, reason="test", keep=first.session.session_key)

    assert ended == 2
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        first.session.session_key
    ]
    assert set(Session.objects.values_list("session_key", flat=True)) == {first.session.session_key}
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSION_END)
    assert event.user == user and "test" in event.detail


@pytest.mark.django_db
def test_end_sessions_leaves_other_users_alone_and_records_nothing_when_none_ended():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    bobs = _signed_in(bob)
    assert end_sessions(alice, reason="test") == 0
    assert Session.objects.filter(session_key=bobs.session.session_key).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSION_END).exists()
