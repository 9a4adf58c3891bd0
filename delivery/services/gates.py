"""Key-node control: gate reviews and milestone acceptance, their evidence, the decision
of the assigned reviewers or the PMO, and the conditions a gate passes with."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Gate, GateCondition, GateCriterion, GateEvidence, Phase
from delivery.services.common import (
    require_manage,
    require_pmo,
    set_history_user,
    user_of,
    user_or_none,
)
from pmo.core import roles
from pmo.core.documents import check_evidence
from pmo.core.services import notification_send
from standards import services as standards
from standards.compliance import PRESENT, TAILORED

GATE_FIELDS = ("kind", "name", "phase", "milestone", "planned_date", "standard_gate")


def gate_url(gate: Gate) -> str:
    return reverse("delivery:gate_detail", args=[gate.pk])


@transaction.atomic
def gate_save(
    *,
    project,
    actor,
    gate: Gate | None = None,
    criteria: list[str] | None = None,
    reviewers=None,
    **fields,
) -> Gate:
    """Plan a gate or an acceptance: criteria (one per line) and reviewers, until it is decided."""
    unknown = set(fields) - set(GATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown gate fields: {sorted(unknown)}")
    require_manage(actor, project)
    gate = gate or Gate(project=project)
    if gate.project_id != project.pk:
        raise ValidationError(_("This gate belongs to another project."))
    if gate.is_decided:
        raise ValidationError(_("A decided gate cannot be changed."))
    for key, value in fields.items():
        setattr(gate, key, value)
    errors = {}
    if gate.phase is not None and gate.phase.project_id != project.pk:
        errors["phase"] = _("Choose a phase of this project.")
    if gate.milestone is not None and gate.milestone.project_id != project.pk:
        errors["milestone"] = _("Choose a milestone of this project.")
    if gate.kind == Gate.Kind.GATE and gate.phase is None:
        errors["phase"] = _("A phase gate closes a phase; choose it.")
    if gate.kind == Gate.Kind.ACCEPTANCE and gate.milestone is None:
        errors["milestone"] = _("An acceptance is of a milestone; choose it.")
    if "standard_gate" in fields and gate.standard_gate is not None:
        allowed = {g.pk for g in standards.project_gates(project)}
        if gate.standard_gate.pk not in allowed:
            errors["standard_gate"] = _(
                "Choose a gate of the methodology version this project follows."
            )
    if errors:
        raise ValidationError(errors)
    gate.full_clean()
    set_history_user(gate, actor)
    gate.save()
    if criteria is not None:
        texts = [t.strip() for t in criteria if t.strip()]
        gate.criteria.all().delete()
        GateCriterion.objects.bulk_create(
            [GateCriterion(gate=gate, text=t[:300], sort_order=i) for i, t in enumerate(texts)]
        )
    if reviewers is not None:
        gate.reviewers.set(reviewers)
    return gate


@transaction.atomic
def gate_evidence_add(*, gate: Gate, actor, upload, description: str = "") -> GateEvidence:
    """Store an evidence document outside the web root after checking its content."""
    require_manage(actor, gate.project)
    if gate.is_passed:
        raise ValidationError(_("The gate has passed; its evidence is closed."))
    checked = check_evidence(upload)
    evidence = GateEvidence(
        gate=gate,
        original_name=checked.name,
        size=checked.size,
        checksum=checked.checksum,
        description=description.strip()[:300],
        uploaded_by=user_or_none(actor),
    )
    evidence.file.save(checked.name, checked.content(), save=False)
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def gate_evidence_delete(*, evidence: GateEvidence, actor) -> None:
    require_manage(actor, evidence.gate.project)
    if evidence.gate.is_passed:
        raise ValidationError(_("The gate has passed; its evidence is closed."))
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def gate_submit(*, gate: Gate, actor) -> Gate:
    """Ask the reviewers for their decision (again, after a failed review)."""
    require_manage(actor, gate.project)
    if gate.status not in (Gate.Status.PLANNED, Gate.Status.FAILED):
        raise ValidationError(_("This gate is in review or has passed."))
    if not gate.criteria.exists():
        raise ValidationError(_("List the criteria the gate is judged on first."))
    reviewers = list(gate.reviewers.select_related("user"))
    if not reviewers:
        raise ValidationError(_("Assign at least one reviewer first."))
    gate.status = Gate.Status.IN_REVIEW
    gate.submitted_by, gate.submitted_at = user_or_none(actor), timezone.now()
    set_history_user(gate, actor)
    gate.save()
    notification_send(
        recipients=[user_of(p) for p in reviewers],
        title=_("Review requested: %(gate)s of %(code)s")
        % {"gate": gate.name, "code": gate.project.code},
        url=gate_url(gate),
        level="action",
        email=True,
        event="gate_waiting",
    )
    return gate


def standard_requirements(gate: Gate, today: dt.date | None = None) -> list | None:
    """The deliverables the linked methodology gate requires of the project, with their
    status (``standards.gate_requirements``); ``None`` when the gate is not linked or the
    link no longer fits the methodology the project follows."""
    if gate.standard_gate_id is None:
        return None
    try:
        return standards.gate_requirements(gate.project, gate.standard_gate, today=today)
    except ValueError:
        return None


def missing_deliverables(gate: Gate) -> list:
    """Required deliverables neither present nor tailored out (optional ones included:
    an optional deliverable is still required unless the project tailored it out)."""
    return [r for r in standard_requirements(gate) or [] if r.status not in (PRESENT, TAILORED)]


def may_decide(user, gate: Gate) -> bool:
    if roles.is_pmo(user):
        return True
    pid = roles.person_id_of(user)
    return pid is not None and gate.reviewers.filter(pk=pid).exists()


@transaction.atomic
def gate_decide(
    *,
    gate: Gate,
    actor,
    decision: str,
    note: str = "",
    criteria_met: dict[int, bool] | None = None,
    conditions: list[dict] | None = None,
    today: dt.date | None = None,
) -> Gate:
    """Record the review's decision: pass, pass with conditions (each tracked) or fail.

    A passed phase gate closes its phase; a passed acceptance marks its milestone
    reached. Only an assigned reviewer or the PMO decides.
    """
    if not may_decide(actor, gate):
        raise PermissionDenied(_("Only the assigned reviewers or the PMO decide this gate."))
    gate = Gate.objects.select_for_update().select_related("project").get(pk=gate.pk)
    if gate.status != Gate.Status.IN_REVIEW:
        raise ValidationError(_("This gate is not in review."))
    if decision not in (Gate.Status.PASSED, Gate.Status.CONDITIONAL, Gate.Status.FAILED):
        raise ValidationError({"decision": _("Choose pass, pass with conditions or fail.")})
    conditions = [c for c in (conditions or []) if (c.get("text") or "").strip()]
    if decision == Gate.Status.CONDITIONAL and not conditions:
        raise ValidationError({"conditions": _("State at least one condition.")})
    if decision != Gate.Status.CONDITIONAL and conditions:
        raise ValidationError({"conditions": _("Conditions belong to a pass with conditions.")})
    if decision == Gate.Status.FAILED and not note.strip():
        raise ValidationError({"note": _("Say why the gate failed.")})
    if decision == Gate.Status.PASSED:
        missing = missing_deliverables(gate)
        if missing:
            names = "、".join(f"{r.deliverable.code} {r.deliverable.label}" for r in missing)
            raise ValidationError(
                {
                    "decision": _(
                        "The methodology requires deliverables that are missing: %(names)s. "
                        "Collect them first, or pass with conditions."
                    )
                    % {"names": names}
                }
            )
    today = today or timezone.localdate()
    for criterion in gate.criteria.all():
        if criteria_met is not None and criterion.pk in criteria_met:
            criterion.met = criteria_met[criterion.pk]
            criterion.save(update_fields=["met"])
    for condition in conditions:
        row = GateCondition(
            gate=gate,
            text=condition["text"].strip()[:300],
            owner=condition.get("owner"),
            due_date=condition.get("due_date") or today + dt.timedelta(days=30),
        )
        row.full_clean()
        set_history_user(row, actor)
        row.save()
    gate.status = decision
    gate.decided_by, gate.decided_at = user_or_none(actor), timezone.now()
    gate.decision_note = note.strip()
    set_history_user(gate, actor)
    gate.save()
    if gate.is_passed:
        _gate_passed(gate, actor, today)
    notification_send(
        recipients=[user_of(gate.project.manager), gate.submitted_by],
        title=_("%(gate)s of %(code)s: %(decision)s")
        % {"gate": gate.name, "code": gate.project.code, "decision": gate.get_status_display()},
        body=gate.decision_note,
        url=gate_url(gate),
    )
    return gate


def _gate_passed(gate: Gate, actor, today: dt.date) -> None:
    if gate.kind == Gate.Kind.GATE and gate.phase_id:
        phase = Phase.objects.get(pk=gate.phase_id)
        if phase.status != Phase.Status.DONE:
            phase.status, phase.finished_on = Phase.Status.DONE, today
            set_history_user(phase, actor)
            phase.save(update_fields=["status", "finished_on"])
    if gate.kind == Gate.Kind.ACCEPTANCE and gate.milestone_id:
        milestone = gate.milestone
        if milestone.actual_date is None:
            milestone.actual_date = today
            set_history_user(milestone, actor)
            milestone.save(update_fields=["actual_date"])


@transaction.atomic
def gate_condition_close(
    *, condition: GateCondition, actor, status: str, note: str = ""
) -> GateCondition:
    """Mark a condition met (the project manager or PMO) or waive it (the PMO only)."""
    if status == GateCondition.Status.WAIVED:
        require_pmo(actor)
    elif status == GateCondition.Status.MET:
        require_manage(actor, condition.gate.project)
    else:
        raise ValidationError({"status": _("Choose met or waived.")})
    if condition.status != GateCondition.Status.OPEN:
        raise ValidationError(_("This condition is closed."))
    if status == GateCondition.Status.WAIVED and not note.strip():
        raise ValidationError({"note": _("Say why the condition is waived.")})
    condition.status, condition.note = status, note.strip()[:300]
    condition.closed_by, condition.closed_at = user_or_none(actor), timezone.now()
    condition.full_clean()
    set_history_user(condition, actor)
    condition.save()
    return condition
