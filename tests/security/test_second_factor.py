"""TOTP second factor: required of administrators when switched on, asked of anyone who
enrolled, and wrong codes count like failed logins."""

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmo.core import roles
from pmo.core.models import SecurityEvent
from tests.core.factories import UserFactory

REQUIRED = override_settings(PMO_ADMIN_TOTP_REQUIRED=True)


def code(device: TOTPDevice, drift: int = 0) -> str:
    """The code an authenticator app shows now (drift 1: the next one, not yet used)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:0{device.digits}d}"


def unthrottle(user) -> None:
    """A wrong code makes the device refuse codes for a growing moment; skip the wait."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def sign_in(username: str) -> tuple[Client, object]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/accounts/login/", {"username": username, "password": "Secret-pass-123"}
    )
    return client, response


@pytest.fixture
def admin(db):
    return UserFactory(username="boss", groups=[roles.PMO_ADMIN])


@pytest.fixture
def enrolled(db):
    user = UserFactory(username="carol", groups=[roles.PROJECT_MANAGER])
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.mark.django_db
@REQUIRED
def test_an_admin_without_a_device_must_enrol_before_any_page(admin, english):
    client, response = sign_in("boss")
    assert response.url == "/accounts/second-factor/"
    assert client.get("/account/").url == "/accounts/second-factor/"
    htmx = client.get("/account/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == "/accounts/second-factor/"
    page = client.get("/accounts/second-factor/").content.decode()
    assert "<svg" in page and "<script" not in page.split("<svg")[1].split("</svg>")[0]

    wrong = client.post("/accounts/second-factor/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert SecurityEvent.objects.filter(kind="second_factor", user=admin, success=False).exists()

    unthrottle(admin)
    device = TOTPDevice.objects.get(user=admin)
    response = client.post("/accounts/second-factor/", {"code": code(device)})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    assert TOTPDevice.objects.get(user=admin).confirmed


@pytest.mark.django_db
@REQUIRED
def test_the_duty_administrators_are_held_to_the_second_factor_too(db):
    UserFactory(username="auditor", groups=[roles.AUDITOR])
    _client, response = sign_in("auditor")
    assert response.url == "/accounts/second-factor/"


@pytest.mark.django_db
def test_the_local_default_lets_an_admin_in_with_a_password(admin):
    client, response = sign_in("boss")
    assert response.url != "/accounts/second-factor/"
    assert client.get("/account/").status_code == 200


@pytest.mark.django_db
def test_anyone_enrolled_is_asked_for_a_code(enrolled, english):
    client, response = sign_in("carol")
    assert response.url == "/accounts/second-factor/verify/"
    assert client.get("/account/").url == "/accounts/second-factor/verify/"
    assert client.get("/accounts/second-factor/").url == "/accounts/second-factor/verify/"
    device = TOTPDevice.objects.get(user=enrolled)
    assert client.post("/accounts/second-factor/verify/", {"code": code(device)}).status_code == 302
    assert client.get("/account/").status_code == 200
    assert SecurityEvent.objects.filter(kind="second_factor", user=enrolled, success=True).exists()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=2)
def test_wrong_codes_lock_the_name_out_like_wrong_passwords(enrolled, english):
    client, _ = sign_in("carol")
    client.post("/accounts/second-factor/verify/", {"code": "000000"})
    response = client.post("/accounts/second-factor/verify/", {"code": "111111"})
    assert response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    _client, again = sign_in("carol")
    assert again.status_code == 200
    assert "Too many failed attempts" in again.content.decode()


@pytest.mark.django_db
def test_a_user_enrols_from_the_account_page_and_removes_with_a_code(english):
    user = UserFactory(username="dave")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    assert "Set up an authenticator app" in client.get("/account/").content.decode()
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=user)
    assert client.post("/accounts/second-factor/", {"code": code(device)}).url == "/account/"
    assert "Remove the app" in client.get("/account/").content.decode()

    client.post("/accounts/second-factor/remove/", {"code": "000000"})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    unthrottle(user)
    client.post("/accounts/second-factor/remove/", {"code": code(device, drift=1)})
    assert not TOTPDevice.objects.filter(user=user).exists()


# The sign-in URLs as every role sees them with the default settings (no second factor
# required, nobody enrolled); tests/test_url_matrix.py holds the same rows.
ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
SIGN_IN_MATRIX = [
    ("second_factor_setup", "get", (200, 200, 200, 200, 200, 200, 302)),
    # Without an enrolled app the code page sends the user to set one up.
    ("second_factor_verify", "get", (302, 302, 302, 302, 302, 302, 302)),
    # A wrong or missing code keeps the app and goes back to My settings.
    ("second_factor_remove", "post", (302, 302, 302, 302, 302, 302, 302)),
    ("sessions_end_others", "post", (302, 302, 302, 302, 302, 302, 302)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "expected"), SIGN_IN_MATRIX)
def test_sign_in_urls_answer_every_role(client_for, name, method, expected):
    from django.urls import reverse

    for role, status in zip(ROLES, expected, strict=True):
        response = getattr(client_for(role), method)(reverse(name))
        assert response.status_code == status, (role, name)
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
