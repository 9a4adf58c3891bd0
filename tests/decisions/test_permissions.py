"""The permission matrix: every decisions URL × every role, with the status each must get.

The study of the matrix is in expert review with an outside expert assigned, so the
``reviewer`` fixture user is *not* assigned: like every user who neither sees the
project nor reviews the study, they get 404. An assigned reviewer is tested below.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from decisions.models import Decision, RealisedBenefit, Review, ReviewScore
from decisions.services import outcome, reviews, studies
from tests.core.factories import PersonFactory, ProjectFactory
from tests.decisions import factories

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
OK, FORBIDDEN, NOT_FOUND, REDIRECT = 200, 403, 404, 302


def row(forbidden=(), not_found=(), redirect=(), ok_status=OK):
    """Expected status per role; roles not named get ``ok_status``."""
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = "login"
        elif role in forbidden:
            expected[role] = FORBIDDEN
        elif role in not_found:
            expected[role] = NOT_FOUND
        elif role in redirect:
            expected[role] = REDIRECT
        else:
            expected[role] = ok_status
    return expected


HIDDEN = ("other_pm", "reviewer")  # they see neither the project nor the study
VIEW = row(not_found=HIDDEN)
EDIT = row(forbidden=("executive", "member"), not_found=HIDDEN)  # PM and PMO
PMO_ONLY = row(forbidden=("executive", "pm", "member"), not_found=HIDDEN)
PMO_EXEC = row(forbidden=("pm", "member"), not_found=HIDDEN)
REVIEWS = row(forbidden=("member",), not_found=HIDDEN)  # PMO, executives, the PM
GLOBAL_PMO = row(forbidden=("executive", "pm", "other_pm", "reviewer", "member"))
GLOBAL_PMO_EXEC = row(forbidden=("pm", "other_pm", "reviewer", "member"))
EVERYONE = row()

# (url name, kwargs key, method, expected)
MATRIX = [
    ("decisions:study_list", None, "get", GLOBAL_PMO_EXEC),
    ("decisions:my_reviews", None, "get", EVERYONE),
    ("decisions:settings", None, "get", GLOBAL_PMO),
    ("decisions:social_criterion_add", None, "post", GLOBAL_PMO),
    ("decisions:social_criterion_edit", "criterion", "post", GLOBAL_PMO),
    ("decisions:study_create", "project", "post", EDIT),
    ("decisions:study_detail", "study", "get", VIEW),
    ("decisions:study_submit", "study", "post", EDIT),
    ("decisions:study_return", "study", "post", PMO_ONLY),
    ("decisions:study_revise", "study", "post", EDIT),
    ("decisions:study_versions", "study", "get", VIEW),
    ("decisions:study_section", "section", "get", VIEW),
    ("decisions:study_section", "section", "post", EDIT),
    ("decisions:section_owner", "section", "post", EDIT),
    ("decisions:section_ready", "section", "post", EDIT),
    ("decisions:section_review", "section", "post", EDIT),
    ("decisions:line_add", "line", "post", EDIT),
    ("decisions:line_edit", "line_row", "post", EDIT),
    ("decisions:line_delete", "line_row", "post", EDIT),
    ("decisions:study_figures", "study", "post", EDIT),
    ("decisions:social_scores", "study", "post", EDIT),
    ("decisions:strategy_link", "study", "post", EDIT),
    ("decisions:strategy_unlink", "link", "post", EDIT),
    ("decisions:readiness", "study", "get", VIEW),
    ("decisions:readiness", "study", "post", EDIT),
    ("decisions:cash_flows", "alternative", "get", row(not_found=HIDDEN, ok_status=REDIRECT)),
    ("decisions:cash_flows", "alternative", "post", EDIT),
    ("decisions:cash_flows_preview", "alternative", "post", EDIT),
    ("decisions:alternative_add", "study", "post", EDIT),
    ("decisions:alternative_edit", "other_alternative", "get", VIEW),
    ("decisions:alternative_edit", "other_alternative", "post", EDIT),
    ("decisions:alternative_delete", "other_alternative", "post", EDIT),
    ("decisions:criterion_add", "study", "post", EDIT),
    ("decisions:criterion_delete", "criterion_row", "post", EDIT),
    ("decisions:scores_save", "study", "post", EDIT),
    ("decisions:advantage_save", "study", "post", EDIT),
    ("decisions:study_reviews", "study", "get", REVIEWS),
    ("decisions:study_reviews", "study", "post", PMO_ONLY),
    # Nobody but the assigned expert scores a review, not even the PMO.
    ("decisions:review_edit", "review", "get", PMO_EXEC),
    (
        "decisions:review_edit",
        "review",
        "post",
        row(forbidden=("pmo", "executive", "pm", "member"), not_found=HIDDEN),
    ),
    ("decisions:review_withdraw", "review", "post", PMO_ONLY),
    ("decisions:study_decision", "study", "get", VIEW),
    ("decisions:study_recommend", "study", "post", PMO_ONLY),
    ("decisions:pack_generate", "study", "post", PMO_ONLY),
    (
        "decisions:pack_status",
        "study",
        "get",
        row(forbidden=("member",), not_found=HIDDEN, ok_status=REDIRECT),
    ),
    (
        "decisions:pack_download",
        "study",
        "get",
        row(forbidden=("member",), not_found=(*HIDDEN, "pmo", "executive", "pm")),
    ),
    ("decisions:decision_record", "study", "post", PMO_EXEC),
    # The condition belongs to a decided study of another project of the PM.
    (
        "decisions:action_update",
        "action",
        "post",
        row(forbidden=("executive",), not_found=(*HIDDEN, "member")),
    ),
    # Realised benefits: whoever sees the project reads them; its PM and the PMO record.
    ("decisions:benefits", "benefit_project", "get", VIEW),
    ("decisions:benefits", "benefit_project", "post", EDIT),
    ("decisions:benefit_delete", "benefit", "post", EDIT),
]


@pytest.fixture
def objects(complete_draft, pm_user, pmo_user, executive_user):
    """URL kwargs by key; the costlier objects are made when a test asks for them."""
    from tests.portfolio.factories import ObjectiveLinkFactory

    study = complete_draft
    item = studies.scope_item_save(study=study, actor=pm_user, kind="in", text="仓储系统")
    factories.submitted(study, pm_user)
    review = reviews.review_assign(study=study, reviewer=PersonFactory(), actor=pmo_user)
    study.refresh_from_db()

    def action():
        decided = _decided_study(pm_user, pmo_user, executive_user)
        return {"action_pk": decided.decision.actions.get().pk}

    makers = {
        "project": lambda: {"project_pk": study.project_id},
        "study": lambda: {"pk": study.pk},
        "section": lambda: {"pk": study.pk, "kind": "market"},
        "line": lambda: {"pk": study.pk, "line": "scope"},
        "line_row": lambda: {"pk": study.pk, "line": "scope", "line_pk": item.pk},
        "link": lambda: {
            "pk": study.pk,
            "link_pk": ObjectiveLinkFactory(project=study.project).pk,
        },
        "alternative": lambda: {"pk": study.pk, "alt_pk": factories.proposal_of(study).pk},
        "other_alternative": lambda: {
            "pk": study.pk,
            "alt_pk": study.alternatives.exclude(kind="proposal").first().pk,
        },
        "criterion_row": lambda: {"pk": study.pk, "criterion_pk": study.criteria.first().pk},
        "review": lambda: {"review_pk": review.pk},
        "criterion": lambda: {"criterion_pk": factories.SocialCriterionFactory().pk},
        "action": action,
        "benefit_project": lambda: {"pk": study.project_id},
        "benefit": lambda: {
            "pk": RealisedBenefit.objects.create(
                project=study.project, year=2026, amount=Decimal(1)
            ).pk
        },
    }
    return lambda key: makers[key]()


def _decided_study(pm_user, pmo_user, executive_user):
    project = ProjectFactory(stage="proposed", manager=pm_user.person)
    study = factories.complete(factories.StudyFactory(project=project, actor=pm_user), pm_user)
    factories.submitted(study, pm_user)
    factories.in_review(study, pmo_user)
    outcome.decision_record(
        study=study,
        actor=executive_user,
        meeting="投资决策会",
        meeting_date=dt.date(2026, 5, 1),
        outcome="approve_conditions",
        rationale="同意",
        decision_makers=[executive_user.person],
        conditions=[outcome.Condition("补充预案")],
    )
    return study


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[2]}" for m in MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected, role):
    url = reverse(name, kwargs=objects(kwargs_key) if kwargs_key else None)
    response = getattr(client_for(role), method)(url)
    status = response.status_code
    if expected[role] == "login":
        assert status == 302 and "/accounts/login/" in response["Location"], (role, status)
    elif method == "post" and expected[role] == OK:
        # Allowed POSTs with an empty form re-render their errors or redirect with a message.
        assert status in (200, 302, 422), (role, name, status)
    else:
        assert status == expected[role], (role, name, status)


def test_every_decisions_url_is_in_the_matrix():
    from decisions import urls

    named = {f"decisions:{p.name}" for p in urls.urlpatterns}
    assert named == {m[0] for m in MATRIX}


# --- an assigned reviewer ----------------------------------------------------------------------


def test_an_assigned_reviewer_sees_the_study_and_scores_only_their_review(
    client_for, review, pmo_user
):
    study = review.study
    other = reviews.review_assign(study=study, reviewer=PersonFactory(), actor=pmo_user)
    client = client_for("reviewer")
    assert client.get(reverse("decisions:study_detail", args=[study.pk])).status_code == 200
    assert client.get(reverse("decisions:review_edit", args=[review.pk])).status_code == 200
    assert client.get(reverse("decisions:review_edit", args=[other.pk])).status_code == 403
    # Reading the study is all: no editing, no assigning, no deciding.
    for name in ("study_submit", "study_reviews", "decision_record", "study_recommend"):
        assert client.post(reverse(f"decisions:{name}", args=[study.pk])).status_code == 403
    section = reverse("decisions:study_section", args=[study.pk, "market"])
    assert client.post(section, {"content": "x"}).status_code == 403


def test_a_reviewer_sees_no_other_study(client_for, review):
    other = factories.StudyFactory(project=ProjectFactory(stage="proposed"))
    client = client_for("reviewer")
    assert client.get(reverse("decisions:study_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("decisions:study_list")).status_code == 403


def test_a_section_owner_edits_their_section_only(client_for, draft, pm_user, member_user):
    section = draft.sections.get(kind="market")
    studies.section_assign(section=section, actor=pm_user, owner=member_user.person)
    client = client_for("member")
    url = reverse("decisions:study_section", args=[draft.pk, "market"])
    assert client.post(url, {"content": "市场调研结论"}).status_code == 302
    other = reverse("decisions:study_section", args=[draft.pk, "basic"])
    assert client.post(other, {"content": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.sections.get(kind="market").content == "市场调研结论"
    assert draft.sections.get(kind="basic").content == ""


# --- crafted POSTs of a project manager ----------------------------------------------------------


def test_a_pm_cannot_score_give_verdicts_or_decide_by_crafting_a_post(client_for, review, pmo_user):
    study = review.study
    client = client_for("pm")
    criterion = study.criteria.first()
    crafted_review = {
        f"score_{criterion.pk}": "10",
        "verdict_budget": "yes",
        "recommendation": "invest",
        "comment": "好",
        "submit": "1",
    }
    response = client.post(reverse("decisions:review_edit", args=[review.pk]), crafted_review)
    assert response.status_code == 403
    crafted_decision = {
        "meeting": "会",
        "meeting_date": "2026-06-01",
        "outcome": "approve",
        "rationale": "同意",
        "decision_makers": [study.project.manager_id],
        "c-TOTAL_FORMS": "0",
        "c-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("decisions:decision_record", args=[study.pk]), crafted_decision)
    assert response.status_code == 403
    response = client.post(
        reverse("decisions:study_recommend", args=[study.pk]),
        {"recommendation": "invest", "reasoning": "自荐"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("decisions:study_reviews", args=[study.pk]), {"reviewer": PersonFactory().pk}
    )
    assert response.status_code == 403
    assert not ReviewScore.objects.exists()
    assert not Decision.objects.exists()
    assert Review.objects.count() == 1
    study.refresh_from_db()
    assert study.recommendation == "" and study.project.stage == "under_review"
    review.refresh_from_db()
    assert review.status == "assigned" and review.recommendation == ""


def test_refusals_are_written_to_the_security_log(client_for, review):
    from pmo.core.models import SecurityEvent

    client_for("pm").post(reverse("decisions:review_edit", args=[review.pk]), {})
    assert SecurityEvent.objects.filter(kind="permission_denied", username="pm").exists()


def test_contingency_is_not_changed_by_an_executive(client_for, draft):
    url = reverse("decisions:study_figures", args=[draft.pk])
    response = client_for("executive").post(url, {"contingency_percent": "50", "base_year": "2026"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.contingency_percent == Decimal("10")
