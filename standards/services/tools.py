"""Writes of the tool evaluation: set-up (criteria with weights, candidates,
evaluators), scoring by each evaluator, and the decision."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standards import scoring
from standards.models import ToolCandidate, ToolCriterion, ToolEvaluation, ToolScore
from standards.services.common import require_pmo, set_history_user, user_or_none

ES = ToolEvaluation.Status


def _save(obj, actor, **fields):
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.full_clean()
    set_history_user(obj, actor)
    obj.save()
    return obj


def _require_setup(evaluation: ToolEvaluation) -> None:
    if evaluation.status != ES.SETUP:
        raise ValidationError(
            _("Criteria and candidates can be changed only while the evaluation is set up.")
        )


@transaction.atomic
def tool_evaluation_save(
    *, evaluation: ToolEvaluation | None = None, title: str, purpose: str = "", evaluators=(), actor
) -> ToolEvaluation:
    require_pmo(actor)
    is_new = evaluation is None
    evaluation = _save(
        evaluation or ToolEvaluation(created_by=user_or_none(actor)),
        actor,
        title=title.strip(),
        purpose=purpose.strip(),
    )
    if is_new or evaluation.status != ES.DECIDED:
        evaluation.evaluators.set(evaluators)
    return evaluation


@transaction.atomic
def tool_criterion_save(
    *, evaluation: ToolEvaluation, criterion: ToolCriterion | None = None, actor, **fields
) -> ToolCriterion:
    require_pmo(actor)
    _require_setup(evaluation)
    return _save(criterion or ToolCriterion(evaluation=evaluation), actor, **fields)


@transaction.atomic
def tool_candidate_save(
    *, evaluation: ToolEvaluation, candidate: ToolCandidate | None = None, actor, **fields
) -> ToolCandidate:
    require_pmo(actor)
    _require_setup(evaluation)
    return _save(candidate or ToolCandidate(evaluation=evaluation), actor, **fields)


@transaction.atomic
def tool_part_delete(*, part, actor) -> None:
    """Delete a criterion or a candidate while the evaluation is set up."""
    require_pmo(actor)
    _require_setup(part.evaluation)
    set_history_user(part, actor)
    part.delete()


@transaction.atomic
def tool_evaluation_open(*, evaluation: ToolEvaluation, actor) -> ToolEvaluation:
    """Open scoring: the weights must sum to 100 %, with two candidates or more and
    at least one evaluator."""
    require_pmo(actor)
    evaluation = ToolEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    _require_setup(evaluation)
    weights = {c.pk: float(c.weight) for c in evaluation.criteria.all()}
    problems = []
    if not scoring.weights_complete(weights):
        problems.append(
            _("The criteria's weights add up to %(total)s %%; they must add up to 100 %%.")
            % {"total": f"{sum(weights.values()):g}"}
        )
    if evaluation.candidates.count() < 2:
        problems.append(_("Add at least two candidate tools."))
    if not evaluation.evaluators.exists():
        problems.append(_("Name at least one evaluator."))
    if problems:
        raise ValidationError(problems)
    return _save(evaluation, actor, status=ES.SCORING)


@transaction.atomic
def tool_scores_save(
    *,
    evaluation: ToolEvaluation,
    candidate: ToolCandidate,
    scores: dict[int, tuple[Decimal, str]],
    actor,
) -> list[ToolScore]:
    """An evaluator's scores of one candidate: criterion id → (score 0–10, comment)."""
    evaluation = ToolEvaluation.objects.get(pk=evaluation.pk)
    if evaluation.status != ES.SCORING:
        raise ValidationError(_("The evaluation is not open for scoring."))
    if not evaluation.evaluators.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only the evaluation's evaluators score."))
    if candidate.evaluation_id != evaluation.pk:
        raise ValidationError(_("The candidate belongs to another evaluation."))
    criteria = {c.pk: c for c in evaluation.criteria.all()}
    saved = []
    for criterion_id, (value, comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("A criterion of another evaluation was scored."))
        row = ToolScore.objects.filter(
            criterion=criterion, candidate=candidate, evaluator=actor
        ).first() or ToolScore(criterion=criterion, candidate=candidate, evaluator=actor)
        saved.append(_save(row, actor, score=value, comment=(comment or "").strip()[:300]))
    return saved


@transaction.atomic
def tool_evaluation_decide(
    *, evaluation: ToolEvaluation, chosen: ToolCandidate, note: str, actor
) -> ToolEvaluation:
    """Record the decision: the chosen tool and the reasons (which matter most when it
    is not the best-scored candidate)."""
    require_pmo(actor)
    evaluation = ToolEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != ES.SCORING:
        raise ValidationError(_("Only an evaluation that has been scored can be decided."))
    if chosen.evaluation_id != evaluation.pk:
        raise ValidationError({"chosen": _("Choose one of this evaluation's candidates.")})
    if not note.strip():
        raise ValidationError({"note": _("Record the reasons for the decision.")})
    return _save(
        evaluation,
        actor,
        status=ES.DECIDED,
        chosen=chosen,
        decision_note=note.strip(),
        decided_by=user_or_none(actor),
        decided_at=timezone.now(),
    )
