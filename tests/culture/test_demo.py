"""The culture demo: every part alive, anonymous answers without people, idempotent."""

import datetime as dt

import pytest
from django.db import transaction

from culture import demo as culture_demo
from culture.models import (
    Campaign,
    CampaignRecipient,
    CertificationTarget,
    Idea,
    IdeaPractice,
    ImprovementIdea,
    SharingSession,
    SurveyParticipation,
    SurveyResponse,
    SurveyRound,
)
from pmo.core.demo import seed_core

TODAY = dt.date(2026, 3, 16)
MODELS = (Idea, IdeaPractice, Campaign, CampaignRecipient, SharingSession, ImprovementIdea,
          SurveyRound, SurveyResponse, CertificationTarget)  # fmt: skip


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo = seed_core(today=TODAY, log=lambda line: None)
        culture_demo.seed(demo)
        yield demo
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_the_demo_has_every_part(demo):
    assert Idea.objects.count() == 4
    assert IdeaPractice.objects.values("phase").distinct().count() == 4
    assert Campaign.objects.filter(status="launched").count() == 2
    recipients = CampaignRecipient.objects.all()
    acknowledged = recipients.filter(acknowledged_at__isnull=False).count()
    assert 0 < acknowledged < recipients.count()  # partial acknowledgement
    assert SharingSession.objects.filter(status="held").values("org_unit").distinct().count() >= 5
    assert SharingSession.objects.filter(status="planned").count() == 2
    assert set(ImprovementIdea.objects.values_list("status", flat=True)) == set(
        ImprovementIdea.Status.values
    )
    assert SurveyRound.objects.count() == 2
    assert CertificationTarget.objects.count() == 3


def test_anonymous_answers_carry_no_person_and_match_the_participations(demo):
    assert SurveyResponse.objects.filter(person__isnull=False).count() == 0
    for survey_round in SurveyRound.objects.all():
        assert (
            survey_round.responses.count()
            == SurveyParticipation.objects.filter(round=survey_round).count()
            > 0
        )


def test_a_second_run_writes_nothing(demo):
    before = {m: m.objects.count() for m in MODELS}
    culture_demo.seed(demo)
    assert {m: m.objects.count() for m in MODELS} == before


def test_every_culture_page_renders_on_the_demo_data(demo, client):
    from django.urls import reverse

    from culture.models import Survey

    client.force_login(demo.users["pmo"])
    survey = Survey.objects.get()
    session = SharingSession.objects.filter(status="held").first()
    urls = [
        reverse(name)
        for name in (
            "culture:dashboard", "culture:idea_list", "culture:campaign_list", "culture:coverage",
            "culture:session_list", "culture:sharing", "culture:community_list",
            "culture:improvement_list", "culture:survey_list", "culture:recognition",
            "culture:certification",
        )
    ] + [
        reverse("culture:survey_results", args=[survey.pk]),
        reverse("culture:session_detail", args=[session.pk]),
        reverse("culture:idea_detail", args=[Idea.objects.first().pk]),
        reverse("culture:campaign_detail", args=[Campaign.objects.first().pk]),
    ]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 200, url
    results = client.get(reverse("culture:survey_results", args=[survey.pk])).context["results"]
    assert all(r.respondents for r in results)
    assert any(g.unit is not None and not g.suppressed for r in results for g in r.groups)
