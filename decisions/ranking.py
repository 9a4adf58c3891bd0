"""Ranking alternatives by weighted criteria, with a sensitivity check on the weights.

Plain Python, no Django. Score_a = Σ_k w_k · s_ak with the weights normalised to sum 1.
The sensitivity check (``REFERENCE.md``: "does the ranking change when a weight moves
±10 %?") multiplies one weight at a time by 0.9 and by 1.1, normalises the weights again
and ranks anew; the ranking is *robust* when no such move changes the order.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

WEIGHT_MOVE = 0.10
"""The relative move of one weight in the sensitivity check (±10 %)."""


def normalise(weights: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """Weights scaled to sum 1; all equal when they sum to zero."""
    total = sum(max(float(w), 0.0) for w in weights.values())
    if total <= 0:
        n = len(weights)
        return dict.fromkeys(weights, 1.0 / n) if n else {}
    return {k: max(float(w), 0.0) / total for k, w in weights.items()}


def weighted_scores(
    weights: Mapping[Hashable, float], scores: Mapping[Hashable, Mapping[Hashable, float]]
) -> dict[Hashable, float]:
    """Σ_k w_k · s_ak for each alternative a; a missing score counts as 0."""
    norm = normalise(weights)
    return {
        alt: sum(norm[k] * float(by_criterion.get(k, 0.0)) for k in norm)
        for alt, by_criterion in scores.items()
    }


def rank(totals: Mapping[Hashable, float], order: Sequence[Hashable] = ()) -> list[Hashable]:
    """Alternatives from best to worst; ties keep the given ``order`` (else insertion)."""
    position = {alt: i for i, alt in enumerate(order or list(totals))}
    return sorted(totals, key=lambda alt: (-round(totals[alt], 9), position.get(alt, 0)))


@dataclass(frozen=True)
class WeightMove:
    """The ranking after one weight moved by ``factor`` (0.9 or 1.1)."""

    criterion: Hashable
    factor: float
    ranking: tuple[Hashable, ...]
    changed: bool


@dataclass(frozen=True)
class Sensitivity:
    """The base ranking and every ±10 % move of one weight."""

    ranking: tuple[Hashable, ...]
    totals: dict[Hashable, float]
    moves: tuple[WeightMove, ...]

    @property
    def robust(self) -> bool:
        return not any(move.changed for move in self.moves)

    @property
    def changing_moves(self) -> list[WeightMove]:
        return [move for move in self.moves if move.changed]


def sensitivity(
    weights: Mapping[Hashable, float],
    scores: Mapping[Hashable, Mapping[Hashable, float]],
    move: float = WEIGHT_MOVE,
) -> Sensitivity:
    """Rank the alternatives, then again with each weight ×(1 − move) and ×(1 + move)."""
    order = list(scores)
    totals = weighted_scores(weights, scores)
    base = tuple(rank(totals, order))
    moves = []
    for criterion in weights:
        for factor in (1 - move, 1 + move):
            moved = dict(weights)
            moved[criterion] = float(weights[criterion]) * factor
            ranking = tuple(rank(weighted_scores(moved, scores), order))
            moves.append(WeightMove(criterion, factor, ranking, ranking != base))
    return Sensitivity(base, totals, tuple(moves))


def spread(values: Sequence[float]) -> float:
    """max − min of the values (0 for fewer than two): how far reviewers disagree."""
    return (max(values) - min(values)) if len(values) > 1 else 0.0
