"""The pure calculations: similarity ranking and the reuse comparison (Welch's t-test),
against reference values (scipy)."""

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

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
def test_student_t_p_matches_scipy(t, df):
    assert analysis.student_t_two_sided_p(t, df) == pytest.approx(
        2 * stats.t.sf(abs(t), df), abs=1e-9
    )
