"""Weighted scoring of candidates by several evaluators (no Django import).

Each evaluator scores each candidate on each criterion from 0 to 10. The criteria's
weights are percentages that must sum to 100. Then

* an evaluator's total for a candidate = Σ weight × score ÷ 100 (0–10), counted only
  when that evaluator has scored every criterion of the candidate;
* the candidate's score = the mean of its evaluators' totals;
* the spread = highest − lowest evaluator total; evaluators disagree when the spread
  reaches ``DISAGREEMENT_SPREAD`` points. The spread of each criterion is shown too.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from statistics import mean

DISAGREEMENT_SPREAD = 3.0
WEIGHT_TOTAL = 100.0
TOLERANCE = 0.005


def weights_complete(weights: Mapping[Hashable, float]) -> bool:
    """Whether the weights sum to 100 % (within rounding)."""
    return bool(weights) and abs(sum(weights.values()) - WEIGHT_TOTAL) <= TOLERANCE


def weighted_total(
    weights: Mapping[Hashable, float], scores: Mapping[Hashable, float]
) -> float | None:
    """Σ weight × score ÷ 100 over every criterion; ``None`` if one is unscored."""
    if not weights or any(criterion not in scores for criterion in weights):
        return None
    return sum(float(w) * float(scores[c]) for c, w in weights.items()) / WEIGHT_TOTAL


@dataclass
class CandidateResult:
    candidate: Hashable
    totals: dict[Hashable, float] = field(default_factory=dict)  # evaluator → total
    criterion_means: dict[Hashable, float] = field(default_factory=dict)
    criterion_spreads: dict[Hashable, float] = field(default_factory=dict)
    rank: int | None = None

    @property
    def score(self) -> float | None:
        return mean(self.totals.values()) if self.totals else None

    @property
    def spread(self) -> float | None:
        if len(self.totals) < 2:
            return None
        return max(self.totals.values()) - min(self.totals.values())

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


def results(
    weights: Mapping[Hashable, float],
    candidates: list[Hashable],
    evaluators: list[Hashable],
    scores: Mapping[tuple[Hashable, Hashable, Hashable], float],
) -> list[CandidateResult]:
    """One result per candidate, ranked by score (unscored candidates last).

    ``scores`` maps (evaluator, candidate, criterion) to a score.
    """
    out = []
    for candidate in candidates:
        result = CandidateResult(candidate)
        for evaluator in evaluators:
            own = {
                c: scores[(evaluator, candidate, c)]
                for c in weights
                if (evaluator, candidate, c) in scores
            }
            total = weighted_total(weights, own)
            if total is not None:
                result.totals[evaluator] = total
        for criterion in weights:
            given = [
                float(scores[(e, candidate, criterion)])
                for e in evaluators
                if (e, candidate, criterion) in scores
            ]
            if given:
                result.criterion_means[criterion] = mean(given)
                result.criterion_spreads[criterion] = max(given) - min(given)
        out.append(result)
    ranked = sorted((r for r in out if r.score is not None), key=lambda r: r.score, reverse=True)
    for position, result in enumerate(ranked, start=1):
        result.rank = position
    return ranked + [r for r in out if r.score is None]
