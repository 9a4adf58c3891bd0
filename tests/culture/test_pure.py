"""The pure calculations of the culture area, against reference values and properties."""

from hypothesis import given
from hypothesis import strategies as st

from culture import measures


def test_rate_is_a_percentage_with_one_decimal_and_none_without_a_whole():
    assert measures.rate(1, 3) == 33.3
    assert measures.rate(3, 3) == 100.0
    assert measures.rate(0, 0) is None


def test_points_weigh_each_kind_of_contribution():
    counts = {"sessions_given": 2, "lessons_published": 1, "certificates": 1, "unknown": 9}
    assert measures.points(counts) == 2 * 20 + 10 + 30


def test_badges_are_earned_at_their_thresholds():
    assert measures.badges({"sessions_given": 1}) == ["speaker"]
    assert measures.badges({"sessions_given": 3, "certificates": 1}) == [
        "speaker",
        "mentor",
        "certified",
    ]
    assert measures.badges({}) == []


def test_ranking_gives_equal_scores_the_same_rank():
    assert measures.ranked({7: 50, 3: 80, 9: 50, 1: 10}) == [
        (1, 3, 80),
        (2, 7, 50),
        (2, 9, 50),
        (4, 1, 10),
    ]


def test_small_groups_are_pooled_and_a_pool_of_one_group_is_hidden():
    groups = {
        "it": [{1: 4}, {1: 5}, {1: 3}],
        "hr": [{1: 1}],
        "qa": [{1: 2}, {1: 2}],
    }
    shown = {g.key: g for g in measures.group_results(groups, 3, "other")}
    assert shown["it"].means == {1: 4.0} and not shown["it"].suppressed
    assert "hr" not in shown and "qa" not in shown
    assert shown["other"].respondents == 3 and shown["other"].means == {1: 1.67}
    alone = measures.group_results({"it": [{1: 4}] * 3, "hr": [{1: 1}, {1: 2}]}, 3, "other")
    other = [g for g in alone if g.key == "other"][0]
    assert other.suppressed and other.means == {}


@given(
    st.dictionaries(
        st.integers(0, 8),
        st.lists(st.fixed_dictionaries({1: st.integers(1, 5)}), max_size=7),
        max_size=6,
    ),
    st.integers(3, 6),
)
def test_no_shown_mean_rests_on_fewer_answers_than_the_minimum(groups, minimum):
    for group in measures.group_results(groups, minimum, "other"):
        if group.means:
            assert group.respondents >= minimum and not group.suppressed
        assert group.respondents == 0 or group.means or group.suppressed


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 500), max_size=20))
def test_ranks_never_decrease_with_lower_scores(scores):
    rows = measures.ranked(scores)
    for (rank_a, _ka, score_a), (rank_b, _kb, score_b) in zip(rows, rows[1:], strict=False):
        assert score_a >= score_b and rank_a <= rank_b
        assert (rank_a == rank_b) == (score_a == score_b)
