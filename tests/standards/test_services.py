"""The standards services: the version lifecycle, templates, the project side and
their failure paths (nothing is written when a service refuses)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from pmo.core.models import Notification, Stage
from standards import compliance as rules
from standards import services
from standards.models import (
    ChangeRequest,
    DeliverableRecord,
    MethodologyVersion,
    TailoringRequest,
    TemplateRevision,
)
from tests.core.factories import ProjectTypeFactory
from tests.standards.factories import (
    ChangeRequestFactory,
    DeliverableFactory,
    GateFactory,
    MethodologyFactory,
    PhaseFactory,
    TemplateFactory,
    docx_bytes,
    docx_upload,
    pdf_upload,
    published_methodology,
)

pytestmark = pytest.mark.django_db
Status = MethodologyVersion.Status
TODAY = dt.date(2026, 3, 16)


def _fill(version):
    phase = services.phase_save(version=version, code="INIT", name="立项", sort_order=1)
    gate = services.gate_save(
        version=version, code="G1", name="立项决策", phase=phase, due_stage=Stage.APPROVED
    )
    services.deliverable_save(version=version, code="CHARTER", name="项目章程", gate=gate)
    return phase, gate


# --- the version lifecycle ------------------------------------------------------------------


def test_a_new_methodology_starts_with_an_empty_draft(pmo_user):
    methodology = services.methodology_save(
        code="IT", name="信息化项目管理办法", project_type=ProjectTypeFactory(), actor=pmo_user
    )
    version = methodology.versions.get()
    assert (version.number, version.status) == (1, Status.DRAFT)
    assert version.history.first().history_user == pmo_user


def test_an_empty_draft_cannot_be_submitted(pmo_user):
    methodology = services.methodology_save(code="IT", name="办法", actor=pmo_user)
    version = methodology.versions.get()
    with pytest.raises(ValidationError) as error:
        services.methodology_version_submit(version=version, actor=pmo_user)
    assert len(error.value.messages) == 3
    version.refresh_from_db()
    assert version.status == Status.DRAFT


def test_draft_review_published_and_the_previous_version_retires(pmo_user):
    methodology = services.methodology_save(code="IT", name="办法", actor=pmo_user)
    v1 = methodology.versions.get()
    _fill(v1)
    services.methodology_version_submit(version=v1, actor=pmo_user)
    services.methodology_version_publish(version=v1, actor=pmo_user)
    v1.refresh_from_db()
    assert v1.status == Status.PUBLISHED and v1.reviewed_by == pmo_user

    v2 = services.methodology_version_create(methodology=methodology, based_on=v1, actor=pmo_user)
    assert (v2.number, v2.status) == (2, Status.DRAFT)
    assert list(v2.deliverables.values_list("code", flat=True)) == ["CHARTER"]
    assert v2.deliverables.get().gate.version == v2  # the copy points at the copy
    services.methodology_version_submit(version=v2, actor=pmo_user)
    services.methodology_version_publish(version=v2, actor=pmo_user)
    v1.refresh_from_db()
    assert v1.status == Status.RETIRED and v1.retired_at is not None
    assert methodology.versions.filter(status=Status.PUBLISHED).get() == v2


def test_only_one_version_is_published_at_a_time():
    version = published_methodology()
    with pytest.raises(IntegrityError):
        MethodologyVersion.objects.create(
            methodology=version.methodology, number=2, status=Status.PUBLISHED
        )


def test_a_second_draft_waits_for_the_first(pmo_user):
    methodology = services.methodology_save(code="IT", name="办法", actor=pmo_user)
    with pytest.raises(ValidationError):
        services.methodology_version_create(methodology=methodology, actor=pmo_user)
    assert methodology.versions.count() == 1


def test_published_content_cannot_change(pmo_user, version):
    with pytest.raises(ValidationError):
        services.phase_save(version=version, code="NEW", name="新阶段", actor=pmo_user)
    with pytest.raises(ValidationError):
        services.version_part_delete(part=version.deliverables.first(), actor=pmo_user)
    assert version.phases.count() == 2 and version.deliverables.count() == 4


def test_sending_back_needs_a_note_and_only_the_pmo_publishes(pmo_user, pm_user):
    methodology = services.methodology_save(code="IT", name="办法", actor=pmo_user)
    version = methodology.versions.get()
    _fill(version)
    services.methodology_version_submit(version=version, actor=pmo_user)
    with pytest.raises(ValidationError):
        services.methodology_version_return(version=version, note=" ", actor=pmo_user)
    with pytest.raises(PermissionDenied):
        services.methodology_version_publish(version=version, actor=pm_user)
    version.refresh_from_db()
    assert version.status == Status.REVIEW
    services.methodology_version_return(version=version, note="补充验收标准", actor=pmo_user)
    version.refresh_from_db()
    assert (version.status, version.review_note) == (Status.DRAFT, "补充验收标准")


def test_a_part_of_another_version_is_refused(pmo_user, version):
    draft = services.methodology_version_create(
        methodology=version.methodology, based_on=version, actor=pmo_user
    )
    with pytest.raises(ValidationError) as error:
        services.deliverable_save(
            version=draft, code="X", name="其他", gate=version.gates.first(), actor=pmo_user
        )
    assert "gate" in error.value.message_dict
    assert not draft.deliverables.filter(code="X").exists()


def test_publishing_implements_the_change_requests_linked_to_the_version(pmo_user, version):
    draft = services.methodology_version_create(
        methodology=version.methodology, based_on=version, actor=pmo_user
    )
    request = ChangeRequestFactory(methodology=version.methodology)
    services.change_request_triage(
        request=request,
        status=ChangeRequest.Status.IMPLEMENTED,
        implemented_in=draft,
        actor=pmo_user,
    )
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.ACCEPTED  # not yet published
    services.methodology_version_submit(version=draft, actor=pmo_user)
    services.methodology_version_publish(version=draft, actor=pmo_user)
    request.refresh_from_db()
    assert (request.status, request.implemented_in) == (ChangeRequest.Status.IMPLEMENTED, draft)


# --- templates --------------------------------------------------------------------------------


def test_template_revisions_are_numbered_and_kept_outside_the_web_root(
    pmo_user, private_files, settings
):
    template = TemplateFactory()
    first = services.template_revision_upload(
        template=template, upload=docx_upload(), actor=pmo_user
    )
    second = services.template_revision_upload(
        template=template,
        upload=docx_upload(text="第二版"),
        change_note="增加风险章节",
        actor=pmo_user,
    )
    template.refresh_from_db()
    assert (first.number, second.number, template.current) == (1, 2, second)
    path = second.file.path
    assert path.startswith(str(private_files.resolve()))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert second.size == len(docx_bytes("第二版")) and len(second.checksum) == 64


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("charter.docx", b"%PDF-1.4 not a word file"),  # the name lies about the content
        ("charter.docx", b"PK\x03\x04 broken archive"),
        ("macro.exe", b"MZ\x90\x00"),
        ("charter.pdf", b""),
        ("book.xlsx", docx_bytes()),  # a Word archive named as a workbook
    ],
)
def test_a_template_upload_is_checked_by_content(pmo_user, name, content):
    template = TemplateFactory()
    with pytest.raises(ValidationError):
        services.template_revision_upload(
            template=template, upload=SimpleUploadedFile(name, content), actor=pmo_user
        )
    assert not TemplateRevision.objects.exists()


def test_a_too_big_template_is_refused(pmo_user, monkeypatch):
    monkeypatch.setattr("pmo.core.documents.MAX_TEMPLATE_BYTES", 100)
    with pytest.raises(ValidationError) as error:
        services.template_revision_upload(
            template=TemplateFactory(), upload=docx_upload(), actor=pmo_user
        )
    assert error.value.code == "too_big"


# --- the project side ------------------------------------------------------------------------


def test_a_project_follows_only_a_published_version_of_its_type(pm_user, project, version):
    draft = published_methodology(
        project.project_type.__class__.objects.create(code="rd", name="研发"), status="draft"
    )
    with pytest.raises(ValidationError):
        services.project_methodology_assign(project=project, version=draft, actor=pm_user)
    other_type = published_methodology(ProjectTypeFactory(code="construction", name="基建"))
    with pytest.raises(ValidationError):
        services.project_methodology_assign(project=project, version=other_type, actor=pm_user)
    assignment = services.project_methodology_assign(
        project=project, version=version, actor=pm_user
    )
    assert services.assignment_of(project) == assignment


def test_another_pm_cannot_assign_or_submit(other_pm_user, project, version):
    with pytest.raises(PermissionDenied):
        services.project_methodology_assign(project=project, version=version, actor=other_pm_user)


def _assigned(project, version, pm_user):
    services.project_methodology_assign(project=project, version=version, actor=pm_user)
    return {d.code: d for d in version.deliverables.all()}


def test_gate_requirements_show_status_per_deliverable(pm_user, project, version):
    items = _assigned(project, version, pm_user)
    services.deliverable_record_submit(
        project=project, deliverable=items["D1-0"], upload=pdf_upload(), actor=pm_user
    )
    g1, g2 = services.project_gates(project)
    first = {r.deliverable.code: r.status for r in services.gate_requirements(project, g1, TODAY)}
    assert first == {"D1-0": rules.PRESENT, "D1-1": rules.MISSING, "D1-2": rules.MISSING}
    second = services.gate_requirements(project, g2, TODAY)
    assert [(r.deliverable.code, r.status, r.due) for r in second] == [
        ("D2-0", rules.NOT_DUE, False)
    ]
    assert not services.gate_requirements_met(project, g1)


def test_tailoring_approved_by_the_pmo_takes_the_optional_deliverable_out(
    pm_user, pmo_user, project, version
):
    items = _assigned(project, version, pm_user)
    request = services.tailoring_request_submit(
        project=project,
        deliverables=[items["D1-2"]],
        reason="小型项目，无需单独的沟通计划",
        actor=pm_user,
    )
    services.tailoring_request_decide(request=request, approve=True, actor=pmo_user)
    for code in ("D1-0", "D1-1"):
        services.deliverable_record_submit(
            project=project, deliverable=items[code], link="https://docs.example/x", actor=pm_user
        )
    g1 = services.project_gates(project)[0]
    statuses = {r.deliverable.code: r.status for r in services.gate_requirements(project, g1)}
    assert statuses["D1-2"] == rules.TAILORED
    assert services.gate_requirements_met(project, g1)
    assert Notification.objects.filter(recipient=pm_user, title__contains=project.code).exists()


def test_a_mandatory_deliverable_cannot_be_tailored_and_a_reason_is_needed(
    pm_user, project, version
):
    items = _assigned(project, version, pm_user)
    with pytest.raises(ValidationError) as error:
        services.tailoring_request_submit(
            project=project, deliverables=[items["D1-0"]], reason="", actor=pm_user
        )
    assert set(error.value.message_dict) == {"deliverables", "reason"}
    assert not TailoringRequest.objects.exists()


def test_a_pm_cannot_approve_tailoring_and_nothing_is_written(pm_user, project, version):
    items = _assigned(project, version, pm_user)
    request = services.tailoring_request_submit(
        project=project, deliverables=[items["D1-2"]], reason="理由", actor=pm_user
    )
    with pytest.raises(PermissionDenied):
        services.tailoring_request_decide(request=request, approve=True, actor=pm_user)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (TailoringRequest.Status.PENDING, None)


def test_rejecting_tailoring_needs_a_reason_and_a_decision_is_final(
    pm_user, pmo_user, project, version
):
    items = _assigned(project, version, pm_user)
    request = services.tailoring_request_submit(
        project=project, deliverables=[items["D1-2"]], reason="理由", actor=pm_user
    )
    with pytest.raises(ValidationError):
        services.tailoring_request_decide(request=request, approve=False, actor=pmo_user)
    services.tailoring_request_decide(request=request, approve=False, note="须保留", actor=pmo_user)
    with pytest.raises(ValidationError):
        services.tailoring_request_decide(request=request, approve=True, actor=pmo_user)
    request.refresh_from_db()
    assert request.status == TailoringRequest.Status.REJECTED


def test_evidence_needs_a_file_or_a_link_and_a_bad_file_writes_nothing(pm_user, project, version):
    items = _assigned(project, version, pm_user)
    with pytest.raises(ValidationError):
        services.deliverable_record_submit(
            project=project, deliverable=items["D1-0"], actor=pm_user
        )
    with pytest.raises(ValidationError) as error:
        services.deliverable_record_submit(
            project=project,
            deliverable=items["D1-0"],
            upload=SimpleUploadedFile("report.pdf", b"MZ not a pdf"),
            actor=pm_user,
        )
    assert "file" in error.value.message_dict
    assert not DeliverableRecord.objects.exists()


def test_evidence_for_a_project_without_methodology_is_refused(pm_user, project, version):
    with pytest.raises(ValidationError):
        services.deliverable_record_submit(
            project=project,
            deliverable=version.deliverables.first(),
            link="https://x.example",
            actor=pm_user,
        )


def test_a_withdrawn_record_counts_as_missing_again(pm_user, project, version):
    items = _assigned(project, version, pm_user)
    record = services.deliverable_record_submit(
        project=project, deliverable=items["D1-0"], upload=pdf_upload(), actor=pm_user
    )
    services.deliverable_record_withdraw(record=record, actor=pm_user)
    g1 = services.project_gates(project)[0]
    statuses = {r.deliverable.code: r.status for r in services.gate_requirements(project, g1)}
    assert statuses["D1-0"] == rules.MISSING


def test_moving_to_a_new_version_carries_evidence_and_tailoring_by_code(
    pm_user, pmo_user, project, version
):
    items = _assigned(project, version, pm_user)
    services.deliverable_record_submit(
        project=project, deliverable=items["D1-0"], upload=pdf_upload(), actor=pm_user
    )
    request = services.tailoring_request_submit(
        project=project, deliverables=[items["D1-2"]], reason="理由", actor=pm_user
    )
    services.tailoring_request_decide(request=request, approve=True, actor=pmo_user)
    v2 = services.methodology_version_create(
        methodology=version.methodology, based_on=version, actor=pmo_user
    )
    services.methodology_version_submit(version=v2, actor=pmo_user)
    services.methodology_version_publish(version=v2, actor=pmo_user)
    services.project_methodology_assign(project=project, version=v2, actor=pm_user)
    g1 = services.project_gates(project)[0]
    assert g1.version == v2
    statuses = {r.deliverable.code: r.status for r in services.gate_requirements(project, g1)}
    assert statuses == {"D1-0": rules.PRESENT, "D1-1": rules.MISSING, "D1-2": rules.TAILORED}
    # A gate of the earlier version (e.g. kept by a delivery gate) is matched by its code.
    old_gate = version.gates.get(code="G1")
    assert [r.deliverable.pk for r in services.gate_requirements(project, old_gate)] == [
        r.deliverable.pk for r in services.gate_requirements(project, g1)
    ]


def test_a_gate_of_another_version_is_refused(pm_user, project, version):
    _assigned(project, version, pm_user)
    stray = GateFactory(phase=PhaseFactory())
    with pytest.raises(ValueError):
        services.gate_requirements(project, stray)


def test_no_methodology_means_nothing_is_required(project, version):
    gate = version.gates.first()
    assert services.gate_requirements(project, gate) == []
    assert services.gate_requirements_met(project, gate)
    assert services.project_compliance(project) is None


# --- change requests and suggestions ----------------------------------------------------------


def test_anyone_raises_a_change_request_and_the_pmo_triages_it(member_user, pmo_user, pm_user):
    methodology = MethodologyFactory()
    request = services.change_request_raise(
        methodology=methodology, title="合并两份周报模板", description="…", actor=member_user
    )
    assert request.status == ChangeRequest.Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.change_request_triage(request=request, status="accepted", actor=pm_user)
    with pytest.raises(ValidationError):
        services.change_request_triage(request=request, status="rejected", actor=pmo_user)
    services.change_request_triage(
        request=request, status="deferred", note="下一版考虑", actor=pmo_user
    )
    request.refresh_from_db()
    assert (request.status, request.triaged_by) == (ChangeRequest.Status.DEFERRED, pmo_user)


def test_a_change_request_links_only_to_its_methodology(pmo_user, version):
    request = ChangeRequestFactory()
    with pytest.raises(ValidationError):
        services.change_request_triage(
            request=request, status="implemented", implemented_in=version, actor=pmo_user
        )


def test_a_suggestion_is_answered_and_its_author_told(member_user, pmo_user):
    suggestion = services.suggestion_submit(
        title="周报支持手机填写", description="出差时不方便", area="status", actor=member_user
    )
    with pytest.raises(ValidationError):
        services.suggestion_respond(
            suggestion=suggestion, status="planned", response="", actor=pmo_user
        )
    services.suggestion_respond(
        suggestion=suggestion, status="planned", response="已列入三季度计划", actor=pmo_user
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "planned"
    assert Notification.objects.filter(recipient=member_user).count() == 1


def test_deliverable_factory_links_its_version():
    item = DeliverableFactory()
    assert item.version == item.gate.version
