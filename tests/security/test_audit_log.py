"""The security audit log: append-only in the application and in PostgreSQL, retained for
the configured days, purged only by the monthly task, recording role and account changes
with who made them, and read by the auditor with filters and a logged CSV export."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from pmo.core import audit, roles
from pmo.core.models import AuditRecordImmutable, SecurityEvent
from pmo.core.services import security_event_record
from tests.core.conftest import auditor_user, secadmin_user, sysadmin_user  # noqa: F401
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _event(**kwargs) -> SecurityEvent:
    return SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, username="pm", **kwargs)


def _insert_old(days: int, detail: str = "old") -> int:
    """An event dated ``days`` ago (the column is set on insert and cannot be updated)."""
    when = timezone.now() - dt.timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_securityevent (kind, username, success, detail, path, user_agent,"
            " created_at) VALUES ('login', 'pm', true, %s, '', '', %s) RETURNING id",
            [detail, when],
        )
        return cursor.fetchone()[0]


# --- immutability ---------------------------------------------------------------------


def test_an_event_cannot_be_changed_or_deleted_through_the_orm():
    event = _event()
    event.detail = "tampered"
    with pytest.raises(AuditRecordImmutable):
        event.save()
    with pytest.raises(AuditRecordImmutable):
        event.delete()
    with pytest.raises(AuditRecordImmutable):
        SecurityEvent.objects.filter(pk=event.pk).update(detail="tampered")
    with pytest.raises(AuditRecordImmutable):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get(pk=event.pk).detail == ""


def test_postgresql_refuses_update_of_any_event_by_sql():
    assert connection.vendor == "postgresql"
    event = _event()
    old = _insert_old(400)
    for pk in (event.pk, old):
        with (
            pytest.raises(DatabaseError, match="cannot be changed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE core_securityevent SET detail = 'tampered' WHERE id = %s", [pk])
    assert SecurityEvent.objects.get(pk=event.pk).detail == ""


def test_postgresql_refuses_delete_of_events_younger_than_six_months_by_sql():
    young = _event()
    recent = _insert_old(170)
    for pk in (young.pk, recent):
        with (
            pytest.raises(DatabaseError, match="cannot be deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM core_securityevent WHERE id = %s", [pk])
    assert SecurityEvent.objects.filter(pk__in=[young.pk, recent]).count() == 2
    old = _insert_old(200)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_securityevent WHERE id = %s", [old])
    assert not SecurityEvent.objects.filter(pk=old).exists()


def test_deleting_a_user_keeps_their_events_under_their_name():
    user = UserFactory(username="leaver")
    event = _event(user=user)
    user.delete()
    kept = SecurityEvent.objects.get(pk=event.pk)
    assert kept.user_id is None
    assert kept.username == "pm"


def test_the_admin_shows_the_log_read_only_even_to_a_superuser(client):
    event = _event(detail="x")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    changelist = reverse("admin:core_securityevent_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:core_securityevent_add")).status_code == 403
    change = reverse("admin:core_securityevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"detail": "tampered"}).status_code == 403
    delete = reverse("admin:core_securityevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk]})
    assert SecurityEvent.objects.get(pk=event.pk).detail == "x"


def test_an_event_records_where_and_with_which_browser():
    request = RequestFactory().get(
        "/projects/export/?token=secret", HTTP_USER_AGENT="Firefox/130", REMOTE_ADDR="10.1.2.3"
    )
    event = security_event_record(kind=SecurityEvent.Kind.EXPORT, username="pm", request=request)
    event.refresh_from_db()
    assert (event.path, event.user_agent, event.ip_address) == (
        "/projects/export/",
        "Firefox/130",
        "10.1.2.3",
    )


# --- retention ------------------------------------------------------------------------


def test_the_purge_deletes_only_events_older_than_the_retention(settings):
    settings.PMO_AUDIT_RETENTION_DAYS = 365
    keep = [_event().pk, _insert_old(364)]
    gone = [_insert_old(366), _insert_old(900)]
    assert audit.security_events_purge() == 2
    assert set(SecurityEvent.objects.values_list("pk", flat=True)) == set(keep)
    assert not SecurityEvent.objects.filter(pk__in=gone).exists()


def test_the_purge_never_goes_below_six_months(settings):
    settings.PMO_AUDIT_RETENTION_DAYS = 30
    kept = _insert_old(100)
    assert audit.security_events_purge() == 0
    assert SecurityEvent.objects.filter(pk=kept).exists()


def test_a_retention_under_six_months_is_a_system_check_error(settings):
    settings.PMO_AUDIT_RETENTION_DAYS = 182
    errors = audit.check_audit_retention()
    assert [e.id for e in errors] == ["pmo.E101"]
    settings.PMO_AUDIT_RETENTION_DAYS = 183
    assert audit.check_audit_retention() == []


def test_the_purge_runs_monthly_from_celery_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="pmo.core.tasks.security_events_purge")
    assert task.enabled
    assert (task.crontab.day_of_month, task.crontab.hour) == ("1", "3")


def test_the_purge_task_calls_the_service(settings):
    from pmo.core.tasks import security_events_purge

    settings.PMO_AUDIT_RETENTION_DAYS = 200
    _insert_old(300)
    assert security_events_purge.delay().get() == 1


# --- role and account changes -----------------------------------------------------------


def test_a_role_change_through_the_service_names_who_did_it(sysadmin_user):  # noqa: F811
    target = UserFactory(username="li", groups=[roles.MEMBER])
    request = RequestFactory().post("/users/1/", REMOTE_ADDR="10.9.9.9")
    audit.user_roles_set(
        actor=sysadmin_user,
        user=target,
        roles_=[roles.MEMBER, roles.PROJECT_MANAGER],
        request=request,
    )
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGE).latest("id")
    assert event.user == sysadmin_user
    assert event.detail == "li member → member, project_manager"
    assert event.ip_address == "10.9.9.9"


def test_group_changes_from_either_side_and_from_a_shell_are_logged():
    target = UserFactory(username="wang")
    group, _created = Group.objects.get_or_create(name=roles.EXECUTIVE)
    group.user_set.add(target)
    target.groups.clear()
    details = list(
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGE)
        .order_by("id")
        .values_list("detail", "username")
    )
    assert details[-2:] == [("wang — → executive", ""), ("wang executive → —", "")]


def test_account_flags_are_logged_with_before_and_after():
    target = UserFactory(username="zhao")
    target.is_staff = True
    target.is_superuser = True
    target.save()
    target.last_login = timezone.now()
    target.save(update_fields=["last_login"])
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCOUNT_CHANGE)
    assert [e.detail for e in events] == ["zhao is_staff: False → True; is_superuser: False → True"]


def test_role_changes_in_the_django_admin_name_the_administrator(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    target = UserFactory(username="chen")
    group, _created = Group.objects.get_or_create(name=roles.REVIEWER)
    client.force_login(root)
    joined = timezone.localtime(target.date_joined)
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        {
            "username": "chen",
            "email": target.email,
            "is_active": "on",
            "groups": [group.pk],
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGE).latest("id")
    assert event.detail == "chen — → reviewer"
    assert event.user == root


# --- the auditor's page -----------------------------------------------------------------


@pytest.fixture
def auditor(client_for, auditor_user):  # noqa: F811
    client = client_for("auditor")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_auditor_filters_by_kind_user_result_ip_and_dates(auditor, english):
    security_event_record(kind="login_failed", username="ghost", success=False)
    security_event_record(kind="export", username="pm", detail="projects csv")
    _insert_old(30, detail="last month")
    url = reverse("core:security_events")

    def rows(**query):
        return [e.detail or e.username for e in auditor.get(url, query).context["page"]]

    assert rows(kind="export") == ["projects csv"]
    assert rows(user="GHOST", result="failed") == ["ghost"]
    today = timezone.localdate()
    assert "last month" not in rows(date_from=today.isoformat())
    assert rows(date_to=(today - dt.timedelta(days=20)).isoformat()) == ["last month"]
    assert rows(ip="10.0.0.1") == []
    page = auditor.get(url).content.decode()
    assert "Nobody can change or delete these records" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_log_page_has_flat_query_counts(auditor, count, django_assert_max_num_queries):
    for i in range(count):
        security_event_record(kind="login", username=f"u{i}")
    # Session, user, language, groups, two counts, person (twice), the permissions that
    # the navigation asks Django's model backend (two), the page, and the session save (3).
    with django_assert_max_num_queries(14):
        response = auditor.get(reverse("core:security_events"), {"kind": "login"})
    # The rows, and the auditor's own sign-in.
    assert len(response.context["page"].object_list) == count + 1


def test_the_csv_export_holds_the_filtered_rows_and_is_logged(auditor, auditor_user):  # noqa: F811
    security_event_record(kind="login_failed", username="ghost", success=False)
    security_event_record(kind="login", username="=cmd|calc", success=True)
    response = auditor.get(reverse("core:security_events_export"), {"result": "failed"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "ghost" in text and "calc" not in text
    assert text.splitlines()[0].startswith("Time,Kind,User")
    export = SecurityEvent.objects.filter(kind="export").latest("id")
    assert export.user == auditor_user
    assert export.detail.startswith("security events csv 1 rows")
    everything = auditor.get(reverse("core:security_events_export")).content.decode("utf-8-sig")
    assert "'=cmd|calc" in everything


def test_the_system_administrator_cannot_read_the_log(client_for, sysadmin_user):  # noqa: F811
    client = client_for("sysadmin")
    assert client.get(reverse("core:security_events")).status_code == 403
    assert client.get(reverse("core:security_events_export")).status_code == 403


def test_seed_demo_adds_duty_logins_and_a_spread_of_events():
    from pmo.core.demo.apply import DemoData

    demo = DemoData(
        today=timezone.localdate(),
        users={},
        people={},
        units={},
        roles={},
        project_types={},
        projects={},
    )
    audit.seed_demo(demo)
    audit.seed_demo(demo)  # idempotent
    names = set(
        Group.objects.filter(name__in=roles.ADMIN_DUTY_ROLES).values_list(
            "user__username", flat=True
        )
    )
    assert names == {"sysadmin", "secadmin", "auditor"}
    times = SecurityEvent.objects.filter(user_agent__startswith="Mozilla").values_list(
        "created_at", flat=True
    )
    assert len(times) == 80
    assert max(times) - min(times) > dt.timedelta(days=7)
