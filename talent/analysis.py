"""Pure calculations of the talent area (no Django import), tested against reference values.

* readiness of a PM for a career level, with every unmet criterion named as a gap;
* the fit of a PM to a new project, with the points of each part and why;
* PM demand vs supply per quarter by level (the talent gap analysis);
* staffing of a designed team by the actual members (gaps and over-staffing);
* appraisal scoring: KPI points, weighted KPI score, total with the manager's rating,
  grade;
* team survey indices, and the grouping of competency gaps into training plan lines.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

GRADES = ("A", "B", "C", "D")  # best first


def grade_at_least(actual: str, required: str) -> bool:
    """``A`` ≥ ``B`` ≥ ``C`` ≥ ``D``; no requirement is always met, no grade never meets one."""
    if not required:
        return True
    if actual not in GRADES:
        return False
    return GRADES.index(actual) <= GRADES.index(required)


def effective_proficiency(self_rating: int | None, manager_rating: int | None) -> int | None:
    """The manager's rating counts when there is one; else the self-assessment."""
    return manager_rating if manager_rating is not None else self_rating


# --- readiness for a level -------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    """What a level asks for. ``competencies``: (code, label, required proficiency)."""

    competencies: tuple[tuple[str, str, int], ...] = ()
    min_projects: int = 0
    min_budget: float = 0
    min_years: float = 0
    certificates: frozenset[str] = frozenset()
    min_grade: str = ""


@dataclass(frozen=True)
class Record:
    """What a PM has: effective proficiency per competency code, projects managed, the
    largest budget managed, years as a PM, valid certificate codes, latest grade."""

    proficiency: dict[str, int] = field(default_factory=dict)
    projects_managed: int = 0
    largest_budget: float = 0
    years: float = 0
    certificates: frozenset[str] = frozenset()
    latest_grade: str = ""


@dataclass(frozen=True)
class Gap:
    """An unmet criterion: ``kind`` is competency, projects, budget, years, certificate
    or appraisal; ``subject`` names the competency (or the accepted certificates)."""

    kind: str
    subject: str
    required: str
    actual: str

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "required": self.required,
            "actual": self.actual,
        }


@dataclass(frozen=True)
class Readiness:
    met: int
    total: int
    gaps: tuple[Gap, ...]

    @property
    def ready(self) -> bool:
        return not self.gaps

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else round(100.0 * self.met / self.total, 1)


def _number(value: float) -> str:
    return f"{value:g}"


def readiness(record: Record, criteria: Criteria) -> Readiness:
    """Check every criterion of a level; a criterion with no requirement is not counted."""
    gaps: list[Gap] = []
    total = 0
    for code, label, required in criteria.competencies:
        total += 1
        actual = record.proficiency.get(code)
        if actual is None or actual < required:
            gaps.append(
                Gap("competency", label, str(required), "" if actual is None else str(actual))
            )
    numeric = (
        ("projects", criteria.min_projects, record.projects_managed),
        ("budget", criteria.min_budget, record.largest_budget),
        ("years", criteria.min_years, record.years),
    )
    for kind, required, actual in numeric:
        if required:
            total += 1
            if actual < required:
                gaps.append(Gap(kind, "", _number(required), _number(actual)))
    if criteria.certificates:
        total += 1
        if not criteria.certificates & record.certificates:
            gaps.append(
                Gap(
                    "certificate",
                    " / ".join(sorted(criteria.certificates)),
                    "1",
                    ", ".join(sorted(record.certificates)),
                )
            )
    if criteria.min_grade:
        total += 1
        if not grade_at_least(record.latest_grade, criteria.min_grade):
            gaps.append(Gap("appraisal", "", criteria.min_grade, record.latest_grade))
    return Readiness(met=total - len(gaps), total=total, gaps=tuple(gaps))


def years_between(start: dt.date | None, end: dt.date) -> float:
    if start is None or start > end:
        return 0.0
    return round((end - start).days / 365.25, 1)


# --- matching a PM to a project --------------------------------------------------------

MATCH_WEIGHTS = {"level": 30.0, "competencies": 30.0, "experience": 25.0, "load": 15.0}
SIMILAR_PROJECTS_FOR_FULL_MARKS = 3


@dataclass(frozen=True)
class Need:
    """What a project asks of its PM: a level rank and proficiency per competency code."""

    rank: int
    competencies: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    rank: int
    proficiency: dict[str, int] = field(default_factory=dict)
    similar_projects: int = 0
    load_percent: float = 0


@dataclass(frozen=True)
class Part:
    """One part of a match score: ``share`` (0–1) of ``weight`` points."""

    key: str
    share: float
    weight: float

    @property
    def points(self) -> float:
        return round(self.share * self.weight, 1)


@dataclass(frozen=True)
class Match:
    person_id: int
    parts: tuple[Part, ...]

    @property
    def score(self) -> float:
        return round(sum(p.points for p in self.parts), 1)


def level_share(rank: int, required: int) -> float:
    """Exactly the level: 1; one above: 0.9 (a little over-qualified); two or more
    above: 0.7; one below: 0.5 (a stretch assignment); further below: 0."""
    diff = rank - required
    if diff == 0:
        return 1.0
    if diff == 1:
        return 0.9
    if diff >= 2:
        return 0.7
    if diff == -1:
        return 0.5
    return 0.0


def competency_share(proficiency: dict[str, int], needed: dict[str, int]) -> float:
    """Mean of min(actual / required, 1) over the needed competencies (unrated = 0)."""
    if not needed:
        return 1.0
    shares = [min(proficiency.get(code, 0) / req, 1.0) for code, req in needed.items() if req > 0]
    return sum(shares) / len(shares) if shares else 1.0


def match(candidate: Candidate, need: Need, weights: dict[str, float] = MATCH_WEIGHTS) -> Match:
    parts = (
        Part("level", level_share(candidate.rank, need.rank), weights["level"]),
        Part(
            "competencies",
            competency_share(candidate.proficiency, need.competencies),
            weights["competencies"],
        ),
        Part(
            "experience",
            min(candidate.similar_projects / SIMILAR_PROJECTS_FOR_FULL_MARKS, 1.0),
            weights["experience"],
        ),
        Part("load", max(0.0, 100.0 - candidate.load_percent) / 100.0, weights["load"]),
    )
    return Match(person_id=candidate.person_id, parts=parts)


def rank_matches(candidates: Iterable[Candidate], need: Need) -> list[Match]:
    """Best fit first; ties by person id so the order is stable."""
    return sorted((match(c, need) for c in candidates), key=lambda m: (-m.score, m.person_id))


# --- talent gap analysis ---------------------------------------------------------------

PM_FTE = {"major": 1.0, "key": 0.75, "general": 0.5}


def demand_rank(
    budget: float, classification: str, limits: Sequence[tuple[int, float | None]]
) -> int:
    """The level a project needs: the lowest rank whose largest project (``limits``:
    (rank, max budget or None = no limit)) covers the budget, one rank up for a major
    project (capped at the top rank). Ranks without a limit set only cap from above."""
    ordered = sorted(limits)
    if not ordered:
        return 0
    chosen = ordered[-1][0]
    for rank, limit in ordered:
        if limit is not None and budget <= limit:
            chosen = rank
            break
    if classification == "major":
        higher = [r for r, _limit in ordered if r > chosen]
        if higher:
            chosen = higher[0]
    return chosen


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def next_quarters(today: dt.date, count: int) -> list[tuple[int, int]]:
    year, q = quarter_of(today)
    found = []
    for _ in range(count):
        found.append((year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return found


def overlaps(start: dt.date | None, end: dt.date | None, q: tuple[int, int]) -> bool:
    q_start, q_end = quarter_bounds(*q)
    return (start is None or start <= q_end) and (end is None or end >= q_start)


@dataclass(frozen=True)
class Row:
    """Demand, supply and shortage (FTE) of one level in one quarter."""

    quarter: tuple[int, int]
    rank: int
    demand: float
    supply: float
    shortage: float


def gap_table(
    quarters: Sequence[tuple[int, int]],
    ranks: Sequence[int],
    demand: Iterable[tuple[int, dt.date | None, dt.date | None, float]],
    supply: Iterable[tuple[int, float, Sequence[tuple[dt.date | None, dt.date | None, float]]]],
) -> list[Row]:
    """``demand``: (rank, start, finish, FTE) of each planned project; ``supply``: (rank,
    capacity FTE, [(start, end, committed FTE)]) of each PM. A quarter counts a project
    or a commitment it overlaps. Surplus of a higher level covers shortage below it
    (a senior PM can run a smaller project), never the other way round."""
    demand = list(demand)
    supply = list(supply)
    rows = []
    for q in quarters:
        need: dict[int, float] = defaultdict(float)
        have: dict[int, float] = defaultdict(float)
        for rank, start, finish, fte in demand:
            if overlaps(start, finish, q):
                need[rank] += fte
        for rank, capacity, commitments in supply:
            committed = sum(f for s, e, f in commitments if overlaps(s, e, q))
            have[rank] += max(0.0, capacity - committed)
        carry = 0.0
        found = {}
        for rank in sorted(ranks, reverse=True):
            available = have[rank] + carry
            met = min(need[rank], available)
            carry = available - met
            found[rank] = Row(
                q, rank, round(need[rank], 2), round(have[rank], 2), round(need[rank] - met, 2)
            )
        rows.extend(found[r] for r in sorted(ranks))
    return rows


# --- team staffing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Staffing:
    position_id: int
    needed: int
    filled: tuple[int, ...]

    @property
    def gap(self) -> int:
        return max(0, self.needed - len(self.filled))

    @property
    def over(self) -> int:
        return max(0, len(self.filled) - self.needed)


def staff(
    positions: Sequence[tuple[int, int | None, int]], members: Sequence[tuple[int, int | None]]
) -> tuple[list[Staffing], list[int]]:
    """Fill ``positions`` (id, role id, head count), in order, with ``members`` (person id,
    role id) of the same role; members beyond the head counts of their role go to its last
    position (over-staffing); members of a role no position asks for are returned apart."""
    by_role: dict[int | None, list[int]] = defaultdict(list)
    for person_id, role_id in members:
        by_role[role_id].append(person_id)
    filled: dict[int, list[int]] = {pid: [] for pid, _r, _c in positions}
    last_of_role: dict[int | None, int] = {}
    for pos_id, role_id, count in positions:
        if role_id is None:
            continue
        take = by_role[role_id][:count]
        by_role[role_id] = by_role[role_id][count:]
        filled[pos_id].extend(take)
        last_of_role[role_id] = pos_id
    unplanned = []
    for role_id, rest in by_role.items():
        if role_id in last_of_role:
            filled[last_of_role[role_id]].extend(rest)
        else:
            unplanned.extend(rest)
    result = [Staffing(pid, count, tuple(filled[pid])) for pid, _r, count in positions]
    return result, sorted(unplanned)


# --- appraisal -------------------------------------------------------------------------

GRADE_FLOORS = (("A", 90.0), ("B", 75.0), ("C", 60.0))


def kpi_points(value: float | None, target: float, higher_is_better: bool = True) -> float | None:
    """0–100 points for a KPI value against the value that earns full marks."""
    if value is None:
        return None
    if higher_is_better:
        if target <= 0:
            return 100.0 if value >= target else 0.0
        return round(max(0.0, min(value / target, 1.0)) * 100, 1)
    if value <= target:
        return 100.0
    return round(target / value * 100, 1) if value > 0 else 100.0


def weighted_score(parts: Iterable[tuple[float | None, float]]) -> float | None:
    """Weighted mean of the parts that have points; the weights of the others are
    spread over them. None when no part has points."""
    known = [(p, w) for p, w in parts if p is not None and w > 0]
    weight = sum(w for _p, w in known)
    if not weight:
        return None
    return round(sum(p * w for p, w in known) / weight, 1)


def rating_points(rating: int | None) -> float | None:
    """A manager's rating of 1–5 as points: 5 → 100, 4 → 80 … 1 → 20."""
    return None if rating is None else float(rating * 20)


def total_score(kpi: float | None, rating: int | None, manager_weight: float) -> float | None:
    """KPI score and manager rating combined by the scheme's weight (%)."""
    return weighted_score(((kpi, 100.0 - manager_weight), (rating_points(rating), manager_weight)))


def grade_for(total: float | None) -> str:
    if total is None:
        return ""
    for grade, floor in GRADE_FLOORS:
        if total >= floor:
            return grade
    return "D"


# --- team survey and training plan -----------------------------------------------------


def survey_index(responses: Sequence[tuple[int, int, int]]) -> dict[str, float | None]:
    """Mean of each question (collaboration, clarity, workload) and the health index
    (mean of the three, as 0–100)."""
    if not responses:
        return {"collaboration": None, "clarity": None, "workload": None, "index": None}
    n = len(responses)
    means = [round(sum(r[i] for r in responses) / n, 2) for i in range(3)]
    return {
        "collaboration": means[0],
        "clarity": means[1],
        "workload": means[2],
        "index": round(sum(means) / 3 * 20, 1),
    }


def competency_gaps(
    proficiency: dict[int, dict[str, int]], required: dict[int, dict[str, int]]
) -> dict[str, list[int]]:
    """People per competency code whose effective proficiency is below what their next
    level asks (unrated counts as a gap)."""
    found: dict[str, list[int]] = defaultdict(list)
    for person_id, needs in required.items():
        have = proficiency.get(person_id, {})
        for code, req in needs.items():
            if have.get(code, 0) < req:
                found[code].append(person_id)
    return {code: sorted(ids) for code, ids in found.items()}


def spread_quarters(counts: Sequence[int]) -> list[int]:
    """Quarters 1–4 for plan lines sorted by need: the largest groups first."""
    n = len(counts)
    order = sorted(range(n), key=lambda i: -counts[i])
    quarters = [1] * n
    for position, index in enumerate(order):
        quarters[index] = 1 + position * 4 // max(n, 1)
    return quarters
