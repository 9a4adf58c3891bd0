"""The pure calculations: the version diff and the weighted scoring of tools."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standards import diff, scoring


def test_diff_lists_added_removed_and_changed_parts_with_their_fields():
    old = {
        "phase": {"INIT": {"name": "立项", "order": 1}},
        "deliverable": {"D1": {"name": "章程", "optional": False}, "D2": {"name": "计划"}},
    }
    new = {
        "phase": {"INIT": {"name": "立项", "order": 1}, "EXEC": {"name": "执行", "order": 2}},
        "deliverable": {"D1": {"name": "项目章程", "optional": True}},
    }
    changes = diff.diff(old, new)
    assert [(c.kind, c.key, c.action) for c in changes] == [
        ("phase", "EXEC", "added"),
        ("deliverable", "D1", "changed"),
        ("deliverable", "D2", "removed"),
    ]
    assert changes[1].fields == (
        diff.FieldChange("name", "章程", "项目章程"),
        diff.FieldChange("optional", False, True),
    )
    counts = diff.summary(changes)
    assert counts["deliverable"] == {"added": 0, "removed": 1, "changed": 1}
    assert counts["gate"] == {"added": 0, "removed": 0, "changed": 0}


snapshots = st.dictionaries(
    st.sampled_from(diff.KINDS),
    st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.dictionaries(st.sampled_from(["name", "order"]), st.integers(0, 3)),
        max_size=4,
    ),
)


@given(snapshots)
def test_a_version_has_no_difference_with_itself(snapshot):
    assert diff.diff(snapshot, snapshot) == []


@given(snapshots, snapshots)
def test_added_and_removed_swap_when_the_versions_swap(a, b):
    forward = {(c.kind, c.key, c.action) for c in diff.diff(a, b)}
    backward = {(c.kind, c.key, c.action) for c in diff.diff(b, a)}
    swap = {"added": "removed", "removed": "added", "changed": "changed"}
    assert {(k, key, swap[action]) for k, key, action in forward} == backward


def test_weighted_scores_mean_spread_and_rank_by_hand():
    weights = {"function": 60, "cost": 40}
    scores = {
        ("ann", "A", "function"): 8,
        ("ann", "A", "cost"): 5,  # 6.8
        ("bob", "A", "function"): 6,
        ("bob", "A", "cost"): 9,  # 7.2
        ("ann", "B", "function"): 9,
        ("ann", "B", "cost"): 9,  # 9.0
        ("bob", "B", "function"): 3,
        ("bob", "B", "cost"): 3,  # 3.0
        ("ann", "C", "function"): 7,  # incomplete: not counted
    }
    results = scoring.results(weights, ["A", "B", "C"], ["ann", "bob"], scores)
    by = {r.candidate: r for r in results}
    assert by["A"].totals == {"ann": pytest.approx(6.8), "bob": pytest.approx(7.2)}
    assert by["A"].score == pytest.approx(7.0)
    assert by["A"].spread == pytest.approx(0.4) and not by["A"].disagreement
    assert by["B"].score == pytest.approx(6.0)
    assert by["B"].spread == pytest.approx(6.0) and by["B"].disagreement
    assert by["C"].score is None and by["C"].rank is None
    assert [r.candidate for r in results] == ["A", "B", "C"]
    assert by["B"].criterion_spreads == {"function": 6.0, "cost": 6.0}


def test_weights_must_sum_to_100():
    assert scoring.weights_complete({"a": 30, "b": 70})
    assert scoring.weights_complete({"a": 33.33, "b": 33.33, "c": 33.34})
    assert not scoring.weights_complete({"a": 30, "b": 60})
    assert not scoring.weights_complete({})


@given(
    st.lists(st.integers(1, 100), min_size=1, max_size=6),
    st.lists(st.floats(0, 10), min_size=6, max_size=6),
)
def test_a_weighted_total_stays_on_the_0_to_10_scale(raw_weights, values):
    total = sum(raw_weights)
    weights = {i: w * 100 / total for i, w in enumerate(raw_weights)}
    scores = {i: values[i] for i in weights}
    result = scoring.weighted_total(weights, scores)
    assert min(scores.values()) - 1e-9 <= result <= max(scores.values()) + 1e-9
