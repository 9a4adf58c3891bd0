"""Writes of the project side: the version a project follows, tailoring requests and
their PMO decision, and the evidence of required deliverables."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.documents import check_evidence
from pmo.core.models import Project
from standards.models import (
    DeliverableRecord,
    MethodologyVersion,
    ProjectMethodology,
    RequiredDeliverable,
    TailoringRequest,
)
from standards.selectors.compliance import assignment_of
from standards.services.common import require_pmo, set_history_user, user_or_none


def _may_manage(actor, project: Project) -> bool:
    if actor is None or roles.is_pmo(actor):
        return True
    pid = roles.person_id_of(actor)
    return pid is not None and project.manager_id == pid


def _require_manager(actor, project: Project) -> None:
    if not _may_manage(actor, project):
        raise PermissionDenied(_("Only the project's manager or the PMO may do this."))


@transaction.atomic
def project_methodology_assign(
    *, project: Project, version: MethodologyVersion, note: str = "", actor
) -> ProjectMethodology:
    """Make a project follow a published version of the methodology of its type.

    Moving to a newer version of the same methodology carries the project's evidence
    over to the deliverables of the new version that have the same code; pending
    tailoring requests against the old version are withdrawn (approved tailoring
    carries over by deliverable code, see ``standards.selectors.compliance``).
    """
    _require_manager(actor, project)
    version = MethodologyVersion.objects.select_related("methodology").get(pk=version.pk)
    if version.status != MethodologyVersion.Status.PUBLISHED:
        raise ValidationError({"version": _("A project can only follow a published version.")})
    type_id = version.methodology.project_type_id
    if type_id is not None and type_id != project.project_type_id:
        raise ValidationError(
            {"version": _("This methodology is for another project type than the project's.")}
        )
    assignment = ProjectMethodology.objects.select_for_update().filter(project=project).first()
    old_version_id = assignment.version_id if assignment else None
    assignment = assignment or ProjectMethodology(project=project)
    assignment.version, assignment.note = version, note.strip()[:300]
    assignment.assigned_by = user_or_none(actor)
    assignment.full_clean()
    set_history_user(assignment, actor)
    assignment.save()
    if old_version_id and old_version_id != version.pk:
        codes = dict(version.deliverables.values_list("code", "pk"))
        for record in DeliverableRecord.objects.filter(project=project).select_related(
            "deliverable"
        ):
            new_id = codes.get(record.deliverable.code)
            if (
                new_id
                and not DeliverableRecord.objects.filter(
                    project=project, deliverable_id=new_id
                ).exists()
            ):
                record.deliverable_id = new_id
                set_history_user(record, actor)
                record.save(update_fields=["deliverable"])
        for request in TailoringRequest.objects.filter(
            project=project, status=TailoringRequest.Status.PENDING
        ).exclude(version=version):
            request.status = TailoringRequest.Status.WITHDRAWN
            set_history_user(request, actor)
            request.save(update_fields=["status"])
    return assignment


def _followed_version(project: Project) -> MethodologyVersion:
    assignment = assignment_of(project)
    if assignment is None:
        raise ValidationError(_("The project does not follow a methodology yet."))
    return assignment.version


@transaction.atomic
def tailoring_request_submit(
    *, project: Project, deliverables, reason: str, actor
) -> TailoringRequest:
    """Ask the PMO to tailor optional deliverables of the followed version out."""
    _require_manager(actor, project)
    version = _followed_version(project)
    items = list(deliverables)
    errors = {}
    if not items:
        errors["deliverables"] = _("Choose at least one deliverable to tailor out.")
    elif any(d.version_id != version.pk or not d.is_optional for d in items):
        errors["deliverables"] = _(
            "Only optional deliverables of the version the project follows can be tailored out."
        )
    if not reason.strip():
        errors["reason"] = _("Give the reason for tailoring.")
    if errors:
        raise ValidationError(errors)
    request = TailoringRequest(
        project=project, version=version, reason=reason.strip(), requested_by=user_or_none(actor)
    )
    request.full_clean()
    set_history_user(request, actor)
    request.save()
    request.deliverables.set(items)
    return request


@transaction.atomic
def tailoring_request_decide(
    *, request: TailoringRequest, approve: bool, note: str = "", actor
) -> TailoringRequest:
    """The PMO approves or rejects a pending tailoring request (a reason is needed to
    reject); the project manager is notified."""
    require_pmo(actor)
    request = TailoringRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TailoringRequest.Status.PENDING:
        raise ValidationError(_("This tailoring request has been decided already."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Give the reason for rejecting the request.")})
    request.status = (
        TailoringRequest.Status.APPROVED if approve else TailoringRequest.Status.REJECTED
    )
    request.decision_note = note.strip()
    request.decided_by = user_or_none(actor)
    request.decided_at = timezone.now()
    set_history_user(request, actor)
    request.save()
    _notify_manager(request)
    return request


def _notify_manager(request: TailoringRequest) -> None:
    from django.urls import reverse

    from pmo.core.services import notification_send

    project = Project.objects.select_related("manager__user").get(pk=request.project_id)
    user = project.manager.user if project.manager_id else None
    if user is None:
        return
    notification_send(
        recipients=[user],
        title=_("Tailoring request %(status)s: %(code)s")
        % {"status": request.get_status_display(), "code": project.code},
        body=request.decision_note,
        url=reverse("core:project_detail", args=[project.pk]) + "?tab=standards",
    )


@transaction.atomic
def tailoring_request_withdraw(*, request: TailoringRequest, actor) -> TailoringRequest:
    """The project withdraws a request the PMO has not decided yet."""
    _require_manager(actor, request.project)
    request = TailoringRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TailoringRequest.Status.PENDING:
        raise ValidationError(_("Only a pending request can be withdrawn."))
    request.status = TailoringRequest.Status.WITHDRAWN
    set_history_user(request, actor)
    request.save(update_fields=["status"])
    return request


@transaction.atomic
def deliverable_record_submit(
    *,
    project: Project,
    deliverable: RequiredDeliverable,
    upload=None,
    link: str = "",
    note: str = "",
    actor,
) -> DeliverableRecord:
    """Record the evidence of a required deliverable: an uploaded file (checked by
    content and size, stored outside the web root) and/or a link. Submitting again
    replaces the link and, when a file is given, the file; the earlier evidence stays
    in the record's history."""
    _require_manager(actor, project)
    version = _followed_version(project)
    if deliverable.version_id != version.pk:
        raise ValidationError(
            _("This deliverable is not required by the version the project follows.")
        )
    link = (link or "").strip()
    if upload is None and not link:
        raise ValidationError({"file": _("Upload a file or give a link to the deliverable.")})
    checked = None
    if upload is not None:
        try:
            checked = check_evidence(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    record = (
        DeliverableRecord.objects.select_for_update()
        .filter(project=project, deliverable=deliverable)
        .first()
    ) or DeliverableRecord(project=project, deliverable=deliverable)
    record.status = DeliverableRecord.Status.PRESENT
    record.link, record.note = link, note.strip()[:300]
    record.submitted_by, record.submitted_at = user_or_none(actor), timezone.now()
    if checked is not None:
        record.file.save(checked.name, checked.content(), save=False)
        record.original_name, record.size, record.checksum = (
            checked.name,
            checked.size,
            checked.checksum,
        )
    record.full_clean()
    set_history_user(record, actor)
    record.save()
    return record


@transaction.atomic
def deliverable_record_withdraw(*, record: DeliverableRecord, actor) -> DeliverableRecord:
    """Withdraw evidence recorded by mistake: the deliverable counts as missing again
    once it is due."""
    _require_manager(actor, record.project)
    record.status = DeliverableRecord.Status.WITHDRAWN
    set_history_user(record, actor)
    record.save(update_fields=["status"])
    return record
