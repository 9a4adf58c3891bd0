"""A project's team: the designed organisation as a tree, its staffing by the actual
members, the skills matrix, team survey results and execution indicators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from pmo.core.models import Project, ProjectMember
from pmo.core.registry import registry
from talent import analysis
from talent.models import TeamAction, TeamDesign, TeamPosition, TeamSurvey
from talent.selectors import facts

TEAM_ROLES = (ProjectMember.ProjectRole.MANAGER, ProjectMember.ProjectRole.MEMBER)


@dataclass
class TeamView:
    design: TeamDesign | None
    positions: list[TeamPosition]
    staffing: dict[int, analysis.Staffing]
    members: list[ProjectMember]
    unplanned: list[ProjectMember]
    skills: list
    matrix: list[dict]
    tree: dict
    surveys: list[dict]
    indicators: list[dict]
    actions: list[TeamAction]

    @property
    def gaps(self) -> int:
        return sum(s.gap for s in self.staffing.values())

    @property
    def over(self) -> int:
        return sum(s.over for s in self.staffing.values())


def _tree(project: Project, positions: list[TeamPosition], staffing) -> dict:
    """ECharts tree options: the project at the root, positions under whom they report."""
    children: dict[int | None, list[TeamPosition]] = {}
    for pos in positions:
        children.setdefault(pos.reports_to_id, []).append(pos)

    def node(pos: TeamPosition) -> dict:
        s = staffing[pos.pk]
        colour = "#dc3545" if s.gap else ("#fd7e14" if s.over else "#198754")
        return {
            "name": f"{pos.title} {len(s.filled)}/{pos.count}",
            "itemStyle": {"color": colour, "borderColor": colour},
            "children": [node(c) for c in children.get(pos.pk, [])],
        }

    data = {
        "name": project.code,
        "children": [node(p) for p in children.get(None, [])],
    }
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "tree",
                "data": [data],
                "orient": "TB",
                "top": 30,
                "bottom": 60,
                "left": 20,
                "right": 20,
                "symbolSize": 10,
                "expandAndCollapse": False,
                "initialTreeDepth": -1,
                "label": {"position": "top", "fontSize": 12},
                "leaves": {"label": {"position": "bottom", "rotate": 0}},
            }
        ],
    }


def _indicators(project: Project, today: dt.date) -> list[dict]:
    """Every registered project metric over this quarter and the last one."""
    q = analysis.quarter_of(today)
    prev = (q[0] - 1, 4) if q[1] == 1 else (q[0], q[1] - 1)
    rows = []
    for metric in registry.metric_list():
        now = metric.values([project.pk], *analysis.quarter_bounds(*q)).get(project.pk)
        before = metric.values([project.pk], *analysis.quarter_bounds(*prev)).get(project.pk)
        rows.append({"metric": metric, "now": now, "before": before})
    return rows


def team_view(project: Project, today: dt.date) -> TeamView:
    design = TeamDesign.objects.filter(project=project).first()
    positions = (
        list(design.positions.select_related("role", "reports_to").prefetch_related("skills"))
        if design
        else []
    )
    members = list(
        ProjectMember.objects.filter(project=project, project_role__in=TEAM_ROLES)
        .select_related("person", "person__role")
        .order_by("project_role", "person__name")
    )
    # One row per person: a manager who is also a member counts once.
    seen, people = set(), []
    for m in members:
        if m.person_id not in seen:
            seen.add(m.person_id)
            people.append(m)
    result, unplanned_ids = analysis.staff(
        [(p.pk, p.role_id, p.count) for p in positions],
        [(m.person_id, m.person.role_id) for m in people],
    )
    staffing = {s.position_id: s for s in result}
    skills: dict[int, tuple] = {}
    for pos in positions:
        for comp in pos.skills.all():
            level = max(pos.skill_level, skills.get(comp.pk, (comp, 0))[1])
            skills[comp.pk] = (comp, level)
    rated = facts.ratings([m.person_id for m in people])
    position_of = {pid: pos_id for pos_id, s in staffing.items() for pid in s.filled}
    titles = {p.pk: p.title for p in positions}
    matrix = []
    for m in people:
        have = facts.effective(rated.get(m.person_id, {}))
        matrix.append(
            {
                "member": m,
                "position": titles.get(position_of.get(m.person_id), ""),
                "cells": [
                    {"value": have.get(comp.code), "short": (have.get(comp.code) or 0) < level}
                    for comp, level in skills.values()
                ],
            }
        )
    surveys = []
    for survey in TeamSurvey.objects.filter(project=project).prefetch_related("responses")[:6]:
        answers = [(r.collaboration, r.clarity, r.workload) for r in survey.responses.all()]
        surveys.append({"survey": survey, "count": len(answers), **analysis.survey_index(answers)})
    return TeamView(
        design=design,
        positions=positions,
        staffing=staffing,
        members=people,
        unplanned=[m for m in people if m.person_id in set(unplanned_ids)],
        skills=list(skills.values()),
        matrix=matrix,
        tree=_tree(project, positions, staffing),
        surveys=surveys,
        indicators=_indicators(project, today),
        actions=list(
            TeamAction.objects.filter(project=project)
            .select_related("owner")
            .order_by("status", "due")
        ),
    )


def team_overview(projects) -> list[dict]:
    """Designed vs actual head count and the latest survey index per project with a design."""
    designs = (
        TeamDesign.objects.filter(project__in=projects)
        .select_related("project")
        .prefetch_related(
            Prefetch("positions", queryset=TeamPosition.objects.only("design_id", "count"))
        )
    )
    ids = [d.project_id for d in designs]
    counts: dict[int, int] = {}
    for pid in (
        ProjectMember.objects.filter(project_id__in=ids, project_role__in=TEAM_ROLES)
        .values_list("project_id", "person_id")
        .distinct()
    ):
        counts[pid[0]] = counts.get(pid[0], 0) + 1
    latest: dict[int, TeamSurvey] = {}
    for survey in (
        TeamSurvey.objects.filter(project_id__in=ids)
        .prefetch_related("responses")
        .order_by("project_id", "-period_end")
    ):
        latest.setdefault(survey.project_id, survey)
    rows = []
    for d in designs:
        survey = latest.get(d.project_id)
        index = None
        if survey is not None:
            index = analysis.survey_index(
                [(r.collaboration, r.clarity, r.workload) for r in survey.responses.all()]
            )["index"]
        rows.append(
            {
                "design": d,
                "needed": sum(p.count for p in d.positions.all()),
                "actual": counts.get(d.project_id, 0),
                "index": index,
            }
        )
    return rows
