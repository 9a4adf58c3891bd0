"""Reads of the scenarios part: role capacity and demand, the inputs and results of a
scenario, comparisons, the capacity heat map and the balance of a portfolio.

Capacity follows REFERENCE.md ("Capacity"):

* **supply** of a role in a month = Σ active people of that role × weekly capacity ×
  working weeks of the month (weekdays / 5);
* **demand** = the core's ``ResourceDemand``. A project's demand comes from one
  source: its plan when it has one, else its business case, else the entries made by
  hand, so that a re-issued estimate is not counted twice.

A scenario selects among the portfolio's candidates with the capacity left after the
committed work (approved, active and closing projects outside the portfolio), plus the
scenario's what-if hours. The monitoring part may read ``role_supply`` and
``demand_totals``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from pmo.core import formatting
from pmo.core.models import Classification, Person, ResourceDemand, Role, Stage
from portfolio import analysis
from portfolio.models import (
    ObjectiveLink,
    Portfolio,
    PortfolioItem,
    ProjectDependency,
    Scenario,
    ScenarioCapacity,
    ScenarioItem,
)

Key = tuple[str, str]

# Work that already holds people: it is not up for selection any more.
COMMITTED_STAGES = (Stage.APPROVED, Stage.ACTIVE, Stage.CLOSING)
# Work that may start later: proposals waiting for a portfolio decision.
CANDIDATE_STAGES = (Stage.PROPOSED, Stage.UNDER_REVIEW)
# Running work is not moved by the capacity suggestions.
RUNNING_STAGES = (Stage.ACTIVE, Stage.CLOSING)
SHIFT_LIMIT = 24  # months, as ScenarioItem.shift_months allows
RISK_LEVELS = (1, 2, 3, 4, 5)
HIGH_RISK = 4  # risk ratings from here up count as high
# Cells of the heat map: demand / supply from these shares up are tight or over.
TIGHT_RATIO = 0.85
OVER_RATIO = 1.0


# --- months ------------------------------------------------------------------------------


def period_of(day: dt.date) -> str:
    """The "YYYY-MM" period of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def period_start(period: str) -> dt.date:
    year, month = (int(part) for part in period.split("-"))
    return dt.date(year, month, 1)


def periods_between(start: dt.date, end: dt.date) -> list[str]:
    """The months from ``start`` to ``end`` (both included)."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return analysis.month_periods(period_of(start), max(count, 1))


def periods_from(start: dt.date, count: int) -> list[str]:
    """``count`` months from the month of ``start``."""
    return analysis.month_periods(period_of(start), count)


def working_weeks(period: str) -> float:
    """Weekdays of the month / 5 (public holidays are not known to the application)."""
    year, month = (int(part) for part in period.split("-"))
    days = calendar.monthrange(year, month)[1]
    weekdays = sum(1 for d in range(1, days + 1) if dt.date(year, month, d).weekday() < 5)
    return weekdays / 5


def month_label(period: str) -> str:
    """A month in words: 2027年3月 in Chinese, Mar 2027 in English."""
    if not period:
        return ""
    year, month = (int(part) for part in period.split("-"))
    if (translation.get_language() or "").startswith("zh"):
        return f"{year}年{month}月"
    return f"{calendar.month_abbr[month]} {year}"


# --- supply and demand ------------------------------------------------------------------


def role_labels() -> dict[str, str]:
    """Role code → name in the active language (roles are few; one query)."""
    return {role.code: role.label for role in Role.objects.all()}


def role_supply(periods: list[str], *, unit=None) -> dict[Key, float]:
    """Hours each role can give per month: Σ weekly capacity of its active people ×
    working weeks; ``unit`` limits it to the people of that unit and the units below."""
    people = Person.objects.active().filter(role__isnull=False, role__is_active=True)
    if unit is not None:
        people = people.filter(org_unit__path__startswith=unit.path)
    weekly = people.values_list("role__code").annotate(hours=Sum("weekly_capacity_hours"))
    supply: dict[Key, float] = {}
    for code, hours in weekly:
        for period in periods:
            supply[(code, period)] = float(hours or 0) * working_weeks(period)
    return supply


def preferred_demand(queryset=None):
    """Demand rows of each project's preferred source: plan, else business case, else
    entries by hand."""
    rows = ResourceDemand.objects.all() if queryset is None else queryset
    source = ResourceDemand.Source
    plan = ResourceDemand.objects.filter(project=OuterRef("project"), source=source.PLAN)
    case = ResourceDemand.objects.filter(project=OuterRef("project"), source=source.BUSINESS_CASE)
    return rows.filter(
        Q(source=source.PLAN)
        | (Q(source=source.BUSINESS_CASE) & ~Exists(plan))
        | (Q(source=source.MANUAL) & ~Exists(plan) & ~Exists(case))
    )


def _in_periods(queryset, periods: list[str]):
    return queryset.filter(
        month__gte=period_start(periods[0]), month__lte=period_start(periods[-1])
    )


def demand_totals(
    periods: list[str], *, stages, unit=None, exclude_projects=(), projects=None
) -> dict[Key, float]:
    """Σ hours per (role, month) of the projects in ``stages`` (one aggregate query)."""
    rows = _in_periods(preferred_demand(), periods).filter(project__stage__in=stages)
    if unit is not None:
        rows = rows.filter(project__org_unit__path__startswith=unit.path)
    if exclude_projects:
        rows = rows.exclude(project_id__in=list(exclude_projects))
    if projects is not None:
        rows = rows.filter(project_id__in=list(projects))
    totals = rows.values_list("role__code", "month").annotate(total=Sum("hours"))
    return {(code, period_of(month)): float(hours) for code, month, hours in totals}


def demand_by_project(project_ids, periods: list[str]) -> dict[int, dict[Key, float]]:
    """Each project's hours per (role, month) inside ``periods``."""
    if not isinstance(project_ids, QuerySet):
        project_ids = list(project_ids)
    rows = _in_periods(preferred_demand(), periods).filter(project_id__in=project_ids)
    found: dict[int, dict[Key, float]] = defaultdict(dict)
    for project_id, code, month, hours in rows.values_list(
        "project_id", "role__code", "month", "hours"
    ):
        key = (code, period_of(month))
        found[project_id][key] = found[project_id].get(key, 0.0) + float(hours)
    return found


def shifted(demand: dict[Key, float], months: int, periods: list[str]) -> dict[Key, float]:
    """``demand`` (read over the horizon widened by SHIFT_LIMIT each side) moved by
    ``months`` and cut back to ``periods``."""
    if not months:
        inside = set(periods)
        return {k: h for k, h in demand.items() if k[1] in inside}
    wide = analysis.month_periods(
        period_of(_add_months(period_start(periods[0]), -SHIFT_LIMIT)),
        len(periods) + 2 * SHIFT_LIMIT,
    )
    moved = analysis.shift_demand(demand, months, wide)
    inside = set(periods)
    return {k: h for k, h in moved.items() if k[1] in inside}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def widened(periods: list[str]) -> list[str]:
    """``periods`` with SHIFT_LIMIT months more on each side (demand that a shift can
    bring into the horizon)."""
    first = _add_months(period_start(periods[0]), -SHIFT_LIMIT)
    return analysis.month_periods(period_of(first), len(periods) + 2 * SHIFT_LIMIT)


# --- the inputs of a scenario --------------------------------------------------------------


@dataclass
class ScenarioInputs:
    """Everything ``analysis.select_portfolio`` needs for one scenario, with where each
    number came from (so the page can explain it) and a fingerprint of all of it."""

    scenario: Scenario
    periods: list[str]
    items: list[PortfolioItem]
    settings: dict[int, ScenarioItem]
    candidates: list[analysis.Candidate]
    supply: dict[Key, float]
    committed: dict[Key, float]
    extra: dict[Key, float]
    available: dict[Key, float]
    requires: list[tuple[int, int]] = field(default_factory=list)
    excludes: list[tuple[int, int]] = field(default_factory=list)
    dependencies: list[ProjectDependency] = field(default_factory=list)
    outside: list[ProjectDependency] = field(default_factory=list)
    forced_in: list[int] = field(default_factory=list)
    forced_out: list[int] = field(default_factory=list)
    mandated: set[int] = field(default_factory=set)
    fingerprint: str = ""

    @property
    def by_id(self) -> dict[int, PortfolioItem]:
        return {item.pk: item for item in self.items}

    @property
    def scored(self) -> bool:
        return any(item.score for item in self.items)

    def constraints(self) -> dict:
        """Keyword arguments of ``select_portfolio`` and ``efficient_frontier``."""
        return {
            "capacity": self.available if self.scenario.use_capacity else None,
            "requires": self.requires,
            "excludes": self.excludes,
            "forced_in": self.forced_in,
            "forced_out": self.forced_out,
        }


def scenario_inputs(scenario: Scenario) -> ScenarioInputs:
    """Read a scenario's candidates, capacity, dependencies and forced choices (7 queries).

    * value = the candidate's priority score (0–100 over the portfolio), cost = its cost;
    * demand = the project's demand in the portfolio's horizon, moved by the scenario's
      start shift;
    * available hours = supply − committed work outside the portfolio + what-if hours,
      never below zero;
    * mandatory candidates (regulatory, committed) are forced in unless the scenario
      forces them out.
    """
    portfolio = scenario.portfolio
    periods = periods_between(portfolio.horizon_start, portfolio.horizon_end)
    items = list(PortfolioItem.objects.filter(portfolio=portfolio).with_project().ranked())
    settings = {s.item_id: s for s in ScenarioItem.objects.filter(scenario=scenario)}
    project_ids = [item.project_id for item in items]
    demand = demand_by_project(project_ids, widened(periods))

    candidates, forced_in, forced_out, mandated = [], [], [], set()
    for item in items:
        setting = settings.get(item.pk)
        months = setting.shift_months if setting else 0
        candidates.append(
            analysis.Candidate(
                id=item.pk,
                value=float(item.score or 0.0),
                cost=float(item.cost),
                demand=shifted(demand.get(item.project_id, {}), months, periods),
            )
        )
        force = setting.force if setting else ""
        if force == ScenarioItem.Force.OUT:
            forced_out.append(item.pk)
        elif force == ScenarioItem.Force.IN:
            forced_in.append(item.pk)
        elif item.mandate:
            forced_in.append(item.pk)
            mandated.add(item.pk)

    supply = role_supply(periods)
    committed = demand_totals(periods, stages=COMMITTED_STAGES, exclude_projects=project_ids)
    extra: dict[Key, float] = defaultdict(float)
    for change in ScenarioCapacity.objects.filter(scenario=scenario).select_related("role"):
        extra[(change.role.code, period_of(change.month))] += float(change.hours)
    keys = set(supply) | set(extra)
    for candidate in candidates:
        keys |= set(candidate.demand)
    available = {
        key: max(0.0, supply.get(key, 0.0) - committed.get(key, 0.0) + extra.get(key, 0.0))
        for key in keys
        if key[1] in set(periods)
    }

    inputs = ScenarioInputs(
        scenario=scenario,
        periods=periods,
        items=items,
        settings=settings,
        candidates=candidates,
        supply=supply,
        committed=committed,
        extra=dict(extra),
        available=available,
        forced_in=forced_in,
        forced_out=forced_out,
        mandated=mandated,
    )
    _add_dependencies(inputs)
    inputs.fingerprint = _fingerprint(inputs)
    return inputs


def _add_dependencies(inputs: ScenarioInputs) -> None:
    """Dependencies between two candidates constrain the selection; those reaching a
    project outside the portfolio are listed but cannot be enforced."""
    item_of = {item.project_id: item.pk for item in inputs.items}
    touching = (
        ProjectDependency.objects.filter(
            Q(project_id__in=list(item_of)) | Q(other_id__in=list(item_of))
        )
        .select_related("project", "other")
        .order_by("project__code", "other__code")
    )
    for dependency in touching:
        a, b = item_of.get(dependency.project_id), item_of.get(dependency.other_id)
        if a is None or b is None:
            inputs.outside.append(dependency)
            continue
        inputs.dependencies.append(dependency)
        if not inputs.scenario.use_dependencies:
            continue
        if dependency.kind == ProjectDependency.Kind.REQUIRES:
            inputs.requires.append((a, b))
        else:
            inputs.excludes.append((a, b))


def _fingerprint(inputs: ScenarioInputs) -> str:
    """A digest of every number the selection depends on: a stored result whose
    fingerprint differs was solved on other inputs."""
    scenario = inputs.scenario
    data = {
        "budget": str(scenario.budget),
        "capacity": scenario.use_capacity,
        "dependencies": scenario.use_dependencies,
        "candidates": [
            [
                c.id,
                round(c.value, 6),
                round(c.cost, 2),
                sorted((*k, round(h, 2)) for k, h in c.demand.items()),
            ]
            for c in inputs.candidates
        ],
        "available": sorted((*k, round(h, 2)) for k, h in inputs.available.items()),
        "requires": sorted(inputs.requires),
        "excludes": sorted(inputs.excludes),
        "in": sorted(inputs.forced_in),
        "out": sorted(inputs.forced_out),
    }
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


# --- words ----------------------------------------------------------------------------------


def project_name(item: PortfolioItem | None) -> str:
    if item is None:
        return _("a project no longer in the portfolio")
    return f"{item.project.code} {item.project.label}"


def _hours(value) -> str:
    return formatting.decimal(value, 0)


def _money(value) -> str:
    return formatting.money(value, translation.get_language() or "zh-hans")


def reason_text(reason: dict, items: dict[int, PortfolioItem], roles: dict[str, str]) -> str:
    """Why a candidate is in or out, in the reader's language."""
    code = reason.get("code")
    if code == "forced_in":
        if reason.get("mandate") in PortfolioItem.Mandate.values:
            mandate = PortfolioItem.Mandate(reason["mandate"]).label
            return _("Forced in: mandatory (%(mandate)s)") % {"mandate": mandate}
        return _("Forced in by the scenario")
    if code == "forced_out":
        return _("Forced out by the scenario")
    if code == "selected":
        return _("Selected: best total value within budget, capacity and dependencies")
    if code == "dependency":
        other = project_name(items.get(reason.get("other")))
        if reason.get("relation") == "requires":
            return _("Depends on %(project)s, which is not selected") % {"project": other}
        return _("Excluded by %(project)s, which is selected") % {"project": other}
    if code == "capacity":
        return _("Capacity of %(role)s in %(month)s: %(hours)s h short") % {
            "role": roles.get(reason.get("role"), reason.get("role")),
            "month": month_label(reason.get("period", "")),
            "hours": _hours(reason.get("shortfall")),
        }
    if code == "budget":
        return _(
            "Budget: it would exceed the limit by %(amount)s; the selected projects give "
            "more value for the money"
        ) % {"amount": _money(reason.get("shortfall"))}
    if code == "lower_value":
        return _("Lower value per cost: it fits, but adds no value worth its cost")
    return ""


def infeasible_text(error: dict, items: dict[int, PortfolioItem], roles: dict[str, str]) -> str:
    """The conflict that makes the forced choices impossible, in the reader's language."""
    kind = error.get("kind")
    named = [project_name(items.get(i)) for i in error.get("items", [])]
    listed = (
        "、".join(named)
        if (translation.get_language() or "").startswith("zh")
        else ", ".join(named)
    )
    if kind == "forced_in_and_out" and named:
        return _("%(project)s is forced in and forced out at the same time.") % {
            "project": named[0]
        }
    if kind == "requires_forced_out" and named:
        text = _("%(first)s is forced in and requires %(last)s, which is forced out.") % {
            "first": named[0],
            "last": named[-1],
        }
        if len(named) > 2:
            text += " " + _("The requirement runs through %(via)s.") % {
                "via": ", ".join(named[1:-1])
            }
        return text
    if kind == "excludes" and len(named) == 2:
        return _(
            "%(a)s and %(b)s exclude each other, but both must be in the portfolio (forced "
            "in or required by a forced-in project)."
        ) % {"a": named[0], "b": named[1]}
    if kind == "capacity":
        return _(
            "The forced-in projects (%(projects)s) need %(need)s h of %(role)s in %(month)s, "
            "but only %(limit)s h are available (%(short)s h short)."
        ) % {
            "projects": listed,
            "need": _hours(error.get("amount")),
            "role": roles.get(error.get("role"), error.get("role")),
            "month": month_label(error.get("period", "")),
            "limit": _hours(error.get("limit")),
            "short": _hours((error.get("amount") or 0) - (error.get("limit") or 0)),
        }
    if kind == "budget":
        return _(
            "The forced-in projects (%(projects)s) cost %(cost)s, but the budget is "
            "%(budget)s (%(short)s short)."
        ) % {
            "projects": listed,
            "cost": _money(error.get("amount")),
            "budget": _money(error.get("limit")),
            "short": _money((error.get("amount") or 0) - (error.get("limit") or 0)),
        }
    return _("The forced choices of this scenario cannot all be met.")


# --- the result of a scenario ---------------------------------------------------------------


@dataclass
class ResultRow:
    """One candidate on the scenario page: its settings and its place in the result."""

    item: PortfolioItem
    force: str
    shift: int
    chosen: bool | None
    reason: str
    reason_code: str

    @property
    def value_per_million(self) -> float | None:
        cost = float(self.item.cost)
        return float(self.item.score or 0) / (cost / 1_000_000) if cost > 0 else None


def result_rows(inputs: ScenarioInputs, result: dict, roles: dict[str, str]) -> list[ResultRow]:
    """The candidates in rank order, with the stored result's verdict when it is current."""
    verdicts = {row["id"]: row for row in result.get("items", [])}
    items = inputs.by_id
    rows = []
    for item in inputs.items:
        setting = inputs.settings.get(item.pk)
        verdict = verdicts.get(item.pk)
        rows.append(
            ResultRow(
                item=item,
                force=setting.force if setting else "",
                shift=setting.shift_months if setting else 0,
                chosen=verdict["in"] if verdict else None,
                reason=reason_text(verdict["reason"], items, roles) if verdict else "",
                reason_code=verdict["reason"]["code"] if verdict else "",
            )
        )
    return rows


def risk_mix(items: list[PortfolioItem]) -> dict:
    """Count and cost per risk rating (1–5, and unrated), with the cost-weighted mean."""
    levels = {level: {"level": level, "count": 0, "cost": 0.0} for level in RISK_LEVELS}
    unrated = {"level": None, "count": 0, "cost": 0.0}
    weighted = total = 0.0
    for item in items:
        cost = float(item.cost)
        bucket = levels.get(item.risk, unrated)
        bucket["count"] += 1
        bucket["cost"] += cost
        if item.risk:
            weighted += item.risk * cost
            total += cost
    high_cost = sum(b["cost"] for lvl, b in levels.items() if lvl >= HIGH_RISK)
    all_cost = sum(float(i.cost) for i in items)
    return {
        "levels": list(levels.values()),
        "unrated": unrated,
        "mean": weighted / total if total else None,
        "high_share": high_cost / all_cost if all_cost else None,
        "high_pct": 100 * high_cost / all_cost if all_cost else None,
    }


def heat_class(ratio: float | None, demand: float) -> str:
    """Bootstrap classes of a heat-map cell by demand / supply."""
    if ratio is None:
        return "text-bg-danger" if demand > 0 else "bg-body-tertiary text-secondary"
    if ratio > OVER_RATIO + 1e-9:
        return "text-bg-danger"
    if ratio >= TIGHT_RATIO:
        return "text-bg-warning"
    if ratio >= 0.5:
        return "bg-success-subtle"
    return "bg-body-tertiary"


def _pairs(rows: list) -> dict[Key, float]:
    return {(role, period): float(hours) for role, period, hours in rows}


def usage_grid(result: dict, periods: list[str], roles: dict[str, str]) -> list[dict]:
    """Hours the chosen set uses per role and month against the hours available to it."""
    used, limits = _pairs(result.get("use", [])), _pairs(result.get("available", []))
    codes = sorted({role for role, _p in used}, key=lambda c: roles.get(c, c))
    grid = []
    for code in codes:
        cells = []
        for period in periods:
            demand, supply = used.get((code, period), 0.0), limits.get((code, period), 0.0)
            ratio = demand / supply if supply > 0 else None
            cells.append(
                {
                    "period": period,
                    "demand": demand,
                    "supply": supply,
                    "ratio": ratio,
                    "pct": ratio * 100 if ratio is not None else None,
                    "css": heat_class(ratio, demand) if demand else "bg-body-tertiary",
                }
            )
        grid.append({"role": code, "label": roles.get(code, code), "cells": cells})
    return grid


def peak_use(result: dict) -> float | None:
    """The highest share of available hours the chosen set uses in any role and month."""
    used, limits = _pairs(result.get("use", [])), _pairs(result.get("available", []))
    ratios = [hours / limits[key] for key, hours in used.items() if limits.get(key, 0) > 0]
    return max(ratios) if ratios else None


def portfolio_scenarios(portfolio: Portfolio):
    return Scenario.objects.filter(portfolio=portfolio).select_related(
        "created_by__person", "committed_by__person"
    )


def comparison(scenarios: list[Scenario]) -> dict:
    """2–4 scenarios side by side: totals, capacity use, risk mix and every candidate's
    place in each (3 queries)."""
    portfolio = scenarios[0].portfolio
    items = list(PortfolioItem.objects.filter(portfolio=portfolio).with_project().ranked())
    by_id = {item.pk: item for item in items}
    roles = role_labels()
    columns = []
    for scenario in scenarios:
        result = scenario.result or {}
        chosen_ids = set(result.get("chosen", []))
        verdicts = {row["id"]: row for row in result.get("items", [])}
        chosen = [by_id[i] for i in chosen_ids if i in by_id]
        columns.append(
            {
                "scenario": scenario,
                "solved": bool(result.get("items")),
                "infeasible": infeasible_text(result["infeasible"], by_id, roles)
                if result.get("infeasible")
                else "",
                "value": result.get("value"),
                "cost": result.get("cost"),
                "count": len(chosen_ids),
                "budget_use": 100 * result.get("cost", 0) / float(scenario.budget)
                if scenario.budget and result.get("items")
                else None,
                "peak": 100 * peak if (peak := peak_use(result)) is not None else None,
                "risk": risk_mix(chosen),
                "verdicts": verdicts,
            }
        )
    rows = []
    for item in items:
        cells = []
        for column in columns:
            verdict = column["verdicts"].get(item.pk)
            cells.append(
                {
                    "chosen": verdict["in"] if verdict else None,
                    "reason": reason_text(verdict["reason"], by_id, roles) if verdict else "",
                }
            )
        differs = len({c["chosen"] for c in cells if c["chosen"] is not None}) > 1
        rows.append({"item": item, "cells": cells, "differs": differs})
    return {"columns": columns, "rows": rows}


# --- the capacity page --------------------------------------------------------------------


@dataclass
class CapacityMap:
    """Demand against supply per role and month, after the what-if changes."""

    periods: list[str]
    rows: list[dict]
    totals: dict
    deficits: list[dict]
    suggestions: list[dict]
    projects: dict[int, object]


def _priority_key(project, best_score: dict[int, float]):
    """Approved work before candidates, then major, key, general, then portfolio score."""
    order = {Classification.MAJOR: 0, Classification.KEY: 1, Classification.GENERAL: 2}
    return (
        0 if project.stage in COMMITTED_STAGES else 1,
        order.get(project.classification, 3),
        -best_score.get(project.pk, 0.0),
        project.code,
    )


def capacity_map(
    periods: list[str],
    *,
    unit=None,
    include_candidates: bool = True,
    shifts: dict[int, int] | None = None,
    additions: dict[str, float] | None = None,
    max_shift: int = 3,
) -> CapacityMap:
    """The role × month heat map of open work (and candidates) against supply.

    Running projects (active, closing) are summed in the database; projects that may
    still move (approved, and proposed / under review when ``include_candidates``) are
    read one by one so they can be shifted. ``shifts`` moves projects by whole months;
    ``additions`` adds hours per month to a role. Suggestions come from
    ``analysis.suggest_shifts`` over the movable projects, lowest priority first.
    """
    from pmo.core.models import Project

    shifts = shifts or {}
    additions = additions or {}
    supply = role_supply(periods, unit=unit)
    for code, hours in additions.items():
        for period in periods:
            supply[(code, period)] = supply.get((code, period), 0.0) + hours
    running = demand_totals(periods, stages=RUNNING_STAGES, unit=unit)

    movable_stages = [Stage.APPROVED, *(CANDIDATE_STAGES if include_candidates else ())]
    movable = Project.objects.filter(stage__in=movable_stages)
    if unit is not None:
        movable = movable.filter(org_unit__path__startswith=unit.path)
    wide = widened(periods)
    by_project = demand_by_project(movable.values("pk"), wide)
    projects = {
        p.pk: p
        for p in Project.objects.filter(pk__in=list(by_project)).only(
            "pk", "code", "name", "name_en", "stage", "classification"
        )
    }
    best_score = dict(
        PortfolioItem.objects.filter(project_id__in=list(projects), score__isnull=False)
        .values_list("project_id")
        .annotate(best=Max("score"))
        .values_list("project_id", "best")
    )
    ordered = sorted(projects.values(), key=lambda p: _priority_key(p, best_score))
    movers = [
        analysis.Candidate(
            id=p.pk,
            value=0.0,
            cost=0.0,
            demand=shifted(by_project[p.pk], shifts.get(p.pk, 0), periods),
        )
        for p in ordered
    ]
    movers = [m for m in movers if m.demand]
    fixed = analysis.Candidate(id="running", value=0.0, cost=0.0, demand=running)
    demand = analysis.total_demand([running, *(m.demand for m in movers)])
    balance = analysis.capacity_balance(supply, demand)

    suggestions = [
        {"project": projects[s.id], "months": s.months, "hours": s.deficits_removed}
        for s in analysis.suggest_shifts(
            [fixed, *movers],
            supply,
            periods=periods,
            max_shift=max_shift,
            fixed=["running", *shifts],
        )
    ]
    roles = role_labels()
    return CapacityMap(
        periods=periods,
        rows=_heat_rows(balance, periods, roles),
        totals=_capacity_totals(balance),
        deficits=_top_deficits(balance, movers, running, projects, roles),
        suggestions=suggestions,
        projects=projects,
    )


def _heat_rows(balance, periods, roles) -> list[dict]:
    codes = sorted({code for code, _p in balance}, key=lambda c: roles.get(c, c))
    rows = []
    for code in codes:
        cells = []
        for period in periods:
            cell = balance.get((code, period), analysis.Balance(0.0, 0.0))
            cells.append(
                {
                    "period": period,
                    "demand": cell.demand,
                    "supply": cell.supply,
                    "gap": cell.gap,
                    "ratio": cell.ratio,
                    "pct": cell.ratio * 100 if cell.ratio is not None else None,
                    "css": heat_class(cell.ratio, cell.demand),
                }
            )
        if not any(c["demand"] or c["supply"] for c in cells):
            continue
        rows.append(
            {
                "role": code,
                "label": roles.get(code, code),
                "cells": cells,
                "deficit": sum(max(0.0, -c["gap"]) for c in cells),
                "surplus": sum(max(0.0, c["gap"]) for c in cells),
            }
        )
    return rows


def _capacity_totals(balance) -> dict:
    demand = sum(b.demand for b in balance.values())
    supply = sum(b.supply for b in balance.values())
    return {
        "demand": demand,
        "supply": supply,
        "ratio": demand / supply if supply else None,
        "deficit": sum(b.deficit for b in balance.values()),
        "surplus": sum(b.surplus for b in balance.values()),
        "deficit_cells": sum(1 for b in balance.values() if b.deficit > 1e-9),
    }


def _top_deficits(balance, movers, running, projects, roles, limit: int = 8) -> list[dict]:
    """The largest deficits with the movable projects asking most in each."""
    worst = sorted(
        ((key, b) for key, b in balance.items() if b.deficit > 1e-9),
        key=lambda kb: (-kb[1].deficit, kb[0]),
    )[:limit]
    found = []
    for (code, period), cell in worst:
        askers = sorted(
            ((m.demand.get((code, period), 0.0), projects[m.id]) for m in movers),
            key=lambda hp: (-hp[0], hp[1].code),
        )
        found.append(
            {
                "role": roles.get(code, code),
                "period": period,
                "deficit": cell.deficit,
                "demand": cell.demand,
                "supply": cell.supply,
                "running": running.get((code, period), 0.0),
                "projects": [(p, h) for h, p in askers[:3] if h > 0],
            }
        )
    return found


# --- the balance of a portfolio ----------------------------------------------------------


def balance_data(portfolio: Portfolio, chosen: set[int] | None = None) -> dict:
    """Value, risk and spend of a portfolio's candidates (or of a chosen set of them).

    Spend by strategic theme shares a project's cost among the themes of the objectives
    it serves, in proportion to its contributions; cost serving no objective is shown
    as such.
    """
    items = list(PortfolioItem.objects.filter(portfolio=portfolio).with_project().ranked())
    if chosen is not None:
        items = [item for item in items if item.pk in chosen]
    links = (
        ObjectiveLink.objects.filter(project_id__in=[i.project_id for i in items])
        .select_related("objective__theme")
        .order_by("objective__theme__sort_order", "objective__theme__code")
    )
    shares: dict[int, list[tuple[object, int]]] = defaultdict(list)
    for link in links:
        shares[link.project_id].append((link.objective.theme, link.contribution))

    by_type: dict[str, float] = defaultdict(float)
    by_unit: dict[str, float] = defaultdict(float)
    by_theme: dict[str, float] = defaultdict(float)
    none_label = _("No objective")
    for item in items:
        cost = float(item.cost)
        project = item.project
        by_type[project.project_type.label if project.project_type else _("No type")] += cost
        by_unit[project.org_unit.label] += cost
        served = shares.get(project.pk)
        if not served:
            by_theme[none_label] += cost
            continue
        total = sum(c for _t, c in served)
        for theme, contribution in served:
            by_theme[theme.label] += cost * contribution / total

    stages = [
        Stage.IDEA,
        Stage.PROPOSED,
        Stage.UNDER_REVIEW,
        Stage.APPROVED,
        Stage.ACTIVE,
        Stage.CLOSING,
        Stage.CLOSED,
    ]
    funnel = []
    for stage in stages:
        members = [i for i in items if i.project.stage == stage]
        funnel.append(
            {
                "stage": stage,
                "label": str(stage.label),
                "count": len(members),
                "cost": sum(float(i.cost) for i in members),
            }
        )
    others = [i for i in items if i.project.stage not in stages]
    return {
        "items": items,
        "by_type": sorted(by_type.items(), key=lambda kv: -kv[1]),
        "by_unit": sorted(by_unit.items(), key=lambda kv: -kv[1]),
        "by_theme": sorted(by_theme.items(), key=lambda kv: -kv[1]),
        "funnel": funnel,
        "other_stages": others,
        "risk": risk_mix(items),
        "total_cost": sum(float(i.cost) for i in items),
        "total_value": sum(float(i.score or 0) for i in items),
    }


# --- dependencies --------------------------------------------------------------------------


def dependencies(*, portfolio: Portfolio | None = None, query: str = ""):
    """Dependencies between projects, optionally only those touching a portfolio's
    candidates or a project matching ``query`` (code or name)."""
    rows = ProjectDependency.objects.select_related(
        "project", "other", "project__org_unit", "other__org_unit"
    ).order_by("project__code", "kind", "other__code")
    if portfolio is not None:
        ids = PortfolioItem.objects.filter(portfolio=portfolio).values("project_id")
        rows = rows.filter(Q(project_id__in=ids) | Q(other_id__in=ids))
    if query:
        match = Q()
        for side in ("project", "other"):
            match |= (
                Q(**{f"{side}__code__icontains": query})
                | Q(**{f"{side}__name__icontains": query})
                | Q(**{f"{side}__name_en__icontains": query})
            )
        rows = rows.filter(match)
    return rows
