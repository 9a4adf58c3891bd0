"""The plan: phases, milestones, deliverables, their start behind gates, and baselines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery import evm
from delivery.models import Baseline, Deliverable, Gate, Milestone, Phase
from delivery.services.common import (
    pmo_users,
    require_manage,
    require_pmo,
    set_history_user,
    user_of,
    user_or_none,
)
from pmo.core.services import notification_send

PHASE_FIELDS = ("name", "sort_order", "planned_start", "planned_finish")
MILESTONE_FIELDS = ("name", "phase", "planned_date", "is_key")
DELIVERABLE_FIELDS = ("name", "phase", "weight", "planned_start", "planned_finish")


def _save_item(model, fields_allowed, *, project, actor, item=None, **fields):
    unknown = set(fields) - set(fields_allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require_manage(actor, project)
    item = item or model(project=project)
    if item.project_id != project.pk:
        raise ValidationError(_("This belongs to another project."))
    for key, value in fields.items():
        setattr(item, key, value)
    phase = getattr(item, "phase", None) if model is not Phase else None
    if phase is not None and phase.project_id != project.pk:
        raise ValidationError({"phase": _("Choose a phase of this project.")})
    item.full_clean()
    set_history_user(item, actor)
    item.save()
    return item


@transaction.atomic
def phase_save(*, project, actor, phase: Phase | None = None, **fields) -> Phase:
    return _save_item(Phase, PHASE_FIELDS, project=project, actor=actor, item=phase, **fields)


@transaction.atomic
def milestone_save(*, project, actor, milestone: Milestone | None = None, **fields) -> Milestone:
    return _save_item(
        Milestone, MILESTONE_FIELDS, project=project, actor=actor, item=milestone, **fields
    )


@transaction.atomic
def deliverable_save(
    *, project, actor, deliverable: Deliverable | None = None, **fields
) -> Deliverable:
    return _save_item(
        Deliverable, DELIVERABLE_FIELDS, project=project, actor=actor, item=deliverable, **fields
    )


@transaction.atomic
def plan_item_delete(*, item, actor) -> None:
    """Delete a phase, milestone or deliverable (the baselines keep their copy)."""
    require_manage(actor, item.project)
    set_history_user(item, actor)
    item.delete()


def blocking_gates(phase: Phase) -> list[Gate]:
    """Gates of earlier phases that have not passed: they keep ``phase`` from starting."""
    earlier = Q(phase__sort_order__lt=phase.sort_order) | Q(
        phase__sort_order=phase.sort_order, phase__planned_start__lt=phase.planned_start
    )
    return list(
        Gate.objects.filter(project_id=phase.project_id, kind=Gate.Kind.GATE)
        .filter(earlier)
        .exclude(status__in=Gate.PASSING)
        .select_related("phase")
    )


@transaction.atomic
def phase_start(*, phase: Phase, actor, on: dt.date | None = None) -> Phase:
    """Start a phase once the gates of the phases before it have passed."""
    require_manage(actor, phase.project)
    blocking = blocking_gates(phase)
    if blocking:
        raise ValidationError(
            _("%(phase)s cannot start before these gates pass: %(gates)s.")
            % {"phase": phase.name, "gates": "、".join(g.name for g in blocking)}
        )
    if phase.status != Phase.Status.NOT_STARTED:
        raise ValidationError(_("This phase has already started."))
    on = on or timezone.localdate()
    for earlier in Phase.objects.filter(project_id=phase.project_id, status=Phase.Status.ACTIVE):
        earlier.status, earlier.finished_on = Phase.Status.DONE, on
        set_history_user(earlier, actor)
        earlier.save(update_fields=["status", "finished_on"])
    phase.status, phase.started_on = Phase.Status.ACTIVE, on
    set_history_user(phase, actor)
    phase.save(update_fields=["status", "started_on"])
    return phase


# --- baselines ---------------------------------------------------------------------------


def plan_snapshot(project) -> dict:
    """Phases, milestones and deliverables with planned dates and weights, for a baseline."""
    return {
        "phases": [
            {
                "id": p.pk,
                "name": p.name,
                "planned_start": p.planned_start.isoformat(),
                "planned_finish": p.planned_finish.isoformat(),
            }
            for p in Phase.objects.filter(project=project)
        ],
        "milestones": [
            {
                "id": m.pk,
                "name": m.name,
                "planned_date": m.planned_date.isoformat(),
                "is_key": m.is_key,
            }
            for m in Milestone.objects.filter(project=project)
        ],
        "deliverables": [
            {
                "id": d.pk,
                "name": d.name,
                "weight": str(d.weight),
                "planned_start": d.planned_start.isoformat(),
                "planned_finish": d.planned_finish.isoformat(),
            }
            for d in Deliverable.objects.filter(project=project)
        ],
    }


def planned_items(baseline: Baseline | None) -> list[evm.PlannedItem]:
    if baseline is None:
        return []
    return [
        evm.PlannedItem(
            weight=Decimal(d["weight"]),
            start=dt.date.fromisoformat(d["planned_start"]),
            finish=dt.date.fromisoformat(d["planned_finish"]),
        )
        for d in baseline.snapshot.get("deliverables", [])
    ]


def current_baseline(project) -> Baseline | None:
    return Baseline.objects.filter(project=project, status=Baseline.Status.APPROVED).first()


@transaction.atomic
def baseline_propose(*, project, actor, reason: str = "", bac: Decimal | None = None) -> Baseline:
    """Freeze the plan as a baseline: the first takes effect at once, a re-baseline waits
    for the PMO's approval (and needs a reason)."""
    require_manage(actor, project)
    snapshot = plan_snapshot(project)
    if not snapshot["deliverables"]:
        raise ValidationError(_("Plan at least one deliverable with a weight first."))
    current = current_baseline(project)
    if Baseline.objects.filter(project=project, status=Baseline.Status.PROPOSED).exists():
        raise ValidationError(_("A re-baseline is already waiting for the PMO."))
    if current is not None and not reason.strip():
        raise ValidationError({"reason": _("Say why the baseline must change.")})
    last = Baseline.objects.filter(project=project).order_by("-version").first()
    now = timezone.now()
    baseline = Baseline(
        project=project,
        version=(last.version + 1) if last else 1,
        bac=project.budget if bac is None else bac,
        snapshot=snapshot,
        reason=reason.strip(),
        requested_by=user_or_none(actor),
        requested_at=now,
    )
    if current is None:
        baseline.status = Baseline.Status.APPROVED
        baseline.decided_by, baseline.decided_at = user_or_none(actor), now
        baseline.decision_note = _("First baseline of the project.")
    baseline.full_clean(validate_constraints=False)
    set_history_user(baseline, actor)
    baseline.save()
    if current is not None:
        notification_send(
            recipients=pmo_users(),
            title=_("%(code)s asks to re-baseline (version %(version)d)")
            % {"code": project.code, "version": baseline.version},
            body=baseline.reason,
            url=reverse("delivery:baseline_detail", args=[baseline.pk]),
            level="action",
        )
    return baseline


@transaction.atomic
def baseline_decide(*, baseline: Baseline, actor, approve: bool, note: str = "") -> Baseline:
    """The PMO approves a re-baseline (the old version is kept as superseded) or rejects it."""
    require_pmo(actor)
    baseline = Baseline.objects.select_for_update().get(pk=baseline.pk)
    if baseline.status != Baseline.Status.PROPOSED:
        raise ValidationError(_("This baseline has been decided already."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the re-baseline is rejected.")})
    now = timezone.now()
    if approve:
        for old in Baseline.objects.filter(
            project_id=baseline.project_id, status=Baseline.Status.APPROVED
        ):
            old.status = Baseline.Status.SUPERSEDED
            set_history_user(old, actor)
            old.save(update_fields=["status"])
        baseline.status = Baseline.Status.APPROVED
    else:
        baseline.status = Baseline.Status.REJECTED
    baseline.decided_by, baseline.decided_at = user_or_none(actor), now
    baseline.decision_note = note.strip()[:300]
    set_history_user(baseline, actor)
    baseline.save()
    project = baseline.project
    notification_send(
        recipients=[baseline.requested_by or user_of(project.manager)],
        title=(
            _("Re-baseline of %(code)s approved")
            if approve
            else _("Re-baseline of %(code)s rejected")
        )
        % {"code": project.code},
        body=baseline.decision_note,
        url=reverse("delivery:baseline_detail", args=[baseline.pk]),
    )
    return baseline
