"""Behaviour of the culture pages: htmx votes, forms that keep what was typed, the
leaderboard switch, the survey form and the tile on "my work"."""

import pytest
from django.urls import reverse

from culture.models import CultureSettings, SurveyResponse
from tests.culture.factories import (
    ImprovementFactory,
    QuestionFactory,
    RoundFactory,
    SurveyFactory,
    launched_campaign,
)

pytestmark = pytest.mark.django_db


def test_an_htmx_vote_swaps_the_button_with_the_new_count(client_for):
    idea = ImprovementFactory()
    client = client_for("member")
    url = reverse("culture:improvement_vote", args=[idea.pk])
    response = client.post(url, {"next": "/culture/improvements/"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="vote-{idea.pk}"' in body and '<span data-testid="votes">1</span>' in body
    client.post(url, HTTP_HX_REQUEST="true")
    assert idea.votes.count() == 0


def test_a_bad_campaign_form_comes_back_with_what_was_typed(pmo, member_user, english):
    response = pmo.post(
        reverse("culture:campaign_create"),
        {
            "title": "宣贯:价值导向",
            "message": "请阅读",
            "target_units": [member_user.person.org_unit.pk],
            "quiz_question": "什么?",
            "quiz_options": "只有一个",
            "quiz_answer": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "宣贯:价值导向" in body and "A quiz needs at least two options" in body


def test_an_incomplete_survey_answer_is_refused_and_nothing_is_kept(client_for, english):
    survey = SurveyFactory()
    question = QuestionFactory(survey=survey)
    survey_round = RoundFactory(survey=survey)
    client = client_for("member")
    url = reverse("culture:survey_answer", args=[survey_round.pk])
    assert client.post(url, {}).status_code == 422
    assert not SurveyResponse.objects.exists()
    assert client.post(url, {f"q{question.pk}": "4"}).status_code == 302
    assert client.get(url).context["answered"] is True


def test_the_pmo_switches_the_leaderboard_off_for_everyone_else(client_for):
    pmo, member = client_for("pmo"), client_for("member")
    assert member.get(reverse("culture:recognition")).context["board"] is not None
    pmo.post(reverse("culture:settings"), {})
    assert CultureSettings.current().leaderboard_enabled is False
    page = member.get(reverse("culture:recognition"))
    assert page.context["board"] is None and b'data-testid="leaderboard-off"' in page.content
    assert pmo.get(reverse("culture:recognition")).context["board"] is not None


def test_my_work_lists_the_campaign_to_acknowledge(client_for, pmo_user, member_user):
    campaign = launched_campaign(pmo_user, [member_user.person.org_unit])
    page = client_for("member").get(reverse("core:my_work")).content.decode()
    assert campaign.get_absolute_url() in page


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("culture:idea_list", {"status": "<script>"}),
        ("culture:campaign_list", {"status": "x", "page": "abc"}),
        ("culture:session_list", {"when": "'; DROP", "community": "abc", "page": "-3"}),
        ("culture:session_list", {"community": "99999", "page": "99999"}),
        ("culture:improvement_list", {"status": "\x00", "sort": "password", "page": "z"}),
        ("culture:survey_list", {"page": "x"}),
    ],
)
def test_culture_lists_survive_odd_parameters(client_for, url_name, query):
    assert client_for("pmo").get(reverse(url_name), query).status_code == 200


def test_a_session_form_with_bad_values_writes_nothing(pmo, pmo_user):
    from culture.models import SharingSession

    response = pmo.post(
        reverse("culture:session_create"),
        {"title": "分享", "topic": "t", "speaker": "999999", "org_unit": "x",
         "starts_at": "not a date", "duration_minutes": "-5"},
    )  # fmt: skip
    assert response.status_code == 422 and not SharingSession.objects.exists()
    assert "分享" in response.content.decode()


def test_the_pmo_creates_a_community_that_people_join(pmo, client_for, member_user):
    from culture.models import Community

    response = pmo.post(
        reverse("culture:community_create"),
        {"name": "数据项目社区", "name_en": "Data projects", "lead": member_user.person.pk},
    )
    assert response.status_code == 302
    community = Community.objects.get(name="数据项目社区")
    client_for("member").post(reverse("culture:community_join", args=[community.pk]))
    assert list(community.members.all()) == [member_user.person]
    assert pmo.post(reverse("culture:community_create"), {"name": ""}).status_code == 422


def test_the_practice_form_lists_a_few_rows_finds_others_and_accepts_any_visible(
    client_for, english
):
    from culture.forms import PracticeForm
    from culture.models import IdeaPractice
    from tests.core.factories import ProjectFactory
    from tests.culture.factories import IdeaFactory

    idea = IdeaFactory()
    projects = ProjectFactory.create_batch(PracticeForm.CHOICES + 5)
    last = max(projects, key=lambda p: p.code)
    client = client_for("pmo")
    url = reverse("culture:idea_detail", args=[idea.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    menu = body.split('id="id_project"')[1].split("</select>")[0]
    assert menu.count("<option") == PracticeForm.CHOICES + 1  # and the empty choice
    assert f'value="{last.pk}"' not in menu
    found = client.get(url, {"q": last.code}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    menu = found.split('id="id_project"')[1].split("</select>")[0]
    assert f'value="{last.pk}"' in menu and menu.count("<option") == 2
    assert "The lists show what matches" in found
    response = client.post(url, {"phase": "planning", "project": last.pk, "note": "kick-off"})
    assert response.status_code == 302
    assert IdeaPractice.objects.get(idea=idea).project == last
