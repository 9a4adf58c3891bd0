"""The permission matrix: every core URL × every role, with the status each must get."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
LOGIN = 302
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404


def row(ok=(), forbidden=(), not_found=(), redirect=()):
    """Expected status per role; roles not named get 200."""
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = LOGIN
        elif role in forbidden:
            expected[role] = FORBIDDEN
        elif role in not_found:
            expected[role] = NOT_FOUND
        elif role in redirect:
            expected[role] = 302
        else:
            expected[role] = OK
    return expected


EVERYONE = row()
PMO_ONLY = row(forbidden=("executive", "pm", "other_pm", "reviewer", "member"))
PMO_EXEC = row(forbidden=("pm", "other_pm", "reviewer", "member"))
PROJECT_VIEW = row(not_found=("other_pm", "reviewer"))
PROJECT_EDIT = row(forbidden=("executive", "member"), not_found=("other_pm", "reviewer"))
PROJECT_STAGE = row(forbidden=("member",), not_found=("other_pm", "reviewer"))

# (url name, kwargs maker, method, expected) — kwargs makers get the fixtures dict.
MATRIX = [
    ("core:home", None, "get", row(redirect=ROLES)),
    ("core:dashboard", None, "get", PMO_EXEC),
    ("core:cockpit", None, "get", PMO_ONLY),
    ("core:my_work", None, "get", EVERYONE),
    # One tile of a dashboard; tests/core/test_dashboards.py checks every board and tile.
    ("core:dashboard_tile", "tile_of_board", "get", PMO_EXEC),
    ("core:project_list", None, "get", EVERYONE),
    ("core:project_create", None, "get", row(forbidden=("executive", "reviewer", "member"))),
    ("core:project_detail", "project", "get", PROJECT_VIEW),
    ("core:project_edit", "project", "get", PROJECT_EDIT),
    ("core:project_stage", "project", "get", PROJECT_STAGE),
    ("core:project_tab", "tab", "get", row(redirect=ROLES, not_found=("other_pm", "reviewer"))),
    ("core:member_add", "project", "post", PROJECT_EDIT),
    ("core:member_remove", "member", "post", PROJECT_EDIT),
    ("core:demand_add", "project", "post", PROJECT_EDIT),
    ("core:demand_delete", "demand", "post", PROJECT_EDIT),
    ("core:person_list", None, "get", EVERYONE),
    ("core:person_detail", "person", "get", EVERYONE),
    ("core:orgunit_tree", None, "get", EVERYONE),
    ("core:orgunit_detail", "unit", "get", EVERYONE),
    ("core:notifications", None, "get", EVERYONE),
    ("core:notifications_read", None, "post", row(redirect=ROLES)),
    ("core:search", None, "get", EVERYONE),
    ("core:account", None, "get", EVERYONE),
    ("core:calendar", None, "get", EVERYONE),
    ("core:language", None, "post", row(redirect=ROLES)),
    ("password_change", None, "get", EVERYONE),
    ("core:notification_preferences", None, "get", EVERYONE),
    # Chat channels and event routes are for PMO administrators only.
    ("core:channel_list", None, "get", row(forbidden=ROLES)),
    ("core:channel_create", None, "get", row(forbidden=ROLES)),
    ("core:channel_detail", "channel", "get", row(forbidden=ROLES)),
    ("core:channel_edit", "channel", "get", row(forbidden=ROLES)),
    ("core:channel_active", "channel", "post", row(forbidden=ROLES)),
    ("core:channel_test", "channel", "post", row(forbidden=ROLES)),
    ("core:event_route_edit", "event", "get", row(forbidden=ROLES)),
    # Export lists only the projects the user may see; imports are the PMO's.
    ("core:project_export", None, "get", EVERYONE),
    ("core:import_start", None, "get", PMO_ONLY),
    ("core:import_preview", "import_job", "get", PMO_ONLY),
    ("core:import_template", "import_kind", "get", PMO_ONLY),
]


@pytest.fixture
def objects(project):
    from tests.core.factories import ResourceDemandFactory

    member = project.members.get(project_role="member")
    demand = ResourceDemandFactory(project=project)
    return {
        "project": {"pk": project.pk},
        "tab": {"pk": project.pk, "key": "members"},
        "tile_of_board": {"board": "executive", "key": "kpis"},
        "member": {"pk": project.pk, "member_pk": member.pk},
        "demand": {"pk": project.pk, "demand_pk": demand.pk},
        "person": {"pk": project.manager_id},
        "unit": {"pk": project.org_unit_id},
        "channel": {"pk": _channel().pk},
        "event": {"event": "gate_waiting"},
        "import_job": {"pk": _import_job().pk},
        "import_kind": {"kind": "projects"},
    }


def _import_job():
    from pmo.core.models import ImportJob

    return ImportJob.objects.create(
        kind="projects",
        file="imports/none.csv",
        original_name="projects.csv",
        checksum="0" * 64,
        status=ImportJob.Status.INVALID,
        summary={"errors": [], "counts": {}},
    )


def _channel():
    from pmo.core.models import Channel

    return Channel.objects.create(
        name="robot", kind="wecom", webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
    )


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected, role):
    url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
    client = client_for(role)
    response = getattr(client, method)(url)
    # POSTs with an empty form re-render errors (422) where the role is allowed.
    status = response.status_code
    if method == "post" and expected[role] == OK:
        assert status in (200, 302, 422), (role, name, status)
    else:
        assert status == expected[role], (role, name, status)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_security_log_is_closed_to_pmo_administrators(client):
    """The log is the auditor's alone (等保 separation of duties), not the PMO's."""
    from pmo.core import roles
    from tests.core.factories import UserFactory

    client.force_login(UserFactory(username="admin1", groups=[roles.PMO_ADMIN]))
    assert client.get(reverse("core:security_events")).status_code == 403


# The administrator duties' pages: each is open to its one duty and closed to every
# business role and to the other two duties.
DUTY_ROLES = ("sysadmin", "secadmin", "auditor")


def duty_row(allowed: str):
    return {
        role: LOGIN if role == "anonymous" else OK if role == allowed else FORBIDDEN
        for role in ROLES + DUTY_ROLES
    }


DUTY_MATRIX = [
    ("core:user_list", None, "get", duty_row("sysadmin")),
    ("core:user_create", None, "get", duty_row("sysadmin")),
    ("core:user_detail", "account", "get", duty_row("sysadmin")),
    ("core:user_active", "account", "post", duty_row("sysadmin")),
    ("core:lockout_list", None, "get", duty_row("secadmin")),
    ("core:lockout_lift", "attempt", "post", duty_row("secadmin")),
    ("core:second_factor_list", None, "get", duty_row("secadmin")),
    ("core:second_factor_reset", "device_user", "post", duty_row("secadmin")),
    ("core:session_list", None, "get", duty_row("secadmin")),
    ("core:session_end", "session", "post", duty_row("secadmin")),
    ("core:security_profile", None, "get", duty_row("secadmin")),
    ("core:security_events", None, "get", duty_row("auditor")),
    ("core:security_events_export", None, "get", duty_row("auditor")),
]


@pytest.fixture
def duty_objects(pm_user, member_user):
    from axes.models import AccessAttempt

    from pmo.core.models import UserSession

    attempt = AccessAttempt.objects.create(
        username="pm", ip_address="10.0.0.9", user_agent="x", failures_since_start=9
    )
    session = UserSession.objects.create(user=member_user, session_key="k" * 32)
    return {
        "account": {"pk": member_user.pk},
        "attempt": {"pk": attempt.pk},
        "device_user": {"user_pk": pm_user.pk},
        "session": {"pk": session.pk},
    }


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"), DUTY_MATRIX, ids=[m[0] for m in DUTY_MATRIX]
)
@pytest.mark.parametrize("role", ROLES + DUTY_ROLES)
def test_duty_permission_matrix(client_for, duty_objects, name, kwargs_key, method, expected, role):
    url = reverse(name, kwargs=duty_objects[kwargs_key] if kwargs_key else None)
    response = getattr(client_for(role), method)(url)
    status = response.status_code
    if method == "post" and expected[role] == OK:
        assert status in (200, 302, 422), (role, name, status)
    else:
        assert status == expected[role], (role, name, status)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_every_core_url_is_in_the_matrix():
    from pmo.core import urls

    named = {f"core:{p.name}" for p in urls.urlpatterns}
    covered = {m[0] for m in MATRIX + DUTY_MATRIX}
    assert named - covered <= {
        # Fetched without a session, with the secret in its address: tests/core/test_calendar.py.
        "core:calendar_feed",
    }
