"""Reads of the monitoring of strategic projects.

This module owns the definition of a **strategic project**: an open project that serves
at least one strategic objective (``ObjectiveLink``), is classified 重大
(``Classification.MAJOR``) or has an active ``MonitoringPlan``. The watch list, the
executive portfolio dashboard, the dashboard widgets, the weekly report and the
attention-flag rules all start from :func:`strategic_projects`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.core.models import Classification, Health, OrgUnit, Project, Stage
from portfolio.models import (
    AttentionFlag,
    MonitoringKpi,
    MonitoringPlan,
    Objective,
    ObjectiveLink,
    Recommendation,
)

DEFAULT_INDEX_THRESHOLD = Decimal("0.90")
"""SPI and CPI below this raise a flag when a project has no monitoring plan."""
DEFAULT_STALE_AFTER_DAYS = 14
"""A status report older than this is stale when a project has no monitoring plan."""
DELIVERY_STAGES = (Stage.APPROVED, Stage.ACTIVE, Stage.ON_HOLD, Stage.CLOSING)
"""Stages in which a project spends money and reports status."""
OBJECTIVE_AT_RISK = (Objective.Status.AT_RISK, Objective.Status.OFF_TRACK)

Rule = AttentionFlag.Rule
RULE_SEVERITY = (
    Rule.RED_HEALTH,
    Rule.OVER_BUDGET,
    Rule.LOW_CPI,
    Rule.LOW_SPI,
    Rule.OBJECTIVE_AT_RISK,
    Rule.KPI_BREACHED,
    Rule.STALE_STATUS,
)
"""Rules from the most to the least serious; flags are listed in this order."""

HEALTH_SEVERITY = (Health.RED, Health.AMBER, Health.GREY, Health.GREEN)

REVIEW_CYCLE_DAYS = {
    MonitoringPlan.Frequency.WEEKLY: 7,
    MonitoringPlan.Frequency.BIWEEKLY: 14,
    MonitoringPlan.Frequency.MONTHLY: 30,
    MonitoringPlan.Frequency.QUARTERLY: 91,
}


def rule_rank() -> Case:
    """An ordering expression: the most serious rule first."""
    return Case(
        *[When(rule=rule, then=Value(i)) for i, rule in enumerate(RULE_SEVERITY)],
        default=Value(len(RULE_SEVERITY)),
        output_field=IntegerField(),
    )


def health_rank() -> Case:
    """An ordering expression: red first, green last."""
    return Case(
        *[When(health=h, then=Value(i)) for i, h in enumerate(HEALTH_SEVERITY)],
        default=Value(len(HEALTH_SEVERITY)),
        output_field=IntegerField(),
    )


# --- who is strategic -----------------------------------------------------------------


def strategic_condition() -> Q:
    """The filter of strategic projects (apply it to open projects)."""
    serves_objective = Exists(ObjectiveLink.objects.filter(project=OuterRef("pk")))
    has_plan = Exists(MonitoringPlan.objects.filter(project=OuterRef("pk"), is_active=True))
    return Q(serves_objective) | Q(classification=Classification.MAJOR) | Q(has_plan)


def strategic_projects(projects=None):
    """The open strategic projects among ``projects`` (default: all projects)."""
    base = Project.objects.all() if projects is None else projects
    return base.open().filter(strategic_condition())


def is_strategic(project: Project) -> bool:
    return strategic_projects(Project.objects.filter(pk=project.pk)).exists()


def in_unit(projects, unit: OrgUnit | None):
    """Projects of ``unit`` and the units below it (all when no unit is given)."""
    return projects.filter(org_unit__path__startswith=unit.path) if unit else projects


# --- the watch list ---------------------------------------------------------------------


def _count(queryset) -> Subquery:
    """A correlated COUNT(*) subquery (no GROUP BY on the outer query)."""
    return Subquery(
        queryset.order_by().values("project_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def _plan_value(field: str, default):
    """A field of the project's active monitoring plan, or the default."""
    return Coalesce(
        Case(When(monitoring_plan__is_active=True, then=F(f"monitoring_plan__{field}"))),
        Value(default),
    )


def _open_flags():
    return AttentionFlag.objects.filter(project=OuterRef("pk"), resolved_at__isnull=True)


def stale_condition(today: dt.date) -> Q:
    """Active and no status report within the plan's ``stale_after_days`` (default 14)."""
    days = _plan_value("stale_after_days", DEFAULT_STALE_AFTER_DAYS)
    if connection.vendor == "postgresql":
        limit = ExpressionWrapper(
            Value(today) - days * Value(dt.timedelta(days=1)), output_field=DateField()
        )
    else:
        # SQLite (the embedded default of `make run`) has no date − interval arithmetic.
        limit = Func(
            Value(today.isoformat()),
            Concat(Value("-"), Cast(days, CharField()), Value(" days")),
            function="date",
            output_field=DateField(),
        )
    return Q(stage=Stage.ACTIVE) & (
        Q(last_status_date__isnull=True) | Q(last_status_date__lt=limit)
    )


def review_due_condition(today: dt.date) -> Q:
    """The active plan's next review is today or earlier."""
    return Q(monitoring_plan__is_active=True, monitoring_plan__next_review__lte=today)


def flagged_condition() -> Q:
    return Q(Exists(_open_flags()))


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def with_monitoring(projects, today: dt.date):
    """Annotate each project with its plan's thresholds and the watch-list facts.

    ``spi_threshold``/``cpi_threshold`` and ``stale_after`` come from an active plan or
    the defaults; ``is_stale`` (active and no status report within ``stale_after`` days),
    ``review_due`` (next review today or earlier), ``open_flag_count``,
    ``objective_count`` and ``key_objective_count``.
    """
    links = ObjectiveLink.objects.filter(project=OuterRef("pk"), objective__is_active=True)
    return projects.annotate(
        plan_id=F("monitoring_plan__id"),
        plan_active=Coalesce(F("monitoring_plan__is_active"), Value(False)),
        next_review=Case(
            When(monitoring_plan__is_active=True, then=F("monitoring_plan__next_review"))
        ),
        spi_threshold=_plan_value("spi_threshold", DEFAULT_INDEX_THRESHOLD),
        cpi_threshold=_plan_value("cpi_threshold", DEFAULT_INDEX_THRESHOLD),
        stale_after=_plan_value("stale_after_days", DEFAULT_STALE_AFTER_DAYS),
        open_flag_count=Coalesce(_count(_open_flags()), Value(0)),
        objective_count=Coalesce(_count(links), Value(0)),
        key_objective_count=Coalesce(_count(links.filter(objective__is_key=True)), Value(0)),
        health_rank=health_rank(),
        is_stale=_flag(stale_condition(today)),
        review_due=_flag(review_due_condition(today)),
    )


def open_flags_prefetch() -> Prefetch:
    """The open flags of each project, most serious first, as ``project.open_flags``."""
    return Prefetch(
        "attention_flags",
        queryset=AttentionFlag.objects.filter(resolved_at__isnull=True)
        .annotate(rule_rank=rule_rank())
        .order_by("rule_rank", "raised_at"),
        to_attr="open_flags",
    )


WATCHLIST_SORTS = {
    "attention": ("-open_flag_count", "health_rank", "code"),
    "code": ("code",),
    "health": ("health_rank", "code"),
    "progress": ("percent_complete", "code"),
    "spi": (F("spi").asc(nulls_last=True), "code"),
    "cpi": (F("cpi").asc(nulls_last=True), "code"),
    "budget": ("budget", "code"),
    "status": (F("last_status_date").asc(nulls_first=True), "code"),
    "review": (F("next_review").asc(nulls_last=True), "code"),
    "flags": ("open_flag_count", "code"),
}


def _reverse(ordering: tuple) -> tuple:
    flipped = []
    for term in ordering:
        if isinstance(term, str):
            flipped.append(term[1:] if term.startswith("-") else f"-{term}")
        else:
            flipped.append(term.copy().reverse_ordering() if hasattr(term, "copy") else term)
    return tuple(flipped)


def watchlist_order(projects, sort: str):
    """Order the watch list by a sort key of ``WATCHLIST_SORTS`` (``-key`` reverses)."""
    key = sort.lstrip("-")
    ordering = WATCHLIST_SORTS.get(key, WATCHLIST_SORTS["attention"])
    if sort.startswith("-") and key in WATCHLIST_SORTS:
        ordering = _reverse(ordering)
    return projects.order_by(*ordering, "pk")


def watchlist(user, today: dt.date):
    """The strategic projects the user may see, with everything the watch list shows."""
    projects = strategic_projects(Project.objects.visible_to(user))
    return (
        with_monitoring(projects, today)
        .select_related("org_unit", "manager")
        .prefetch_related(open_flags_prefetch())
    )


def watchlist_totals(projects, today: dt.date) -> dict:
    """Counts and money of a (filtered) watch list, in one query."""
    row = (
        Project.objects.filter(pk__in=projects.order_by().values("pk"))
        .order_by()
        .aggregate(
            count=Count("pk"),
            flagged=Count("pk", filter=flagged_condition()),
            stale=Count("pk", filter=stale_condition(today)),
            review_due=Count("pk", filter=review_due_condition(today)),
            red=Count("pk", filter=Q(health=Health.RED)),
            budget=Sum("budget"),
            spend=Sum("spend_to_date"),
        )
    )
    for key in ("budget", "spend"):
        row[key] = row[key] or Decimal(0)
    return row


# --- one project's monitoring -----------------------------------------------------------


def plan_of(project: Project) -> MonitoringPlan | None:
    return MonitoringPlan.objects.select_related("owner").filter(project=project).first()


@dataclass(frozen=True)
class KpiPoint:
    measured_on: dt.date
    actual: Decimal


def kpi_series(kpis) -> dict[int, list[KpiPoint]]:
    """Every recorded actual of each KPI (from the audit history), oldest first."""
    ids = [k.pk for k in kpis]
    series: dict[int, dict[dt.date, Decimal]] = {pk: {} for pk in ids}
    rows = (
        MonitoringKpi.history.filter(id__in=ids, actual__isnull=False, measured_on__isnull=False)
        .order_by("history_date")
        .values_list("id", "measured_on", "actual")
    )
    for pk, measured_on, actual in rows:
        series[pk][measured_on] = actual  # a later correction of the same day wins
    return {
        pk: [KpiPoint(d, v) for d, v in sorted(points.items())] for pk, points in series.items()
    }


def project_flags(project: Project, *, resolved_limit: int = 10):
    """The project's open flags (most serious first) and its latest closed ones."""
    flags = AttentionFlag.objects.filter(project=project)
    open_flags = list(
        flags.filter(resolved_at__isnull=True)
        .annotate(rule_rank=rule_rank())
        .order_by("rule_rank", "raised_at")
    )
    closed = list(flags.filter(resolved_at__isnull=False).order_by("-resolved_at")[:resolved_limit])
    return open_flags, closed


def recommendations(projects=None):
    """Recommendations with their project and people, newest first."""
    qs = Recommendation.objects.select_related(
        "project",
        "project__org_unit",
        "project__manager",
        "flag",
        "proposed_by__person",
        "decided_by__person",
    )
    if projects is not None:
        qs = qs.filter(project__in=projects)
    return qs.order_by("-proposed_at", "-pk")


def recommendation_counts(queryset) -> dict[str, int]:
    counts = dict(
        queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Recommendation.Status.values}


# --- the executive portfolio dashboard --------------------------------------------------

PERIOD_LABELS = {
    "month": gettext_lazy("This month"),
    "quarter": gettext_lazy("This quarter"),
    "next_quarter": gettext_lazy("Next quarter"),
    "half": gettext_lazy("Next six months"),
    "year": gettext_lazy("This year"),
}


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return str(PERIOD_LABELS.get(self.key, ""))


def _month_start(day: dt.date, months: int = 0) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)


def dashboard_period(key: str, today: dt.date) -> Period:
    """The dates of a named period around ``today`` (unknown keys mean this quarter)."""
    if key not in PERIOD_LABELS:
        key = "quarter"
    day = dt.timedelta(days=1)
    if key == "month":
        return Period(key, today.replace(day=1), _month_start(today, 1) - day)
    quarter_start = _month_start(today.replace(day=1), -((today.month - 1) % 3))
    if key == "quarter":
        return Period(key, quarter_start, _month_start(quarter_start, 3) - day)
    if key == "next_quarter":
        start = _month_start(quarter_start, 3)
        return Period(key, start, _month_start(start, 3) - day)
    if key == "half":
        return Period(key, today, _month_start(today, 6) - day)
    return Period(key, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


@dataclass
class ObjectiveRow:
    objective: Objective
    project_count: int
    flagged_count: int

    @property
    def progress_percent(self) -> float | None:
        progress = self.objective.progress
        return None if progress is None else round(progress * 100, 1)


def objective_rows(projects, period: Period | None = None, *, limit: int | None = None):
    """Active objectives (in ``period``) with how many of ``projects`` serve them and how
    many of those carry open flags; key objectives and heavier weights first.

    When ``projects`` is a unit's subset, only objectives they serve are listed.
    """
    scope = projects.values("pk")
    served = Q(links__project__in=scope)
    flagged = AttentionFlag.objects.filter(
        project=OuterRef("links__project"), resolved_at__isnull=True
    )
    qs = Objective.objects.active().select_related("theme")
    if period is not None:
        qs = qs.filter(period_start__lte=period.end, period_end__gte=period.start)
    qs = qs.annotate(
        project_count=Count("links__project", filter=served, distinct=True),
        flagged_count=Count("links__project", filter=served & Q(Exists(flagged)), distinct=True),
    ).order_by("-is_key", "-weight", "theme__sort_order", "sort_order", "code")
    rows = [ObjectiveRow(o, o.project_count, o.flagged_count) for o in qs[:limit]]
    return rows


def health_distribution(projects) -> list[tuple[str, str, int]]:
    """(code, label, count) of strategic projects in delivery per health, red first."""
    counts = dict(
        projects.filter(stage__in=DELIVERY_STAGES)
        .order_by()
        .values_list("health")
        .annotate(n=Count("pk"))
        .values_list("health", "n")
    )
    return [(h.value, str(h.label), counts.get(h.value, 0)) for h in map(Health, HEALTH_SEVERITY)]


def money_totals(projects) -> dict:
    """Budget, spend to date and forecast at completion of strategic projects in delivery.

    A project without a forecast counts with its budget (no overrun expected yet).
    """
    row = (
        projects.filter(stage__in=DELIVERY_STAGES)
        .order_by()
        .aggregate(
            count=Count("pk"),
            total_budget=Sum("budget"),
            total_spend=Sum("spend_to_date"),
            total_forecast=Sum(Coalesce("forecast_cost", "budget")),
            over=Count("pk", filter=Q(forecast_cost__gt=F("budget"))),
        )
    )
    for key in ("budget", "spend", "forecast"):
        row[key] = row.pop(f"total_{key}") or Decimal(0)
    row["variance"] = row["forecast"] - row["budget"]
    row["variance_pct"] = row["variance"] / row["budget"] * 100 if row["budget"] else None
    row["spent_pct"] = row["spend"] / row["budget"] * 100 if row["budget"] else None
    return row


def money_by_project(projects, limit: int = 12) -> list[Project]:
    """The largest strategic projects in delivery by budget."""
    return list(
        projects.filter(stage__in=DELIVERY_STAGES)
        .select_related("org_unit")
        .order_by("-budget", "code")[:limit]
    )


def top_flags(projects, limit: int = 10) -> list[AttentionFlag]:
    """The most serious open flags of ``projects``, oldest first within a rule."""
    return list(
        AttentionFlag.objects.filter(project__in=projects.values("pk"), resolved_at__isnull=True)
        .select_related("project", "project__org_unit", "project__manager")
        .annotate(rule_rank=rule_rank())
        .order_by("rule_rank", "raised_at", "pk")[:limit]
    )


def flag_counts(projects) -> list[tuple[str, str, int]]:
    """(rule, label, open flags) for every rule, most serious first."""
    counts = dict(
        AttentionFlag.objects.filter(project__in=projects.values("pk"), resolved_at__isnull=True)
        .order_by()
        .values_list("rule")
        .annotate(n=Count("pk"))
        .values_list("rule", "n")
    )
    return [(r.value, str(r.label), counts.get(r.value, 0)) for r in map(Rule, RULE_SEVERITY)]


def milestones_due(projects, period: Period, limit: int = 15) -> list[Project]:
    """Strategic projects in delivery planned to finish within the period.

    The planned finish is the milestone the core knows of every project.
    """
    return list(
        projects.filter(
            stage__in=DELIVERY_STAGES,
            planned_finish__gte=period.start,
            planned_finish__lte=period.end,
        )
        .select_related("org_unit", "manager")
        .order_by("planned_finish", "code")[:limit]
    )


def overdue_count(projects, today: dt.date) -> int:
    """Strategic projects still active after their planned finish."""
    return projects.filter(stage=Stage.ACTIVE, planned_finish__lt=today).count()


def attention_projects(projects, today: dt.date, limit: int = 8) -> list[Project]:
    """Strategic projects carrying open flags, the most flags and worst health first."""
    return list(
        with_monitoring(projects, today)
        .filter(open_flag_count__gt=0)
        .select_related("org_unit", "manager")
        .prefetch_related(open_flags_prefetch())
        .order_by("-open_flag_count", "health_rank", "code")[:limit]
    )


# --- charts (ECharts options, drawn by static/js/app.js) ------------------------------

STATUS_COLOURS = {
    Objective.Status.ON_TRACK: "#198754",
    Objective.Status.AT_RISK: "#ffc107",
    Objective.Status.OFF_TRACK: "#dc3545",
    Objective.Status.ACHIEVED: "#0d6efd",
}


def objectives_chart(rows: list[ObjectiveRow]) -> dict:
    """Progress of each objective from baseline to target (%), coloured by status."""
    shown = list(reversed(rows))  # ECharts draws the first category at the bottom
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 40, "top": 10, "bottom": 20, "containLabel": True},
        "xAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
        "yAxis": {
            "type": "category",
            "data": [f"{r.objective.code} {r.objective.label}" for r in shown],
            "axisLabel": {"width": 220, "overflow": "truncate"},
        },
        "series": [
            {
                "type": "bar",
                "name": _("Progress"),
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
                "data": [
                    {
                        "value": r.progress_percent if r.progress_percent is not None else 0,
                        "key": r.objective.pk,
                        "itemStyle": {"color": STATUS_COLOURS.get(r.objective.status)},
                    }
                    for r in shown
                ],
            }
        ],
    }


def flag_rule_chart(counts: list[tuple[str, str, int]]) -> dict:
    """Open flags per rule as horizontal bars (most serious rule on top)."""
    shown = list(reversed(counts))
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 30, "top": 10, "bottom": 20, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [label for _code, label, _n in shown]},
        "series": [
            {
                "type": "bar",
                "name": _("Open flags"),
                "itemStyle": {"color": "#dc3545"},
                "label": {"show": True, "position": "right"},
                "data": [{"value": n, "key": code} for code, _label, n in shown],
            }
        ],
    }


def kpi_chart(kpi: MonitoringKpi, points: list[KpiPoint]) -> dict | None:
    """The recorded actuals of a KPI against its target and threshold lines."""
    if not points:
        return None

    def level(name: str, value, colour: str) -> dict:
        return {
            "type": "line",
            "name": name,
            "data": [float(value)] * len(points),
            "symbol": "none",
            "lineStyle": {"type": "dashed", "color": colour},
            "itemStyle": {"color": colour},
        }

    # A sparkline: the dates and line names are in the tooltip, the lines are dashed
    # green (target) and red (threshold).
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"show": False},
        "grid": {"left": 4, "right": 8, "top": 8, "bottom": 4, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [p.measured_on.isoformat() for p in points],
            "axisLabel": {"show": False},
        },
        "yAxis": {"type": "value", "scale": True, "name": kpi.unit},
        "series": [
            {"type": "line", "name": _("Actual"), "data": [float(p.actual) for p in points]},
            level(_("Target"), kpi.target, "#198754"),
            level(_("Threshold"), kpi.threshold, "#dc3545"),
        ],
    }
