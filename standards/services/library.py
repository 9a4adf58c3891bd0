"""Writes to the process and template library: sources, methodologies, versions and
their content, templates and their revisions.

A version's content can be changed only while the version is a draft. The lifecycle is
draft → review (``methodology_version_submit``) → published (``…_publish``, which
retires the version published before and marks the change requests it implements as
implemented) → retired (``…_retire``); a version in review can be sent back to draft.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core.documents import check_template
from standards.models import (
    BestPracticeSource,
    ChangeRequest,
    DocumentTemplate,
    LifecycleGate,
    LifecyclePhase,
    Methodology,
    MethodologyVersion,
    Process,
    ProcessStep,
    RequiredDeliverable,
    TemplateRevision,
)
from standards.services.common import require_pmo, set_history_user, user_or_none

Status = MethodologyVersion.Status


def _save(obj, actor, **fields):
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.full_clean()
    set_history_user(obj, actor)
    obj.save()
    return obj


# --- sources and methodologies ----------------------------------------------------------


@transaction.atomic
def source_save(
    *, source: BestPracticeSource | None = None, actor=None, **fields
) -> BestPracticeSource:
    """Create or update a best-practice source (fields as on the model)."""
    return _save(source or BestPracticeSource(), actor, **fields)


@transaction.atomic
def methodology_save(
    *, methodology: Methodology | None = None, actor=None, **fields
) -> Methodology:
    """Create or update a methodology; a new one gets an empty draft version 1."""
    is_new = methodology is None
    methodology = _save(methodology or Methodology(), actor, **fields)
    if is_new:
        methodology_version_create(methodology=methodology, actor=actor)
    return methodology


# --- versions ----------------------------------------------------------------------------


@transaction.atomic
def methodology_version_create(
    *,
    methodology: Methodology,
    based_on: MethodologyVersion | None = None,
    change_summary: str = "",
    actor=None,
) -> MethodologyVersion:
    """A new draft version, a copy of ``based_on`` when given (else empty).

    One draft at a time: a methodology that has a draft or a version in review
    finishes that one first.
    """
    methodology = Methodology.objects.select_for_update().get(pk=methodology.pk)
    if methodology.versions.filter(status__in=[Status.DRAFT, Status.REVIEW]).exists():
        raise ValidationError(
            _("This methodology already has a version in draft or in review; finish it first.")
        )
    if based_on is not None and based_on.methodology_id != methodology.pk:
        raise ValidationError(_("A version can only be based on a version of its methodology."))
    number = (methodology.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _save(
        MethodologyVersion(methodology=methodology),
        actor,
        number=number,
        based_on=based_on,
        change_summary=change_summary,
        created_by=user_or_none(actor),
    )
    if based_on is not None:
        _copy_content(based_on, version)
    return version


def _copy_content(source: MethodologyVersion, target: MethodologyVersion) -> None:
    """Copy phases, gates, processes with steps and deliverables into a new version."""
    target.sources.set(source.sources.all())
    phases = {}
    for phase in source.phases.all():
        old = phase.pk
        phase.pk, phase.id, phase.version = None, None, target
        phase.save()
        phases[old] = phase
    gates = {}
    for gate in source.gates.all():
        old = gate.pk
        gate.pk, gate.id, gate.version, gate.phase = None, None, target, phases[gate.phase_id]
        gate.save()
        gates[old] = gate
    processes = {}
    for process in source.processes.prefetch_related("steps"):
        old, steps = process.pk, list(process.steps.all())
        process.pk, process.id, process.version = None, None, target
        process.phase = phases[process.phase_id]
        process.save()
        processes[old] = process
        for step in steps:
            step.pk, step.id, step.process = None, None, process
            step.save()
    for item in source.deliverables.all():
        item.pk, item.id, item.version = None, None, target
        item.gate = gates[item.gate_id]
        item.process = processes.get(item.process_id)
        item.save()


@transaction.atomic
def methodology_version_update(
    *, version: MethodologyVersion, change_summary: str, sources=(), actor=None
) -> MethodologyVersion:
    """Change a draft's summary of changes and its best-practice sources."""
    _require_draft(version)
    _save(version, actor, change_summary=change_summary)
    version.sources.set(sources)
    return version


def _version_content_problems(version: MethodologyVersion) -> list[str]:
    problems = []
    if not version.phases.exists():
        problems.append(_("The version has no lifecycle phase."))
    if not version.gates.exists():
        problems.append(_("The version has no gate."))
    if not version.deliverables.exists():
        problems.append(_("No gate requires a deliverable."))
    return problems


@transaction.atomic
def methodology_version_submit(*, version: MethodologyVersion, actor) -> MethodologyVersion:
    """Send a draft for review; it must have phases, gates and required deliverables."""
    version = MethodologyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    problems = _version_content_problems(version)
    if problems:
        raise ValidationError(problems)
    return _save(version, actor, status=Status.REVIEW, submitted_at=timezone.now())


@transaction.atomic
def methodology_version_return(
    *, version: MethodologyVersion, note: str, actor
) -> MethodologyVersion:
    """Send a version in review back to draft with the reviewer's note."""
    require_pmo(actor)
    version = MethodologyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.REVIEW:
        raise ValidationError(_("Only a version in review can be sent back."))
    if not note.strip():
        raise ValidationError({"note": _("Say what must change before publication.")})
    return _save(version, actor, status=Status.DRAFT, review_note=note.strip())


@transaction.atomic
def methodology_version_publish(
    *, version: MethodologyVersion, note: str = "", actor
) -> MethodologyVersion:
    """Publish a reviewed version: the version published before is retired, and the
    accepted change requests linked to this version become implemented."""
    require_pmo(actor)
    version = MethodologyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.REVIEW:
        raise ValidationError(_("Only a version in review can be published."))
    problems = _version_content_problems(version)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    for previous in MethodologyVersion.objects.filter(
        methodology_id=version.methodology_id, status=Status.PUBLISHED
    ):
        _save(previous, actor, status=Status.RETIRED, retired_at=now)
    _save(
        version,
        actor,
        status=Status.PUBLISHED,
        published_at=now,
        reviewed_by=user_or_none(actor),
        review_note=note.strip() or version.review_note,
    )
    for request in ChangeRequest.objects.filter(
        implemented_in=version, status=ChangeRequest.Status.ACCEPTED
    ):
        _save(request, actor, status=ChangeRequest.Status.IMPLEMENTED)
    return version


@transaction.atomic
def methodology_version_retire(*, version: MethodologyVersion, actor) -> MethodologyVersion:
    """Withdraw a published version without a successor; projects following it keep
    their assignment (shown as following a retired version) until moved."""
    require_pmo(actor)
    version = MethodologyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published version can be retired."))
    return _save(version, actor, status=Status.RETIRED, retired_at=timezone.now())


# --- content of a draft ---------------------------------------------------------------------


def _require_draft(version: MethodologyVersion) -> None:
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft version can be changed."))


def _same_version(version: MethodologyVersion, **parts) -> None:
    for field, part in parts.items():
        if part is not None and part.version_id != version.pk:
            raise ValidationError({field: _("Choose a part of the same version.")})


@transaction.atomic
def phase_save(
    *, version: MethodologyVersion, phase: LifecyclePhase | None = None, actor=None, **fields
) -> LifecyclePhase:
    _require_draft(version)
    return _save(phase or LifecyclePhase(version=version), actor, **fields)


@transaction.atomic
def gate_save(
    *, version: MethodologyVersion, gate: LifecycleGate | None = None, actor=None, **fields
) -> LifecycleGate:
    _require_draft(version)
    _same_version(version, phase=fields.get("phase"))
    return _save(gate or LifecycleGate(version=version), actor, **fields)


@transaction.atomic
def process_save(
    *, version: MethodologyVersion, process: Process | None = None, actor=None, **fields
) -> Process:
    _require_draft(version)
    _same_version(version, phase=fields.get("phase"))
    return _save(process or Process(version=version), actor, **fields)


@transaction.atomic
def process_step_save(
    *, process: Process, step: ProcessStep | None = None, actor=None, **fields
) -> ProcessStep:
    _require_draft(process.version)
    return _save(step or ProcessStep(process=process), actor, **fields)


@transaction.atomic
def deliverable_save(
    *,
    version: MethodologyVersion,
    deliverable: RequiredDeliverable | None = None,
    actor=None,
    **fields,
) -> RequiredDeliverable:
    _require_draft(version)
    _same_version(version, gate=fields.get("gate"), process=fields.get("process"))
    template = fields.get("template")
    if template is not None and template.status != DocumentTemplate.Status.ACTIVE:
        raise ValidationError({"template": _("This template is retired.")})
    return _save(deliverable or RequiredDeliverable(version=version), actor, **fields)


@transaction.atomic
def version_part_delete(*, part, actor=None) -> None:
    """Delete a phase, gate, process, step or deliverable of a draft (with what hangs
    off it: a phase takes its gates and processes along)."""
    version = part.process.version if isinstance(part, ProcessStep) else part.version
    _require_draft(version)
    set_history_user(part, actor)
    part.delete()


# --- templates ---------------------------------------------------------------------------


@transaction.atomic
def template_save(
    *, template: DocumentTemplate | None = None, actor=None, **fields
) -> DocumentTemplate:
    """Create or update a template's description (its files are revisions)."""
    return _save(template or DocumentTemplate(), actor, **fields)


@transaction.atomic
def template_revision_upload(
    *, template: DocumentTemplate, upload, change_note: str = "", actor=None
) -> TemplateRevision:
    """Check an uploaded file by content and size, store it as the template's next
    revision outside the web root and make it the current one."""
    checked = check_template(upload)
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    number = (template.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = TemplateRevision(
        template=template,
        number=number,
        original_name=checked.name,
        size=checked.size,
        checksum=checked.checksum,
        change_note=change_note.strip()[:300],
        uploaded_by=user_or_none(actor),
    )
    revision.file.save(checked.name, checked.content(), save=False)
    revision.full_clean()
    revision.save()
    _save(template, actor, current=revision)
    return revision
