"""The permission matrix: every delivery URL × every role, with the status each must get.

The project's manager (and the PMO) edit its delivery records; members and executives
read them; other managers and reviewers get 404 on the project's pages, except that a
reviewer assigned to a gate sees and decides that gate; PMO-only steps give 403 to the
others who see the project.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from delivery.services.reports import AGREEMENT_KIND, CLOSEOUT_KIND
from pmo.reports.models import ReportRun

pytestmark = pytest.mark.django_db

# Roles that may change state come last, so that earlier requests see the fixture as built.
ROLES = ("anonymous", "reviewer", "other_pm", "member", "executive", "pm", "pmo")
OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302


def row(forbidden=(), not_found=()):
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
PMO_ONLY = row(forbidden=("executive", "pm", "other_pm", "reviewer", "member"))
PMO_EXEC = row(forbidden=("pm", "other_pm", "reviewer", "member"))
VIEW = row(not_found=("other_pm", "reviewer"))
EDIT = row(forbidden=("executive", "member"), not_found=("other_pm", "reviewer"))
PMO_ON_PROJECT = row(forbidden=("executive", "pm", "member"), not_found=("other_pm", "reviewer"))
# The reviewer of ``world`` is assigned to its gate.
GATE_VIEW = row(not_found=("other_pm",))
GATE_MANAGE = row(forbidden=("executive", "member", "reviewer"), not_found=("other_pm",))
GATE_DECIDE = row(forbidden=("executive", "member", "pm"), not_found=("other_pm",))
# The project manager signs first; the sponsor (the executive) and the PMO wait their turn.
SIGN = row(forbidden=("executive", "member", "pmo"), not_found=("other_pm", "reviewer"))

MATRIX = [
    # goals and agreement
    ("goal_create", "project", "get", EDIT),
    ("goal_edit", "goal", "get", EDIT),
    ("goal_delete", "goal", "post", EDIT),
    ("raci_edit", "project", "get", EDIT),
    ("raci_activity_add", "project", "post", EDIT),
    ("raci_activity_delete", "activity", "post", EDIT),
    ("agreement_issue", "project", "post", EDIT),
    ("agreement_detail", "agreement", "get", VIEW),
    ("agreement_sign", "agreement", "post", SIGN),
    ("agreement_pdf", "agreement", "post", VIEW),
    ("agreement_download", "agreement", "get", VIEW),
    ("communication_create", "project", "get", EDIT),
    ("framework_list", None, "get", PMO_ONLY),
    ("framework_edit", "type", "get", PMO_ONLY),
    # plan
    ("plan_item_create", "phase_kind", "get", EDIT),
    ("plan_item_edit", "phase", "get", EDIT),
    ("plan_item_delete", "milestone", "post", EDIT),
    ("phase_start", "phase_start", "post", EDIT),
    ("baseline_propose", "project", "get", EDIT),
    ("baseline_detail", "baseline", "get", VIEW),
    ("baseline_decide", "baseline", "post", PMO_ON_PROJECT),
    # status
    ("status_grid", None, "get", PMO_EXEC),
    ("my_status", None, "get", EVERYONE),
    ("status_edit", "project", "get", EDIT),
    ("status_preview", "project", "post", EDIT),
    ("status_detail", "report", "get", VIEW),
    ("status_override", "report", "post", PMO_ON_PROJECT),
    ("policy_edit", None, "get", PMO_ONLY),
    ("project_policy_edit", "project", "get", PMO_ONLY),
    # issues and interventions
    ("control", None, "get", PMO_EXEC),
    ("issue_create", "project", "get", EDIT),
    ("issue_detail", "issue", "get", VIEW),
    ("issue_edit", "issue", "get", EDIT),
    ("issue_act", "issue", "post", EDIT),
    ("issue_escalate", "issue", "post", PMO_ON_PROJECT),
    ("issue_resolve", "issue", "post", EDIT),
    ("change_decide", "issue", "post", PMO_ON_PROJECT),
    ("intervention_create", "project", "get", PMO_ON_PROJECT),
    ("intervention_detail", "intervention", "get", VIEW),
    ("intervention_close", "intervention", "post", PMO_ON_PROJECT),
    ("settings", None, "get", PMO_ONLY),
    # gates
    ("gate_create", "project", "get", EDIT),
    ("gate_detail", "gate", "get", GATE_VIEW),
    ("gate_edit", "gate", "get", GATE_MANAGE),
    ("evidence_upload", "gate", "post", GATE_MANAGE),
    ("evidence_download", "evidence", "get", GATE_VIEW),
    ("evidence_delete", "evidence", "post", GATE_MANAGE),
    ("gate_submit", "gate", "post", GATE_MANAGE),
    ("gate_decide", "gate", "post", GATE_DECIDE),
    ("condition_close", "condition", "post", GATE_MANAGE),
    ("my_reviews", None, "get", EVERYONE),
    # resources
    ("resource_request", "project", "get", EDIT),
    ("resource_requests", None, "get", PMO_ONLY),
    ("resource_decide", "request", "post", PMO_ON_PROJECT),
    # closeout
    ("closeout_start", "project", "post", EDIT),
    ("closeout_edit", "project", "get", EDIT),
    ("closure_item_update", "item", "post", EDIT),
    ("closure_evidence", "item", "get", VIEW),
    ("goal_actual", "goal", "get", EDIT),
    ("lesson_create", "project", "get", EDIT),
    ("closeout_submit", "project", "post", EDIT),
    ("closeout_decide", "project", "post", PMO_ON_PROJECT),
    ("closeout_pdf", "project", "post", VIEW),
    ("closeout_download", "project", "get", VIEW),
    ("closure_templates", None, "get", PMO_ONLY),
    ("closure_template_edit", "template", "get", PMO_ONLY),
    ("closure_template_delete", "template", "post", PMO_ONLY),
    # dashboard widgets (PMO cockpit)
    ("widget", "widget", "get", PMO_EXEC),
]


# After the first allowed role deleted the object, the next one finds it gone.
DELETES = {
    "goal_delete",
    "raci_activity_delete",
    "plan_item_delete",
    "evidence_delete",
    "closure_template_delete",
}


@pytest.fixture
def objects(world, planned):
    """``world`` plus rendered PDFs of the agreement and the closeout to download."""
    for kind, params in (
        (AGREEMENT_KIND, {"agreement": world["agreement"]["pk"]}),
        (CLOSEOUT_KIND, {"project": planned.pk}),
    ):
        run = ReportRun(
            kind=kind,
            period_label="2026-05-04",
            period_start="2026-05-04",
            period_end="2026-05-04",
            language="zh-hans",
            params=params,
            params_hash=kind,
            status=ReportRun.Status.DONE,
        )
        run.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        run.save()
    return world


@pytest.mark.parametrize(("name", "key", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(request, objects, name, key, method, expected):
    url = reverse(f"delivery:{name}", kwargs=objects[key] if key else None)
    deleted = False
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(f"{role}_user"))
        response = getattr(client, method)(url)
        status = response.status_code
        if expected[role] == OK and role != "anonymous":
            allowed = (200, 302, 422) if method == "post" else (200,)
            if deleted:
                allowed = (404,)
            assert status in allowed, (name, role, status)
            deleted = name in DELETES
        else:
            assert status == expected[role], (name, role, status)
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


def test_every_delivery_url_is_in_the_matrix():
    from delivery import urls

    named = {p.name for p in urls.urlpatterns}
    assert named == {m[0] for m in MATRIX}


def test_an_unassigned_reviewer_gets_404_on_the_gate(client, world, reviewer_user):
    from delivery.models import Gate

    Gate.objects.get(pk=world["gate"]["pk"]).reviewers.clear()
    client.force_login(reviewer_user)
    assert client.get(reverse("delivery:gate_detail", kwargs=world["gate"])).status_code == 404
    url = reverse("delivery:gate_decide", kwargs=world["gate"])
    assert client.post(url, {"decision": "passed"}).status_code == 404


def test_a_pm_cannot_set_decision_fields_by_crafting_a_post(client, world, pm_user):
    """Approval and decision fields are not on the manager's forms, and the PMO's forms
    refuse the manager: nothing of a crafted POST lands."""
    from delivery.models import Baseline, Gate, Issue, ResourceRequest, StatusReport

    client.force_login(pm_user)
    issue_url = reverse("delivery:issue_edit", kwargs=world["issue"])
    response = client.post(
        issue_url,
        {
            "title": "接口延期",
            "severity": "high",
            "decision": "approved",
            "level": "3",
            "status": "resolved",
            "pmo_response_at": "2026-01-01T00:00",
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get(pk=world["issue"]["pk"])
    assert issue.decision == "" and issue.level == 1 and issue.status == "in_progress"
    url = reverse("delivery:baseline_decide", kwargs=world["baseline"])
    assert client.post(url, {"approve": "1"}).status_code == 403
    assert Baseline.objects.get(pk=world["baseline"]["pk"]).status == "proposed"
    url = reverse("delivery:resource_decide", kwargs=world["request"])
    assert client.post(url, {"approve": "1"}).status_code == 403
    assert ResourceRequest.objects.get(pk=world["request"]["pk"]).status == "pending"
    url = reverse("delivery:gate_decide", kwargs=world["gate"])
    assert client.post(url, {"decision": "passed"}).status_code == 403
    assert Gate.objects.get(pk=world["gate"]["pk"]).status == "in_review"
    url = reverse("delivery:status_override", kwargs=world["report"])
    assert client.post(url, {"overall": "green", "reason": "x"}).status_code == 403
    report = StatusReport.objects.get(pk=world["report"]["pk"])
    assert report.override_overall == ""
    # A status form cannot carry the PMO's override or the computed figures either.
    edit = reverse("delivery:status_edit", kwargs=world["project"])
    data = {
        "period": report.period_start.isoformat(),
        "override_overall": "green",
        "overall": "green",
        "spi": "9",
        "submit": "1",
        "actual_cost": "200000",
        "accomplishments": "x",
    }
    for key in ("schedule", "cost", "scope", "quality", "risk"):
        data[f"{key}_rag"] = "green"
    data["resources_rag"] = "amber"
    data["resources_reason"] = "测试人员不足"
    for pk, value in report.project.deliverables.values_list("pk", "percent_complete"):
        data[f"progress_{pk}"] = str(value)
    assert client.post(edit, data).status_code == 302
    report.refresh_from_db()
    assert report.override_overall == "" and report.overall == "amber"
    assert report.spi is None or report.spi < 9
