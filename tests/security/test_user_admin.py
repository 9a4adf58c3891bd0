"""User administration in the browser, for the system administrator: the list with its
filters, creating a login, changing roles, activating and deactivating."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pmo.core import roles
from pmo.core.models import SecurityEvent, UserSession
from tests.core.conftest import auditor_user, secadmin_user, sysadmin_user  # noqa: F401
from tests.core.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def sysadmin(client_for, sysadmin_user):  # noqa: F811
    client = client_for("sysadmin")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _usernames(response):
    return [u.username for u in response.context["users"]]


def test_the_list_searches_and_filters_by_role_state_and_lockout(sysadmin, english):
    UserFactory(username="wang", first_name="Jianhua", groups=[roles.PROJECT_MANAGER])
    UserFactory(username="li", groups=[roles.MEMBER], is_active=False)
    UserFactory(username="zhao", groups=[roles.MEMBER])
    AccessAttempt.objects.create(username="zhao", ip_address="10.0.0.1", failures_since_start=50)
    url = reverse("core:user_list")
    assert _usernames(sysadmin.get(url, {"q": "jianhua"})) == ["wang"]
    assert _usernames(sysadmin.get(url, {"role": roles.MEMBER})) == ["li", "zhao"]
    assert _usernames(sysadmin.get(url, {"role": roles.MEMBER, "active": "no"})) == ["li"]
    response = sysadmin.get(url, {"locked": "on"})
    assert _usernames(response) == ["zhao"]
    assert "locked out" in response.content.decode()
    page = sysadmin.get(url).content.decode()
    assert "Project manager" in page and "deactivated" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_has_flat_query_counts(sysadmin, count, django_assert_max_num_queries):
    for i in range(count):
        user = UserFactory(username=f"user-{i:02}", groups=[roles.MEMBER, roles.REVIEWER])
        PersonFactory(user=user)
    # The page shell (session, user, language, groups, notifications count, person twice,
    # model-backend permissions twice, session save in three), the count, the page with
    # its persons, the page's groups and the page's lockouts.
    with django_assert_max_num_queries(16):
        response = sysadmin.get(reverse("core:user_list"))
    assert len(response.context["users"]) == count + 1


def test_the_htmx_filter_answers_the_results_partial(sysadmin):
    response = sysadmin.get(reverse("core:user_list"), {"q": "sys"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<form" not in body


def test_creating_a_user_validates_the_password_and_links_the_person(sysadmin, english):
    person = PersonFactory(name="孙悦", user=None)
    url = reverse("core:user_create")
    weak = sysadmin.post(url, {"username": "sun", "email": "sun@example.com", "password": "123"})
    assert weak.status_code == 422
    assert "too short" in weak.content.decode()
    assert not User.objects.filter(username="sun").exists()
    response = sysadmin.post(
        url,
        {
            "username": "sun",
            "email": "sun@example.com",
            "first_name": "Yue",
            "password": "Long-enough-pass-2026",
            "person": person.pk,
            "roles": [roles.PROJECT_MANAGER],
        },
    )
    user = User.objects.get(username="sun")
    assert response["Location"] == reverse("core:user_detail", args=[user.pk])
    assert user.check_password("Long-enough-pass-2026")
    assert set(user.groups.values_list("name", flat=True)) == {roles.PROJECT_MANAGER}
    person.refresh_from_db()
    assert person.user == user
    events = SecurityEvent.objects.filter(
        kind__in=["account_change", "role_change"], username="sysadmin"
    )
    assert [(e.kind, e.detail, e.username) for e in events.order_by("id")] == [
        ("account_change", "sun created", "sysadmin"),
        ("role_change", "sun — → project_manager", "sysadmin"),
    ]


def test_a_person_with_a_login_is_not_offered(sysadmin):
    taken = PersonFactory(user=UserFactory(username="taken"))
    free = PersonFactory(user=None)
    choices = sysadmin.get(reverse("core:user_create")).context["form"].fields["person"]
    assert free in choices.queryset and taken not in choices.queryset


def test_roles_are_changed_on_the_user_page(sysadmin, english):
    user = UserFactory(username="liu", groups=[roles.MEMBER])
    url = reverse("core:user_detail", args=[user.pk])
    assert "Team member" in sysadmin.get(url).content.decode()
    response = sysadmin.post(url, {"roles": [roles.REVIEWER, roles.EXECUTIVE]})
    assert response.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {roles.REVIEWER, roles.EXECUTIVE}


def test_deactivation_ends_the_users_sessions_and_blocks_them(sysadmin, english):
    user = UserFactory(username="zhou", groups=[roles.MEMBER])
    theirs = Client()
    theirs.force_login(user)
    assert UserSession.objects.filter(user=user).exists()
    assert theirs.get(reverse("core:my_work")).status_code == 200
    response = sysadmin.post(reverse("core:user_active", args=[user.pk]), {"active": "0"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert theirs.get(reverse("core:my_work")).status_code == 302
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {"account_change", "session_end"} <= kinds
    change = SecurityEvent.objects.get(kind="account_change")
    assert change.detail == "zhou is_active: True → False"
    assert change.username == "sysadmin"
    sysadmin.post(reverse("core:user_active", args=[user.pk]), {"active": "1"})
    user.refresh_from_db()
    assert user.is_active


def test_user_pages_are_the_system_administrators_only(
    client_for,
    secadmin_user,  # noqa: F811
    auditor_user,  # noqa: F811
):
    for role in ("pmo", "secadmin", "auditor"):
        assert client_for(role).get(reverse("core:user_list")).status_code == 403
