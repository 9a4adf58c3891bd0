"""The pure arithmetic of evaluation against reference values, edge cases and properties."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation import scoring

BANDS = [("A", 85), ("B", 70), ("C", 55), ("D", 40), ("E", 0)]
scores = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=9)


def test_mean_ignores_missing_scores():
    assert scoring.mean([4, None, 2]) == 3
    assert scoring.mean([None, None]) is None
    assert scoring.mean([]) is None


def test_trimmed_mean_drops_the_extremes_by_share():
    # 5 scores, 20 %: one dropped at each end → mean of 2, 3, 4.
    assert scoring.trimmed_mean([1, 2, 3, 4, 5], 20) == 3
    assert scoring.trimmed_mean([1, 4, 4, 4, 5], 20) == 4
    # 4 scores, 20 %: floor(0.8) = 0 dropped → plain mean.
    assert scoring.trimmed_mean([1, 2, 3, 5], 20) == pytest.approx(2.75)
    # 10 scores, 20 %: two dropped at each end.
    assert scoring.trimmed_mean([1, 1, 3, 3, 3, 3, 3, 3, 5, 5], 20) == 3


def test_trimmed_mean_of_one_or_two_reviewers_is_the_mean():
    assert scoring.trimmed_mean([4], 40) == 4
    assert scoring.trimmed_mean([2, 5], 40) == 3.5
    assert scoring.trimmed_mean([None, 3], 20) == 3


def test_trimmed_mean_refuses_half_or_more():
    with pytest.raises(ValueError):
        scoring.trimmed_mean([1, 2, 3], 50)


def test_aggregate_dispatches_and_refuses_unknown_methods():
    assert scoring.aggregate([1, 2, 3, 4, 5], "trimmed", 20) == 3
    assert scoring.aggregate([1, 5], "mean") == 3
    with pytest.raises(ValueError):
        scoring.aggregate([1], "median")


def test_spread_needs_two_reviewers():
    assert scoring.spread([4]) is None
    assert scoring.spread([4, None]) is None
    assert scoring.spread([2, 5, 3]) == 3
    assert scoring.std_dev([2, 4]) == 1
    assert scoring.std_dev([3]) is None


def test_disagreement_is_strictly_above_the_threshold():
    assert scoring.disagrees([2, 4], 1.5)
    assert not scoring.disagrees([2, 4], 2)  # a range equal to the threshold is not flagged
    assert not scoring.disagrees([5], 0)  # a single reviewer cannot disagree


def test_weighted_mean_renormalises_over_given_scores_and_reports_coverage():
    result = scoring.weighted_mean([(60, 4), (40, 2)])
    assert result.value == pytest.approx(3.2)
    assert result.coverage == 1
    missing = scoring.weighted_mean([(60, 4), (40, None)])
    assert missing.value == 4
    assert missing.coverage == pytest.approx(0.6)
    assert scoring.weighted_mean([(50, None)]).value is None
    assert scoring.weighted_mean([(0, 5), (100, 3)]).value == 3  # weight 0 does not count


def test_weights_must_sum_to_100():
    assert scoring.weights_ok([30, 25, 25, 20])
    assert scoring.weights_ok([33.33, 33.33, 33.34])
    assert not scoring.weights_ok([50, 40])
    assert not scoring.weights_ok([])


def test_grade_band_edges_belong_to_the_higher_band():
    assert scoring.grade_for(85, BANDS) == "A"
    assert scoring.grade_for(84.9, BANDS) == "B"
    assert scoring.grade_for(84.95, BANDS) == "A"  # rounded half-up to 85.0
    assert scoring.grade_for(84.94, BANDS) == "B"
    assert scoring.grade_for(70, BANDS) == "B"
    assert scoring.grade_for(0, BANDS) == "E"
    assert scoring.grade_for(100, BANDS) == "A"
    assert scoring.grade_for(None, BANDS) is None
    assert scoring.grade_for(50, []) is None


def test_grade_below_every_bound_is_the_lowest_band():
    assert scoring.grade_for(10, [("P", 60), ("F", 30)]) == "F"


def test_band_problems():
    assert scoring.bands_problems([85, 70, 0]) == []
    assert scoring.bands_problems([85, 70]) == ["the lowest band must start at 0"]
    assert "two bands share a lower bound" in scoring.bands_problems([70, 70, 0])
    assert scoring.bands_problems([]) == ["no bands"]


def test_metric_score_is_linear_clamped_and_handles_lower_is_better():
    assert scoring.metric_score(0.9, 0.8, 1.0) == pytest.approx(3)
    assert scoring.metric_score(1.2, 0.8, 1.0) == 5
    assert scoring.metric_score(0.5, 0.8, 1.0) == 1
    # issue resolution days: 20 days scores 1, 5 days scores 5
    assert scoring.metric_score(10, 20, 5) == pytest.approx(1 + 4 * 10 / 15)
    assert scoring.metric_score(None, 0, 1) is None
    assert scoring.metric_score(3, 2, 2) is None


def test_to_hundred_and_progress():
    assert scoring.to_hundred(3.2) == pytest.approx(64)
    assert scoring.to_hundred(None) is None
    assert scoring.progress(72, 90, 81) == 50
    assert scoring.progress(72, 90, 70) < 0
    assert scoring.progress(20, 10, 15) == 50  # lower is better
    assert scoring.progress(5, 5, 6) is None
    assert scoring.progress(1, 2, None) is None


def test_consistency_and_trend():
    assert scoring.consistency([0, 1, 3, 2], 1.5) == 50
    assert scoring.consistency([], 1) is None
    assert scoring.trend([3.0, None, 3.4]) == pytest.approx(0.4)
    assert scoring.trend([3.0]) is None


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(scores, st.integers(min_value=0, max_value=49))
def test_aggregates_stay_within_the_scores(values, trim):
    for value in (scoring.mean(values), scoring.trimmed_mean(values, trim)):
        assert min(values) - 1e-9 <= value <= max(values) + 1e-9


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(scores)
def test_spread_is_zero_when_everyone_agrees_and_never_negative(values):
    gap = scoring.spread(values)
    if len(values) < 2:
        assert gap is None
    else:
        assert gap >= 0
        assert (gap == 0) == (len(set(values)) == 1)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 100), st.one_of(st.none(), st.integers(1, 5))),
        min_size=1,
        max_size=8,
    )
)
def test_weighted_mean_is_within_the_given_scores(items):
    result = scoring.weighted_mean(items)
    given_scores = [s for _w, s in items if s is not None]
    if not given_scores:
        assert result.value is None
    else:
        assert min(given_scores) - 1e-9 <= result.value <= max(given_scores) + 1e-9
        assert 0 < result.coverage <= 1


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_grades_are_monotonic(score):
    order = [code for code, _lower in BANDS]
    grade = scoring.grade_for(score, BANDS)
    higher = scoring.grade_for(min(100.0, score + 5), BANDS)
    assert order.index(higher) <= order.index(grade)
    assert not math.isnan(score)
