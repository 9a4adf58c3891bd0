"""What the data says about people: proficiency, certificates, projects managed, load,
latest appraisal grade — gathered for many people at once (a fixed number of queries),
and readiness for the next level built on them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from pmo.core.models import CLOSED_STAGES, Person, Project, ProjectMember, ResourceDemand, Stage
from talent import analysis
from talent.models import (
    Appraisal,
    AppraisalRound,
    CareerLevel,
    CompetencyAssessment,
    LevelRequirement,
    PersonCertificate,
    TalentProfile,
)

# Projects that count as managed: the ones that were approved and started, not ideas or
# proposals that never ran.
MANAGED_STAGES = (Stage.APPROVED, Stage.ACTIVE, Stage.CLOSING, Stage.CLOSED, Stage.ON_HOLD)
PM_ROLE_CODE = "pm"
WEEKS_PER_MONTH = 4.33


def ladder() -> list[CareerLevel]:
    """The levels, lowest first, with their requirements and accepted certificates."""
    return list(
        CareerLevel.objects.prefetch_related(
            Prefetch(
                "requirements",
                queryset=LevelRequirement.objects.select_related("competency"),
            ),
            "required_certifications",
        ).order_by("rank")
    )


def next_level(level: CareerLevel | None, levels: list[CareerLevel]) -> CareerLevel | None:
    if not levels:
        return None
    if level is None:
        return levels[0]
    higher = [lv for lv in levels if lv.rank > level.rank]
    return higher[0] if higher else None


def criteria_for(level: CareerLevel) -> analysis.Criteria:
    return analysis.Criteria(
        competencies=tuple(
            (r.competency.code, r.competency.label, r.min_proficiency)
            for r in level.requirements.all()
        ),
        min_projects=level.min_projects_managed,
        min_budget=float(level.min_budget_managed),
        min_years=float(level.min_years),
        certificates=frozenset(c.code for c in level.required_certifications.all()),
        min_grade=level.min_appraisal_grade,
    )


def ratings(person_ids: Iterable[int]) -> dict[int, dict[str, dict[str, int]]]:
    """The latest rating per person, competency code and kind (``self``/``manager``)."""
    found: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        CompetencyAssessment.objects.filter(person_id__in=list(person_ids))
        .newest_first()
        .values_list("person_id", "competency__code", "kind", "proficiency")
    )
    for pid, code, kind, value in rows:
        found[pid][code].setdefault(kind, value)
    return found


def effective(rated: dict[str, dict[str, int]]) -> dict[str, int]:
    return {
        code: value
        for code, kinds in rated.items()
        if (value := analysis.effective_proficiency(kinds.get("self"), kinds.get("manager")))
        is not None
    }


def valid_certificates(person_ids: Iterable[int], on: dt.date) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    rows = (
        PersonCertificate.objects.valid_on(on)
        .filter(person_id__in=list(person_ids))
        .values_list("person_id", "certification__code")
    )
    for pid, code in rows:
        found[pid].add(code)
    return found


def managed_stats(person_ids: Iterable[int]) -> dict[int, tuple[int, float]]:
    """Projects managed (approved or later) and the largest budget among them."""
    found: dict[int, list] = defaultdict(lambda: [0, 0.0])
    rows = Project.objects.filter(
        manager_id__in=list(person_ids), stage__in=MANAGED_STAGES
    ).values_list("manager_id", "budget")
    for pid, budget in rows:
        found[pid][0] += 1
        found[pid][1] = max(found[pid][1], float(budget))
    return {pid: (n, b) for pid, (n, b) in found.items()}


def latest_grades(person_ids: Iterable[int]) -> dict[int, str]:
    """The final grade of each person's latest closed appraisal."""
    found: dict[int, str] = {}
    rows = (
        Appraisal.objects.filter(
            person_id__in=list(person_ids), round__status=AppraisalRound.Status.CLOSED
        )
        .order_by("person_id", "-round__period_end", "-id")
        .values_list("person_id", "calibrated_grade", "grade")
    )
    for pid, calibrated, grade in rows:
        found.setdefault(pid, calibrated or grade)
    return found


def loads(person_ids: Iterable[int], today: dt.date) -> dict[int, dict]:
    """Current load: the sum of allocations on open projects (membership not ended) and
    the PM hours planned this month on the projects each person manages, as a per cent
    of their monthly capacity; ``percent`` is the larger of the two."""
    ids = list(person_ids)
    alloc: dict[int, int] = defaultdict(int)
    rows = (
        ProjectMember.objects.filter(person_id__in=ids)
        .exclude(project__stage__in=CLOSED_STAGES)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .exclude(project_role__in=("sponsor", "stakeholder"))
        .values_list("person_id", "allocation_percent")
    )
    for pid, value in rows:
        alloc[pid] += value
    month = today.replace(day=1)
    hours: dict[int, float] = defaultdict(float)
    demand = (
        ResourceDemand.objects.filter(
            project__manager_id__in=ids, role__code=PM_ROLE_CODE, month=month
        )
        .exclude(project__stage__in=CLOSED_STAGES)
        .values_list("project__manager_id", "hours")
    )
    for pid, value in demand:
        hours[pid] += float(value)
    capacity = dict(Person.objects.filter(pk__in=ids).values_list("pk", "weekly_capacity_hours"))
    found = {}
    for pid in ids:
        monthly = float(capacity.get(pid) or 0) * WEEKS_PER_MONTH
        demand_pct = round(hours[pid] / monthly * 100, 1) if monthly else 0.0
        found[pid] = {
            "allocation": alloc[pid],
            "demand_hours": round(hours[pid], 1),
            "demand_percent": demand_pct,
            "percent": max(float(alloc[pid]), demand_pct),
        }
    return found


@dataclass
class PersonFacts:
    profile: TalentProfile
    record: analysis.Record
    next_level: CareerLevel | None
    readiness: analysis.Readiness | None
    ratings: dict[str, dict[str, int]]
    load: dict


def facts_for(profiles: list[TalentProfile], today: dt.date, levels=None) -> dict[int, PersonFacts]:
    """Facts and readiness for the next level of each profile, keyed by person id."""
    levels = ladder() if levels is None else levels
    ids = [p.person_id for p in profiles]
    rated = ratings(ids)
    certs = valid_certificates(ids, today)
    managed = managed_stats(ids)
    grades = latest_grades(ids)
    load = loads(ids, today)
    found = {}
    for profile in profiles:
        pid = profile.person_id
        count, budget = managed.get(pid, (0, 0.0))
        record = analysis.Record(
            proficiency=effective(rated.get(pid, {})),
            projects_managed=count,
            largest_budget=budget,
            years=analysis.years_between(profile.pm_since, today),
            certificates=frozenset(certs.get(pid, set())),
            latest_grade=grades.get(pid, ""),
        )
        level = (
            next((lv for lv in levels if lv.pk == profile.level_id), None)
            if profile.level_id
            else None
        )
        nxt = next_level(level, levels)
        found[pid] = PersonFacts(
            profile=profile,
            record=record,
            next_level=nxt,
            readiness=analysis.readiness(record, criteria_for(nxt)) if nxt else None,
            ratings=rated.get(pid, {}),
            load=load[pid],
        )
    return found


def project_history(person: Person):
    """The person's projects (every role), newest first, with the summary the apps keep:
    stage, health, budget, SPI/CPI and the latest evaluation grade and score."""
    return (
        ProjectMember.objects.filter(person=person)
        .select_related("project", "project__org_unit", "project__project_type")
        .order_by("-project__planned_start", "project__code", "project_role")
    )
