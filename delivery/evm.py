"""Earned value management: pure arithmetic, no Django import.

Definitions (REFERENCE.md, "Delivery control"), with BAC the budget at completion,
PV the planned value, EV the earned value and AC the actual cost, all to date:

* SV = EV − PV, CV = EV − AC
* SPI = EV / PV, CPI = EV / AC (undefined when the divisor is 0)
* EAC = BAC / CPI (the default; two variants in :func:`eac_variants`)
* ETC = EAC − AC, VAC = BAC − EAC
* TCPI = (BAC − EV) / (BAC − AC)

Planned value comes from the baseline (each deliverable's share of BAC accrues
linearly between its planned start and finish); earned value from the weighted
progress of the deliverables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

Number = Decimal | int | float | str

FORMULAS = {
    "sv": "SV = EV − PV",
    "cv": "CV = EV − AC",
    "spi": "SPI = EV ÷ PV",
    "cpi": "CPI = EV ÷ AC",
    "eac": "EAC = BAC ÷ CPI",
    "etc": "ETC = EAC − AC",
    "vac": "VAC = BAC − EAC",
    "tcpi": "TCPI = (BAC − EV) ÷ (BAC − AC)",
    "pv": "PV = Σ BAC × wᵢ × planned share of deliverable i elapsed",
    "ev": "EV = BAC × Σ wᵢ × progressᵢ",
}

GREEN, AMBER, RED = "green", "amber", "red"
_SEVERITY = {GREEN: 0, AMBER: 1, RED: 2}


def _dec(value: Number) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"not a number: {value!r}") from error
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def _div(numerator: Decimal, divisor: Decimal) -> Decimal | None:
    return None if divisor == 0 else numerator / divisor


@dataclass(frozen=True)
class EvmResult:
    """The earned-value figures of one status date (indices None where undefined)."""

    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    sv: Decimal
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi: Decimal | None

    @property
    def cost_deviation(self) -> Decimal | None:
        """(EAC − BAC) / BAC: the forecast overrun as a fraction of the budget."""
        if self.eac is None or self.bac == 0:
            return None
        return (self.eac - self.bac) / self.bac


def earned_value(*, bac: Number, pv: Number, ev: Number, ac: Number) -> EvmResult:
    """SV, CV, SPI, CPI, EAC (= BAC / CPI), ETC, VAC and TCPI from BAC, PV, EV and AC."""
    bac, pv, ev, ac = _dec(bac), _dec(pv), _dec(ev), _dec(ac)
    spi = _div(ev, pv)
    cpi = _div(ev, ac)
    eac = None if cpi is None or cpi == 0 else bac / cpi
    etc = None if eac is None else eac - ac
    vac = None if eac is None else bac - eac
    return EvmResult(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac=eac,
        etc=etc,
        vac=vac,
        tcpi=_div(bac - ev, bac - ac),
    )


def eac_variants(result: EvmResult) -> dict[str, Decimal | None]:
    """The other two usual forecasts, for comparison next to the default EAC.

    ``atypical``: AC + (BAC − EV), the overrun so far does not recur;
    ``composite``: AC + (BAC − EV) / (CPI × SPI), schedule pressure costs money too.
    """
    remaining = result.bac - result.ev
    composite = None
    if result.cpi and result.spi:
        composite = result.ac + remaining / (result.cpi * result.spi)
    return {"atypical": result.ac + remaining, "composite": composite}


@dataclass(frozen=True)
class RagThresholds:
    """Index at or above ``green_index`` is green, below ``red_index`` red, amber between;
    a forecast overrun above ``red_deviation`` (a fraction, 0.10 = 10 %) is red."""

    green_index: Decimal = Decimal("0.95")
    red_index: Decimal = Decimal("0.90")
    red_deviation: Decimal = Decimal("0.10")

    def __post_init__(self) -> None:
        if _dec(self.red_index) > _dec(self.green_index):
            raise ValueError("the red threshold must not be above the green one")


def index_rag(index: Number | None, thresholds: RagThresholds) -> str | None:
    """The rating of one performance index (None when the index is undefined)."""
    if index is None:
        return None
    value = _dec(index)
    if value >= _dec(thresholds.green_index):
        return GREEN
    if value >= _dec(thresholds.red_index):
        return AMBER
    return RED


def worst(*ratings: str | None) -> str:
    present = [r for r in ratings if r]
    return max(present, key=_SEVERITY.__getitem__) if present else GREEN


def schedule_rag(result: EvmResult, thresholds: RagThresholds) -> str:
    return index_rag(result.spi, thresholds) or GREEN


def cost_rag(result: EvmResult, thresholds: RagThresholds) -> str:
    """From CPI, and red whatever the CPI when the forecast overrun passes the limit."""
    rating = index_rag(result.cpi, thresholds)
    deviation = result.cost_deviation
    if deviation is not None and deviation > _dec(thresholds.red_deviation):
        rating = RED
    return rating or GREEN


def rag_for(result: EvmResult, thresholds: RagThresholds) -> str:
    """The overall rating the figures suggest: the worse of schedule and cost."""
    return worst(schedule_rag(result, thresholds), cost_rag(result, thresholds))


# --- planned and earned value from the plan ---------------------------------------------


@dataclass(frozen=True)
class PlannedItem:
    """A deliverable of the baseline: its weight and planned window."""

    weight: Decimal
    start: dt.date
    finish: dt.date


def elapsed_share(start: dt.date, finish: dt.date, on: dt.date) -> Decimal:
    """How much of a planned window has passed on a date (0 before, 1 after, linear inside)."""
    if on < start:
        return Decimal(0)
    if on >= finish:
        return Decimal(1)
    total = (finish - start).days + 1
    return Decimal((on - start).days + 1) / Decimal(total)


def planned_value(*, bac: Number, items: Iterable[PlannedItem], on: dt.date) -> Decimal:
    """PV on a date: each deliverable's share of BAC times the share of its window elapsed."""
    items = list(items)
    total = sum((_dec(i.weight) for i in items), Decimal(0))
    if total == 0:
        return Decimal(0)
    bac = _dec(bac)
    return sum(
        (bac * _dec(i.weight) / total * elapsed_share(i.start, i.finish, on) for i in items),
        Decimal(0),
    )


def weighted_progress(progress: Iterable[tuple[Number, Number]]) -> Decimal | None:
    """Percent complete (0–100) from (weight, percent complete) pairs; None without weights."""
    pairs = [(_dec(w), _dec(p)) for w, p in progress]
    total = sum((w for w, _p in pairs), Decimal(0))
    if total == 0:
        return None
    return sum((w * p for w, p in pairs), Decimal(0)) / total


def earned_amount(*, bac: Number, percent_complete: Number) -> Decimal:
    """EV = BAC × percent complete / 100."""
    return _dec(bac) * _dec(percent_complete) / Decimal(100)
