"""Weighted ranking of alternatives and its ±10 % sensitivity check (no Django)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decisions import ranking


def test_weighted_scores_use_normalised_weights():
    weights = {"value": 60, "risk": 40}
    scores = {"A": {"value": 9, "risk": 4}, "B": {"value": 5, "risk": 9}}
    totals = ranking.weighted_scores(weights, scores)
    assert totals == pytest.approx({"A": 0.6 * 9 + 0.4 * 4, "B": 0.6 * 5 + 0.4 * 9})
    assert ranking.rank(totals) == ["A", "B"]


def test_a_missing_score_counts_as_zero_and_ties_keep_their_order():
    totals = ranking.weighted_scores({"k": 1}, {"A": {}, "B": {"k": 0}})
    assert totals == {"A": 0, "B": 0}
    assert ranking.rank(totals, ["B", "A"]) == ["B", "A"]


def test_zero_weights_count_equally():
    assert ranking.normalise({"a": 0, "b": 0}) == {"a": 0.5, "b": 0.5}


def test_a_close_ranking_flips_when_one_weight_moves():
    # A leads by 0.1: moving "risk" up by 10 % (40 → 44 before scaling) flips it.
    weights = {"value": 60, "risk": 40}
    scores = {"A": {"value": 8, "risk": 5}, "B": {"value": 7, "risk": 6.4}}
    result = ranking.sensitivity(weights, scores)
    assert result.ranking == ("A", "B")
    assert not result.robust
    flips = {(m.criterion, m.factor) for m in result.changing_moves}
    assert ("risk", 1.1) in flips and ("value", 0.9) in flips
    assert len(result.moves) == 4


def test_a_clear_ranking_is_robust():
    result = ranking.sensitivity(
        {"value": 50, "risk": 50}, {"A": {"value": 9, "risk": 9}, "B": {"value": 2, "risk": 3}}
    )
    assert result.robust and result.changing_moves == []


def test_spread_is_highest_minus_lowest():
    assert ranking.spread([3, 9, 5]) == 6
    assert ranking.spread([7]) == 0


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcde"), st.floats(0, 100), min_size=1),
    st.lists(st.floats(0, 10), min_size=5, max_size=5),
    st.lists(st.floats(0, 10), min_size=5, max_size=5),
)
def test_scores_stay_within_the_scale_and_an_alternative_that_dominates_wins(w, s1, s2):
    keys = list(w)
    a = {k: max(x, y) for k, x, y in zip(keys, s1, s2, strict=False)}
    b = {k: min(x, y) for k, x, y in zip(keys, s1, s2, strict=False)}
    totals = ranking.weighted_scores(w, {"A": a, "B": b})
    assert all(-1e-9 <= t <= 10 + 1e-9 for t in totals.values())
    assert ranking.rank(totals, ["A", "B"])[0] == "A"
