"""The pure calculations: similarity ranking and the reuse comparison (Welch's t-test),
against reference values (scipy)."""

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import special, stats

from knowledge import analysis


def test_similarity_reference_values():
    target = analysis.Target(
        project_type_id=1, stage="active", text="ERP接口联调", tags=frozenset()
    )
    same = analysis.Candidate(key=1, project_type_id=1, phase="execution", text="接口联调经验")
    # type 3 + phase 2 + text 4 × |{接口, 口联, 联调}| / min(4, 5) = 3 + 2 + 3
    assert analysis.similarity(same, target) == 8.0
    other = analysis.Candidate(
        key=2, project_type_id=2, phase="closing", text="厂房验收", reuse_count=3
    )
    assert analysis.similarity(other, target) == round(0.5 * math.log1p(3), 4)
    assert analysis.rank([other, same], target, limit=1) == [(8.0, 1)]


def test_rank_leaves_out_what_shares_nothing():
    target = analysis.Target(project_type_id=None, stage="idea", text="风险")
    nothing = analysis.Candidate(key=1, project_type_id=None, phase="", text="采购")
    assert analysis.rank([nothing], target) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]),
        ([0.95, 1.02, 0.98, 1.05, 0.99], [0.85, 0.9, 0.93, 0.88]),
        ([3, 5, 4, 6, 5, 7], [2, 1, 3, 2]),
    ],
)
def test_welch_t_test_matches_scipy(a, b):
    result = analysis.compare(a, b)
    reference = stats.ttest_ind(a, b, equal_var=False)
    assert result.t == pytest.approx(reference.statistic, rel=1e-9)
    assert result.p == pytest.approx(reference.pvalue, rel=1e-6)
    assert result.difference == pytest.approx(sum(a) / len(a) - sum(b) / len(b))


def test_compare_without_enough_data():
    result = analysis.compare([1.0], [])
    assert (result.mean_a, result.mean_b, result.t, result.p) == (1.0, None, None, None)


@given(st.floats(min_value=-50, max_value=50), st.floats(min_value=1, max_value=500))
@example(t=4.267186060040702e-06, df=131.0)  # a tiny t: 1 − x must not lose its digits
@example(t=3.5486761604750288e-09, df=1.0)
def test_student_t_p_matches_scipy(t, df):
    # The reference evaluates the incomplete beta function on its well-conditioned side:
    # for a tiny t, scipy's t.sf(t) rounds to 0.5 and loses the digits being compared.
    square = t * t
    x, y = df / (df + square), square / (df + square)
    reference = 1 - special.betainc(0.5, df / 2, y) if y < x else special.betainc(df / 2, 0.5, x)
    assert analysis.student_t_two_sided_p(t, df) == pytest.approx(reference, abs=1e-9)


@given(st.floats(min_value=-1e6, max_value=1e6))
@example(t=3.5486761604750288e-09)
def test_student_t_p_matches_the_closed_forms_for_one_and_two_degrees_of_freedom(t):
    assert analysis.student_t_two_sided_p(t, 1) == pytest.approx(
        1 - 2 / math.pi * math.atan(abs(t)), abs=1e-12
    )
    assert analysis.student_t_two_sided_p(t, 2) == pytest.approx(
        1 - abs(t) / math.sqrt(2 + t * t), abs=1e-12
    )
