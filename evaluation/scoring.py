"""The arithmetic of a performance evaluation, without Django.

Scores are on the rubric scale 1–5. A result is the weighted mean of the criterion
scores, shown on 0–100 as ``mean × 20``. Several experts' scores of one criterion are
aggregated by the mean or a trimmed mean; their disagreement is the range (highest
minus lowest), flagged for calibration when it is above a threshold. Grade bands have
an inclusive lower bound on the score rounded half-up to one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCALE_MIN = 1
SCALE_MAX = 5
TO_HUNDRED = 100 / SCALE_MAX
WEIGHT_TOTAL = 100
WEIGHT_TOLERANCE = 0.01

MEAN = "mean"
TRIMMED = "trimmed"


def present(values: Iterable[float | None]) -> list[float]:
    """The scores that were given (a missing score is ``None`` and is left out)."""
    return [float(v) for v in values if v is not None]


def mean(values: Iterable[float | None]) -> float | None:
    found = present(values)
    return sum(found) / len(found) if found else None


def trimmed_mean(values: Iterable[float | None], trim_percent: float) -> float | None:
    """Mean after dropping ``floor(n × trim_percent / 100)`` scores at each end.

    Nothing is dropped when that would leave no score, so one or two reviewers give
    the plain mean."""
    found = sorted(present(values))
    if not found:
        return None
    if not 0 <= trim_percent < 50:
        raise ValueError("trim_percent must be in [0, 50)")
    cut = math.floor(len(found) * trim_percent / 100)
    kept = found[cut : len(found) - cut] if len(found) - 2 * cut >= 1 else found
    return sum(kept) / len(kept)


def aggregate(values: Iterable[float | None], method: str = MEAN, trim_percent: float = 0):
    """Aggregate several reviewers' scores of one criterion."""
    if method == TRIMMED:
        return trimmed_mean(values, trim_percent)
    if method == MEAN:
        return mean(values)
    raise ValueError(f"unknown aggregation {method!r}")


def spread(values: Iterable[float | None]) -> float | None:
    """Range of the given scores; ``None`` with fewer than two (no one to disagree)."""
    found = present(values)
    if len(found) < 2:
        return None
    return max(found) - min(found)


def std_dev(values: Iterable[float | None]) -> float | None:
    """Population standard deviation of the given scores; ``None`` below two."""
    found = present(values)
    if len(found) < 2:
        return None
    centre = sum(found) / len(found)
    return math.sqrt(sum((v - centre) ** 2 for v in found) / len(found))


def disagrees(values: Iterable[float | None], threshold: float) -> bool:
    """True when the range of the scores is strictly above ``threshold`` points."""
    gap = spread(values)
    return gap is not None and gap > threshold


@dataclass(frozen=True)
class Weighted:
    """A weighted mean and the share of the weight that had a score (0–1)."""

    value: float | None
    coverage: float


def weighted_mean(items: Iterable[tuple[float, float | None]]) -> Weighted:
    """Weighted mean of ``(weight, score)`` pairs; missing scores are left out and the
    remaining weights re-normalised; coverage says how much weight was scored."""
    pairs = [(float(w), s) for w, s in items if float(w) > 0]
    total = sum(w for w, _ in pairs)
    scored = [(w, float(s)) for w, s in pairs if s is not None]
    weight = sum(w for w, _ in scored)
    if not scored or weight <= 0:
        return Weighted(None, 0.0)
    return Weighted(sum(w * s for w, s in scored) / weight, weight / total if total else 0.0)


def weights_ok(weights: Sequence[float]) -> bool:
    """Weights of one level (dimensions, or criteria of a dimension) sum to 100."""
    return bool(weights) and abs(sum(float(w) for w in weights) - WEIGHT_TOTAL) <= WEIGHT_TOLERANCE


def to_hundred(score: float | None) -> float | None:
    """A 1–5 score on the 0–100 scale of results and grade bands (× 20)."""
    return None if score is None else float(score) * TO_HUNDRED


def round_half_up(value: float, places: int = 1) -> float:
    step = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


def grade_for(score: float | None, bands: Sequence[tuple[str, float]]) -> str | None:
    """The code of the band for a 0–100 score: the band with the highest lower bound
    not above the score rounded half-up to one decimal (a score on the bound belongs
    to the higher band); below every bound, the lowest band. ``None`` without a score."""
    if score is None or not bands:
        return None
    rounded = round_half_up(score, 1)
    ordered = sorted(bands, key=lambda band: float(band[1]), reverse=True)
    for code, lower in ordered:
        if rounded >= float(lower):
            return code
    return ordered[-1][0]


def bands_problems(bounds: Sequence[float]) -> list[str]:
    """What is wrong with a set of band lower bounds (empty list when fine)."""
    problems = []
    if not bounds:
        return ["no bands"]
    if len({float(b) for b in bounds}) != len(bounds):
        problems.append("two bands share a lower bound")
    if min(float(b) for b in bounds) != 0:
        problems.append("the lowest band must start at 0")
    if any(not 0 <= float(b) <= 100 for b in bounds):
        problems.append("bounds are on 0–100")
    return problems


def metric_score(value: float | None, at_1: float, at_5: float) -> float | None:
    """The 1–5 score of a computed criterion: linear between the values that earn 1
    and 5, clamped; ``at_1`` above ``at_5`` means lower is better."""
    if value is None or at_1 == at_5:
        return None
    share = (float(value) - float(at_1)) / (float(at_5) - float(at_1))
    share = min(1.0, max(0.0, share))
    return SCALE_MIN + share * (SCALE_MAX - SCALE_MIN)


def progress(baseline: float, target: float, current: float | None) -> float | None:
    """How far an improvement metric moved from baseline towards target, in per cent
    (negative when it moved away); ``None`` when not measured or target = baseline."""
    if current is None or float(target) == float(baseline):
        return None
    return 100.0 * (float(current) - float(baseline)) / (float(target) - float(baseline))


def consistency(spreads: Iterable[float | None], threshold: float) -> float | None:
    """Share (per cent) of multi-reviewer criteria whose range is within the threshold:
    the meta-evaluation's measure of how consistent experts were."""
    found = present(spreads)
    if not found:
        return None
    return 100.0 * sum(1 for s in found if s <= threshold) / len(found)


def trend(values: Sequence[float | None]) -> float | None:
    """Change between the last two given values (``None`` with fewer than two)."""
    found = present(values)
    if len(found) < 2:
        return None
    return found[-1] - found[-2]
