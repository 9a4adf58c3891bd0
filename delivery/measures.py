"""Closeout and control measures: goal attainment, response times, timeliness.

Pure arithmetic, no Django import.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from decimal import Decimal

MAX_ATTAINMENT = Decimal(150)


def attainment(
    *, target: Decimal, actual: Decimal, baseline: Decimal | None = None, increase: bool = True
) -> Decimal:
    """How far a goal was reached, in percent (0–150).

    With a baseline: the share of the planned change achieved,
    (actual − baseline) / (target − baseline). Without one: actual / target where
    higher is better, target / actual where lower is better. A target equal to its
    baseline is met (100) or not (0).
    """
    target, actual = Decimal(target), Decimal(actual)
    met = actual >= target if increase else actual <= target
    if baseline is not None:
        baseline = Decimal(baseline)
        if target == baseline:
            return Decimal(100) if met else Decimal(0)
        share = (actual - baseline) / (target - baseline) * 100
    elif increase:
        share = actual / target * 100 if target else (Decimal(100) if met else Decimal(0))
    else:
        share = target / actual * 100 if actual else Decimal(100)
    return min(max(share, Decimal(0)), MAX_ATTAINMENT).quantize(Decimal("0.1"))


def overall_attainment(scores: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the goals' attainments, each capped at 100 so that one goal's
    overshoot does not hide another's shortfall."""
    values = [min(Decimal(s), Decimal(100)) for s in scores if s is not None]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    return max((end - start).total_seconds(), 0) / 3600


def median_hours(pairs: Iterable[tuple[dt.datetime, dt.datetime | None]]) -> float | None:
    """The median of end − start in hours over the pairs that have an end."""
    values = [hours_between(a, b) for a, b in pairs if a is not None and b is not None]
    return round(statistics.median(values), 1) if values else None


def share(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, None when nothing was due."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))
