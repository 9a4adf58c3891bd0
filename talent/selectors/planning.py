"""PM matching for a project, and the talent gap analysis per quarter."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from pmo.core.models import CLOSED_STAGES, Project, ProjectMember, Stage
from talent import analysis
from talent.models import CareerLevel, TalentProfile
from talent.selectors import facts

PLANNED_STAGES = (Stage.IDEA, Stage.PROPOSED, Stage.UNDER_REVIEW, Stage.APPROVED)
QUARTERS_AHEAD = 4


def level_limits(levels: list[CareerLevel]) -> list[tuple[int, float | None]]:
    return [
        (lv.rank, float(lv.max_project_budget) if lv.max_project_budget is not None else None)
        for lv in levels
    ]


def needed_level(project: Project, levels: list[CareerLevel]) -> CareerLevel | None:
    rank = analysis.demand_rank(float(project.budget), project.classification, level_limits(levels))
    return next((lv for lv in levels if lv.rank == rank), None)


@dataclass
class Suggestion:
    profile: TalentProfile
    match: analysis.Match
    facts: dict
    similar: list[str]


def suggestions(
    project: Project, today: dt.date, limit: int = 15
) -> tuple[CareerLevel | None, list[Suggestion]]:
    """Pool PMs ranked by fit for ``project``: level (the level its size and complexity
    need), competencies (that level's requirements), similar projects managed (same type
    or unit), current load."""
    levels = facts.ladder()
    level = needed_level(project, levels)
    need = analysis.Need(
        rank=level.rank if level else 0,
        competencies={r.competency.code: r.min_proficiency for r in level.requirements.all()}
        if level
        else {},
    )
    profiles = list(TalentProfile.objects.in_pool().with_people())
    found = facts.facts_for(profiles, today, levels=levels)
    similar: dict[int, list[str]] = defaultdict(list)
    same = Q(org_unit_id=project.org_unit_id)
    if project.project_type_id:
        same |= Q(project_type_id=project.project_type_id)
    for manager_id, code in (
        Project.objects.filter(manager_id__in=list(found), stage__in=facts.MANAGED_STAGES)
        .filter(same)
        .exclude(pk=project.pk)
        .values_list("manager_id", "code")
        .order_by("code")
    ):
        similar[manager_id].append(code)
    ranks = {lv.pk: lv.rank for lv in levels}
    candidates = [
        analysis.Candidate(
            person_id=pid,
            rank=ranks.get(f.profile.level_id, 0),
            proficiency=f.record.proficiency,
            similar_projects=len(similar.get(pid, [])),
            load_percent=f.load["percent"],
        )
        for pid, f in found.items()
    ]
    ranked = analysis.rank_matches(candidates, need)[:limit]
    by_rank = {lv.rank: lv.label for lv in levels}
    result = []
    for m in ranked:
        f = found[m.person_id]
        result.append(
            Suggestion(
                profile=f.profile,
                match=m,
                facts={
                    "have": by_rank.get(ranks.get(f.profile.level_id, 0), "—"),
                    "need": level.label if level else "—",
                    "count": len(similar.get(m.person_id, [])),
                    "load": round(f.load["percent"]),
                },
                similar=similar.get(m.person_id, [])[:5],
            )
        )
    return level, result


@dataclass
class GapAnalysis:
    quarters: list[tuple[int, int]]
    levels: list[CareerLevel]
    rows: list[analysis.Row]
    projects: list[tuple[Project, CareerLevel | None, float]]
    pool_by_level: dict[int, int]

    def table(self) -> list[dict]:
        by = {(r.quarter, r.rank): r for r in self.rows}
        return [
            {
                "level": lv,
                "pms": self.pool_by_level.get(lv.pk, 0),
                "cells": [by[(q, lv.rank)] for q in self.quarters],
            }
            for lv in self.levels
        ]

    def totals(self) -> list[dict]:
        found = []
        for q in self.quarters:
            mine = [r for r in self.rows if r.quarter == q]
            found.append(
                {
                    "quarter": q,
                    "demand": round(sum(r.demand for r in mine), 2),
                    "supply": round(sum(r.supply for r in mine), 2),
                    "shortage": round(sum(r.shortage for r in mine), 2),
                }
            )
        return found


def gap_analysis(today: dt.date, quarters_ahead: int = QUARTERS_AHEAD) -> GapAnalysis:
    """PM demand of the planned projects (by size and complexity: the level each needs,
    FTE by classification) against the pool's supply (PMs by level, less their current
    commitments) per quarter."""
    levels = facts.ladder()
    limits = level_limits(levels)
    quarters = analysis.next_quarters(today, quarters_ahead)
    planned = list(
        Project.objects.filter(stage__in=PLANNED_STAGES)
        .only(
            "name",
            "name_en",
            "code",
            "stage",
            "budget",
            "classification",
            "planned_start",
            "planned_finish",
        )
        .order_by("planned_start", "code")
    )
    demand, projects = [], []
    by_rank = {lv.rank: lv for lv in levels}
    for p in planned:
        rank = analysis.demand_rank(float(p.budget), p.classification, limits)
        fte = analysis.PM_FTE.get(p.classification, 0.5)
        demand.append((rank, p.planned_start or today, p.planned_finish, fte))
        projects.append((p, by_rank.get(rank), fte))
    profiles = list(
        TalentProfile.objects.in_pool(today).values_list("person_id", "level_id", "level__rank")
    )
    ids = [person_id for person_id, _, _ in profiles]
    commitments: dict[int, list] = defaultdict(list)
    for pid, start, end, p_start, p_end, alloc in (
        ProjectMember.objects.filter(person_id__in=ids)
        .exclude(project__stage__in=CLOSED_STAGES)
        .exclude(project_role__in=("sponsor", "stakeholder"))
        .values_list(
            "person_id",
            "start",
            "end",
            "project__planned_start",
            "project__planned_finish",
            "allocation_percent",
        )
    ):
        commitments[pid].append((start or p_start, end or p_end, alloc / 100))
    supply = [
        (rank, 1.0, commitments.get(person_id, []))
        for person_id, level_id, rank in profiles
        if level_id is not None
    ]
    rows = analysis.gap_table(quarters, [lv.rank for lv in levels], demand, supply)
    pool_by_level: dict[int, int] = defaultdict(int)
    for _, level_id, _ in profiles:
        if level_id:
            pool_by_level[level_id] += 1
    return GapAnalysis(quarters, levels, rows, projects, dict(pool_by_level))
