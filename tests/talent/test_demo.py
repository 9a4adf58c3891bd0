"""The talent demo: complete, coherent and idempotent."""

import datetime as dt

import pytest
from django.db import transaction

from pmo.core.demo import seed_core
from talent import demo as talent_demo
from talent.models import (
    Appraisal,
    AppraisalRound,
    Candidate,
    CareerLevel,
    Competency,
    Course,
    Enrolment,
    OnboardingCheckIn,
    PersonCertificate,
    TalentProfile,
    TeamPosition,
    TrainingPlan,
)

TODAY = dt.date(2026, 3, 16)
MODELS = (
    CareerLevel,
    Competency,
    TalentProfile,
    PersonCertificate,
    Course,
    Enrolment,
    Appraisal,
    TeamPosition,
    Candidate,
    OnboardingCheckIn,
    TrainingPlan,
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo = seed_core(today=TODAY, log=lambda line: None)
        talent_demo.seed(demo)
        yield demo
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_the_demo_has_a_five_level_ladder_and_a_pool_of_about_fifteen(demo):
    assert CareerLevel.objects.count() == 5
    assert Competency.objects.count() == 9
    assert 10 <= TalentProfile.objects.count() <= 15
    assert Course.objects.filter(category="pm_system").exists()
    assert Enrolment.objects.filter(attended=True, feedback_rating__isnull=False).exists()


def test_the_pm_login_has_a_certificate_expiring_soon(demo):
    pm = demo.person("pm")
    cert = PersonCertificate.objects.get(person=pm, certification__code="PMP")
    assert TODAY < cert.expires_on <= TODAY + dt.timedelta(days=90)


def test_the_demo_appraisal_round_is_closed_with_a_consequence(demo):
    round = AppraisalRound.objects.get()
    assert round.status == AppraisalRound.Status.CLOSED
    assert round.appraisals.exclude(consequence="none").count() == 2


def test_the_pipeline_hired_one_and_onboarding_has_check_ins(demo):
    assert Candidate.objects.filter(stage="hired").count() == 1
    assert OnboardingCheckIn.objects.count() == 2
    assert TrainingPlan.objects.filter(year=TODAY.year).exists()


def test_a_second_run_writes_nothing(demo):
    before = {m: m.objects.count() for m in MODELS}
    talent_demo.seed(demo)
    assert {m: m.objects.count() for m in MODELS} == before
