"""The decisions part of the demo: four studies in their states, idempotent and quick."""

import datetime as dt
import time

import pytest
from django.db import transaction

from decisions.models import Decision, Review, Study
from pmo.core import demo as core_demo
from pmo.core.models import ResourceDemand, Stage
from pmo.core.registry import registry

TODAY = dt.date(2026, 3, 16)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The core demo, the portfolio's and ours, seeded once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = core_demo.seed_core(today=TODAY, log=lambda _m: None)
        registry.demo_seeders["portfolio"].run(data)
        started = time.monotonic()
        registry.demo_seeders["decisions"].run(data)
        yield data, time.monotonic() - started
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_four_studies_in_their_states_and_fast(demo):
    _data, seconds = demo
    states = dict(Study.objects.values_list("project__code", "status"))
    assert states == {
        "HC-PRJ-039": Study.Status.IN_REVIEW,
        "HC-PRJ-019": Study.Status.DECIDED,
        "HC-PRJ-024": Study.Status.SUBMITTED,
        "HC-PRJ-011": Study.Status.DRAFT,
    }
    assert seconds < 10


def test_decided_study_approved_its_project_with_tracked_conditions(demo):
    study = Study.objects.get(project__code="HC-PRJ-019")
    assert study.project.stage == Stage.APPROVED
    assert study.decision.outcome == Decision.Outcome.APPROVE_WITH_CONDITIONS
    assert study.decision.actions.count() == 2
    assert study.project.portfolio_items.filter(portfolio__code="PF-2027").exists()
    assert ResourceDemand.objects.filter(project=study.project, source="business_case").exists()


def test_reviewer_login_has_one_review_to_do_and_one_done(demo):
    reviews = Review.objects.filter(reviewer__user__username="reviewer")
    assert sorted(reviews.values_list("status", flat=True)) == ["assigned", "submitted"]


def test_study_in_review_shows_a_disagreement_and_a_recommendation(demo):
    from decisions import selectors

    study = Study.objects.get(project__code="HC-PRJ-039")
    assert study.recommendation == "invest_conditions"
    assert selectors.review_summary(study)["disagreement"]
    proposal = study.alternatives.get(kind="proposal")
    assert proposal.npv > 0 and 0.08 < proposal.irr < 1
    assert study.alternatives.count() == 3


def test_seeding_again_changes_nothing(demo):
    data, _seconds = demo
    before = (Study.objects.count(), Review.objects.count(), Decision.objects.count())
    registry.demo_seeders["decisions"].run(data)
    assert (Study.objects.count(), Review.objects.count(), Decision.objects.count()) == before
