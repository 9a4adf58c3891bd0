"""Every culture list renders in a number of queries that does not grow with its rows:
each page is counted with a few rows, then again after many more were added."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from culture import services
from culture.models import Attendance, CultureSettings, IdeaPractice, SurveyAnswer, SurveyResponse
from tests.core.factories import PersonFactory
from tests.culture.factories import (
    CommunityFactory,
    IdeaFactory,
    ImprovementFactory,
    QuestionFactory,
    RoundFactory,
    SessionFactory,
    SurveyFactory,
    launched_campaign,
)

pytestmark = pytest.mark.django_db
SMALL, LARGE = 3, 30
CAP = 40  # no page needs more than this many queries …
# … but the dashboard, which asks every registered project metric for four quarters.
DASHBOARD_CAP = 100


class World:
    """Rows of every list, added ``n`` at a time."""

    def __init__(self, pmo_user, member_user, project):
        self.pmo, self.member, self.project = pmo_user, member_user, project
        self.counter = itertools.count()
        CultureSettings.current()  # the settings row exists once the PMO saw the page
        self.idea = IdeaFactory()
        self.survey = SurveyFactory(min_group_size=3)
        self.question = QuestionFactory(survey=self.survey)
        self.community = CommunityFactory()
        self.session = SessionFactory(speaker=member_user.person, status="held",
                                      starts_at=timezone.now() - dt.timedelta(days=2))  # fmt: skip

    def grow(self, n: int) -> None:
        unit = self.member.person.org_unit
        for _i in range(n):
            i = next(self.counter)
            idea = IdeaFactory()
            IdeaPractice.objects.create(idea=idea, phase="planning", project=self.project, note="x")
            IdeaPractice.objects.create(
                idea=self.idea, phase="execution", project=self.project, note="y"
            )
            person = PersonFactory(org_unit=unit)
            launched_campaign(self.pmo, [unit], title=f"宣贯{i}")
            SessionFactory(speaker=person, community=self.community)
            SessionFactory(speaker=person, status="held",
                           starts_at=timezone.now() - dt.timedelta(days=i % 300 + 1))  # fmt: skip
            Attendance.objects.create(session=self.session, person=person, attended=True, rating=4)
            self.community.members.add(person)
            ImprovementFactory(submitted_by=person)
            CommunityFactory()
            survey = SurveyFactory()
            RoundFactory(survey=survey)
            survey_round = RoundFactory(survey=self.survey, label=f"R-{i}")
            response = SurveyResponse.objects.create(
                round=survey_round, org_unit=unit, answered_on=timezone.localdate()
            )
            SurveyAnswer.objects.create(response=response, question=self.question, value=3)
            services.certification_target_save(
                actor=self.pmo, org_unit=unit, codes=["PMP"], target_percent=50,
                due_on=timezone.localdate(),
            )  # fmt: skip


@pytest.fixture
def world(pmo_user, member_user, project):
    return World(pmo_user, member_user, project)


def _pages(world):
    return [
        ("pmo", reverse("culture:idea_list")),
        ("pmo", reverse("culture:idea_detail", args=[world.idea.pk])),
        ("pmo", reverse("culture:campaign_list")),
        ("member", reverse("culture:campaign_list")),
        ("pmo", reverse("culture:coverage")),
        ("pmo", reverse("culture:session_list")),
        ("pmo", reverse("culture:session_list") + "?when=past"),
        ("pmo", reverse("culture:session_detail", args=[world.session.pk])),
        ("pmo", reverse("culture:sharing")),
        ("pmo", reverse("culture:community_list")),
        ("member", reverse("culture:improvement_list")),
        ("member", reverse("culture:survey_list")),
        ("pmo", reverse("culture:survey_list")),
        ("pmo", reverse("culture:survey_detail", args=[world.survey.pk])),
        ("pmo", reverse("culture:survey_results", args=[world.survey.pk])),
        ("member", reverse("culture:recognition")),
        ("pmo", reverse("culture:certification")),
        ("pmo", reverse("culture:dashboard")),
    ]


def test_culture_pages_have_flat_query_counts(client_for, world):
    clients = {role: client_for(role) for role in ("pmo", "member")}
    for client in clients.values():
        client.get(reverse("culture:idea_list"))  # the first request loads the user's groups
    counts = {}
    for size in (SMALL, LARGE - SMALL):
        world.grow(size)
        for role, url in _pages(world):
            with CaptureQueriesContext(connection) as context:
                response = clients[role].get(url)
            assert response.status_code == 200, url
            counts.setdefault((role, url), []).append(len(context.captured_queries))

    def cap(url):
        return DASHBOARD_CAP if url == reverse("culture:dashboard") else CAP

    uneven = {key: c for key, c in counts.items() if c[0] != c[1] or c[1] > cap(key[1])}
    assert uneven == {}, uneven
