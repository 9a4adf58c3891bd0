"""Signed-in sessions: listed, ended on logout, password change and deactivation,
and ended after the idle and absolute timeouts."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from pmo.core.auth.sessions import SEEN_AT, SIGNED_IN_AT, end_sessions
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


def _age(client: Client, *, signed_in_ago: int, seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[SEEN_AT] = now - seen_ago
    session.save()


@pytest.mark.django_db
def test_an_idle_session_is_ended_with_a_message(english):
    user = UserFactory(username="alice")
    client = _signed_in(user)
    _age(client, signed_in_ago=40 * 60, seen_ago=31 * 60)
    response = client.get("/account/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.url == "/accounts/login/"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "signed out after a period of inactivity" in page
    assert not UserSession.objects.filter(user=user).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSION_END)
    assert event.detail == "timeout: idle"
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGOUT).exists()


@pytest.mark.django_db
def test_a_session_older_than_the_maximum_is_ended_however_active(english):
    client = _signed_in(UserFactory(username="alice"))
    _age(client, signed_in_ago=8 * 3600 + 5, seen_ago=10)
    response = client.get("/account/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.url == "/accounts/login/"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "maximum length" in page


@pytest.mark.django_db
def test_htmx_requests_are_sent_to_the_login_page_whole():
    client = _signed_in(UserFactory(username="alice"))
    _age(client, signed_in_ago=3600, seen_ago=31 * 60)
    response = client.get("/account/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/accounts/login/"


@pytest.mark.django_db
def test_an_active_session_is_written_at_most_once_a_minute():
    client = _signed_in(UserFactory(username="alice"))
    _age(client, signed_in_ago=100, seen_ago=5)
    client.get("/account/")  # the first page remembers the user's language
    key = client.session.session_key
    before = Session.objects.get(session_key=key).session_data
    assert client.get("/account/").status_code == 200
    assert client.get("/account/").status_code == 200
    assert Session.objects.get(session_key=key).session_data == before
    _age(client, signed_in_ago=100, seen_ago=61)
    client.get("/account/")
    assert time.time() - client.session[SEEN_AT] < 5


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_sessions():
    user = UserFactory(username="alice")
    client = _signed_in(user)
    user.is_active = False
    user.save()
    assert not UserSession.objects.filter(user=user).exists()
    assert client.get("/account/").status_code == 302


@pytest.mark.django_db
def test_signing_out_everywhere_else_keeps_this_browser():
    user = UserFactory(username="alice")
    here, there = _signed_in(user), _signed_in(user)
    response = here.post("/accounts/sessions/end/")
    assert response.url == "/account/"
    assert here.get("/account/").status_code == 200
    assert there.get("/account/").status_code == 302
