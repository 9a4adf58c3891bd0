"""Password profiles: ASVS (long, no composition, no rotation) and 等保 level 3
(complexity, no reuse of the last five, rotation forced after the maximum age)."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from pmo.core.auth.passwords import character_classes, password_expired, validators_for
from pmo.core.models import PasswordHistory, SecurityEvent
from tests.core.factories import UserFactory

DJBH = override_settings(
    PMO_PASSWORD_PROFILE="djbh",
    PMO_PASSWORD_MAX_AGE_DAYS=90,
    AUTH_PASSWORD_VALIDATORS=validators_for("djbh", min_length=8, history=5),
)


def _codes(password, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abc", 1), ("abcD", 2), ("abcD1", 3), ("abcD1!", 4), ("密码Ab1", 4), ("", 0)],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


@pytest.mark.django_db
def test_asvs_wants_length_not_composition():
    assert _codes("all lower case words") == set()
    assert "password_too_short" in _codes("Sh0rt!pass")
    assert "password_too_long" in _codes("x" * 129 + "Q1!")
    assert _codes("y" * 100 + "zq") == set()
    assert "password_too_common" in _codes("password1234")


@pytest.mark.django_db
@DJBH
def test_djbh_wants_three_of_four_character_classes():
    assert "password_too_simple" in _codes("alllowercase")
    assert "password_too_simple" in _codes("lowerUPPER")
    assert _codes("lowerUPPER7") == set()
    assert _codes("lower-7-more") == set()


@pytest.mark.django_db
@DJBH
def test_djbh_refuses_the_last_five_passwords_but_not_the_sixth():
    user = UserFactory(username="alice")  # first password: Secret-pass-123
    for n in range(1, 6):
        user.set_password(f"Rotated-{n}-pw")
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert "password_reused" in _codes("Rotated-5-pw", user)
    assert "password_reused" in _codes("Rotated-1-pw", user)
    assert "password_reused" not in _codes("Secret-pass-123", user)


@pytest.mark.django_db
@DJBH
def test_djbh_expired_password_forces_the_change_page_until_changed(english):
    user = UserFactory(username="alice")
    PasswordHistory.objects.filter(user=user).update(
        created_at=timezone.now() - dt.timedelta(days=91)
    )
    assert password_expired(user)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": "alice", "password": "Secret-pass-123"})
    assert response.url == "/accounts/password/"
    assert SecurityEvent.objects.filter(kind="password_expired", user=user).exists()
    assert client.get("/").url == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200
    page = client.get("/accounts/password/").content.decode()
    assert "Your password has expired" in page
    assert "at least 3 of: lower-case letters" in page
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "Secret-pass-123",
            "new_password1": "Brand-new-7-pw",
            "new_password2": "Brand-new-7-pw",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code in (200, 302)
    assert client.get("/").get("Location", "") != "/accounts/password/"
    assert not password_expired(user)


@pytest.mark.django_db
def test_asvs_never_forces_rotation():
    user = UserFactory(username="alice")
    PasswordHistory.objects.filter(user=user).update(
        created_at=timezone.now() - dt.timedelta(days=900)
    )
    assert not password_expired(user)


@pytest.mark.django_db
def test_the_change_form_shows_the_active_rules_in_both_languages():
    user = UserFactory(username="alice")
    client = Client()
    client.force_login(user)
    english = client.get("/accounts/password/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "at least 12 characters" in english
    assert "at most 128 characters" in english
    chinese = client.get("/accounts/password/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "12 个字符" in chinese and "128" in chinese


@pytest.mark.django_db
def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one():
    user = UserFactory(username="alice")
    here, there = Client(), Client()
    here.force_login(user)
    there.force_login(user)
    response = here.post(
        "/accounts/password/",
        {
            "old_password": "Secret-pass-123",
            "new_password1": "a long new passphrase",
            "new_password2": "a long new passphrase",
        },
    )
    assert response.status_code == 302
    assert here.get("/account/").status_code == 200
    assert there.get("/account/").status_code == 302
    assert list(user.pmo_sessions.values_list("session_key", flat=True)) == [
        here.session.session_key
    ]
