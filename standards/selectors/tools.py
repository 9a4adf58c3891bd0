"""Reads of a tool evaluation: weights, scores and the results of ``standards.scoring``."""

from __future__ import annotations

from dataclasses import dataclass

from standards import scoring
from standards.models import ToolEvaluation, ToolScore


@dataclass
class EvaluationResults:
    criteria: list
    candidates: list
    evaluators: list
    results: list[scoring.CandidateResult]
    weight_total: float
    scored: dict  # evaluator id → number of scores given
    expected: int  # scores each evaluator gives (criteria × candidates)

    @property
    def weights_complete(self) -> bool:
        return scoring.weights_complete({c.pk: float(c.weight) for c in self.criteria})

    @property
    def best(self):
        ranked = [r for r in self.results if r.rank == 1]
        return ranked[0].candidate if ranked else None


def evaluation_results(evaluation: ToolEvaluation) -> EvaluationResults:
    """Everything the evaluation page shows, in four queries."""
    criteria = list(evaluation.criteria.all())
    candidates = list(evaluation.candidates.all())
    evaluators = list(evaluation.evaluators.select_related("person").order_by("username"))
    scores = {}
    scored: dict[int, int] = {}
    for evaluator_id, candidate_id, criterion_id, value in ToolScore.objects.filter(
        criterion__evaluation=evaluation
    ).values_list("evaluator_id", "candidate_id", "criterion_id", "score"):
        scores[(evaluator_id, candidate_id, criterion_id)] = float(value)
        scored[evaluator_id] = scored.get(evaluator_id, 0) + 1
    weights = {c.pk: float(c.weight) for c in criteria}
    by_id = {c.pk: c for c in candidates}
    results = scoring.results(weights, list(by_id), [e.pk for e in evaluators], scores)
    for result in results:
        result.candidate = by_id[result.candidate]
    return EvaluationResults(
        criteria=criteria,
        candidates=candidates,
        evaluators=evaluators,
        results=results,
        weight_total=sum(weights.values()),
        scored=scored,
        expected=len(criteria) * len(candidates),
    )
