"""Reads that combine culture's own data with knowledge, talent, the metrics registry
and the core project summary: recognition, the certification programme and the
culture dashboard's outcome indicators."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from culture import measures
from culture.models import Attendance, CertificationTarget, ImprovementIdea, SharingSession
from culture.selectors import quarters
from knowledge.selectors import contribution_counts
from pmo.core.models import OrgUnit, Person, Project, Stage
from pmo.core.registry import registry
from talent.selectors import certificate_holders, pm_pool, training_hours

KNOWLEDGE_KINDS = (
    "lessons_published",
    "lessons_applied_by_others",
    "cases_published",
    "articles_published",
)


def _certificates_earned(start: dt.date, end: dt.date) -> dict[int, int]:
    from talent.models import PersonCertificate

    rows = (
        PersonCertificate.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .values("person_id")
        .annotate(n=Count("pk"))
    )
    return {r["person_id"]: r["n"] for r in rows}


def contributions(start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Per person id, the counts that earn recognition in the period."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for pid, kinds in contribution_counts(start=start, end=end).items():
        for kind in KNOWLEDGE_KINDS:
            if kinds.get(kind):
                counts[pid][kind] = int(kinds[kind])
    held = SharingSession.objects.held().filter(
        starts_at__date__gte=start, starts_at__date__lte=end
    )
    for row in held.values("speaker_id").annotate(n=Count("pk")):
        counts[row["speaker_id"]]["sessions_given"] = row["n"]
    attended = Attendance.objects.filter(attended=True, session__in=held)
    for row in attended.values("person_id").annotate(n=Count("pk")):
        counts[row["person_id"]]["sessions_attended"] = row["n"]
    for pid, n in _certificates_earned(start, end).items():
        counts[pid]["certificates"] = n
    implemented = ImprovementIdea.objects.filter(
        status=ImprovementIdea.Status.IMPLEMENTED,
        decided_at__date__gte=start,
        decided_at__date__lte=end,
    )
    for row in implemented.values("submitted_by_id").annotate(n=Count("pk")):
        counts[row["submitted_by_id"]]["improvements_implemented"] = row["n"]
    return dict(counts)


@dataclass
class Standing:
    rank: int
    person: Person
    points: int
    counts: dict
    badges: list


def leaderboard(start: dt.date, end: dt.date, limit: int | None = 20) -> list[Standing]:
    counts = contributions(start, end)
    scores = {pid: measures.points(c) for pid, c in counts.items()}
    ranked = [r for r in measures.ranked(scores) if r[2] > 0]
    if limit:
        ranked = ranked[:limit]
    people = Person.objects.select_related("org_unit").in_bulk([pid for _r, pid, _s in ranked])
    return [
        Standing(rank, people[pid], score, counts[pid], measures.badges(counts[pid]))
        for rank, pid, score in ranked
        if pid in people
    ]


def standing_of(person_id: int, start: dt.date, end: dt.date) -> tuple[int, dict, list]:
    counts = contributions(start, end).get(person_id, {})
    return measures.points(counts), counts, measures.badges(counts)


# --- certification programme --------------------------------------------------------


@dataclass
class TargetProgress:
    target: CertificationTarget
    managers: int
    holders: int

    @property
    def percent(self):
        return measures.rate(self.holders, self.managers)

    @property
    def met(self) -> bool:
        return self.percent is not None and self.percent >= self.target.target_percent

    @property
    def missing(self) -> int:
        """How many more certified project managers the target needs."""
        need = -(-self.target.target_percent * self.managers // 100)
        return max(0, need - self.holders)


def _paths(person_ids) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=set(person_ids)).values_list("pk", "org_unit__path"))


def certification_progress(today: dt.date) -> list[TargetProgress]:
    """Each target against the project managers of its unit holding a valid certificate."""
    targets = list(CertificationTarget.objects.select_related("org_unit"))
    pool = pm_pool(on=today)
    paths = _paths(pool)
    codes = {c for t in targets for c in t.codes}
    holders = certificate_holders(on=today, codes=codes) if codes else {}
    rows = []
    for target in targets:
        managers = [pid for pid in pool if paths.get(pid, "").startswith(target.org_unit.path)]
        held = [pid for pid in managers if holders.get(pid, set()) & set(target.codes)]
        rows.append(TargetProgress(target, len(managers), len(held)))
    return rows


def certification_coverage(today: dt.date) -> dict:
    """Project managers of the pool with any valid certificate, by code."""
    pool = pm_pool(on=today)
    holders = certificate_holders(on=today)
    certified = [pid for pid in pool if holders.get(pid)]
    by_code = defaultdict(int)
    for pid in pool:
        for code in holders.get(pid, ()):
            by_code[code] += 1
    return {
        "managers": len(pool),
        "certified": len(certified),
        "rate": measures.rate(len(certified), len(pool)),
        "by_code": dict(sorted(by_code.items(), key=lambda kv: -kv[1])),
    }


def training_per_person(start: dt.date, end: dt.date) -> tuple[float, dict[int, float]]:
    """Attended training hours per active person in the period, overall and per person."""
    hours = {pid: float(h) for pid, h in training_hours(start=start, end=end).items()}
    people = Person.objects.filter(is_active=True).count()
    return (round(sum(hours.values()) / people, 1) if people else 0.0), hours


# --- outcome indicators -------------------------------------------------------------

# The seed's three questions on outcomes, answered with the registered metrics.
OUTCOME_GROUPS = (
    ("methods", _("Are project methods used more efficiently?"),
     ("deliverable_compliance", "status_timeliness", "lessons_contributed")),
    ("risks", _("Are project risks managed more proactively?"),
     ("issue_resolution_days", "on_time_milestones")),
    ("performance", _("Has project performance improved?"),
     ("spi", "cpi", "goal_attainment")),
)  # fmt: skip


@dataclass
class Indicator:
    key: str
    label: object
    unit: object
    source: object
    higher_is_better: bool
    values: list  # one per quarter, None when no project had data

    @property
    def change(self):
        known = [v for v in self.values if v is not None]
        if len(known) < 2:
            return None
        return round(known[-1] - known[0], 2)

    @property
    def improved(self):
        change = self.change
        if change is None or change == 0:
            return None
        return (change > 0) == self.higher_is_better


def outcome_indicators(today: dt.date, n: int = 4) -> tuple[list, list[tuple]]:
    """Mean of each registered metric over the projects under way, per quarter, grouped
    by the seed's three questions (metrics of no group go under the last)."""
    periods = quarters(today, n)
    metrics = registry.metric_list()
    key = f"culture:outcomes:{today.isoformat()}:{n}:" + ",".join(m.key for m in metrics)
    means = cache.get(key)
    if means is None:
        means = _metric_means(metrics, periods)
        cache.set(key, means, OUTCOMES_TTL)
    indicators = {}
    for metric in metrics:
        indicators[metric.key] = Indicator(
            metric.key,
            metric.label,
            metric.unit,
            metric.source,
            metric.higher_is_better,
            means[metric.key],
        )
    indicators["evaluation_score"] = Indicator(
        "evaluation_score",
        _("Evaluation score (0–100)"),
        "",
        _("Project summary: score of the latest published evaluation, by quarter of finish"),
        True,
        _evaluation_scores(periods),
    )
    groups, placed = [], set()
    for key, question, keys in OUTCOME_GROUPS:
        chosen = [indicators[k] for k in keys if k in indicators]
        placed |= {i.key for i in chosen}
        groups.append((key, question, chosen))
    rest = [i for k, i in indicators.items() if k not in placed]
    groups[-1] = (groups[-1][0], groups[-1][1], groups[-1][2] + rest)
    return [p[0] for p in periods], groups


#: Seconds the quarterly means of the registered metrics are kept: each metric reads
#: every project under way for four quarters, which takes seconds on a large portfolio.
OUTCOMES_TTL = 3600


def _metric_means(metrics, periods) -> dict[str, list]:
    """The mean of each metric over the projects under way, per period."""
    project_ids = list(
        Project.objects.filter(
            stage__in=[Stage.ACTIVE, Stage.CLOSING, Stage.CLOSED, Stage.ON_HOLD]
        ).values_list("pk", flat=True)
    )
    means = {}
    for metric in metrics:
        values = []
        for _label, start, end in periods:
            found = [v for v in metric.values(project_ids, start, end).values() if v is not None]
            values.append(round(sum(found) / len(found), 2) if found else None)
        means[metric.key] = values
    return means


def _evaluation_scores(periods) -> list:
    rows = []
    for _label, start, end in periods:
        value = Project.objects.filter(
            evaluation_score__isnull=False, actual_finish__gte=start, actual_finish__lte=end
        ).aggregate(v=Avg("evaluation_score"))["v"]
        rows.append(round(float(value), 1) if value is not None else None)
    return rows


def project_summary() -> dict:
    """The core summary of projects under way: health mix, mean SPI and CPI."""
    active = Project.objects.filter(stage__in=[Stage.ACTIVE, Stage.CLOSING])
    agg = active.aggregate(
        n=Count("pk"),
        green=Count("pk", filter=Q(health="green")),
        red=Count("pk", filter=Q(health="red")),
        spi=Avg("spi"),
        cpi=Avg("cpi"),
    )
    return {
        "projects": agg["n"],
        "green_rate": measures.rate(agg["green"], agg["n"]),
        "red_rate": measures.rate(agg["red"], agg["n"]),
        "spi": round(float(agg["spi"]), 2) if agg["spi"] is not None else None,
        "cpi": round(float(agg["cpi"]), 2) if agg["cpi"] is not None else None,
    }


def divisions() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(depth=1, is_active=True).order_by("path"))
