"""Earned value: reference values from the PMP textbook example and properties."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delivery import evm
from delivery.evm import RagThresholds, earned_value, rag_for

D = Decimal


def test_textbook_example():
    # BAC 100,000; PV 50,000; EV 40,000; AC 45,000.
    r = earned_value(bac=100_000, pv=50_000, ev=40_000, ac=45_000)
    assert r.sv == D(-10_000)
    assert r.cv == D(-5_000)
    assert r.spi == D("0.8")
    assert round(r.cpi, 4) == D("0.8889")
    assert round(r.eac, 2) == D("112500.00")
    assert round(r.etc, 2) == D("67500.00")
    assert round(r.vac, 2) == D("-12500.00")
    assert round(r.tcpi, 4) == D("1.0909")  # 60,000 / 55,000


def test_ahead_and_under_budget():
    r = earned_value(bac=1_000_000, pv=400_000, ev=500_000, ac=400_000)
    assert r.spi == D("1.25") and r.cpi == D("1.25")
    assert r.eac == D(800_000) and r.vac == D(200_000)
    assert r.tcpi == D(500_000) / D(600_000)


def test_indices_are_undefined_where_their_divisor_is_zero():
    r = earned_value(bac=1000, pv=0, ev=0, ac=0)
    assert r.spi is None and r.cpi is None and r.eac is None
    assert r.etc is None and r.vac is None
    assert r.tcpi == 1
    spent_all = earned_value(bac=1000, pv=500, ev=300, ac=1000)
    assert spent_all.tcpi is None
    nothing_earned = earned_value(bac=1000, pv=500, ev=0, ac=200)
    assert nothing_earned.cpi == 0 and nothing_earned.eac is None


def test_eac_variants():
    r = earned_value(bac=100_000, pv=50_000, ev=40_000, ac=45_000)
    variants = evm.eac_variants(r)
    assert variants["atypical"] == D(105_000)
    assert round(variants["composite"], 2) == D("129375.00")  # 45,000 + 60,000 / (0.8889 × 0.8)


@pytest.mark.parametrize(
    ("spi", "cpi", "expected"),
    [
        ("1.00", "1.00", "green"),
        ("0.95", "1.10", "green"),
        ("0.94", "1.00", "amber"),
        ("1.00", "0.91", "amber"),
        ("0.89", "1.00", "red"),
        ("1.00", "0.899", "red"),
    ],
)
def test_rag_for_reference_thresholds(spi, cpi, expected):
    bac = D(1000)
    ev = D(500)
    result = earned_value(bac=bac, pv=ev / D(spi), ev=ev, ac=ev / D(cpi))
    assert rag_for(result, RagThresholds(red_deviation=D("0.5"))) == expected


def test_forecast_overrun_beyond_the_limit_is_red_whatever_the_cpi():
    # CPI 0.92 is amber by index, but EAC exceeds BAC by 8.7 %: within 10 % stays amber…
    r = earned_value(bac=1000, pv=500, ev=460, ac=500)
    assert rag_for(r, RagThresholds()) == "amber"
    # …while an overrun limit of 5 % makes it red.
    assert rag_for(r, RagThresholds(red_deviation=D("0.05"))) == "red"


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError):
        RagThresholds(green_index=D("0.8"), red_index=D("0.9"))


def test_planned_value_accrues_linearly_over_each_window():
    items = [
        evm.PlannedItem(D(1), dt.date(2026, 1, 1), dt.date(2026, 1, 10)),
        evm.PlannedItem(D(3), dt.date(2026, 1, 11), dt.date(2026, 1, 20)),
    ]
    assert evm.planned_value(bac=400, items=items, on=dt.date(2025, 12, 31)) == 0
    assert evm.planned_value(bac=400, items=items, on=dt.date(2026, 1, 5)) == D(50)
    assert evm.planned_value(bac=400, items=items, on=dt.date(2026, 1, 10)) == D(100)
    assert evm.planned_value(bac=400, items=items, on=dt.date(2026, 1, 15)) == D(250)
    assert evm.planned_value(bac=400, items=items, on=dt.date(2026, 2, 1)) == D(400)


def test_weighted_progress():
    assert evm.weighted_progress([(1, 100), (3, 0)]) == D(25)
    assert evm.weighted_progress([]) is None


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(bac=money, pv=money, ev=money, ac=money)
def test_identities_hold(bac, pv, ev, ac):
    r = earned_value(bac=bac, pv=pv, ev=ev, ac=ac)
    assert r.sv == ev - pv and r.cv == ev - ac
    if pv:
        assert abs(r.spi * pv - ev) < D("0.0001")
    else:
        assert r.spi is None
    if r.eac is not None:
        assert abs(r.vac + r.eac - bac) < D("0.000001")
        assert abs(r.etc + ac - r.eac) < D("0.000001")
        assert abs(r.eac * r.cpi - bac) < D("0.001")
    assert rag_for(r, RagThresholds()) in {"green", "amber", "red"}


@given(bac=money, pv=money, ac=money, ev=money, extra=money)
def test_earning_more_never_makes_the_rating_worse(bac, pv, ac, ev, extra):
    order = {"green": 0, "amber": 1, "red": 2}
    before = rag_for(earned_value(bac=bac, pv=pv, ev=ev, ac=ac), RagThresholds())
    after = rag_for(earned_value(bac=bac, pv=pv, ev=ev + extra, ac=ac), RagThresholds())
    assert order[after] <= order[before] or ev == 0


@given(
    bac=money,
    days=st.integers(min_value=0, max_value=400),
    later=st.integers(min_value=0, max_value=400),
)
def test_planned_value_is_monotonic_and_bounded(bac, days, later):
    items = [evm.PlannedItem(D(2), dt.date(2026, 1, 1), dt.date(2026, 6, 30))]
    start = dt.date(2025, 12, 1)
    a = evm.planned_value(bac=bac, items=items, on=start + dt.timedelta(days=days))
    b = evm.planned_value(bac=bac, items=items, on=start + dt.timedelta(days=days + later))
    assert 0 <= a <= b <= bac + D("0.0001")
