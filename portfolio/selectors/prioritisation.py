"""Reads of prioritisation: driver weights, candidate scores, the ranking and its charts.

The pages show figures computed here from the stored inputs — business drivers,
each evaluator's pairwise judgements, manual weights, the rating grid, the WSJF
inputs — in a fixed number of queries. ``portfolio_scores_refresh`` (in
``portfolio.services.prioritisation``) writes the same figures back (driver weights,
scores, ranks) for the other parts of the portfolio, so what a page explains is what
the scenarios optimise. The arithmetic itself is ``portfolio.analysis``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from pmo.core.permissions import deny
from portfolio import analysis
from portfolio.models import (
    BusinessDriver,
    DriverComparison,
    DriverRating,
    Portfolio,
    PortfolioItem,
)

# --- Saaty's scale ---------------------------------------------------------------------

VERBAL = {
    1: _("equally important"),
    2: _("equal to moderate"),
    3: _("moderately more important"),
    4: _("moderate to strong"),
    5: _("strongly more important"),
    6: _("strong to very strong"),
    7: _("very strongly more important"),
    8: _("very strong to extreme"),
    9: _("extremely more important"),
}
# The judgements a form offers, from "left extremely more important" to "right extremely
# more important": the value is a_ij of the left driver i against the right one j.
SAATY_CHOICES = (
    tuple(str(k) for k in range(9, 1, -1)) + ("1",) + tuple(f"1/{k}" for k in range(2, 10))
)


def saaty_value(code: str) -> float:
    """The judgement a_ij of a form code ("5" → 5, "1/5" → 0.2); ValueError otherwise."""
    if code not in SAATY_CHOICES:
        raise ValueError(code)
    if code.startswith("1/"):
        return 1 / int(code[2:])
    return float(code)


def saaty_code(value: float) -> str:
    """The form code of a stored judgement (the nearest step of Saaty's scale)."""
    if value >= 1:
        return str(min(9, max(1, round(value))))
    step = min(9, max(1, round(1 / value)))
    return "1" if step == 1 else f"1/{step}"


# --- permission-checked fetching -------------------------------------------------------


def get_portfolio_for_user(request, pk: int, perm: str = "portfolio.view_portfolio") -> Portfolio:
    """The portfolio if the user may see it (else 404) and holds ``perm`` (else 403)."""
    try:
        portfolio = (
            Portfolio.objects.visible_to(request.user)
            .select_related("owner", "rating_scale")
            .get(pk=pk)
        )
    except Portfolio.DoesNotExist:
        raise Http404 from None
    if perm != "portfolio.view_portfolio" and not request.user.has_perm(perm, portfolio):
        deny(request, perm)
    return portfolio


def ordered_drivers(portfolio: Portfolio) -> list[BusinessDriver]:
    return list(BusinessDriver.objects.filter(portfolio=portfolio).order_by("sort_order", "pk"))


def driver_pairs(drivers: list[BusinessDriver]) -> list[tuple[BusinessDriver, BusinessDriver]]:
    """Every pair (left, right) to compare, left before right in the drivers' order."""
    return [(a, b) for i, a in enumerate(drivers) for b in drivers[i + 1 :]]


# --- driver weights ----------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """A judgement set against the ratio its evaluator's weights imply."""

    first: BusinessDriver
    second: BusinessDriver
    judged: float
    implied: float

    @property
    def judged_code(self) -> str:
        return saaty_code(self.judged)

    @property
    def implied_code(self) -> str:
        return saaty_code(self.implied)


@dataclass
class EvaluatorWeights:
    """One evaluator's judgements of a portfolio's drivers and what they give."""

    evaluator: object
    name: str
    judged: int
    needed: int
    updated_at: object = None
    result: analysis.AhpResult | None = None
    inconsistent: Judgement | None = None
    # {(i, j): a_ij} by driver position, i < j
    matrix_judgements: dict[tuple[int, int], float] = field(default_factory=dict)
    drivers: list[BusinessDriver] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.judged >= self.needed

    @property
    def weights_pct(self) -> list[float]:
        return [w * 100 for w in self.result.weights] if self.result else []

    @property
    def weight_rows(self) -> list[tuple[BusinessDriver, float]]:
        return list(zip(self.drivers, self.weights_pct, strict=False))


class WeightSource:
    AHP = "ahp"  # the geometric mean of the complete evaluators' judgements
    MANUAL = "manual"  # the PMO's manual weights
    EQUAL = "equal"  # nobody has compared all pairs yet, or manual weights are zero
    NONE = "none"  # no drivers


@dataclass
class DriverWeights:
    """The weights of a portfolio's drivers, where they come from, and the AHP detail."""

    drivers: list[BusinessDriver]
    source: str
    weights: list[float]
    evaluators: list[EvaluatorWeights] = field(default_factory=list)
    aggregate: analysis.AhpResult | None = None
    aggregate_inconsistent: Judgement | None = None
    manual_total: Decimal = Decimal(0)
    manual_missing: int = 0

    @property
    def n(self) -> int:
        return len(self.drivers)

    @property
    def pairs(self) -> int:
        return self.n * (self.n - 1) // 2

    @property
    def counted(self) -> list[EvaluatorWeights]:
        """The evaluators whose judgements enter the geometric mean (complete ones)."""
        return [e for e in self.evaluators if e.complete]

    @property
    def table(self) -> list[tuple[BusinessDriver, float, float | None]]:
        """Per driver: the weight in use and the aggregated AHP weight, in percent."""
        ahp = self.aggregate.weights if self.aggregate else [None] * self.n
        return [
            (d, w * 100, a * 100 if a is not None else None)
            for d, w, a in zip(self.drivers, self.weights, ahp, strict=True)
        ]

    @property
    def manual_ok(self) -> bool:
        return self.manual_missing == 0 and abs(self.manual_total - 100) <= Decimal("0.05")

    @property
    def random_index(self) -> float:
        return analysis.random_index(self.n) if self.n else 0.0


def _evaluator_name(user) -> str:
    person = getattr(user, "person", None)
    return person.label if person is not None else user.get_username()


def _judgement(drivers, found: analysis.InconsistentJudgement | None) -> Judgement | None:
    if found is None:
        return None
    return Judgement(drivers[found.i], drivers[found.j], found.judged, found.implied)


def evaluator_weights(
    drivers: list[BusinessDriver], evaluator, judgements: dict[tuple[int, int], float]
) -> EvaluatorWeights:
    """AHP of one evaluator's judgements {(driver id, driver id): a_ij}; only a complete
    set of pairs gives weights."""
    index = {d.pk: i for i, d in enumerate(drivers)}
    by_index = {}
    for (first, second), value in judgements.items():
        if first in index and second in index and first != second:
            i, j = index[first], index[second]
            by_index[(min(i, j), max(i, j))] = value if i < j else 1 / value
    n = len(drivers)
    row = EvaluatorWeights(
        evaluator=evaluator,
        name=_evaluator_name(evaluator) if evaluator is not None else "",
        judged=len(by_index),
        needed=n * (n - 1) // 2,
        matrix_judgements=by_index,
        drivers=drivers,
    )
    if n and row.complete:
        row.result = analysis.ahp_weights(analysis.matrix_from_judgements(n, by_index))
        row.inconsistent = _judgement(drivers, row.result.most_inconsistent)
    return row


def driver_weights(
    portfolio: Portfolio, drivers: list[BusinessDriver] | None = None
) -> DriverWeights:
    """The effective weights of the portfolio's drivers (three queries at most).

    * framework ``manual``: w_k = manual weight_k / Σ manual weights;
    * otherwise (``ahp``, and ``wsjf`` for reference): the AHP weights of the element-wise
      geometric mean of every complete evaluator's matrix; equal weights until one
      evaluator has judged every pair.
    """
    drivers = ordered_drivers(portfolio) if drivers is None else drivers
    n = len(drivers)
    if not n:
        return DriverWeights(drivers=[], source=WeightSource.NONE, weights=[])
    comparisons = (
        DriverComparison.objects.filter(portfolio=portfolio)
        .select_related("evaluator__person")
        .order_by("evaluator__username", "pk")
    )
    grouped: dict[int, tuple[object, dict, object]] = {}
    for c in comparisons:
        user, found, latest = grouped.get(c.evaluator_id, (c.evaluator, {}, None))
        found[(c.first_id, c.second_id)] = c.value
        latest = max(latest, c.updated_at) if latest else c.updated_at
        grouped[c.evaluator_id] = (user, found, latest)
    evaluators = []
    for user, found, latest in grouped.values():
        row = evaluator_weights(drivers, user, found)
        row.updated_at = latest
        evaluators.append(row)
    evaluators.sort(key=lambda e: e.name)

    result = DriverWeights(drivers=drivers, source=WeightSource.EQUAL, weights=[1 / n] * n)
    result.evaluators = evaluators
    manual = [d.manual_weight for d in drivers]
    result.manual_missing = sum(1 for m in manual if m is None)
    result.manual_total = sum((m for m in manual if m is not None), Decimal(0))

    complete = [e for e in evaluators if e.complete]
    if complete:
        matrices = [analysis.matrix_from_judgements(n, e.matrix_judgements) for e in complete]
        result.aggregate = analysis.ahp_weights(analysis.aggregate_judgements(matrices))
        result.aggregate_inconsistent = _judgement(drivers, result.aggregate.most_inconsistent)

    if portfolio.framework == Portfolio.Framework.MANUAL:
        if result.manual_total > 0:
            result.source = WeightSource.MANUAL
            result.weights = [float((m or 0) / result.manual_total) for m in manual]
    elif result.aggregate is not None:
        result.source = WeightSource.AHP
        result.weights = list(result.aggregate.weights)
    return result


# --- candidate scores ----------------------------------------------------------------------


@dataclass
class CandidateScore:
    """A candidate's score and how it is made up.

    ``parts`` are the components in the units of ``raw``: w_k · s_ik per driver, or
    BV/JS, TC/JS, RR/JS for WSJF; ``contributions`` are the same parts in score points
    (they add up to ``score``).
    """

    item: PortfolioItem
    levels: list = field(default_factory=list)
    parts: list[float] = field(default_factory=list)
    raw: float | None = None
    score: float | None = None
    rank: int | None = None
    missing: int = 0

    @property
    def contributions(self) -> list[float]:
        if self.score is None or not self.raw:
            return [0.0 for _p in self.parts]
        return [self.score * p / self.raw for p in self.parts]

    @property
    def cells(self) -> list[tuple]:
        """(rating level or input, part in score points) per column of the breakdown."""
        contributions = self.contributions or [None] * len(self.levels)
        return list(zip(self.levels, contributions, strict=False))

    @property
    def stale(self) -> bool:
        stored, computed = self.item.score, self.score
        if (stored is None) != (computed is None) or self.item.rank != self.rank:
            return True
        return stored is not None and not math.isclose(stored, computed, abs_tol=1e-6)

    def acceptable(self, min_feasibility: int, max_risk: int) -> bool | None:
        """Feasibility ≥ the minimum and risk ≤ the maximum; None when not assessed."""
        feasibility, risk = self.item.feasibility, self.item.risk
        if feasibility is None or risk is None:
            return None
        return feasibility >= min_feasibility and risk <= max_risk


WSJF_PARTS = (
    ("business_value", _("Business value")),
    ("time_criticality", _("Time criticality")),
    ("risk_reduction", _("Risk reduction")),
)


@dataclass
class Scoring:
    """The scores of every candidate of a portfolio, ranked, with the driver weights."""

    portfolio: Portfolio
    weights: DriverWeights
    candidates: list[CandidateScore]

    @property
    def is_wsjf(self) -> bool:
        return self.portfolio.framework == Portfolio.Framework.WSJF

    @property
    def columns(self) -> list[str]:
        """The names of the score's components: the drivers, or WSJF's three parts."""
        if self.is_wsjf:
            return [str(label) for _f, label in WSJF_PARTS]
        return [d.label for d in self.weights.drivers]

    @property
    def scored(self) -> list[CandidateScore]:
        return [c for c in self.candidates if c.score is not None]

    @property
    def unscored(self) -> list[CandidateScore]:
        return [c for c in self.candidates if c.score is None]

    @property
    def stale(self) -> bool:
        drivers_stale = any(
            not math.isclose(d.weight, w, abs_tol=1e-9)
            for d, w in zip(self.weights.drivers, self.weights.weights, strict=True)
        )
        return drivers_stale or any(c.stale for c in self.candidates)


def _wsjf_inputs(item: PortfolioItem) -> list:
    return [item.business_value, item.time_criticality, item.risk_reduction, item.job_size]


def portfolio_scoring(portfolio: Portfolio, items=None) -> Scoring:
    """Score and rank every candidate of the portfolio (five queries).

    * weighted scoring (``ahp``/``manual``): raw_i = Σ_k w_k · s_ik over the drivers, a
      candidate needs a rating on every driver;
    * ``wsjf``: raw_i = (BV + TC + RR) / JS, a candidate needs all four inputs;
    * score_i = 100 · raw_i / Σ raw over the scored candidates (they sum to 100);
    * rank by score, ties to the lower cost, then the project code.
    """
    weights = driver_weights(portfolio)
    if items is None:
        items = PortfolioItem.objects.filter(portfolio=portfolio).with_project()
    items = list(items)
    ratings: dict[tuple[int, int], object] = {}
    if weights.drivers:
        # A rating on another scale (the portfolio's scale was changed) counts as missing,
        # as the rating grid shows it.
        found = DriverRating.objects.filter(
            item__portfolio=portfolio, level__scale=portfolio.rating_scale_id
        ).select_related("level")
        for r in found:
            ratings[(r.item_id, r.driver_id)] = r.level
    wsjf = portfolio.framework == Portfolio.Framework.WSJF
    rows: list[CandidateScore] = []
    for item in items:
        row = CandidateScore(item=item)
        if wsjf:
            inputs = _wsjf_inputs(item)
            row.levels = inputs[:3]
            row.missing = sum(1 for x in inputs if x is None)
            if not row.missing and item.job_size > 0:
                row.raw = analysis.wsjf(*inputs)
                row.parts = [x / item.job_size for x in inputs[:3]]
        else:
            row.levels = [ratings.get((item.pk, d.pk)) for d in weights.drivers]
            row.missing = sum(1 for level in row.levels if level is None)
            if weights.drivers and not row.missing:
                values = [float(level.value) for level in row.levels]
                row.raw = analysis.weighted_scores(weights.weights, [values])[0]
                row.parts = [w * s for w, s in zip(weights.weights, values, strict=True)]
        rows.append(row)

    scored = [r for r in rows if r.raw is not None]
    for row, score in zip(scored, analysis.normalise([r.raw for r in scored]), strict=True):
        row.score = score
    scored.sort(key=lambda r: (-r.score, r.item.cost, r.item.project.code))
    for rank, row in enumerate(scored, start=1):
        row.rank = rank
    unscored = sorted((r for r in rows if r.raw is None), key=lambda r: r.item.project.code)
    return Scoring(portfolio=portfolio, weights=weights, candidates=scored + unscored)


# --- charts (ECharts options; plain data in, so reports can reuse them) ----------------------

PALETTE = (
    "#0d6efd",
    "#20c997",
    "#fd7e14",
    "#6f42c1",
    "#d63384",
    "#198754",
    "#0dcaf0",
    "#ffc107",
    "#6c757d",
    "#dc3545",
)


def stacked_ranking_chart(
    categories: list[str], series: list[tuple[str, list[float]]], keys: list, value_name: str
) -> dict:
    """Horizontal stacked bars, best first at the top: one bar per candidate, one segment
    per driver (its contribution to the score)."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 56, "containLabel": True},
        "xAxis": {
            "type": "value",
            "name": value_name,
            "nameLocation": "middle",
            "nameGap": 24,
        },
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": categories,
            "axisLabel": {"width": 220, "overflow": "truncate"},
        },
        "color": list(PALETTE),
        "series": [
            {
                "type": "bar",
                "name": name,
                "stack": "score",
                "data": [{"value": round(v, 2), "key": keys[i]} for i, v in enumerate(values)],
            }
            for name, values in series
        ],
    }


def weights_chart(
    drivers: list[str], series: list[tuple[str, list[float]]], value_name: str
) -> dict:
    """Grouped bars of driver weights (%): each evaluator and the aggregate side by side."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 16, "top": 24, "bottom": 40, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": drivers,
            "axisLabel": {"interval": 0, "rotate": 20 if len(drivers) > 4 else 0},
        },
        "yAxis": {"type": "value", "name": value_name},
        "color": list(PALETTE),
        "series": [
            {"type": "bar", "name": name, "data": [round(v, 1) for v in values]}
            for name, values in series
        ],
    }
