"""The permission matrix of every standards URL × every role, and a guard that fails
when a standards URL has no row here."""

import pytest
from django.urls import reverse

from standards import services
from tests.standards.factories import (
    ChangeRequestFactory,
    SuggestionFactory,
    TemplateFactory,
    ToolCandidateFactory,
    ToolCriterionFactory,
    ToolEvaluationFactory,
    docx_upload,
    pdf_upload,
)

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
DRAFT = row(not_found=OTHERS)  # drafts are the PMO's: others do not see them
PROJECT_VIEW = row(not_found=("other_pm", "reviewer"))
PROJECT_MANAGE = row(forbidden=("executive", "member"), not_found=("other_pm", "reviewer"))
PMO_DECIDES_ON_A_PROJECT = row(
    forbidden=("executive", "pm", "member"), not_found=("other_pm", "reviewer")
)
TOOL_VIEW = row(not_found=("pm", "other_pm", "member"))  # PMO, executives, evaluators
TOOL_SCORE = row(forbidden=("executive",), not_found=("pm", "other_pm", "member"))

# (url name, kwargs key, method, expected)
MATRIX = [
    ("standards:library", None, "get", EVERYONE),
    ("standards:source_list", None, "get", EVERYONE),
    ("standards:source_create", None, "get", PMO_ONLY),
    ("standards:source_edit", "source", "get", PMO_ONLY),
    ("standards:methodology_create", None, "get", PMO_ONLY),
    ("standards:methodology_detail", "methodology", "get", EVERYONE),
    ("standards:methodology_edit", "methodology", "get", PMO_ONLY),
    ("standards:version_create", "methodology", "post", PMO_ONLY),
    ("standards:version_detail", "version", "get", EVERYONE),
    ("standards:version_detail", "draft", "get", DRAFT),
    ("standards:version_edit", "draft", "get", DRAFT),
    ("standards:version_diff", "version", "get", EVERYONE),
    ("standards:version_transition", "submit", "post", DRAFT),
    ("standards:part_create", "new_phase", "get", DRAFT),
    ("standards:part_edit", "gate", "get", DRAFT),
    ("standards:part_delete", "deliverable", "post", DRAFT),
    ("standards:process_detail", "process", "get", EVERYONE),
    ("standards:review", None, "get", EVERYONE),
    ("standards:template_list", None, "get", EVERYONE),
    ("standards:template_create", None, "get", PMO_ONLY),
    ("standards:template_detail", "template", "get", EVERYONE),
    ("standards:template_edit", "template", "get", PMO_ONLY),
    ("standards:template_upload", "template", "get", PMO_ONLY),
    ("standards:revision_download", "revision", "get", EVERYONE),
    ("standards:methodology_assign", "project", "get", PROJECT_MANAGE),
    ("standards:tailoring_create", "project", "get", PROJECT_MANAGE),
    ("standards:evidence_submit", "evidence", "get", PROJECT_MANAGE),
    ("standards:tailoring_list", None, "get", EVERYONE),
    ("standards:tailoring_detail", "tailoring", "get", PROJECT_VIEW),
    ("standards:tailoring_detail", "tailoring", "post", PMO_DECIDES_ON_A_PROJECT),
    ("standards:tailoring_withdraw", "tailoring", "post", PROJECT_MANAGE),
    ("standards:record_withdraw", "record", "post", PROJECT_MANAGE),
    ("standards:record_download", "record", "get", PROJECT_VIEW),
    ("standards:compliance", None, "get", PMO_EXEC),
    ("standards:change_list", None, "get", EVERYONE),
    ("standards:change_create", None, "get", EVERYONE),
    ("standards:change_detail", "change", "get", EVERYONE),
    ("standards:change_detail", "change", "post", PMO_ONLY),
    ("standards:suggestion_list", None, "get", EVERYONE),
    ("standards:suggestion_list", None, "post", EVERYONE),
    ("standards:suggestion_detail", "suggestion", "get", EVERYONE),
    ("standards:suggestion_detail", "suggestion", "post", PMO_ONLY),
    ("standards:tool_list", None, "get", EVERYONE),
    ("standards:tool_create", None, "get", PMO_ONLY),
    ("standards:tool_detail", "tool", "get", TOOL_VIEW),
    ("standards:tool_edit", "tool", "get", PMO_ONLY),
    ("standards:tool_open", "tool", "post", PMO_ONLY),
    ("standards:tool_decide", "tool", "get", PMO_ONLY),
    ("standards:tool_score", "score", "get", TOOL_SCORE),
    ("standards:tool_part_create", "tool_new_part", "get", PMO_ONLY),
    ("standards:tool_part_edit", "tool_part", "get", PMO_ONLY),
    ("standards:tool_part_delete", "tool_part", "post", PMO_ONLY),
    ("standards:adoption", None, "get", PMO_EXEC),
    ("standards:pmo_queue", None, "get", PMO_ONLY),
]


@pytest.fixture
def objects(pmo_user, pm_user, reviewer_user, project, version):
    template = TemplateFactory()
    revision = services.template_revision_upload(
        template=template, upload=docx_upload(), actor=pmo_user
    )
    draft = services.methodology_version_create(
        methodology=version.methodology, based_on=version, actor=pmo_user
    )
    services.project_methodology_assign(project=project, version=version, actor=pm_user)
    items = {d.code: d for d in version.deliverables.all()}
    record = services.deliverable_record_submit(
        project=project, deliverable=items["D1-0"], upload=pdf_upload(), actor=pm_user
    )
    tailoring = services.tailoring_request_submit(
        project=project, deliverables=[items["D1-2"]], reason="小项目", actor=pm_user
    )
    evaluation = ToolEvaluationFactory()
    criterion = ToolCriterionFactory(evaluation=evaluation, weight=100)
    candidates = [ToolCandidateFactory(evaluation=evaluation) for _ in range(2)]
    evaluation.evaluators.set([pmo_user, reviewer_user])
    services.tool_evaluation_open(evaluation=evaluation, actor=pmo_user)
    source = services.source_save(code="GB/T 37507", name="项目管理指南", actor=pmo_user)
    return {
        "source": {"pk": source.pk},
        "methodology": {"pk": version.methodology_id},
        "version": {"pk": version.pk},
        "draft": {"pk": draft.pk},
        "submit": {"pk": draft.pk, "action": "submit"},
        "new_phase": {"pk": draft.pk, "kind": "phase"},
        "gate": {"pk": draft.pk, "kind": "gate", "item_pk": draft.gates.first().pk},
        "deliverable": {
            "pk": draft.pk,
            "kind": "deliverable",
            "item_pk": draft.deliverables.first().pk,
        },
        "process": {"pk": version.processes.first().pk},
        "template": {"pk": template.pk},
        "revision": {"pk": revision.pk},
        "project": {"pk": project.pk},
        "evidence": {"pk": project.pk, "deliverable_pk": items["D1-1"].pk},
        "tailoring": {"pk": tailoring.pk},
        "record": {"pk": record.pk},
        "change": {"pk": ChangeRequestFactory(methodology=version.methodology).pk},
        "suggestion": {"pk": SuggestionFactory().pk},
        "tool": {"pk": evaluation.pk},
        "score": {"pk": evaluation.pk, "candidate_pk": candidates[0].pk},
        "tool_new_part": {"pk": evaluation.pk, "kind": "criterion"},
        "tool_part": {"pk": evaluation.pk, "kind": "criterion", "item_pk": criterion.pk},
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


def test_every_standards_url_is_in_the_matrix():
    from standards import urls

    named = {f"standards:{p.name}" for p in urls.urlpatterns}
    assert named == {m[0] for m in MATRIX}


def test_the_project_tab_is_hidden_from_those_who_cannot_see_the_project(client_for, objects):
    url = reverse("core:project_detail", args=[objects["project"]["pk"]]) + "?tab=standards"
    assert client_for("member").get(url).status_code == 200
    assert client_for("other_pm").get(url).status_code == 404
