"""Reads of the strategy part: the objective tree with progress and coverage, an
objective's measurements, the alignment of projects with objectives, portfolios with
their candidates and totals, the candidates a portfolio may take in.

Strategic impact of a project (shown next to the figure on every page):
``impact = Σ over the objectives it serves of (objective weight × contribution %)``,
in weight points; the same sum over key objectives only is its impact on key
objectives. An objective's coverage is the sum of the contributions of the open
projects serving it; an active objective with no open project is *unserved*.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from pmo.core.models import OrgUnit, Project, Stage
from pmo.core.registry import SearchHit
from portfolio.models import Objective, ObjectiveLink, Portfolio, PortfolioItem, StrategicTheme

# Projects a portfolio takes in: proposals and projects approved but not started.
INTAKE_STAGES = (Stage.PROPOSED, Stage.UNDER_REVIEW, Stage.APPROVED)
# How far actual progress may trail the time elapsed before an objective is at risk /
# off track (shares of the way from baseline to target).
AT_RISK_GAP = 0.10
OFF_TRACK_GAP = 0.25
TOP_IMPACT = 10

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=20, decimal_places=2)
POINTS = DecimalField(max_digits=12, decimal_places=2)


# --- progress and status (no database) ------------------------------------------------


def expected_share(start: dt.date, end: dt.date, on: dt.date) -> float:
    """Share of the objective's period elapsed on ``on`` (0 before it, 1 after it)."""
    days = (end - start).days
    if days <= 0:
        return 1.0 if on >= end else 0.0
    return max(0.0, min(1.0, (on - start).days / days))


def suggested_status(progress: float | None, expected: float) -> str:
    """On track while progress trails the elapsed time by at most 10 points, at risk up
    to 25 points, off track beyond; achieved when the target is reached."""
    if progress is None:
        return Objective.Status.ON_TRACK
    if progress >= 1.0:
        return Objective.Status.ACHIEVED
    gap = expected - progress
    if gap <= AT_RISK_GAP:
        return Objective.Status.ON_TRACK
    if gap <= OFF_TRACK_GAP:
        return Objective.Status.AT_RISK
    return Objective.Status.OFF_TRACK


def progress_of(baseline, target, actual) -> float | None:
    """Share of the way from baseline to target, 0–1 (None before a measurement)."""
    if actual is None or target == baseline:
        return None
    share = float((Decimal(actual) - baseline) / (target - baseline))
    return max(0.0, min(1.0, share))


# --- the objective tree -----------------------------------------------------------------


@dataclass
class ObjectiveRow:
    objective: Objective
    depth: int
    expected: float
    suggested: str
    parent_hidden: bool = False

    @property
    def expected_pct(self) -> float:
        return self.expected * 100

    @property
    def coverage(self) -> int:
        return int(self.objective.contribution_total or 0)

    @property
    def unserved(self) -> bool:
        return self.objective.is_active and not self.objective.project_count


@dataclass
class ThemeBlock:
    theme: StrategicTheme
    rows: list[ObjectiveRow] = field(default_factory=list)

    @property
    def unserved(self) -> int:
        return sum(1 for r in self.rows if r.unserved)


def _tree_order(objectives: list[Objective]) -> list[tuple[Objective, int]]:
    """Objectives in depth-first order with their depth; orphans of a filter are roots."""
    ids = {o.pk for o in objectives}
    children: dict[int | None, list[Objective]] = defaultdict(list)
    for objective in objectives:
        parent = objective.parent_id if objective.parent_id in ids else None
        children[parent].append(objective)
    ordered: list[tuple[Objective, int]] = []

    def walk(parent_id, depth):
        for child in children.get(parent_id, []):
            ordered.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return ordered


def strategy_overview(
    *,
    today: dt.date,
    theme: StrategicTheme | None = None,
    status: str = "",
    unserved_only: bool = False,
    key_only: bool = False,
    include_inactive: bool = False,
) -> dict:
    """Themes with their objective trees, progress and coverage; totals for the tiles."""
    themes = StrategicTheme.objects.select_related("owner").order_by("sort_order", "code")
    if not include_inactive:
        themes = themes.filter(is_active=True)
    if theme is not None:
        themes = themes.filter(pk=theme.pk)
    themes = list(themes)
    objectives = (
        Objective.objects.with_people().with_link_totals().filter(theme__in=[t.pk for t in themes])
    )
    if not include_inactive:
        objectives = objectives.filter(is_active=True)
    objectives = list(objectives.order_by("sort_order", "code"))
    totals = _overview_totals(objectives, today)
    shown = [
        o
        for o in objectives
        if (not status or o.status == status)
        and (not key_only or o.is_key)
        and (not unserved_only or (o.is_active and not o.project_count))
    ]
    blocks = {t.pk: ThemeBlock(t) for t in themes}
    by_theme: dict[int, list[Objective]] = defaultdict(list)
    for objective in shown:
        by_theme[objective.theme_id].append(objective)
    shown_ids = {o.pk for o in shown}
    for theme_id, members in by_theme.items():
        for objective, depth in _tree_order(members):
            expected = expected_share(objective.period_start, objective.period_end, today)
            blocks[theme_id].rows.append(
                ObjectiveRow(
                    objective,
                    depth,
                    expected,
                    suggested_status(objective.progress, expected),
                    parent_hidden=bool(
                        objective.parent_id and objective.parent_id not in shown_ids
                    ),
                )
            )
    filtered = bool(status or unserved_only or key_only)
    return {
        "blocks": [b for b in blocks.values() if b.rows or not filtered],
        "totals": totals,
        "shown": len(shown),
    }


def _overview_totals(objectives: list[Objective], today: dt.date) -> dict:
    active = [o for o in objectives if o.is_active]
    measured = [o.progress for o in active if o.progress is not None]
    statuses = dict.fromkeys(Objective.Status.values, 0)
    for objective in active:
        statuses[objective.status] += 1
    return {
        "objectives": len(active),
        "key": sum(1 for o in active if o.is_key),
        "unserved": sum(1 for o in active if not o.project_count),
        "key_unserved": sum(1 for o in active if o.is_key and not o.project_count),
        "measured": len(measured),
        "average_progress": sum(measured) / len(measured) * 100 if measured else None,
        "statuses": [(s, Objective.Status(s).label, statuses[s]) for s in Objective.Status.values],
    }


# --- one objective ------------------------------------------------------------------------


def objective_links(objective: Objective, user) -> tuple[list[ObjectiveLink], int]:
    """The links of the objective to projects the user may see, and how many are hidden."""
    links = ObjectiveLink.objects.filter(objective=objective).select_related(
        "project", "project__org_unit", "project__manager"
    )
    visible = set(
        Project.objects.visible_to(user)
        .filter(objective_links__objective=objective)
        .values_list("pk", flat=True)
    )
    links = sorted(links, key=lambda link: (-link.contribution, link.project.code))
    shown = [link for link in links if link.project_id in visible]
    return shown, len(links) - len(shown)


def objective_measurements(objective: Objective, limit: int = 100) -> list[dict]:
    """Each recorded actual of the objective, newest first, from its history.

    A history record counts as a measurement when its actual or measurement date differs
    from the record before it; its change reason is the note given with it.
    """
    records = list(
        objective.history.select_related("history_user__person").order_by(
            "history_date", "history_id"
        )
    )
    measurements = []
    previous = None
    for record in records:
        changed = previous is None or (record.actual, record.measured_on) != (
            previous.actual,
            previous.measured_on,
        )
        if record.actual is not None and changed:
            measurements.append(
                {
                    "measured_on": record.measured_on,
                    "actual": record.actual,
                    "progress": progress_of(record.baseline, record.target, record.actual),
                    "status": Objective.Status(record.status).label,
                    "status_code": record.status,
                    "note": record.history_change_reason or "",
                    "user": record.history_user,
                    "recorded_at": record.history_date,
                }
            )
        previous = record
    measurements.reverse()
    return measurements[:limit]


def _nice_bounds(low: float, high: float) -> tuple[float, float]:
    """Axis bounds on a round step that keep the baseline, the target and every value."""
    span = (high - low) or abs(high) or 1.0
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    if bottom == top:
        bottom, top = bottom - step, top + step
    return round(bottom, 10), round(top, 10)


def objective_trend_chart(
    objective: Objective, measurements: list[dict], *, title: str, baseline: str, target: str
) -> dict:
    """ECharts option: the KPI's actuals over time between the baseline and target lines."""
    points = sorted((m for m in measurements if m["measured_on"]), key=lambda m: m["measured_on"])
    values = [float(m["actual"]) for m in points] + [
        float(objective.baseline),
        float(objective.target),
    ]
    low, high = _nice_bounds(min(values), max(values))
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 96, "top": 48, "bottom": 24, "containLabel": True},
        "xAxis": {"type": "time", "splitNumber": 4, "axisLabel": {"hideOverlap": True}},
        "yAxis": {"type": "value", "name": objective.unit or "", "min": low, "max": high},
        "series": [
            {
                "type": "line",
                "name": objective.kpi,
                "data": [[m["measured_on"].isoformat(), float(m["actual"])] for m in points],
                "markLine": {
                    "symbol": "none",
                    "lineStyle": {"type": "dashed"},
                    "label": {"formatter": "{b}: {c}", "position": "end"},
                    "data": [
                        {"yAxis": float(objective.baseline), "name": baseline},
                        {"yAxis": float(objective.target), "name": target},
                    ],
                },
            }
        ],
    }


# --- alignment -------------------------------------------------------------------------------


def _impact(filter_q: Q) -> Coalesce:
    weighted = ExpressionWrapper(
        F("objective_links__contribution") * F("objective_links__objective__weight") / 100,
        output_field=POINTS,
    )
    return Coalesce(Sum(weighted, filter=filter_q), Value(ZERO), output_field=POINTS)


def alignment_objectives(*, theme=None, key_only: bool = False) -> list[Objective]:
    """The active objectives that are the columns of the matrix, with global coverage."""
    objectives = Objective.objects.active().with_link_totals().select_related("theme")
    if theme is not None:
        objectives = objectives.filter(theme=theme)
    if key_only:
        objectives = objectives.filter(is_key=True)
    return list(objectives.order_by("theme__sort_order", "theme__code", "sort_order", "code"))


ALIGNMENT_SORTS = {
    "impact": ("-impact", "-key_impact", "code"),
    "key_impact": ("-key_impact", "-impact", "code"),
    "code": ("code",),
    "budget": ("-budget", "code"),
}


def alignment_projects(
    user,
    objectives: list[Objective],
    *,
    unit: OrgUnit | None = None,
    aligned_only: bool = True,
    sort: str = "impact",
):
    """Open projects the user may see, with their strategic impact over ``objectives``."""
    ids = [o.pk for o in objectives]
    serves = Q(objective_links__objective__in=ids)
    projects = (
        Project.objects.visible_to(user)
        .open()
        .select_related("org_unit", "manager")
        .annotate(
            impact=_impact(serves),
            key_impact=_impact(serves & Q(objective_links__objective__is_key=True)),
            served=Count("objective_links", filter=serves),
        )
    )
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    if aligned_only:
        projects = projects.filter(served__gt=0)
    return projects.order_by(*ALIGNMENT_SORTS.get(sort, ALIGNMENT_SORTS["impact"]))


def top_impact(projects, sort: str) -> list[Project]:
    """The projects with the highest impact (on key objectives when sorted by that)."""
    order = ALIGNMENT_SORTS["key_impact" if sort == "key_impact" else "impact"]
    return list(projects.filter(impact__gt=0).order_by(*order)[:TOP_IMPACT])


def alignment_cells(projects: list[Project], objectives: list[Objective]) -> list[dict]:
    """One row per project: its contribution to each objective (None where it has none)."""
    contributions = {
        (project_id, objective_id): contribution
        for project_id, objective_id, contribution in ObjectiveLink.objects.filter(
            project__in=[p.pk for p in projects], objective__in=[o.pk for o in objectives]
        ).values_list("project_id", "objective_id", "contribution")
    }
    rows = []
    for project in projects:
        cells = []
        for objective in objectives:
            value = contributions.get((project.pk, objective.pk))
            cells.append(
                {
                    "objective": objective,
                    "contribution": value,
                    "points": (objective.weight * value / 100) if value else None,
                    # Cell shading grows with the contribution (for the eye only).
                    "shade": round(0.12 + 0.5 * value / 100, 2) if value else 0,
                }
            )
        rows.append({"project": project, "cells": cells})
    return rows


def alignment_summary(user, objectives: list[Objective], unit: OrgUnit | None = None) -> dict:
    """How well the open projects (that the user may see) match the objectives shown."""
    ids = [o.pk for o in objectives]
    projects = Project.objects.visible_to(user).open()
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    aligned = projects.filter(objective_links__objective__in=ids).values("pk").distinct()
    totals = projects.aggregate(count=Count("pk"), budget=Sum("budget"))
    aligned_totals = projects.filter(pk__in=aligned).aggregate(
        count=Count("pk"), budget=Sum("budget")
    )
    count, budget = totals["count"] or 0, totals["budget"] or ZERO
    aligned_count, aligned_budget = aligned_totals["count"] or 0, aligned_totals["budget"] or ZERO
    return {
        "projects": count,
        "aligned": aligned_count,
        "unaligned": count - aligned_count,
        "aligned_share": aligned_count / count * 100 if count else None,
        "budget": budget,
        "aligned_budget": aligned_budget,
        "aligned_budget_share": float(aligned_budget / budget * 100) if budget else None,
        "objectives": len(objectives),
        "unserved": [o for o in objectives if not o.project_count],
        "key_unserved": [o for o in objectives if o.is_key and not o.project_count],
        "over_attributed": [o for o in objectives if (o.contribution_total or 0) > 100],
    }


def impact_chart(projects: list[Project], *, key_label: str, other_label: str, title: str) -> dict:
    """ECharts option: the projects with the highest strategic impact, key objectives first."""
    top = list(reversed(projects[:TOP_IMPACT]))
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 32, "containLabel": True},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [f"{p.code} {p.label}"[:28] for p in top]},
        "series": [
            {
                "type": "bar",
                "stack": "impact",
                "name": key_label,
                "itemStyle": {"color": "#0d6efd"},
                "data": [{"value": float(p.key_impact), "key": p.pk} for p in top],
            },
            {
                "type": "bar",
                "stack": "impact",
                "name": other_label,
                "itemStyle": {"color": "#9ec5fe"},
                "data": [{"value": float(p.impact - p.key_impact), "key": p.pk} for p in top],
            },
        ],
    }


# --- portfolios ----------------------------------------------------------------------------


SELECTED = Q(items__decision=PortfolioItem.Decision.SELECTED)


def portfolio_list(user):
    """Portfolios the user may see with candidate and selected counts and costs."""
    return (
        Portfolio.objects.visible_to(user)
        .with_totals()
        .annotate(
            selected_count=Count("items", filter=SELECTED),
            selected_cost=Sum("items__cost", filter=SELECTED),
        )
        .order_by("-horizon_start", "code")
    )


def portfolio_summary(portfolio: Portfolio) -> dict:
    """Totals of a portfolio's candidates against its budget."""
    items = PortfolioItem.objects.filter(portfolio=portfolio)
    selected = Q(decision=PortfolioItem.Decision.SELECTED)
    mandatory = ~Q(mandate="")
    found = items.aggregate(
        count=Count("pk"),
        all_cost=Sum("cost"),
        selected_count=Count("pk", filter=selected),
        all_selected_cost=Sum("cost", filter=selected),
        mandatory_count=Count("pk", filter=mandatory),
        all_mandatory_cost=Sum("cost", filter=mandatory),
        deferred_count=Count("pk", filter=Q(decision=PortfolioItem.Decision.DEFERRED)),
        scored=Count("pk", filter=Q(score__isnull=False)),
    )
    # (aggregate aliases cannot reuse the field's name "cost")
    row = {key.removeprefix("all_"): value for key, value in found.items()}
    for key in ("cost", "selected_cost", "mandatory_cost"):
        row[key] = row[key] or ZERO
    budget = portfolio.budget
    row["budget"] = budget
    row["cost_share"] = float(row["cost"] / budget * 100) if budget else None
    row["selected_share"] = float(row["selected_cost"] / budget * 100) if budget else None
    row["mandatory_share"] = float(row["mandatory_cost"] / budget * 100) if budget else None
    row["remaining"] = budget - row["selected_cost"]
    row["over_budget"] = row["cost"] - budget
    return row


CANDIDATE_SORTS = {
    "rank": None,
    "code": ("project__code",),
    "cost": ("-cost", "project__code"),
    "score": (F("score").desc(nulls_last=True), "project__code"),
    "risk": (F("risk").desc(nulls_last=True), "project__code"),
    "feasibility": (F("feasibility").asc(nulls_last=True), "project__code"),
}


def portfolio_candidates(portfolio: Portfolio, *, decision: str = "", sort: str = "rank"):
    """The candidates of a portfolio with their projects, ranked unless sorted otherwise."""
    items = PortfolioItem.objects.filter(portfolio=portfolio).with_project()
    if decision:
        items = items.filter(decision=decision)
    order = CANDIDATE_SORTS.get(sort)
    return items.order_by(*order) if order else items.ranked()


def intake_projects(
    portfolio: Portfolio, user, *, stage: str = "", unit: OrgUnit | None = None, query: str = ""
):
    """Projects the portfolio may take in: proposed, under review or approved, not in it."""
    stages = [stage] if stage in INTAKE_STAGES else list(INTAKE_STAGES)
    projects = (
        Project.objects.visible_to(user)
        .filter(stage__in=stages)
        .exclude(portfolio_items__portfolio=portfolio)
        .with_people()
    )
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    if query:
        projects = projects.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(name_en__icontains=query)
        )
    return projects.order_by("stage", "code")


def budget_chart(summary: dict, labels: dict, title: str, divisor: Decimal, unit: str) -> dict:
    """ECharts option: the budget against the cost of all, mandatory and selected candidates."""
    keys = ("budget", "cost", "mandatory_cost", "selected_cost")
    colours = ("#6c757d", "#0d6efd", "#fd7e14", "#198754")
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 48, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": unit},
        "yAxis": {"type": "category", "data": [str(labels[k]) for k in reversed(keys)]},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": round(float(summary[k] / divisor), 2),
                        "itemStyle": {"color": colours[keys.index(k)]},
                    }
                    for k in reversed(keys)
                ],
                "label": {"show": True, "position": "right"},
            }
        ],
    }


# --- the project's Strategy tab -------------------------------------------------------------


def project_strategy(project: Project, *, with_portfolios: bool) -> dict:
    """The objectives a project serves, its strategic impact and its portfolio entries."""
    links = list(
        ObjectiveLink.objects.filter(project=project)
        .select_related("objective", "objective__theme")
        .order_by("-objective__is_key", "-objective__weight", "objective__code")
    )
    for link in links:
        link.points = link.objective.weight * link.contribution / 100
    items = []
    if with_portfolios:
        items = list(
            PortfolioItem.objects.filter(project=project)
            .select_related("portfolio")
            .annotate(candidates=Count("portfolio__items"))
            .order_by("-portfolio__horizon_start")
        )
    return {
        "links": links,
        "impact": sum((link.points for link in links), ZERO),
        "key_impact": sum((link.points for link in links if link.objective.is_key), ZERO),
        "items": items,
    }


# --- global search (registered in portfolio.wiring) ----------------------------------------


def search_objectives(user, query: str, limit: int) -> list[SearchHit]:
    """Objectives by code, name, KPI or description."""
    found = (
        Objective.objects.active()
        .filter(
            Q(code__icontains=query)
            | Q(name__icontains=query)
            | Q(name_en__icontains=query)
            | Q(kpi__icontains=query)
            | Q(description__icontains=query)
        )
        .select_related("theme")
        .order_by("code")[:limit]
    )
    return [
        SearchHit(
            title=f"{o.code} {o.label}",
            url=o.get_absolute_url(),
            snippet=f"{o.theme.label} · {o.kpi}",
            kind=_("Strategic objective"),
        )
        for o in found
    ]


def search_portfolios(user, query: str, limit: int) -> list[SearchHit]:
    """Portfolios the user may see, by code or name."""
    found = (
        Portfolio.objects.visible_to(user)
        .filter(Q(code__icontains=query) | Q(name__icontains=query) | Q(name_en__icontains=query))
        .order_by("-horizon_start")[:limit]
    )
    return [
        SearchHit(
            title=f"{p.code} {p.label}",
            url=p.get_absolute_url(),
            snippet=f"{p.horizon_start:%Y-%m} → {p.horizon_end:%Y-%m} · {p.get_status_display()}",
            kind=_("Portfolio"),
        )
        for p in found
    ]
