"""The permission matrix of every evaluation URL × every role, and a guard that fails
when an evaluation URL has no row here."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from tests.evaluation.conftest import submit_self

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
OK, FOUND, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 403, 404, 302


def row(forbidden=(), not_found=(), ok=OK, **special):
    """Expected status per role; roles not named get ``ok`` (anonymous: to the login)."""
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = LOGIN
        elif role in special:
            expected[role] = special[role]
        elif role in forbidden:
            expected[role] = FORBIDDEN
        elif role in not_found:
            expected[role] = NOT_FOUND
        else:
            expected[role] = ok
    return expected


OTHERS = ("executive", "pm", "other_pm", "reviewer", "member")
EVERYONE = row()
PMO_ONLY = row(forbidden=OTHERS)
PMO_EXEC = row(forbidden=("pm", "other_pm", "reviewer", "member"))
# the evaluation of ``project`` in expert review: its manager pm, expert reviewer
SEEN = row(not_found=("other_pm", "member"))
PMO_ON_EVALUATION = row(forbidden=("executive", "pm", "reviewer"), not_found=("other_pm", "member"))
EXPERT_ONLY = row(forbidden=("pmo", "executive", "pm"), not_found=("other_pm", "member"))
MANAGER_ONLY = row(forbidden=("pmo", "executive", "reviewer"), not_found=("other_pm", "member"))
# the evaluation of ``other_project`` still in self-assessment: its manager is other_pm
SELF_ASSESSMENT = row(forbidden=("executive",), not_found=("pm", "reviewer", "member"))
RESULT_NOT_PUBLISHED = row(not_found=OTHERS)
NOTHING_YET = row(
    forbidden=("pm", "other_pm", "reviewer", "member"), pmo=NOT_FOUND, executive=NOT_FOUND
)

MATRIX = [
    ("evaluation:home", None, "get", EVERYONE),
    ("evaluation:my", None, "get", EVERYONE),
    ("evaluation:scheme_list", None, "get", EVERYONE),
    ("evaluation:scheme_create", None, "get", PMO_ONLY),
    ("evaluation:preset_install", "preset", "post", PMO_ONLY),
    ("evaluation:scheme_detail", "scheme", "get", row(ok=FOUND)),
    ("evaluation:version_detail", "version", "get", EVERYONE),
    ("evaluation:version_detail", "draft", "get", row(not_found=OTHERS)),
    ("evaluation:version_edit", "draft", "get", PMO_ONLY),
    ("evaluation:version_publish", "draft", "post", PMO_ONLY),
    ("evaluation:version_copy", "version", "post", PMO_ONLY),
    ("evaluation:dimension_create", "draft", "get", PMO_ONLY),
    ("evaluation:dimension_edit", "dimension", "get", PMO_ONLY),
    ("evaluation:criterion_create", "dimension", "get", PMO_ONLY),
    ("evaluation:criterion_edit", "criterion", "get", PMO_ONLY),
    ("evaluation:band_create", "draft", "get", PMO_ONLY),
    ("evaluation:band_edit", "band", "get", PMO_ONLY),
    ("evaluation:part_delete", "band_delete", "post", PMO_ONLY),
    ("evaluation:cycle_list", None, "get", EVERYONE),
    ("evaluation:cycle_create", None, "get", PMO_ONLY),
    ("evaluation:cycle_detail", "cycle", "get", EVERYONE),
    ("evaluation:cycle_detail", "draft_cycle", "get", row(not_found=OTHERS)),
    ("evaluation:cycle_open", "draft_cycle", "post", PMO_ONLY),
    ("evaluation:cycle_publish", "cycle", "post", PMO_ONLY),
    ("evaluation:cycle_close", "cycle", "post", PMO_ONLY),
    ("evaluation:cycle_pdf", "cycle", "post", PMO_EXEC),
    ("evaluation:cycle_pdf_download", "cycle", "get", NOTHING_YET),
    ("evaluation:evaluation_detail", "evaluation", "get", SEEN),
    ("evaluation:self_assessment", "self", "get", SELF_ASSESSMENT),
    ("evaluation:panel", "evaluation", "get", PMO_ON_EVALUATION),
    ("evaluation:panel_remove", "assignment", "post", PMO_ON_EVALUATION),
    ("evaluation:expert_score", "evaluation", "get", EXPERT_ONLY),
    ("evaluation:calibrate", "result", "post", PMO_ON_EVALUATION),
    ("evaluation:finalise", "evaluation", "get", PMO_ON_EVALUATION),
    ("evaluation:appeal", "evaluation", "get", MANAGER_ONLY),
    (
        "evaluation:appeal_decide",
        "evaluation",
        "get",
        row(**{**PMO_ON_EVALUATION, "pmo": NOT_FOUND}),
    ),
    ("evaluation:result_pdf", "evaluation", "post", row(not_found=OTHERS, pmo=FOUND)),
    (
        "evaluation:result_pdf_download",
        "evaluation",
        "get",
        RESULT_NOT_PUBLISHED | {"pmo": NOT_FOUND},
    ),
    ("evaluation:weakness", None, "get", PMO_EXEC),
    ("evaluation:maturity", None, "get", PMO_EXEC),
    ("evaluation:action_list", None, "get", EVERYONE),
    ("evaluation:action_create", None, "get", PMO_ONLY),
    ("evaluation:action_detail", "action", "get", EVERYONE),
    ("evaluation:action_edit", "action", "get", PMO_ONLY),
    ("evaluation:action_check", "action", "post", PMO_ONLY),
    ("evaluation:action_measure", "action", "post", PMO_ONLY),
    ("evaluation:action_status", "action", "post", PMO_ONLY),
    ("evaluation:action_change_request", "action", "post", PMO_ONLY),
]


@pytest.fixture
def objects(version, project, other_project, pm_user, pmo_user, reviewer_user):
    """Two open-cycle evaluations: ``project``'s in expert review with the reviewer on
    its panel, ``other_project``'s still in self-assessment; a draft version and cycle."""
    today = timezone.localdate()
    dates = {
        "period_start": today - dt.timedelta(days=90),
        "period_end": today,
        "self_assessment_due": today,
        "review_due": today + dt.timedelta(days=5),
    }
    cycle = services.cycle_create(
        version=version, code="C1", name="周期", chair=pmo_user, actor=pmo_user, **dates
    )
    services.cycle_open(cycle=cycle, actor=pmo_user)
    draft_cycle = services.cycle_create(
        version=version, code="C2", name="草稿", actor=pmo_user, **dates
    )
    evaluation = cycle.evaluations.get(project=project)
    submit_self(evaluation, pm_user)
    assignment = services.panel_assign(
        evaluation=evaluation, reviewer=reviewer_user, actor=pmo_user
    )
    draft = services.version_copy(version=version, actor=pmo_user)
    dimension = draft.dimensions.first()
    action = services.action_save(
        actor=pmo_user,
        title="周报提醒",
        measure="周报及时率",
        baseline=Decimal(70),
        target=Decimal(90),
        target_date=today,
        owner=pmo_user.person,
    )
    return {
        "preset": {"key": "p3m3"},
        "scheme": {"pk": version.scheme_id},
        "version": {"pk": version.pk},
        "draft": {"pk": draft.pk},
        "dimension": {"pk": draft.pk, "dimension_pk": dimension.pk},
        "criterion": {
            "pk": draft.pk,
            "dimension_pk": dimension.pk,
            "criterion_pk": dimension.criteria.first().pk,
        },
        "band": {"pk": draft.pk, "band_pk": draft.bands.first().pk},
        "band_delete": {"pk": draft.pk, "kind": "band", "part_pk": draft.bands.first().pk},
        "cycle": {"pk": cycle.pk},
        "draft_cycle": {"pk": draft_cycle.pk},
        "evaluation": {"pk": evaluation.pk},
        "self": {"pk": cycle.evaluations.get(project=other_project).pk},
        "assignment": {"pk": evaluation.pk, "assignment_pk": assignment.pk},
        "result": {
            "pk": evaluation.pk,
            "result_pk": evaluation.results.get(criterion__code="R1").pk,
        },
        "action": {"pk": action.pk},
    }


# The PMO goes last: its allowed POSTs change what the others would see.
ORDER = ("anonymous", "member", "reviewer", "other_pm", "executive", "pm", "pmo")


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[1]}-{m[2]}" for m in MATRIX],
)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected):
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


def test_every_evaluation_url_is_in_the_matrix():
    from evaluation import urls

    named = {f"evaluation:{p.name}" for p in urls.urlpatterns}
    assert named == {m[0] for m in MATRIX}


def test_the_project_tab_shows_grades_only_once_published(client_for, published, project):
    url = reverse("core:project_detail", args=[project.pk]) + "?tab=evaluation"
    response = client_for("member").get(url)
    assert response.status_code == 200
    assert b'data-testid="evaluation-tab"' in response.content
    assert client_for("other_pm").get(url).status_code == 404
