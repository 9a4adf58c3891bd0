"""The permission matrix of every culture URL × every role, and a guard that fails
when a culture URL has no row here."""

import pytest
from django.urls import reverse

from culture import services
from culture.models import IdeaPractice
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
from tests.talent.factories import CertificationFactory

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302
OTHERS = ("executive", "pm", "other_pm", "reviewer", "member")


def row(forbidden=(), not_found=()):
    """Expected status per role; roles not named get 200 (anonymous: to the login)."""
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = LOGIN
        elif role in forbidden:
            expected[role] = FORBIDDEN
        elif role in not_found:
            expected[role] = NOT_FOUND
        else:
            expected[role] = OK
    return expected


EVERYONE = row()
PMO_ONLY = row(forbidden=OTHERS)
PMO_EXEC = row(forbidden=("pm", "other_pm", "reviewer", "member"))
PRACTICE = row(forbidden=("executive", "reviewer", "member"))
# Launched to the member's unit: PMO and executives see every campaign, others only theirs.
CAMPAIGN = row(not_found=("pm", "other_pm", "reviewer"))
ACKNOWLEDGE = row(not_found=("pmo", "executive", "pm", "other_pm", "reviewer"))  # addressees
SPEAKER = row(forbidden=("executive", "other_pm", "reviewer", "member"))  # pm speaks

MATRIX = [
    ("culture:dashboard", None, "get", PMO_EXEC),
    ("culture:recognition", None, "get", EVERYONE),
    ("culture:settings", None, "get", PMO_ONLY),
    ("culture:settings", None, "post", PMO_ONLY),
    ("culture:certification", None, "get", PMO_EXEC),
    ("culture:target_create", None, "get", PMO_ONLY),
    ("culture:target_edit", "target", "get", PMO_ONLY),
    ("culture:target_delete", "target", "post", PMO_ONLY),
    ("culture:idea_list", None, "get", EVERYONE),
    ("culture:idea_create", None, "get", PMO_ONLY),
    ("culture:idea_detail", "idea", "get", EVERYONE),
    ("culture:idea_detail", "idea", "post", PRACTICE),
    ("culture:idea_edit", "idea", "get", PMO_ONLY),
    ("culture:practice_remove", "practice", "post", PMO_ONLY),
    ("culture:campaign_list", None, "get", EVERYONE),
    ("culture:campaign_create", None, "get", PMO_ONLY),
    ("culture:coverage", None, "get", PMO_EXEC),
    ("culture:campaign_detail", "campaign", "get", CAMPAIGN),
    ("culture:campaign_detail", "campaign", "post", ACKNOWLEDGE),
    ("culture:campaign_edit", "draft", "get", PMO_ONLY),
    ("culture:campaign_launch", "draft", "post", PMO_ONLY),
    ("culture:campaign_close", "campaign", "post", PMO_ONLY),
    ("culture:session_list", None, "get", EVERYONE),
    ("culture:session_create", None, "get", PMO_ONLY),
    ("culture:sharing", None, "get", PMO_EXEC),
    ("culture:session_detail", "session", "get", EVERYONE),
    ("culture:session_edit", "session", "get", PMO_ONLY),
    ("culture:session_register", "session", "post", EVERYONE),
    ("culture:session_feedback", "session", "post", EVERYONE),
    ("culture:session_attendance", "session", "get", SPEAKER),
    ("culture:session_materials", "session", "get", SPEAKER),
    ("culture:session_cancel", "session", "post", PMO_ONLY),
    ("culture:community_list", None, "get", EVERYONE),
    ("culture:community_create", None, "get", PMO_ONLY),
    ("culture:community_join", "community", "post", EVERYONE),
    ("culture:improvement_list", None, "get", EVERYONE),
    ("culture:improvement_list", None, "post", EVERYONE),
    ("culture:improvement_detail", "improvement", "get", EVERYONE),
    ("culture:improvement_detail", "improvement", "post", PMO_ONLY),
    ("culture:improvement_vote", "improvement", "post", EVERYONE),
    ("culture:survey_list", None, "get", EVERYONE),
    ("culture:survey_create", None, "get", PMO_ONLY),
    ("culture:survey_detail", "survey", "get", PMO_ONLY),
    ("culture:survey_edit", "survey", "get", PMO_ONLY),
    ("culture:survey_results", "survey", "get", PMO_EXEC),
    ("culture:question_delete", "question", "post", PMO_ONLY),
    ("culture:survey_answer", "round", "get", EVERYONE),
]


@pytest.fixture
def objects(pmo_user, pm_user, member_user):
    idea = IdeaFactory()
    practice = IdeaPractice.objects.create(idea=idea, phase="planning", note="用于规划")
    campaign = launched_campaign(pmo_user, [member_user.person.org_unit])
    draft = services.campaign_save(
        actor=pmo_user, title="草稿", message="…", target_units=[member_user.person.org_unit]
    )
    survey = SurveyFactory()
    question = QuestionFactory(survey=survey)
    target = services.certification_target_save(
        actor=pmo_user,
        org_unit=member_user.person.org_unit,
        codes=[CertificationFactory(code="PMP").code],
        target_percent=50,
        due_on=campaign.launched_at.date(),
    )
    return {
        "idea": {"pk": idea.pk},
        "practice": {"pk": practice.pk},
        "campaign": {"pk": campaign.pk},
        "draft": {"pk": draft.pk},
        "session": {"pk": SessionFactory(speaker=pm_user.person).pk},
        "community": {"pk": CommunityFactory().pk},
        "improvement": {"pk": ImprovementFactory().pk},
        "survey": {"pk": survey.pk},
        "question": {"pk": question.pk},
        "round": {"pk": RoundFactory(survey=survey).pk},
        "target": {"pk": target.pk},
    }


# The PMO goes last: its allowed POSTs change what the others would see.
ORDER = ("anonymous", "member", "reviewer", "other_pm", "executive", "pm", "pmo")


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[1]}-{m[2]}" for m in MATRIX],
)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected):
    """Each role in turn (one set of objects per URL keeps the matrix fast)."""
    url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
    for role in ORDER:
        response = getattr(client_for(role), method)(url)
        status = response.status_code
        if method == "post" and expected[role] == OK:
            # An allowed POST with an empty form re-renders its errors or redirects.
            assert status in (200, 302, 422), (role, name, status)
        else:
            assert status == expected[role], (role, name, status)
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


def test_every_culture_url_is_in_the_matrix():
    from culture import urls

    named = {f"culture:{p.name}" for p in urls.urlpatterns}
    assert named == {m[0] for m in MATRIX}
