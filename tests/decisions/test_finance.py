"""The investment appraisal core against numpy-financial and worked examples."""

import math

import numpy_financial as npf
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from decisions import finance

flows = st.lists(
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=15,
)
rates = st.floats(min_value=-0.9, max_value=2.0, allow_nan=False)


@st.composite
def conventional_flows(draw):
    """An investment first (one or more outflows), then inflows: exactly one sign change."""
    outs = draw(st.lists(st.floats(min_value=1, max_value=1e7), min_size=1, max_size=4))
    ins = draw(st.lists(st.floats(min_value=1, max_value=1e7), min_size=1, max_size=12))
    return [-v for v in outs] + ins


# --- worked examples ------------------------------------------------------------------


def test_npv_discounts_from_the_second_flow_on():
    # numpy-financial's documented example: 3065.22 at 8 %.
    assert finance.npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]) == pytest.approx(
        3065.22267, abs=1e-4
    )
    # By hand: -1000 + 600/1.1 + 600/1.21 = 41.32
    assert finance.npv(0.10, [-1000, 600, 600]) == pytest.approx(41.3223, abs=1e-4)
    assert finance.npv(0.0, [-1000, 600, 600]) == 200


@pytest.mark.parametrize(
    ("cash_flows", "expected"),
    [
        ([-100, 39, 59, 55, 20], 0.28095),
        ([-100, 0, 0, 74], -0.0955),
        ([-100, 100, 0, -7], -0.0833),
        ([-100, 100, 0, 7], 0.06206),
        ([-5, 10.5, 1, -8, 1], 0.0886),
        ([-1000, 600, 600], 0.13066),
    ],
)
def test_irr_worked_examples(cash_flows, expected):
    assert finance.irr(cash_flows) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize("cash_flows", [[100, 200, 300], [-100, -50], [0, 0, 0], [], [0, -1, 0]])
def test_irr_is_none_without_a_sign_change(cash_flows):
    assert finance.irr(cash_flows) is None


def test_irr_is_none_when_no_real_root_exists():
    # -1 + 1x - 1x² has no real root (discriminant 1 - 4 < 0) although the signs change.
    assert finance.irr([-1, 1, -1]) is None


def test_payback_interpolates_inside_the_turning_year():
    # Cumulative: -1000, -700, -300, +200 → 2 + 300/500.
    assert finance.payback_period([-1000, 300, 400, 500]) == pytest.approx(2.6)
    assert finance.payback_period([-1000, 1000]) == pytest.approx(1.0)
    assert finance.payback_period([0, 10]) == 0.0
    assert finance.payback_period([-1000, 300, 300]) is None


def test_discounted_payback_uses_discounted_flows():
    # PV at 10 %: -1000, 454.55, 413.22, 375.66 → cumulative -132.23 after year 2.
    value = finance.discounted_payback_period(0.10, [-1000, 500, 500, 500])
    assert value == pytest.approx(2 + (1000 - 500 / 1.1 - 500 / 1.21) / (500 / 1.331))
    assert value == pytest.approx(2.352, abs=1e-3)
    # Pays back undiscounted (2.6) but not within the horizon once discounted.
    assert finance.discounted_payback_period(0.10, [-1000, 300, 400, 500]) is None


def test_benefit_cost_ratio_is_pv_benefits_over_pv_costs():
    ratio = finance.benefit_cost_ratio(0.10, [0, 660, 726], [1000, 0, 0])
    assert ratio == pytest.approx((600 + 600) / 1000)
    assert finance.benefit_cost_ratio(0.10, [1, 2], [0, 0]) is None


@pytest.mark.parametrize("rate", [-1, -1.5, float("nan"), float("inf")])
def test_rates_of_minus_100_percent_or_below_are_refused(rate):
    with pytest.raises(ValueError, match="-100"):
        finance.npv(rate, [-1, 2])
    with pytest.raises(ValueError, match="-100"):
        finance.appraise(rate, [1], [0], [2])


def test_appraise_collects_every_figure_with_its_working():
    result = finance.appraise(0.10, [1000, 0, 0], [0, 100, 100], [0, 700, 700])
    assert [row.net for row in result.rows] == [-1000, 600, 600]
    assert result.npv == pytest.approx(41.3223, abs=1e-4)
    assert result.irr == pytest.approx(0.13066, abs=1e-5)
    assert result.payback == pytest.approx(1 + 400 / 600)
    assert result.rows[2].factor == pytest.approx(1 / 1.21)
    assert result.rows[2].discounted_cumulative == pytest.approx(result.npv)
    assert result.benefit_cost_ratio == pytest.approx(
        (700 / 1.1 + 700 / 1.21) / (1000 + 100 / 1.1 + 100 / 1.21)
    )
    assert result.total_cost == 1200
    assert result.total_benefit == 1400


def test_appraise_needs_one_value_per_year():
    with pytest.raises(ValueError, match="one value per year"):
        finance.appraise(0.1, [1, 2], [0], [3, 4])


# --- properties against numpy-financial -------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(rate=rates, cash_flows=flows)
def test_npv_equals_numpy_financial(rate, cash_flows):
    expected = npf.npv(rate, cash_flows)
    assume(math.isfinite(expected))
    scale = max(1.0, max(abs(v) for v in cash_flows)) * len(cash_flows) * (1 + 1 / (1 + rate)) ** 15
    assert finance.npv(rate, cash_flows) == pytest.approx(expected, rel=1e-9, abs=1e-9 * scale)


@settings(max_examples=300, deadline=None)
@given(cash_flows=conventional_flows())
def test_irr_equals_numpy_financial_when_flows_change_sign_once(cash_flows):
    expected = npf.irr(cash_flows)
    result = finance.irr(cash_flows)
    if math.isnan(expected):
        # numpy-financial drops roots whose imaginary part is not exactly zero.
        assert result is None or abs(finance.npv(result, cash_flows)) < 1e-6 * sum(
            abs(v) for v in cash_flows
        )
    else:
        assert result == pytest.approx(expected, rel=1e-6, abs=1e-8)


@settings(max_examples=300, deadline=None)
@given(cash_flows=flows)
@example(cash_flows=[1e-14, 1e-14, 1e-05, -10656.0])
@example(cash_flows=[1e-12, 1e-12, 0.0, -0.5, 13858.0])
@example(cash_flows=[0.0, 34130.0, -1.0, 0.0, 2.1462572603106535e-10])
def test_irr_is_a_root_of_npv_whenever_it_exists(cash_flows):
    result = finance.irr(cash_flows)
    if result is None:
        return
    assert result > -1
    # Within a hair of -100 % the rate itself cannot be stated precisely enough.
    assume(result > -0.99)
    magnitude = sum(abs(v) / (1 + result) ** t for t, v in enumerate(cash_flows))
    assert abs(finance.npv(result, cash_flows)) <= 1e-6 * max(magnitude, 1.0)


@settings(max_examples=200, deadline=None)
@given(cash_flows=flows)
def test_irr_is_none_exactly_when_the_flows_keep_one_sign(cash_flows):
    same_sign = all(v >= 0 for v in cash_flows) or all(v <= 0 for v in cash_flows)
    if same_sign:
        assert finance.irr(cash_flows) is None


@settings(max_examples=300, deadline=None)
@given(cash_flows=flows)
def test_payback_lies_in_the_period_where_the_cumulative_turns(cash_flows):
    result = finance.payback_period(cash_flows)
    running = list(finance.cumulative(cash_flows))
    if result is None:
        assert all(v < 0 for v in running)
        return
    turn = next(t for t, v in enumerate(running) if v >= 0)
    assert result == 0.0 if turn == 0 else turn - 1 <= result <= turn


@settings(max_examples=200, deadline=None)
@given(cash_flows=conventional_flows(), rate=st.floats(min_value=0.0, max_value=0.5))
def test_discounting_never_shortens_payback(cash_flows, rate):
    plain = finance.payback_period(cash_flows)
    discounted = finance.discounted_payback_period(rate, cash_flows)
    if discounted is not None:
        assert plain is not None
        assert discounted >= plain - 1e-9


@settings(max_examples=200, deadline=None)
@given(cash_flows=conventional_flows())
def test_npv_is_zero_at_the_irr_and_positive_below_it(cash_flows):
    result = finance.irr(cash_flows)
    assume(result is not None and result > -0.5)
    below = result - 0.01
    assert finance.npv(below, cash_flows) > finance.npv(result, cash_flows) - 1e-6 * sum(
        abs(v) for v in cash_flows
    )


def test_irr_is_a_python_float_that_django_fields_accept():
    assert type(finance.irr([-100, 39, 59, 55, 20])) is float
