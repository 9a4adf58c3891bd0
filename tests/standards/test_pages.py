"""Every standards page renders in Chinese and in English, with the figures a user
reads; forms re-render their errors and write nothing."""

import pytest
from django.urls import reverse

from pmo.core.models import Stage
from standards import services
from standards.models import ChangeRequest, DeliverableRecord, TailoringRequest, ToolScore
from tests.standards.factories import (
    ChangeRequestFactory,
    StepFactory,
    SuggestionFactory,
    TemplateFactory,
    ToolCandidateFactory,
    ToolCriterionFactory,
    ToolEvaluationFactory,
    docx_upload,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(pmo_user, pm_user, reviewer_user, project, version):
    """A published version with a template, a draft next to it, the project assigned
    with one deliverable present and a pending tailoring request, a change request, a
    suggestion and a tool evaluation in scoring."""
    template = TemplateFactory(
        code="T-CHARTER", name="项目章程模板", name_en="Project charter template"
    )
    services.template_revision_upload(template=template, upload=docx_upload(), actor=pmo_user)
    charter = version.deliverables.get(code="D1-0")
    charter.template = template
    charter.save()
    template.refresh_from_db()
    draft = services.methodology_version_create(
        methodology=version.methodology, based_on=version, actor=pmo_user
    )
    process = draft.processes.get(code="P-INIT")
    StepFactory(process=process, name="无人负责的步骤", responsibility="")
    services.project_methodology_assign(project=project, version=version, actor=pm_user)
    items = {d.code: d for d in version.deliverables.all()}
    record = services.deliverable_record_submit(
        project=project, deliverable=items["D1-0"], upload=pdf_upload(), actor=pm_user
    )
    tailoring = services.tailoring_request_submit(
        project=project, deliverables=[items["D1-2"]], reason="小项目", actor=pm_user
    )
    change = ChangeRequestFactory(methodology=version.methodology, raised_by=pm_user)
    suggestion = SuggestionFactory(submitted_by=pm_user)
    evaluation = ToolEvaluationFactory()
    criteria = [ToolCriterionFactory(evaluation=evaluation, weight=w) for w in (60, 40)]
    candidates = [ToolCandidateFactory(evaluation=evaluation) for _ in range(2)]
    evaluation.evaluators.set([pmo_user, reviewer_user])
    services.tool_evaluation_open(evaluation=evaluation, actor=pmo_user)
    for user in (pmo_user, reviewer_user):
        for candidate in candidates:
            services.tool_scores_save(
                evaluation=evaluation,
                candidate=candidate,
                scores={c.pk: (7, "") for c in criteria},
                actor=user,
            )
    return {
        "version": version,
        "draft": draft,
        "process": version.processes.get(code="P-INIT"),
        "template": template,
        "revision": template.current,
        "project": project,
        "deliverable": items["D1-1"],
        "record": record,
        "tailoring": tailoring,
        "change": change,
        "suggestion": suggestion,
        "evaluation": evaluation,
        "candidate": candidates[0],
        "criterion": criteria[0],
    }


def pages(w):
    """(url, text an English reader must find) of every GET page."""
    v, p = w["version"], w["project"]
    return [
        (reverse("standards:library"), "Methodology per project type"),
        (reverse("standards:source_list"), "Best-practice sources"),
        (reverse("standards:source_create"), "Best-practice source"),
        (reverse("standards:methodology_create"), "Methodology"),
        (reverse("standards:methodology_detail", args=[v.methodology_id]), "Versions"),
        (reverse("standards:methodology_edit", args=[v.methodology_id]), "Methodology"),
        (reverse("standards:version_detail", args=[v.pk]), "Initiation document 0"),
        (reverse("standards:version_detail", args=[w["draft"].pk]), "Step without an owner"),
        (reverse("standards:version_edit", args=[w["draft"].pk]), "Summary of changes"),
        (reverse("standards:version_diff", args=[w["draft"].pk]), "added"),
        (reverse("standards:part_create", args=[w["draft"].pk, "phase"]), "Lifecycle phase"),
        (
            reverse(
                "standards:part_edit", args=[w["draft"].pk, "gate", w["draft"].gates.first().pk]
            ),
            "Gate",
        ),
        (
            reverse("standards:part_create", args=[w["draft"].pk, "step"])
            + f"?process={w['draft'].processes.first().pk}",
            "Process step",
        ),
        (reverse("standards:process_detail", args=[w["process"].pk]), "Steps"),
        (reverse("standards:review"), "Conflicts and duplications"),
        (reverse("standards:template_list"), "Project charter template"),
        (reverse("standards:template_create"), "First revision"),
        (reverse("standards:template_detail", args=[w["template"].pk]), "Revisions"),
        (reverse("standards:template_edit", args=[w["template"].pk]), "Document template"),
        (reverse("standards:template_upload", args=[w["template"].pk]), "New revision"),
        (reverse("standards:methodology_assign", args=[p.pk]), "Methodology the project follows"),
        (reverse("standards:tailoring_create", args=[p.pk]), "Request tailoring"),
        (reverse("standards:evidence_submit", args=[p.pk, w["deliverable"].pk]), "Evidence of"),
        (reverse("standards:tailoring_list"), "Tailoring requests"),
        (reverse("standards:tailoring_detail", args=[w["tailoring"].pk]), "PMO decision"),
        (reverse("standards:compliance"), "Compliance rate by organisational unit"),
        (reverse("standards:change_list"), "Change requests"),
        (reverse("standards:change_create"), "Change request"),
        (reverse("standards:change_detail", args=[w["change"].pk]), "Triage"),
        (reverse("standards:suggestion_list"), "Make a suggestion"),
        (reverse("standards:suggestion_detail", args=[w["suggestion"].pk]), "Answer"),
        (reverse("standards:tool_list"), "Evaluation of project management software"),
        (reverse("standards:tool_create"), "Tool evaluation"),
        (
            reverse("standards:tool_detail", args=[w["evaluation"].pk]),
            "Weighted score by candidate",
        ),
        (reverse("standards:tool_edit", args=[w["evaluation"].pk]), "Tool evaluation"),
        (
            reverse("standards:tool_score", args=[w["evaluation"].pk, w["candidate"].pk]),
            "Your scores of",
        ),
        (reverse("standards:tool_decide", args=[w["evaluation"].pk]), "Decision"),
        (reverse("standards:adoption"), "Data quality of open projects by organisational unit"),
        (reverse("core:project_detail", args=[p.pk]) + "?tab=standards", "Compliance rate"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_in_both_languages(client_for, world, language):
    client = client_for("pmo")
    for url, text in pages(world):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        if language == "en":
            assert text in response.content.decode(), (url, text)
        else:
            assert '<html lang="zh-hans">' in response.content.decode(), url


def test_downloads_come_from_the_private_folder(client_for, world):
    client = client_for("member")
    response = client.get(reverse("standards:revision_download", args=[world["revision"].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"PK")
    response = client.get(reverse("standards:record_download", args=[world["record"].pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_project_tab_shows_status_per_gate(client_for, world):
    response = client_for("pm").get(
        reverse("core:project_detail", args=[world["project"].pk]) + "?tab=standards",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert 'data-testid="requirement-D1-0" data-status="present"' in html
    assert 'data-testid="requirement-D1-1" data-status="missing"' in html
    assert 'data-testid="requirement-D2-0" data-status="not_due"' in html
    # 1 present of 3 due at gate G1 (the optional one is pending, not yet tailored out)
    assert "= 1 present ÷ 3 due" in html


def test_a_bad_evidence_upload_re_renders_with_its_error(client_for, world):
    url = reverse("standards:evidence_submit", args=[world["project"].pk, world["deliverable"].pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("pm").post(
        url, {"file": SimpleUploadedFile("plan.pdf", b"MZ")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert "does not match its name" in response.content.decode()
    assert not DeliverableRecord.objects.filter(deliverable=world["deliverable"]).exists()


def test_the_pmo_approves_tailoring_from_its_page(client_for, world):
    url = reverse("standards:tailoring_detail", args=[world["tailoring"].pk])
    response = client_for("pmo").post(url, {"decision": "approve", "note": ""})
    assert response.status_code == 302
    world["tailoring"].refresh_from_db()
    assert world["tailoring"].status == TailoringRequest.Status.APPROVED


def test_a_pm_crafting_an_approval_gets_403_and_nothing_is_written(client_for, world):
    url = reverse("standards:tailoring_detail", args=[world["tailoring"].pk])
    audit_rows = world["tailoring"].history.count()
    response = client_for("pm").post(url, {"decision": "approve", "note": "自己批准"})
    assert response.status_code == 403
    world["tailoring"].refresh_from_db()
    assert (world["tailoring"].status, world["tailoring"].decided_by) == ("pending", None)
    assert world["tailoring"].history.count() == audit_rows


def test_rejecting_without_a_reason_re_renders_the_form(client_for, world):
    url = reverse("standards:tailoring_detail", args=[world["tailoring"].pk])
    response = client_for("pmo").post(
        url, {"decision": "reject", "note": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert "Give the reason for rejecting the request." in response.content.decode()


def test_publishing_from_the_version_page(client_for, world, pmo_user):
    draft = world["draft"]
    client = client_for("pmo")
    client.post(reverse("standards:version_transition", args=[draft.pk, "submit"]))
    response = client.post(
        reverse("standards:version_transition", args=[draft.pk, "publish"]), {"note": "同意发布"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    world["version"].refresh_from_db()
    assert (draft.status, world["version"].status) == ("published", "retired")


def test_the_diff_lists_added_removed_and_changed_parts(client_for, world, pmo_user):
    draft = world["draft"]
    services.phase_save(version=draft, code="EXEC", name="执行", sort_order=5, actor=pmo_user)
    services.version_part_delete(part=draft.deliverables.get(code="D2-0"), actor=pmo_user)
    gate = draft.gates.get(code="G1")
    services.gate_save(
        version=draft,
        gate=gate,
        actor=pmo_user,
        code="G1",
        name="立项评审",
        phase=gate.phase,
        due_stage=Stage.APPROVED,
    )
    response = client_for("pmo").get(
        reverse("standards:version_diff", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    changes = response.context["changes"]
    found = {(c.kind, c.key, c.action) for c in changes}
    assert ("phase", "EXEC", "added") in found
    assert ("deliverable", "D2-0", "removed") in found
    assert ("gate", "G1", "changed") in found
    assert ("step", "P-INIT · 无人负责的步骤", "added") in found
    gate_change = next(c for c in changes if c.key == "G1")
    assert [(f.field, f.old, f.new) for f in gate_change.fields] == [
        ("name", "立项决策", "立项评审")
    ]


def test_a_non_pmo_cannot_see_a_draft(client_for, world):
    response = client_for("pm").get(reverse("standards:version_detail", args=[world["draft"].pk]))
    assert response.status_code == 404


def test_triage_from_the_change_page(client_for, world):
    url = reverse("standards:change_detail", args=[world["change"].pk])
    response = client_for("pmo").post(
        url,
        {
            "status": "implemented",
            "priority": "high",
            "implemented_in": world["draft"].pk,
            "note": "",
        },
    )
    assert response.status_code == 302
    world["change"].refresh_from_db()
    assert world["change"].status == ChangeRequest.Status.ACCEPTED
    assert world["change"].implemented_in == world["draft"]


def test_an_evaluator_scores_from_the_page(client_for, world, reviewer_user):
    url = reverse("standards:tool_score", args=[world["evaluation"].pk, world["candidate"].pk])
    data = {f"score_{c.pk}": "9" for c in world["evaluation"].criteria.all()}
    response = client_for("reviewer").post(url, data)
    assert response.status_code == 302
    assert set(
        ToolScore.objects.filter(evaluator=reviewer_user, candidate=world["candidate"]).values_list(
            "score", flat=True
        )
    ) == {9}
    response = client_for("reviewer").post(url, {**data, f"score_{world['criterion'].pk}": "11"})
    assert response.status_code == 422


def test_a_duplicate_code_in_a_draft_is_refused_with_its_error(client_for, world):
    draft = world["draft"]
    gate = draft.gates.get(code="G1")
    url = reverse("standards:part_create", args=[draft.pk, "gate"])
    response = client_for("pmo").post(
        url,
        {
            "code": "G1",
            "name": "重复",
            "phase": gate.phase_id,
            "sort_order": 9,
            "due_stage": "active",
            "position_percent": 10,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert draft.gates.filter(code="G1").count() == 1
