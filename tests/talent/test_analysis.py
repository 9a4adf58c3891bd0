"""The pure calculations of the talent area against reference values and properties."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from talent import analysis as a

CRITERIA = a.Criteria(
    competencies=(("C1", "Scheduling", 3), ("C2", "Leadership", 4)),
    min_projects=2,
    min_budget=1_000_000,
    min_years=3,
    certificates=frozenset({"PMP", "IPMP"}),
    min_grade="B",
)


def test_readiness_names_every_unmet_criterion():
    record = a.Record(
        proficiency={"C1": 3, "C2": 2},
        projects_managed=1,
        largest_budget=2_000_000,
        years=1.5,
        certificates=frozenset({"PRINCE2"}),
        latest_grade="C",
    )
    result = a.readiness(record, CRITERIA)
    assert [g.kind for g in result.gaps] == [
        "competency",
        "projects",
        "years",
        "certificate",
        "appraisal",
    ]
    assert result.gaps[0] == a.Gap("competency", "Leadership", "4", "2")
    assert (result.met, result.total) == (2, 7)
    assert result.percent == 28.6
    assert not result.ready


def test_readiness_is_complete_when_everything_is_met():
    record = a.Record(
        proficiency={"C1": 5, "C2": 4},
        projects_managed=2,
        largest_budget=1_000_000,
        years=3,
        certificates=frozenset({"IPMP"}),
        latest_grade="A",
    )
    result = a.readiness(record, CRITERIA)
    assert result.ready and result.percent == 100


def test_unrated_competency_is_a_gap_and_empty_criteria_count_nothing():
    result = a.readiness(a.Record(), a.Criteria(competencies=(("C1", "X", 1),)))
    assert result.gaps == (a.Gap("competency", "X", "1", ""),)
    assert a.readiness(a.Record(), a.Criteria()).total == 0


def test_grades_order_best_first():
    assert a.grade_at_least("A", "B") and a.grade_at_least("B", "B")
    assert not a.grade_at_least("C", "B") and not a.grade_at_least("", "D")
    assert a.grade_at_least("", "")


def test_manager_rating_wins_over_self_assessment():
    assert a.effective_proficiency(4, 3) == 3
    assert a.effective_proficiency(4, None) == 4
    assert a.effective_proficiency(None, None) is None


def test_match_score_reference():
    need = a.Need(rank=3, competencies={"C1": 4, "C2": 2})
    cand = a.Candidate(
        1, rank=2, proficiency={"C1": 2, "C2": 3}, similar_projects=2, load_percent=60
    )
    m = a.match(cand, need)
    points = {p.key: p.points for p in m.parts}
    # level one below: 0.5 × 30; competencies (0.5 + 1)/2 × 30; experience 2/3 × 25; load 0.4 × 15
    assert points == {"level": 15.0, "competencies": 22.5, "experience": 16.7, "load": 6.0}
    assert m.score == 60.2


def test_rank_matches_orders_by_score_then_id():
    need = a.Need(rank=2)
    ranked = a.rank_matches(
        [a.Candidate(3, 2), a.Candidate(1, 2), a.Candidate(2, 1, load_percent=0)], need
    )
    assert [m.person_id for m in ranked] == [1, 3, 2]


@given(
    rank=st.integers(0, 6),
    need=st.integers(1, 5),
    similar=st.integers(0, 10),
    load=st.floats(0, 300),
    prof=st.integers(0, 5),
)
def test_match_score_stays_within_0_and_100(rank, need, similar, load, prof):
    m = a.match(a.Candidate(1, rank, {"C": prof}, similar, load), a.Need(need, {"C": 3}))
    assert 0 <= m.score <= 100


def test_demand_rank_by_budget_and_classification():
    limits = [(1, 3e6), (2, 2e7), (3, 1e8), (4, None), (5, None)]
    assert a.demand_rank(2e6, "general", limits) == 1
    assert a.demand_rank(5e6, "key", limits) == 2
    assert a.demand_rank(5e6, "major", limits) == 3
    assert a.demand_rank(5e8, "general", limits) == 5
    assert a.demand_rank(5e8, "major", limits) == 5
    assert a.demand_rank(1, "general", []) == 0


def test_quarters():
    assert a.quarter_of(dt.date(2026, 5, 3)) == (2026, 2)
    assert a.quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert a.next_quarters(dt.date(2026, 11, 1), 3) == [(2026, 4), (2027, 1), (2027, 2)]


def test_gap_table_lets_senior_surplus_cover_junior_shortage():
    q = (2026, 2)
    start, end = a.quarter_bounds(*q)
    demand = [(1, start, end, 1.0), (1, start, end, 0.5), (2, start, end, 1.0)]
    supply = [
        (1, 1.0, [(start, end, 0.5)]),  # half free
        (2, 1.0, []),
        (2, 1.0, [(None, None, 0.25)]),
    ]
    rows = a.gap_table([q], [1, 2], demand, supply)
    assert rows == [
        a.Row(q, 1, demand=1.5, supply=0.5, shortage=0.25),
        a.Row(q, 2, demand=1.0, supply=1.75, shortage=0.0),
    ]


def test_gap_table_counts_only_overlapping_quarters():
    q1, q2 = (2026, 1), (2026, 2)
    s2, e2 = a.quarter_bounds(*q2)
    rows = a.gap_table([q1, q2], [1], [(1, s2, e2, 1.0)], [])
    assert [r.shortage for r in rows] == [0.0, 1.0]


def test_staffing_finds_gaps_over_staffing_and_unplanned_members():
    positions = [(10, 1, 2), (11, 2, 1), (12, 1, 1), (13, None, 1)]
    members = [(100, 1), (101, 1), (102, 1), (103, 1), (104, 2), (105, 3)]
    result, unplanned = a.staff(positions, members)
    by = {s.position_id: s for s in result}
    assert by[10].filled == (100, 101) and by[10].gap == 0
    assert by[12].filled == (102, 103) and by[12].over == 1
    assert by[11].filled == (104,)
    assert by[13].gap == 1
    assert unplanned == [105]


def test_kpi_points_and_scores():
    assert a.kpi_points(0.9, 1.0) == 90.0
    assert a.kpi_points(1.2, 1.0) == 100.0
    assert a.kpi_points(None, 1.0) is None
    assert a.kpi_points(10, 5, higher_is_better=False) == 50.0
    assert a.kpi_points(4, 5, higher_is_better=False) == 100.0
    assert a.weighted_score([(80, 60), (None, 40)]) == 80.0
    assert a.weighted_score([(80, 60), (50, 40)]) == 68.0
    assert a.weighted_score([]) is None
    assert a.total_score(80, 4, 30) == 80.0
    assert a.total_score(None, 5, 30) == 100.0
    assert a.total_score(90, None, 30) == 90.0
    assert [a.grade_for(x) for x in (95, 90, 80, 60, 59.9, None)] == ["A", "A", "B", "C", "D", ""]


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)), max_size=30))
def test_survey_index_is_between_20_and_100(responses):
    index = a.survey_index(responses)["index"]
    assert index is None if not responses else 20 <= index <= 100


def test_survey_index_reference():
    assert a.survey_index([(4, 3, 2), (5, 3, 4)]) == {
        "collaboration": 4.5,
        "clarity": 3.0,
        "workload": 3.0,
        "index": 70.0,
    }


def test_competency_gaps_and_quarter_spread():
    gaps = a.competency_gaps({1: {"A": 3}, 2: {"A": 2, "B": 5}}, {1: {"A": 3, "B": 2}, 2: {"A": 3}})
    assert gaps == {"B": [1], "A": [2]}
    assert a.spread_quarters([1, 5, 3, 2]) == [4, 1, 2, 3]
    assert a.spread_quarters([]) == []
