"""Separation of the system, security and audit administrator duties (等保 level 3), and
the security administrator's pages: lockouts, second factors, sessions, the profile."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmo.core import audit, roles
from pmo.core.models import SecurityEvent, UserSession
from tests.core.conftest import auditor_user, secadmin_user, sysadmin_user  # noqa: F401
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def sysadmin(client_for, sysadmin_user):  # noqa: F811
    return _english(client_for("sysadmin"))


@pytest.fixture
def secadmin(client_for, secadmin_user):  # noqa: F811
    return _english(client_for("secadmin"))


# --- separation enforced by the services ------------------------------------------------


def test_nobody_changes_their_own_roles_or_deactivates_themselves(sysadmin_user, english):  # noqa: F811
    with pytest.raises(ValidationError, match="your own roles"):
        audit.user_roles_set(actor=sysadmin_user, user=sysadmin_user, roles_=[roles.PMO_ADMIN])
    with pytest.raises(ValidationError, match="yourself"):
        audit.user_active_set(actor=sysadmin_user, user=sysadmin_user, active=False)
    sysadmin_user.refresh_from_db()
    assert sysadmin_user.is_active
    assert set(sysadmin_user.groups.values_list("name", flat=True)) == {roles.SYS_ADMIN}


@pytest.mark.parametrize(
    "combination",
    [
        (roles.SYS_ADMIN, roles.SECURITY_ADMIN),
        (roles.SECURITY_ADMIN, roles.AUDITOR),
        (roles.SYS_ADMIN, roles.AUDITOR),
    ],
)
def test_one_person_holds_at_most_one_duty(sysadmin_user, combination, english):  # noqa: F811
    target = UserFactory(username="target")
    with pytest.raises(ValidationError, match="more than one"):
        audit.user_roles_set(actor=sysadmin_user, user=target, roles_=combination)
    assert not target.groups.exists()


@pytest.mark.parametrize("other", [roles.PMO_ADMIN, roles.MEMBER, roles.EXECUTIVE])
def test_the_auditor_holds_no_other_role(sysadmin_user, other, english):  # noqa: F811
    target = UserFactory(username="target")
    with pytest.raises(ValidationError, match="auditor cannot hold any other role"):
        audit.user_roles_set(actor=sysadmin_user, user=target, roles_=[roles.AUDITOR, other])


def test_a_duty_may_go_with_business_roles(sysadmin_user):  # noqa: F811
    target = UserFactory(username="target")
    audit.user_roles_set(
        actor=sysadmin_user, user=target, roles_=[roles.SECURITY_ADMIN, roles.PMO_STAFF]
    )
    assert target.groups.count() == 2


def test_the_separation_can_be_switched_off(settings, sysadmin_user):  # noqa: F811
    settings.PMO_SEPARATE_ADMIN_DUTIES = False
    target = UserFactory(username="target")
    audit.user_roles_set(
        actor=sysadmin_user, user=target, roles_=[roles.SECURITY_ADMIN, roles.AUDITOR]
    )
    assert target.groups.count() == 2


def test_a_system_administrator_cannot_touch_a_superuser(sysadmin_user, english):  # noqa: F811
    root = UserFactory(username="root", is_superuser=True)
    with pytest.raises(ValidationError, match="superuser"):
        audit.user_active_set(actor=sysadmin_user, user=root, active=False)
    with pytest.raises(ValidationError, match="superuser"):
        audit.user_roles_set(actor=sysadmin_user, user=root, roles_=[])


def test_the_user_page_shows_the_refusal(sysadmin, sysadmin_user, english):  # noqa: F811
    target = UserFactory(username="target")
    response = sysadmin.post(
        reverse("core:user_detail", args=[target.pk]),
        {"roles": [roles.AUDITOR, roles.SYS_ADMIN]},
    )
    assert response.status_code == 422
    assert "more than one of the system, security and audit" in response.content.decode()
    own = sysadmin.post(reverse("core:user_active", args=[sysadmin_user.pk]), {"active": "0"})
    assert own.status_code == 302
    sysadmin_user.refresh_from_db()
    assert sysadmin_user.is_active


def test_each_duty_sees_only_its_own_pages(client_for, sysadmin_user, secadmin_user, auditor_user):  # noqa: F811
    pages = {
        "sysadmin": reverse("core:user_list"),
        "secadmin": reverse("core:lockout_list"),
        "auditor": reverse("core:security_events"),
    }
    for role in pages:
        client = client_for(role)
        for owner, url in pages.items():
            assert client.get(url).status_code == (200 if owner == role else 403), (role, url)


def test_the_navigation_shows_each_duty_its_entry(client_for, secadmin_user, english):  # noqa: F811
    body = _english(client_for("secadmin")).get(reverse("core:my_work")).content.decode()
    assert reverse("core:lockout_list") in body
    assert reverse("core:user_list") not in body
    assert reverse("core:security_events") not in body


# --- the security administrator's pages -------------------------------------------------


def test_a_lockout_is_listed_and_lifted(secadmin, secadmin_user, english):  # noqa: F811
    attempt = AccessAttempt.objects.create(
        username="pm", ip_address="10.0.0.7", user_agent="ua", failures_since_start=99
    )
    AccessAttempt.objects.create(username="ok", ip_address="10.0.0.8", failures_since_start=1)
    page = secadmin.get(reverse("core:lockout_list"))
    assert [a.username for a in page.context["page"]] == ["pm"]
    response = secadmin.post(reverse("core:lockout_lift", args=[attempt.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.UNLOCK)
    assert event.user == secadmin_user
    assert event.detail.startswith("pm 10.0.0.7")


def test_a_second_factor_is_reset(secadmin, secadmin_user, english):  # noqa: F811
    user = UserFactory(username="lost-phone")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page = secadmin.get(reverse("core:second_factor_list")).content.decode()
    assert "lost-phone" in page
    secadmin.post(reverse("core:second_factor_reset", args=[user.pk]))
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SECOND_FACTOR)
    assert (event.user, event.detail) == (secadmin_user, "lost-phone reset (1)")


def test_one_session_is_ended_and_the_others_stay(secadmin):
    user = UserFactory(username="two-browsers")
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    rows = list(UserSession.objects.filter(user=user).order_by("id"))
    assert len(rows) == 2
    listed = secadmin.get(reverse("core:session_list"), {"q": "two-b"}).context["page"]
    assert {s.pk for s in listed} == {r.pk for r in rows}
    secadmin.post(reverse("core:session_end", args=[rows[0].pk]))
    assert list(UserSession.objects.filter(user=user)) == [rows[1]]
    assert first.get(reverse("core:my_work")).status_code == 302
    assert second.get(reverse("core:my_work")).status_code == 200
    assert SecurityEvent.objects.filter(kind="session_end", detail__contains="secadmin").exists()


def test_the_profile_page_shows_the_settings_in_force(secadmin, settings, english):
    settings.PMO_AUDIT_RETENTION_DAYS = 400
    body = secadmin.get(reverse("core:security_profile")).content.decode()
    assert "400 days" in body
    assert "Administrator duties separated" in body


@pytest.mark.parametrize("count", [3, 30])
def test_the_session_list_has_flat_query_counts(secadmin, count, django_assert_max_num_queries):
    for i in range(count):
        UserSession.objects.create(
            user=UserFactory(username=f"s{i}"), session_key=f"key-{i:02}".ljust(32, "x")
        )
    # The page shell (12 with the session save), the count, and the page of sessions
    # with their users in one query: the same at 3 and 30 sessions.
    with django_assert_max_num_queries(14):
        response = secadmin.get(reverse("core:session_list"))
    assert len(response.context["page"].object_list) >= count
