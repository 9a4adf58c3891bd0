"""Login-failure lockout: after the limit a name is locked at that address, and the
answer never tells whether the user name exists."""

import html
import re

import pytest
from django.test import Client, override_settings

from pmo.core.models import SecurityEvent
from tests.core.factories import UserFactory

LIMIT = 3


def _attempt(client: Client, username: str, password: str = "wrong-password-1"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        REMOTE_ADDR="10.0.0.7",
    )


def _error(response) -> str:
    match = re.search(r'data-testid="login-error">(.*?)</div>', response.content.decode())
    return html.unescape(match.group(1)) if match else ""


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.mark.django_db
def test_a_right_password_signs_in(alice):
    response = _attempt(Client(), "alice", "Secret-pass-123")
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(kind="login", user=alice).exists()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_unknown_and_known_names_get_the_same_answers_before_and_after_lockout(alice, english):
    known, unknown = Client(), Client()
    answers = []
    for _ in range(LIMIT + 1):
        a, b = _attempt(known, "alice"), _attempt(unknown, "nobody-here")
        answers.append(((a.status_code, _error(a)), (b.status_code, _error(b))))
    for for_known, for_unknown in answers:
        assert for_known == for_unknown
    first, locked = answers[0][0], answers[-1][0]
    assert first == (200, "Your user name and password didn't match. Please try again.")
    assert locked == (200, "Too many failed attempts. Please try again later.")
    # Every refused attempt while locked is recorded, for real and unknown names alike.
    lockouts = SecurityEvent.objects.filter(kind="lockout", success=False)
    assert lockouts.filter(username="alice").count() == 2
    assert lockouts.filter(username="nobody-here").count() == 2
    assert SecurityEvent.objects.filter(kind="login_failed", username="alice").exists()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_a_locked_name_is_refused_even_with_the_right_password(alice, english):
    client = Client()
    for _ in range(LIMIT):
        _attempt(client, "alice")
    response = _attempt(client, "alice", "Secret-pass-123")
    assert response.status_code == 200
    assert _error(response) == "Too many failed attempts. Please try again later."
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_the_lockout_is_per_address_so_a_colleague_elsewhere_is_not_locked_out(alice):
    for _ in range(LIMIT):
        _attempt(Client(), "alice")
    elsewhere = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": "Secret-pass-123"},
        REMOTE_ADDR="10.0.0.8",
    )
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_count(alice, english):
    with override_settings(AXES_FAILURE_LIMIT=LIMIT):
        for n in range(LIMIT):
            Client().post(
                "/accounts/login/",
                {"username": "alice", "password": "nope-nope-nope"},
                REMOTE_ADDR="10.0.0.7",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            )
        response = _attempt(Client(), "alice", "Secret-pass-123")
    assert _error(response) == "Too many failed attempts. Please try again later."


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_a_success_before_the_limit_resets_the_count(alice):
    client = Client()
    for _ in range(LIMIT - 1):
        _attempt(client, "alice")
    assert _attempt(client, "alice", "Secret-pass-123").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(LIMIT - 1):
        _attempt(client, "alice")
    assert _attempt(client, "alice", "Secret-pass-123").status_code == 302


@pytest.mark.django_db
def test_the_test_clients_login_still_works(alice):
    client = Client()
    assert client.login(username="alice", password="Secret-pass-123")
    assert client.get("/accounts/password/").status_code == 200


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_listed_session(alice):
    client = Client()
    client.force_login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not alice.pmo_sessions.exists()
    assert SecurityEvent.objects.filter(kind="logout", user=alice).exists()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT, PMO_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_it_appended_is_counted(alice, english):
    def through_proxy(forged: str, client_address: str, password: str = "nope-nope-nope"):
        return Client().post(
            "/accounts/login/",
            {"username": "alice", "password": password},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    for n in range(LIMIT):
        through_proxy(f"192.0.2.{n}", "172.16.0.5")
    locked = through_proxy("192.0.2.99", "172.16.0.5", "Secret-pass-123")
    assert _error(locked) == "Too many failed attempts. Please try again later."
    colleague = through_proxy("192.0.2.1", "172.16.0.6", "Secret-pass-123")
    assert colleague.status_code == 302
