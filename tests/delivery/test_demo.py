"""Delivery's demo data: coherent with the core summaries, idempotent, quick."""

import datetime as dt
import time

import pytest
from django.db import transaction

from delivery import demo as delivery_demo
from delivery.models import (
    Closeout,
    Gate,
    Goal,
    Issue,
    RaciAssignment,
    ResponsibilityAgreement,
    StatusReport,
)
from delivery.selectors import escalations_past_target
from knowledge.models import Lesson
from pmo.core import demo
from pmo.core.models import Project, Stage

TODAY = dt.date(2026, 3, 16)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    original = settings.PMO_PRIVATE_ROOT
    settings.PMO_PRIVATE_ROOT = tmp_path_factory.mktemp("private")
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            data = demo.seed_core(today=TODAY, log=lambda _m: None)
            started = time.monotonic()
            delivery_demo.seed(data)
            elapsed = time.monotonic() - started
            yield data, elapsed
            transaction.set_rollback(True)
    finally:
        settings.PMO_PRIVATE_ROOT = original


@pytest.fixture
def seed(seeded, db):
    return seeded


def test_seeding_is_quick_and_a_second_run_adds_nothing(seed):
    data, elapsed = seed
    assert elapsed < 15
    counts = (StatusReport.objects.count(), Issue.objects.count(), Lesson.objects.count())
    updated = dict(Project.objects.values_list("code", "updated_at"))
    delivery_demo.seed(data)
    assert (StatusReport.objects.count(), Issue.objects.count(), Lesson.objects.count()) == counts
    assert dict(Project.objects.values_list("code", "updated_at")) == updated


def test_every_running_project_has_goals_a_valid_raci_and_a_signed_agreement(seed):
    projects = Project.objects.filter(
        code__startswith="HC-PRJ-", stage__in=delivery_demo.STAGES, is_program=False
    )
    assert projects.count() >= 20
    for project in projects:
        assert Goal.objects.filter(project=project).count() == 5
        accountable = RaciAssignment.objects.filter(activity__project=project, letter="A")
        assert accountable.count() == len(delivery_demo.ACTIVITIES)
        assert ResponsibilityAgreement.objects.filter(
            project=project, status="signed"
        ).exists() or (project.code == "HC-PRJ-001")
    waiting = ResponsibilityAgreement.objects.get(project__code="HC-PRJ-001", version=2)
    assert waiting.status == "signing" and waiting.signoffs.count() == 1


def test_the_latest_status_report_matches_the_project_summary(seed):
    for project in Project.objects.filter(
        code__startswith="HC-PRJ-", stage=Stage.ACTIVE, is_program=False
    ):
        reports = list(StatusReport.objects.filter(project=project).order_by("-period_start"))
        assert 1 <= len(reports) <= 12
        latest = reports[0]
        assert latest.period_start <= project.last_status_date <= latest.period_end
        assert latest.percent_complete == project.percent_complete
        assert latest.actual_cost == project.spend_to_date
        assert latest.effective_overall == project.health
        assert project.spi == latest.spi and project.cpi == latest.cpi
        assert all(r.overall in ("green", "amber", "red") for r in reports)


def test_escalations_gates_and_closeouts_give_the_pmo_work_to_see(seed):
    assert Issue.objects.filter(level__gte=1).exists()
    assert len(escalations_past_target(Issue.objects.all())) >= 1
    assert Gate.objects.filter(status="in_review", reviewers__user__username="reviewer").exists()
    closed = Closeout.objects.filter(status="approved")
    assert closed.exists()
    for closeout in closed:
        assert closeout.items.filter(done=False).count() == 0
        assert Lesson.objects.filter(project=closeout.project, status="published").count() == 3
        assert closeout.overall_attainment is not None
