"""Writes of improvement: actions against weaknesses, their follow-up checks, and the
change requests they raise against the standards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import ActionCheck, ImprovementAction
from evaluation.services.common import require_pmo, save, user_or_none
from pmo.core import roles
from pmo.core.models import Project
from pmo.core.registry import registry
from standards.models import ChangeRequest
from standards.services import change_request_raise

ACTION_FIELDS = (
    "title", "description", "cycle", "dimension", "criterion", "org_unit", "metric_key",
    "measure", "unit", "baseline", "target", "target_date", "owner", "needs_training",
    "training_topic",
)  # fmt: skip
MEASURE_WINDOW_DAYS = 180


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not action fields: {sorted(unknown)}")
    if fields.get("metric_key") and fields["metric_key"] not in registry.metrics:
        raise ValidationError({"metric_key": _("Unknown metric.")})
    if fields.get("needs_training") and not (fields.get("training_topic") or "").strip():
        raise ValidationError({"training_topic": _("Say which training or competency is needed.")})
    return fields


@transaction.atomic
def action_save(*, actor, action: ImprovementAction | None = None, **fields) -> ImprovementAction:
    """Create or change an improvement action (PMO)."""
    require_pmo(actor)
    fields = _clean(fields)
    action = action or ImprovementAction(created_by=user_or_none(actor))
    for name, value in fields.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    return save(action, actor)


def may_follow_up(actor, action: ImprovementAction) -> bool:
    return roles.is_pmo(actor) or roles.person_id_of(actor) == action.owner_id


@transaction.atomic
def action_status_set(*, action: ImprovementAction, status: str, actor) -> ImprovementAction:
    if not may_follow_up(actor, action):
        raise PermissionDenied(_("Only the owner or the PMO updates this action."))
    if status not in ImprovementAction.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    action.status = status
    return save(action, actor)


@transaction.atomic
def action_check_record(
    *,
    action: ImprovementAction,
    checked_on: dt.date,
    value,
    note: str = "",
    actor,
    measured: bool = False,
) -> ActionCheck:
    """Record where the measure stands (follow-up, 督导落实)."""
    if not may_follow_up(actor, action):
        raise PermissionDenied(_("Only the owner or the PMO follows this action up."))
    return save(
        ActionCheck(
            action=action,
            checked_on=checked_on,
            value=value,
            note=(note or "").strip(),
            measured=measured,
            checked_by=user_or_none(actor),
        ),
        actor,
    )


def measure_now(action: ImprovementAction, today: dt.date) -> float | None:
    """The action's metric now: the mean over the unit's projects in the last months."""
    metric = registry.metrics.get(action.metric_key)
    if metric is None:
        return None
    projects = Project.objects.all()
    if action.org_unit_id:
        projects = projects.filter(org_unit__path__startswith=action.org_unit.path)
    ids = list(projects.values_list("pk", flat=True))
    values = [
        v
        for v in metric.values(ids, today - dt.timedelta(days=MEASURE_WINDOW_DAYS), today).values()
        if v is not None
    ]
    return sum(values) / len(values) if values else None


@transaction.atomic
def action_measure(
    *, action: ImprovementAction, actor, today: dt.date | None = None
) -> ActionCheck:
    """Measure the action's metric from the data and record it as a check."""
    today = today or timezone.localdate()
    if not action.metric_key:
        raise ValidationError(_("This action has no metric to measure; record the value by hand."))
    value = measure_now(action, today)
    if value is None:
        raise ValidationError(_("There is no data for this metric in the last months."))
    return action_check_record(
        action=action,
        checked_on=today,
        value=Decimal(str(round(value, 2))),
        note=_("Measured from the data"),
        actor=actor,
        measured=True,
    )


@transaction.atomic
def action_raise_change(*, action: ImprovementAction, methodology, actor) -> ChangeRequest:
    """Raise a standards change request for the action and link it."""
    require_pmo(actor)
    if action.change_request_id:
        raise ValidationError(_("This action is linked to a change request already."))
    weakness = (
        action.criterion.label
        if action.criterion
        else (action.dimension.label if action.dimension else action.measure)
    )
    request = change_request_raise(
        methodology=methodology,
        title=action.title[:200],
        description=action.description or action.title,
        rationale=_("Weakness found by the performance evaluation: %(weakness)s")
        % {"weakness": weakness},
        source=ChangeRequest.Source.EVALUATION,
        source_reference=f"IA-{action.pk}",
        actor=actor,
    )
    action.change_request = request
    save(action, actor)
    return request
