"""The calendar: RFC 5545 text, the secret feed address, what each role finds in it, the
calendar page, and a query count that stays flat as events grow."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import PanelAssignment
from knowledge.models import Loan
from pmo.core import calendar
from pmo.core.registry import CalendarEvent
from tests.core.factories import ProjectFactory
from tests.culture.factories import SessionFactory as SharingSessionFactory
from tests.delivery.factories import GateFactory, MilestoneFactory
from tests.evaluation.conftest import make_version
from tests.knowledge.factories import filed_record
from tests.talent.factories import SessionFactory as TrainingSessionFactory

STAMP = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


# --- the text of a feed ----------------------------------------------------------------


def test_a_small_feed_is_written_exactly(settings):
    settings.SITE_URL = "https://pmo.example.com"
    events = [
        CalendarEvent(
            uid="gate-7@delivery",
            title="Gate review: design, build; test",
            start=dt.date(2026, 3, 5),
            url="/delivery/gates/7/",
            description="Line one\nback\\slash",
            category="Gate review",
        ),
        CalendarEvent(
            uid="session-3@culture",
            title="分享会",
            start=dt.datetime(2026, 3, 6, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            end=dt.datetime(2026, 3, 6, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        ),
        CalendarEvent(
            uid="training-1@talent",
            title="Training",
            start=dt.date(2026, 3, 9),
            end=dt.date(2026, 3, 11),
        ),
    ]
    text = calendar.render_calendar(events, name="PMO, Li; Lei", stamp=STAMP)
    assert text == (
        "BEGIN:VCALENDAR\r\n"
        "PRODID:-//PMO//Project Management Office//ZH\r\n"
        "VERSION:2.0\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "X-WR-CALNAME:PMO\\, Li\\; Lei\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:gate-7@delivery\r\n"
        "DTSTAMP:20260302T083000Z\r\n"
        "DTSTART;VALUE=DATE:20260305\r\n"
        "DTEND;VALUE=DATE:20260306\r\n"
        "SUMMARY:Gate review: design\\, build\\; test\r\n"
        "DESCRIPTION:Line one\\nback\\\\slash\r\n"
        "URL:https://pmo.example.com/delivery/gates/7/\r\n"
        "CATEGORIES:Gate review\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:session-3@culture\r\n"
        "DTSTAMP:20260302T083000Z\r\n"
        "DTSTART:20260306T060000Z\r\n"
        "DTEND:20260306T073000Z\r\n"
        "SUMMARY:分享会\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:training-1@talent\r\n"
        "DTSTAMP:20260302T083000Z\r\n"
        "DTSTART;VALUE=DATE:20260309\r\n"
        "DTEND;VALUE=DATE:20260312\r\n"
        "SUMMARY:Training\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_a_timed_event_without_an_end_lasts_an_hour():
    event = CalendarEvent(uid="x@y", title="t", start=STAMP)
    text = calendar.render_calendar([event], name="n", stamp=STAMP)
    assert "DTSTART:20260302T083000Z\r\nDTEND:20260302T093000Z\r\n" in text


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "项目管理部周报" * 8 + "abc"
    folded = calendar.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line
    # 8 ASCII octets, then 22 three-octet characters fill 74 octets: the 23rd would pass 75.
    assert parts[0] == "SUMMARY:" + ("项目管理部周报" * 4)[:22]


def test_a_line_of_exactly_75_octets_is_not_folded():
    line = "X" * 75
    assert calendar.fold(line) == line
    assert calendar.fold(line + "Y") == "X" * 75 + "\r\n Y"


# --- the secret address ----------------------------------------------------------------


def _feed(client, user, token=None):
    return client.get(
        reverse("core:calendar_feed", args=[user.pk, token or calendar.feed_token(user)])
    )


def test_the_feed_answers_its_token_without_a_session(client, pm_user):
    response = _feed(client, pm_user)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.decode().startswith("BEGIN:VCALENDAR\r\n")
    assert len(calendar.feed_token(pm_user)) == 32


def test_a_wrong_token_or_another_users_token_is_404(client, pm_user, member_user):
    assert _feed(client, pm_user, "0" * 32).status_code == 404
    assert _feed(client, pm_user, calendar.feed_token(member_user)).status_code == 404
    assert client.get(f"/calendar/{pm_user.pk + 999}/{'0' * 32}.ics").status_code == 404


def test_an_inactive_user_has_no_feed(client, pm_user):
    token = calendar.feed_token(pm_user)
    pm_user.is_active = False
    pm_user.save()
    assert _feed(client, pm_user, token).status_code == 404


def test_changing_the_password_changes_the_address(client, pm_user):
    old = calendar.feed_token(pm_user)
    pm_user.password = make_password("another secret 123")
    pm_user.save()
    assert _feed(client, pm_user, old).status_code == 404
    assert _feed(client, pm_user).status_code == 200


# --- what each role finds --------------------------------------------------------------


@pytest.fixture
def dated(project, other_project, pm_user, member_user, reviewer_user, pmo_user):
    """One dated thing of every source around today, for ``project``'s people."""
    today = timezone.localdate()
    MilestoneFactory(project=project, name="设备到货", planned_date=today + dt.timedelta(days=10))
    GateFactory(project=project, name="设计评审", planned_date=today + dt.timedelta(days=20))
    MilestoneFactory(project=other_project, name="别人的里程碑", planned_date=today)
    SharingSessionFactory(title="风险复盘分享", title_en="Risk review talk")
    TrainingSessionFactory(course__name="敏捷实践", course__name_en="Agile practice")
    from talent.models import Enrolment

    session = TrainingSessionFactory(course__name="挣值管理", course__name_en="Earned value")
    Enrolment.objects.create(session=session, person=pm_user.person)
    record = filed_record(submitter=pmo_user, archivist=pmo_user, title="验收报告")
    Loan.objects.create(
        record=record,
        borrower=member_user,
        purpose="编写结项报告",
        due_date=today + dt.timedelta(days=5),
        status=Loan.Status.LENT,
    )
    from evaluation import services as evaluation_services

    cycle = evaluation_services.cycle_create(
        version=make_version(pmo_user),
        code="2026H1",
        name="2026上半年",
        name_en="2026 H1",
        period_start=today - dt.timedelta(days=180),
        period_end=today - dt.timedelta(days=1),
        self_assessment_due=today + dt.timedelta(days=7),
        review_due=today + dt.timedelta(days=21),
        chair=pmo_user,
        actor=pmo_user,
    )
    cycle = evaluation_services.cycle_open(cycle=cycle, actor=pmo_user)
    evaluation = cycle.evaluations.get(project=project)
    PanelAssignment.objects.create(evaluation=evaluation, reviewer=reviewer_user)
    return project


def _titles(user):
    today = timezone.localdate()
    start, end = calendar.feed_window(today)
    return [e.title for e in calendar.events_for(user, start, end)]


@pytest.mark.usefixtures("dated", "english")
def test_a_project_manager_sees_the_dates_of_the_project_and_their_own(pm_user):
    titles = _titles(pm_user)
    code = ProjectFactory._meta.model.objects.get(manager=pm_user.person).code
    assert f"Milestone: 设备到货 ({code})" in titles
    assert f"Gate review: 设计评审 ({code})" in titles
    assert f"Self-assessment due: {code}" in titles
    assert "Training: Earned value" in titles
    assert "Training: Agile practice" not in titles  # not enrolled
    assert "Sharing session: Risk review talk" in titles  # open to all
    assert not any("别人的里程碑" in t for t in titles)
    assert not any(t.startswith("Return archive record") for t in titles)


@pytest.mark.usefixtures("dated", "english")
def test_a_member_sees_the_projects_milestones_and_their_loan_but_no_evaluation(member_user):
    titles = _titles(member_user)
    assert any(t.startswith("Milestone: 设备到货") for t in titles)
    assert any(t.startswith("Gate review: 设计评审") for t in titles)
    assert any(t.startswith("Return archive record") for t in titles)
    assert not any(t.startswith(("Self-assessment", "Expert scores", "Training")) for t in titles)


@pytest.mark.usefixtures("dated", "english")
def test_a_reviewer_sees_the_expert_score_deadline_only(reviewer_user):
    titles = _titles(reviewer_user)
    assert [t for t in titles if not t.startswith("Sharing session")] == [
        f"Expert scores due: {ProjectFactory._meta.model.objects.order_by('pk').first().code}"
    ]


@pytest.mark.usefixtures("dated")
def test_the_feed_speaks_the_users_language(client, pm_user):
    from pmo.core.services import user_language_set

    user_language_set(user=pm_user, language="en")
    body = _feed(client, pm_user).content.decode()
    assert "SUMMARY:Milestone: 设备到货" in body
    assert "CATEGORIES:Gate review" in body


def test_events_outside_the_window_are_left_out(project, pm_user):
    today = timezone.localdate()
    MilestoneFactory(project=project, name="太早", planned_date=today - dt.timedelta(days=91))
    MilestoneFactory(project=project, name="最早", planned_date=today - dt.timedelta(days=90))
    MilestoneFactory(project=project, name="最晚", planned_date=today + dt.timedelta(days=365))
    MilestoneFactory(project=project, name="太晚", planned_date=today + dt.timedelta(days=366))
    titles = " ".join(_titles(pm_user))
    assert "最早" in titles and "最晚" in titles
    assert "太早" not in titles and "太晚" not in titles


# --- the page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("pmo", 200),
        ("executive", 200),
        ("pm", 200),
        ("other_pm", 200),
        ("reviewer", 200),
        ("member", 200),
        ("anonymous", 302),
    ],
)
def test_calendar_page_permissions(client_for, role, status):
    assert client_for(role).get(reverse("core:calendar")).status_code == status


@pytest.mark.usefixtures("dated")
def test_the_page_shows_the_feed_address_and_the_coming_events(client_for, pm_user):
    client = client_for("pm")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get(reverse("core:calendar")).content.decode()
    assert calendar.feed_url(pm_user) in html
    assert "设备到货" in html and "设计评审" in html
    assert "Outlook" in html and "DingTalk" in html


def test_the_page_speaks_chinese(client_for):
    client = client_for("member")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.get(reverse("core:calendar"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_the_account_page_links_to_the_calendar(client_for):
    html = client_for("pm").get(reverse("core:account")).content.decode()
    assert reverse("core:calendar") in html


# --- queries stay flat -----------------------------------------------------------------


def _feed_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert _feed(client, user).status_code == 200
    return len(ctx.captured_queries)


def _add_dates(project, pm_user, n):
    today = timezone.localdate()
    from talent.models import Enrolment

    for i in range(n):
        MilestoneFactory(project=project, planned_date=today + dt.timedelta(days=i))
        GateFactory(project=project, planned_date=today + dt.timedelta(days=i))
        SharingSessionFactory()
        session = TrainingSessionFactory()
        Enrolment.objects.create(session=session, person=pm_user.person)


def test_feed_queries_do_not_grow_with_events(client, project, pm_user):
    _add_dates(project, pm_user, 3)
    few = _feed_queries(client, pm_user)
    _add_dates(project, pm_user, 27)
    assert _feed_queries(client, pm_user) == few
    assert few <= 12


def test_page_queries_do_not_grow_with_events(client_for, project, pm_user):
    client = client_for("pm")
    client.get(reverse("core:calendar"))  # the session learns the user's language
    _add_dates(project, pm_user, 3)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("core:calendar"))
    _add_dates(project, pm_user, 27)
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("core:calendar"))
    assert len(second.captured_queries) == len(first.captured_queries)
