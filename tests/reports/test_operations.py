"""The monthly PMO operations report: for the PMO only; the core's figures and every
app's section computed on a small month of data; printed in Chinese and English; a
broken section does not sink the report; queries stay flat as rows grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from culture.models import Attendance, SharingSession
from delivery.models import Gate
from knowledge.models import Loan
from pmo.core.models import Stage
from pmo.core.registry import ReportSection, registry
from pmo.reports import operations, services
from pmo.reports.models import ReportRun
from pmo.reports.periods import Period
from talent.models import Enrolment, PersonCertificate, TrainingSession
from tests.core.factories import PersonFactory, ProjectFactory
from tests.culture.factories import SessionFactory as SharingSessionFactory
from tests.delivery.factories import GateFactory, StatusReportFactory
from tests.knowledge.factories import filed_record
from tests.pdf import needs_pdftotext, pdf_text
from tests.talent.factories import CertificationFactory
from tests.talent.factories import SessionFactory as TrainingSessionFactory

pytestmark = pytest.mark.django_db

MARCH = Period("monthly", dt.date(2026, 3, 1), dt.date(2026, 3, 31), "2026-03")
PARAMS = {"period_start": MARCH.start, "period_end": MARCH.end}
MID_MARCH = dt.datetime(2026, 3, 15, 10, 0, tzinfo=dt.UTC)


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


def add_month(pmo_user, member_user, project, n=1):
    """``n`` rounds of a month's work: 4 status reports due (2 on time, 1 late, 1 still a
    draft), a gate passed and one failed, a loan lent and returned, a training
    session held with 6.5 hours attended, a sharing session with one attendance."""
    for _i in range(n):
        p = ProjectFactory(manager=project.manager)
        StatusReportFactory(project=p, period_start=dt.date(2026, 3, 2))
        StatusReportFactory(project=p, period_start=dt.date(2026, 3, 9))
        StatusReportFactory(project=p, period_start=dt.date(2026, 3, 16), on_time=False)
        StatusReportFactory(
            project=p,
            period_start=dt.date(2026, 3, 23),
            status="draft",
            submitted_at=None,
            on_time=None,
        )
        passed = GateFactory(project=p, name="设计评审")
        failed = GateFactory(project=p, name="上线评审")
        Gate.objects.filter(pk=passed.pk).update(status="passed", decided_at=MID_MARCH)
        Gate.objects.filter(pk=failed.pk).update(status="failed", decided_at=MID_MARCH)
        record = filed_record(submitter=pmo_user, archivist=pmo_user, title="验收报告")
        loan = Loan.objects.create(
            record=record,
            borrower=member_user,
            purpose="结项",
            due_date=dt.date(2026, 3, 20),
            status=Loan.Status.RETURNED,
        )
        Loan.objects.filter(pk=loan.pk).update(
            created_at=MID_MARCH, lent_at=MID_MARCH, returned_at=MID_MARCH
        )
        session = TrainingSessionFactory(
            starts_on=dt.date(2026, 3, 10), status=TrainingSession.Status.HELD
        )
        Enrolment.objects.create(
            session=session, person=PersonFactory(), attended=True, hours=Decimal("6.5")
        )
        talk = SharingSessionFactory(starts_at=MID_MARCH, status=SharingSession.Status.HELD)
        Attendance.objects.create(session=talk, person=PersonFactory(), attended=True, rating=4)


@pytest.fixture
def month(pmo_user, member_user, project):
    add_month(pmo_user, member_user, project)
    PersonCertificate.objects.create(
        person=member_user.person,
        certification=CertificationFactory(code="PMP"),
        issued_on=dt.date(2023, 5, 1),
        expires_on=dt.date(2026, 5, 1),
    )
    ProjectFactory(stage=Stage.CLOSED, manager=None)
    return project


def test_registered_monthly_for_the_pmo_only(pmo_user, executive_user, pm_user):
    kind = registry.report_kinds["pmo_operations"]
    assert kind.default_period == "monthly" and kind.summary
    assert kind.visible_to(pmo_user)
    assert not kind.visible_to(executive_user) and not kind.visible_to(pm_user)


def test_every_duty_area_adds_a_section():
    keys = [s.key for s in registry.sections_for("pmo_operations")]
    assert keys == [
        "delivery",
        "decisions",
        "standards",
        "knowledge",
        "evaluation",
        "talent",
        "culture",
    ]


def _figures(key):
    section = registry.report_sections[f"pmo_operations.{key}"]
    return {
        str(label): (value, str(note))
        for label, value, note in section.context(PARAMS, "en")["figures"]
    }


@pytest.mark.usefixtures("month", "english")
def test_reference_figures_of_the_month():
    core = operations.core_figures(PARAMS)
    assert core["project_total"] == 3  # project, the month's project, the closed one
    delivery = _figures("delivery")
    assert delivery["Status reports submitted on time"] == (
        "50%",
        "2 of 4 due in the month; 1 late",
    )
    assert delivery["Status reports overdue"][0] == "1"
    assert delivery["Gates decided"] == ("2", "1 passed, 1 failed")
    knowledge = _figures("knowledge")
    assert knowledge["Archive loans"] == ("1", "1 requested, 1 returned in the month")
    talent = _figures("talent")
    assert talent["Training hours"] == ("6.5", "1 people attended")
    assert talent["Certificates expiring"][0] == "1"
    culture = _figures("culture")
    assert culture["Sharing sessions held"] == ("1", "1 attendances, average rating 4.0")
    assert _figures("decisions")["Feasibility studies decided"][0] == "0"


@pytest.mark.usefixtures("month", "english")
def test_summary_for_the_chat_card():
    lines = dict(operations.pmo_operations_summary(PARAMS, "en"))
    assert lines["Projects"] == "3"
    assert lines["Status reports submitted on time"] == "50%"
    assert lines["Training hours"] == "6.5"


def _broken(params, language):
    raise RuntimeError("source down")


@pytest.mark.usefixtures("english")
def test_a_failing_section_is_reported_in_its_place():
    registry.add_report_section(
        ReportSection(
            report="pmo_operations",
            key="broken",
            label="Broken part",
            template="reports/pdf/operations_section.html",
            build="tests.reports.test_operations._broken",
            order=999,
        )
    )
    try:
        sections = operations.pmo_operations(PARAMS, "en").context["sections"]
    finally:
        registry.report_sections.pop("pmo_operations.broken")
    assert sections[-1]["label"] == "Broken part"
    assert sections[-1]["error"] == "This part could not be computed."
    assert all(not s["error"] for s in sections[:-1])


def test_queries_stay_flat_as_the_month_grows(month, pmo_user, member_user):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx, translation.override("en"):
            operations.pmo_operations(PARAMS, "en")
        return len(ctx.captured_queries)

    few = count()
    add_month(pmo_user, member_user, month, n=9)
    assert count() == few
    assert few <= 40


def _render(language):
    run = services.report_run_request(
        kind="pmo_operations", period=MARCH, language=language, enqueue=False
    )
    return services.report_run_render(run_id=run.pk)


@needs_pdftotext
@pytest.mark.usefixtures("month")
def test_pdf_in_english():
    run = _render("en")
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run, flat=True)
    assert "PMO operations" in text
    for heading in (
        "Delivery assurance",
        "Decision support",
        "Standards",
        "Knowledge and archives",
        "Performance evaluation",
        "PM talent",
        "PM culture",
    ):
        assert heading in text
    assert "Status reports submitted on time 50%" in text
    assert "设计评审" in text and "上线评审" in text
    assert "Open projects without a manager" in text


@needs_pdftotext
@pytest.mark.usefixtures("month")
def test_pdf_in_chinese():
    run = _render("zh-hans")
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run, flat=True)
    assert "设计评审" in text and "50%" in text and "6.5" in text
    assert "□" not in text and "\ufffd" not in text


# --- demo subscriptions ----------------------------------------------------------------


def test_the_demo_subscribes_people_to_every_report_once(
    pmo_user, executive_user, pm_user, member_user
):
    from collections import Counter
    from types import SimpleNamespace

    from pmo.reports import demo
    from pmo.reports.models import Subscription

    users = {"pmo": pmo_user, "exec": executive_user, "pm": pm_user, "member": member_user}
    data = SimpleNamespace(users=users, created=Counter())
    demo.seed(data)
    demo.seed(data)  # idempotent
    kinds = Counter(Subscription.objects.values_list("kind", flat=True))
    assert kinds == {
        "portfolio_status": 1,
        "project_register": 1,
        "evaluation_monthly": 1,
        "strategic_review": 2,
        "pmo_operations": 1,
        "knowledge_digest": 1,
        "culture": 1,
        "talent": 1,
    }
    assert data.created["report subscriptions"] == 9
    review = Subscription.objects.get(kind="strategic_review", language="en")
    assert review.frequency == "quarterly" and review.day_of_month == 5
    assert list(review.users.all()) == [executive_user]
    assert review.periodic_task.enabled
    digest = Subscription.objects.get(kind="knowledge_digest")
    assert digest.group.name == "member" and digest.weekday == 4
