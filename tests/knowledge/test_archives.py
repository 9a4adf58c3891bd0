"""Archives: 档号, filing check, borrowing approved by 密级, electronic access in time,
reminders, return check, and the security log of confidential records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from knowledge.models import Loan
from pmo.core import roles
from pmo.core.models import Notification, SecurityEvent
from tests.core.factories import UserFactory
from tests.knowledge.factories import due, filed_record


@pytest.fixture
def admin_user(db):
    return UserFactory(username="pmo-admin", groups=[roles.PMO_ADMIN])


def test_numbering_rule_patterns_are_checked(pmo_user):
    with pytest.raises(ValidationError):
        services.numbering_rule_set(actor=pmo_user, fonds="HC", pattern="{fonds}-{year}")
    with pytest.raises(ValidationError):
        services.numbering_rule_set(actor=pmo_user, fonds="HC", pattern="{fonds}-{oops}-{seq:04d}")
    rule = services.numbering_rule_set(
        actor=pmo_user, fonds="HC", pattern="{fonds}-{project}-{seq:03d}"
    )
    assert rule.is_active


def test_approval_follows_the_security_level(pmo_user, pm_user, member_user, admin_user, project):
    public = filed_record(
        submitter=pm_user, archivist=pmo_user, project=project, security_level="public"
    )
    loan = services.loan_request(actor=member_user, record=public, purpose="查阅", due_date=due())
    assert loan.status == "approved"  # public records need no approval
    secret = filed_record(
        submitter=pm_user, archivist=pmo_user, project=project, security_level="confidential"
    )
    loan = services.loan_request(actor=member_user, record=secret, purpose="查阅", due_date=due())
    with pytest.raises(PermissionDenied):
        services.loan_decide(loan=loan, actor=pmo_user, approve=True)  # staff, not administrator
    services.loan_decide(loan=loan, actor=admin_user, approve=True)
    assert loan.status == "approved"


def test_request_errors_are_clear(pmo_user, pm_user, member_user, project):
    record = filed_record(submitter=pm_user, archivist=pmo_user, project=project)
    with pytest.raises(ValidationError) as error:
        services.loan_request(
            actor=member_user,
            record=record,
            purpose=" ",
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"purpose", "due_date"}
    services.loan_request(actor=member_user, record=record, purpose="查阅", due_date=due())
    with pytest.raises(ValidationError):
        services.loan_request(actor=member_user, record=record, purpose="查阅", due_date=due())


def test_electronic_access_is_time_limited_and_logged_for_secret_records(
    client_for, pmo_user, pm_user, member_user, project
):
    record = filed_record(
        submitter=pm_user, archivist=pmo_user, project=project, security_level="secret"
    )
    client = client_for("member")
    file_url = reverse("knowledge:archive_file", args=[record.pk])
    assert client.get(file_url).status_code == 403
    loan = services.loan_request(actor=member_user, record=record, purpose="查阅", due_date=due())
    services.loan_decide(loan=loan, actor=pmo_user, approve=True)
    services.loan_lend(loan=loan, actor=pmo_user, days=2)
    assert client.get(file_url + "?view=1").status_code == 200
    kinds = list(
        SecurityEvent.objects.filter(detail__contains=f"archive {record.pk}").values_list(
            "kind", flat=True
        )
    )
    assert "view" in kinds
    Loan.objects.filter(pk=loan.pk).update(access_until=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(file_url).status_code == 403


def test_reminders_before_and_after_the_due_date_are_sent_once(
    pmo_user, pm_user, member_user, project
):
    record = filed_record(submitter=pm_user, archivist=pmo_user, project=project)
    loan = services.loan_request(actor=member_user, record=record, purpose="查阅", due_date=due(2))
    services.loan_decide(loan=loan, actor=pmo_user, approve=True)
    services.loan_lend(loan=loan, actor=pmo_user, days=7)
    assert services.loan_send_reminders() == {"before": 1, "overdue": 0}
    assert services.loan_send_reminders() == {"before": 0, "overdue": 0}
    later = timezone.localdate() + dt.timedelta(days=5)
    assert services.loan_send_reminders(today=later) == {"before": 0, "overdue": 1}
    assert Notification.objects.filter(recipient=member_user).count() >= 3  # approved, lent, due …


def test_return_checks_the_condition(pmo_user, pm_user, member_user, project):
    record = filed_record(submitter=pm_user, archivist=pmo_user, project=project)
    loan = services.loan_request(actor=member_user, record=record, purpose="查阅", due_date=due())
    services.loan_decide(loan=loan, actor=pmo_user, approve=True)
    services.loan_lend(loan=loan, actor=pmo_user, days=3)
    with pytest.raises(ValidationError):
        services.loan_return(loan=loan, actor=pmo_user, condition="damaged")
    services.loan_return(loan=loan, actor=pmo_user, condition="damaged", condition_note="第3页缺失")
    assert loan.status == "returned" and loan.access_until <= timezone.now()


def test_a_bad_record_form_re_renders_what_was_typed(client_for, project, english):
    response = client_for("pm").post(
        reverse("knowledge:record_create") + f"?project={project.pk}",
        {
            "title": "图纸目录",
            "responsible": "",
            "record_date": "2026-13-40",
            "project": project.pk,
        },
    )
    assert response.status_code == 422
    assert "图纸目录" in response.content.decode()


def test_views_of_a_confidential_lesson_are_logged(client_for, pmo_user, member_user, project):
    from tests.knowledge.factories import published_lesson

    lesson = published_lesson(
        author=member_user, curator=pmo_user, project=project, confidentiality="confidential"
    )
    assert (
        client_for("member").get(reverse("knowledge:lesson_detail", args=[lesson.pk])).status_code
        == 200
    )
    assert SecurityEvent.objects.filter(
        kind="view", detail__startswith=f"lesson {lesson.pk}"
    ).exists()
    assert (
        client_for("reviewer").get(reverse("knowledge:lesson_detail", args=[lesson.pk])).status_code
        == 404
    )
