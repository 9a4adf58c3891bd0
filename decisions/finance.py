"""Investment appraisal: NPV, IRR, payback and benefit–cost ratio of yearly cash flows.

Plain Python (NumPy only for the roots of the IRR polynomial), no Django, so that every
figure the business case shows can be tested against numpy-financial and worked
examples. The conventions are those of ``REFERENCE.md`` ("Investment appraisal"):

* ``cash_flows[0]`` falls at t = 0 and is **not** discounted (numpy-financial's
  convention, not Excel's ``NPV`` which discounts the first flow):
  NPV = Σ_t CF_t / (1 + r)^t.
* IRR is the rate r > −1 with NPV(r) = 0. When the polynomial has several such roots
  the one closest to zero is returned, as numpy-financial does; ``None`` when the flows
  never change sign or no real root exists.
* Payback is the first period in which the cumulative flow is non-negative,
  interpolated linearly inside that period: (t − 1) + |cumulative_{t−1}| / CF_t.
  The discounted payback does the same on the discounted flows.
* Benefit–cost ratio = PV(benefits) / PV(costs).

Rates are fractions (0.08 for 8 %); a rate of −100 % or below has no meaning
(division by zero or by negative powers) and raises ``ValueError``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

IRR_ROOT_TOLERANCE = 1e-9
"""A polynomial root whose imaginary part is below this (relative) counts as real."""

IRR_CHECK_TOLERANCE = 1e-8
"""A polished rate is an IRR when |NPV| is below this share of the discounted flows' size."""

NEGLIGIBLE_FLOW = 1e-12
"""A flow smaller than this share of the largest one is treated as zero for the IRR."""


def _check_rate(rate: float) -> float:
    rate = float(rate)
    if not math.isfinite(rate) or rate <= -1:
        raise ValueError("The discount rate must be greater than -100 %.")
    return rate


def discount_factors(rate: float, periods: int) -> list[float]:
    """1 / (1 + r)^t for t = 0 … periods − 1."""
    rate = _check_rate(rate)
    return [1.0 / (1.0 + rate) ** t for t in range(periods)]


def present_values(rate: float, cash_flows: Sequence[float]) -> list[float]:
    """Each flow discounted to t = 0: CF_t / (1 + r)^t."""
    return [
        float(cf) * f
        for cf, f in zip(cash_flows, discount_factors(rate, len(cash_flows)), strict=True)
    ]


def npv(rate: float, cash_flows: Sequence[float]) -> float:
    """Net present value Σ_t CF_t / (1 + r)^t, with the first flow at t = 0."""
    return math.fsum(present_values(rate, cash_flows))


def _changes_sign(cash_flows: Sequence[float]) -> bool:
    return any(cf > 0 for cf in cash_flows) and any(cf < 0 for cf in cash_flows)


def irr(cash_flows: Sequence[float]) -> float | None:
    """The internal rate of return, or None when there is none.

    With x = 1 / (1 + r), NPV(r) = Σ CF_t x^t is a polynomial in x; its real positive
    roots are the IRRs. Each root is polished with a few Newton steps on NPV, and the
    rate closest to zero is returned (numpy-financial's choice among several).
    """
    flows = [float(cf) for cf in cash_flows]
    if not flows or not all(math.isfinite(cf) for cf in flows) or not _changes_sign(flows):
        return None
    # Flows negligible beside the largest one only make the polynomial ill-conditioned.
    scale = max(abs(cf) for cf in flows)
    coefficients = [cf / scale if abs(cf) > scale * NEGLIGIBLE_FLOW else 0.0 for cf in flows]
    if not _changes_sign(coefficients):
        return None
    # Highest power first for np.roots; trailing zero flows add roots at x = 0 only.
    try:
        roots = np.roots(coefficients[::-1])
    except np.linalg.LinAlgError:
        return None
    candidates = []
    for root in roots:
        if root.real <= 0 or abs(root.imag) > IRR_ROOT_TOLERANCE * max(1.0, abs(root.real)):
            continue
        rate = _polish(flows, 1.0 / float(root.real) - 1.0)
        if rate is not None and _is_root(flows, rate):
            candidates.append(rate)
    if not candidates:
        return None
    return float(min(candidates, key=abs))


def _is_root(flows: list[float], rate: float) -> bool:
    """NPV at ``rate`` is zero within rounding of the discounted flows' size.

    Newton steps from a poor estimate of an ill-conditioned polynomial's root can stop
    where NPV is not zero at all; such a rate is no IRR.
    """
    try:
        discounted = [cf / (1.0 + rate) ** t for t, cf in enumerate(flows)]
    except (OverflowError, ZeroDivisionError):
        return False
    size = math.fsum(abs(v) for v in discounted)
    return abs(math.fsum(discounted)) <= IRR_CHECK_TOLERANCE * max(size, 1.0)


def _polish(flows: list[float], rate: float) -> float | None:
    """Newton steps on NPV from a root estimate; None if it leaves the domain r > −1.

    A rate so large that the discount factors overflow a float (found from flows like
    1e-5 then −10,656: a root near 10⁹) is no answer anyone can use, and None as well.
    """
    try:
        return _newton(flows, rate)
    except (OverflowError, ZeroDivisionError):
        return None


def _newton(flows: list[float], rate: float) -> float | None:
    for _step in range(20):
        if rate <= -1 or not math.isfinite(rate):
            return None
        base = 1.0 + rate
        value = math.fsum(cf / base**t for t, cf in enumerate(flows))
        slope = math.fsum(-t * cf / base ** (t + 1) for t, cf in enumerate(flows))
        if slope == 0 or not math.isfinite(slope):
            break
        step = value / slope
        rate -= step
        if abs(step) <= 1e-14 * max(1.0, abs(rate)):
            break
    return rate if rate > -1 and math.isfinite(rate) else None


def cumulative(values: Sequence[float]) -> list[float]:
    """Running totals of the flows."""
    total, out = 0.0, []
    for value in values:
        total += float(value)
        out.append(total)
    return out


def _payback(flows: Sequence[float]) -> float | None:
    running = 0.0
    for t, cf in enumerate(flows):
        previous = running
        running += float(cf)
        if running >= 0:
            if t == 0:
                return 0.0
            # Inside period t the cumulative flow rises from ``previous`` (< 0) to
            # ``running`` (>= 0); cf > 0 here, so the share is well defined.
            return (t - 1) + (-previous) / float(cf)
    return None


def payback_period(cash_flows: Sequence[float]) -> float | None:
    """Periods until the cumulative flow is non-negative, interpolated linearly inside
    the period where it turns; None when it never does."""
    return _payback(cash_flows)


def discounted_payback_period(rate: float, cash_flows: Sequence[float]) -> float | None:
    """The payback period of the discounted flows CF_t / (1 + r)^t."""
    return _payback(present_values(rate, cash_flows))


def benefit_cost_ratio(
    rate: float, benefits: Sequence[float], costs: Sequence[float]
) -> float | None:
    """PV(benefits) / PV(costs); None when the costs have no present value."""
    pv_costs = npv(rate, costs)
    if pv_costs == 0:
        return None
    return npv(rate, benefits) / pv_costs


# --- the appraisal of one alternative ---------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    """One year of an appraisal, with the working that the page shows."""

    year: int
    investment: float
    operating_cost: float
    benefit: float
    net: float
    factor: float
    present_value: float
    cumulative: float
    discounted_cumulative: float


@dataclass(frozen=True)
class Appraisal:
    """Every figure of an alternative's cash flows at one discount rate."""

    rate: float
    rows: tuple[YearRow, ...]
    npv: float
    irr: float | None
    payback: float | None
    discounted_payback: float | None
    benefit_cost_ratio: float | None
    total_investment: float
    total_operating_cost: float
    total_benefit: float
    pv_benefits: float
    pv_costs: float

    @property
    def net_flows(self) -> list[float]:
        return [row.net for row in self.rows]

    @property
    def total_cost(self) -> float:
        return self.total_investment + self.total_operating_cost


def appraise(
    rate: float,
    investment: Sequence[float],
    operating_cost: Sequence[float],
    benefit: Sequence[float],
) -> Appraisal:
    """Appraise yearly flows (year 0 first): net = benefit − investment − operating cost."""
    rate = _check_rate(rate)
    if not len(investment) == len(operating_cost) == len(benefit):
        raise ValueError("Investment, operating cost and benefit need one value per year.")
    inv = [float(v) for v in investment]
    opex = [float(v) for v in operating_cost]
    ben = [float(v) for v in benefit]
    net = [b - i - o for i, o, b in zip(inv, opex, ben, strict=True)]
    factors = discount_factors(rate, len(net))
    pvs = [cf * f for cf, f in zip(net, factors, strict=True)]
    cum, dcum = cumulative(net), cumulative(pvs)
    rows = tuple(
        YearRow(t, inv[t], opex[t], ben[t], net[t], factors[t], pvs[t], cum[t], dcum[t])
        for t in range(len(net))
    )
    costs = [i + o for i, o in zip(inv, opex, strict=True)]
    pv_costs = npv(rate, costs) if costs else 0.0
    pv_benefits = npv(rate, ben) if ben else 0.0
    return Appraisal(
        rate=rate,
        rows=rows,
        npv=math.fsum(pvs),
        irr=irr(net),
        payback=payback_period(net),
        discounted_payback=discounted_payback_period(rate, net),
        benefit_cost_ratio=(pv_benefits / pv_costs) if pv_costs else None,
        total_investment=math.fsum(inv),
        total_operating_cost=math.fsum(opex),
        total_benefit=math.fsum(ben),
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
    )
