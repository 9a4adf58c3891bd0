"""The weekly "portfolio status" report (registered in ``portfolio.wiring``): the
executive portfolio dashboard's figures and charts, the strategic watch list, the top
attention flags, milestones due and recommendations awaiting a decision, as a PDF.

The builder follows ``pmo.reports.content``: it is called inside a Celery task with the
report language active and returns a :class:`ReportContent`; charts are SVG drawn on
the server by pygal with the CJK font.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core.formatting import WAN, money, percent
from pmo.core.models import OrgUnit, Project
from pmo.reports import charts
from pmo.reports.charts import _cjk_margin, _config, _style, with_font
from pmo.reports.content import ReportContent, visible_projects
from portfolio.models import Recommendation
from portfolio.selectors import monitoring as selectors

WATCHLIST_LIMIT = 300
MILESTONE_WINDOW_DAYS = 28


@dataclass(frozen=True)
class WatchRow:
    """One line of the watch list, with figures already formatted."""

    project: Project
    spend: str
    budget: str
    forecast: str
    over_budget: bool
    progress: str
    spi: str
    cpi: str
    spi_low: bool
    cpi_low: bool


def _index(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _watch_rows(projects, language: str) -> list[WatchRow]:
    rows = []
    for p in projects:
        rows.append(
            WatchRow(
                project=p,
                spend=money(p.spend_to_date, language, compact=True),
                budget=money(p.budget, language, compact=True),
                forecast=money(p.forecast_cost, language, compact=True)
                if p.forecast_cost is not None
                else "—",
                over_budget=bool(p.forecast_cost and p.forecast_cost > p.budget),
                progress=percent(p.percent_complete),
                spi=_index(p.spi),
                cpi=_index(p.cpi),
                spi_low=p.spi is not None and p.spi < p.spi_threshold,
                cpi_low=p.cpi is not None and p.cpi < p.cpi_threshold,
            )
        )
    return rows


# --- charts (SVG) ---------------------------------------------------------------------------


def objectives_svg(rows: list[selectors.ObjectiveRow], *, title: str) -> str:
    """Progress of each objective (0–100 %) as horizontal bars, the first on top."""
    shown = list(reversed(rows))
    labels = [f"{r.objective.code} {r.objective.label}"[:28] for r in shown]
    chart = pygal.HorizontalBar(
        style=_style(("#0d6efd",)),
        **_config(
            width=520,
            height=max(200, 70 + 26 * len(shown)),
            show_legend=False,
            range=(0, 100),
            truncate_label=-1,
            margin_left=_cjk_margin(labels, 11),
            value_formatter=lambda v: f"{v:.0f}%",
            print_values=True,
        ),
    )
    chart.title = title
    chart.x_labels = labels
    chart.add(title, [r.progress_percent or 0 for r in shown])
    return with_font(chart.render(is_unicode=True))


def money_svg(projects: list[Project], *, language: str, title: str, labels: dict) -> str:
    """Budget, spend to date and forecast at completion of the largest projects, as
    horizontal bars (the largest on top), in 万 for Chinese and ¥M for English readers."""
    en = language.startswith("en")
    scale = Decimal(1_000_000) if en else WAN

    def scaled(value) -> float:
        return float((value or Decimal(0)) / scale)

    shown = list(reversed(projects))
    chart = pygal.HorizontalBar(
        style=_style(("#0d6efd", "#6c757d", "#dc3545")),
        **_config(
            width=640,
            height=max(240, 80 + 36 * len(shown)),
            legend_at_bottom=True,
            truncate_label=-1,
            value_formatter=(lambda v: f"¥{v:,.1f}M") if en else (lambda v: f"{v:,.0f}万"),
        ),
    )
    chart.title = title
    chart.x_labels = [p.code for p in shown]
    chart.add(labels["budget"], [scaled(p.budget) for p in shown])
    chart.add(labels["spend"], [scaled(p.spend_to_date) for p in shown])
    chart.add(labels["forecast"], [scaled(p.forecast_cost or p.budget) for p in shown])
    return with_font(chart.render(is_unicode=True))


def flags_svg(counts: list[tuple[str, str, int]], *, title: str) -> str:
    shown = [c for c in reversed(counts) if c[2]]
    labels = [label for _code, label, _n in shown]
    chart = pygal.HorizontalBar(
        style=_style(("#dc3545",)),
        **_config(
            width=420,
            height=max(180, 70 + 28 * len(shown)),
            show_legend=False,
            truncate_label=-1,
            margin_left=_cjk_margin(labels, 11),
            print_values=True,
        ),
    )
    chart.title = title
    chart.x_labels = labels
    chart.add(title, [n for _code, _label, n in shown])
    return with_font(chart.render(is_unicode=True))


# --- the builder ----------------------------------------------------------------------------


def _unit(params: dict) -> OrgUnit | None:
    unit_id = params.get("org_unit")
    return OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None


def portfolio_status(params: dict, language: str) -> ReportContent:
    """The weekly status of the strategic portfolio (optionally of one unit)."""
    today = timezone.localdate()
    unit = _unit(params)
    start = params.get("period_start") or today
    window = selectors.Period(
        "report", start, (params.get("period_end") or start) + dt.timedelta(MILESTONE_WINDOW_DAYS)
    )
    scope = selectors.strategic_projects(visible_projects(params))
    narrowed = (
        unit is not None or params.get("classification") or params.get("scope", "all") != "all"
    )
    objectives = [
        row for row in selectors.objective_rows(scope, window) if not narrowed or row.project_count
    ]
    health = selectors.health_distribution(scope)
    totals = selectors.money_totals(scope)
    biggest = selectors.money_by_project(scope, limit=10)
    counts = selectors.flag_counts(scope)
    watched = list(
        selectors.with_monitoring(scope, today)
        .select_related("org_unit", "manager")
        .prefetch_related(selectors.open_flags_prefetch())
        .order_by("-open_flag_count", "health_rank", "code")[:WATCHLIST_LIMIT]
    )
    awaiting = list(
        selectors.recommendations(scope)
        .filter(status=Recommendation.Status.PROPOSED)
        .order_by("proposed_at")
    )
    open_flags = sum(n for _code, _label, n in counts)
    kpis = [
        (_("Strategic projects"), str(scope.count())),
        (_("Open attention flags"), str(open_flags)),
        (_("Budget"), money(totals["budget"], language, compact=True)),
        (_("Spend to date"), money(totals["spend"], language, compact=True)),
        (_("Forecast at completion"), money(totals["forecast"], language, compact=True)),
        (_("Awaiting decision"), str(len(awaiting))),
    ]
    context = {
        "unit": unit,
        "kpis": kpis,
        "variance": money(totals["variance"], language, compact=True),
        "variance_pct": percent(totals["variance_pct"], 1),
        "objectives": objectives,
        "watch_rows": _watch_rows(watched, language),
        "watch_truncated": len(watched) == WATCHLIST_LIMIT,
        "flags": selectors.top_flags(scope, limit=15),
        "milestones": selectors.milestones_due(scope, window, limit=20),
        "window": window,
        "awaiting": awaiting,
        "health_svg": charts.health_pie(health, _("Health of strategic projects in delivery"))
        if any(n for _code, _label, n in health)
        else "",
        "objectives_svg": objectives_svg(
            objectives[:12], title=_("Progress of strategic objectives")
        )
        if objectives
        else "",
        "money_svg": money_svg(
            biggest,
            language=language,
            title=_("Budget, spend and forecast of the largest strategic projects"),
            labels={
                "budget": _("Budget"),
                "spend": _("Spend to date"),
                "forecast": _("Forecast"),
            },
        )
        if biggest
        else "",
        "flags_svg": flags_svg(counts, title=_("Open attention flags by rule"))
        if open_flags
        else "",
    }
    return ReportContent(
        title=_("Portfolio status"),
        subtitle=unit.label if unit else _("All organisational units"),
        template="reports/portfolio_status.html",
        context=context,
        landscape=True,
    )


# --- the quarterly strategic review ---------------------------------------------------------

REVIEW_WATCH_LIMIT = 40
REVIEW_BIGGEST = 10


@dataclass(frozen=True)
class AlignedProject:
    """A project serving an objective, with its contribution and delivery figures."""

    project: Project
    contribution: int
    spi: str
    cpi: str
    spi_low: bool
    cpi_low: bool


@dataclass(frozen=True)
class ObjectiveReview:
    """An objective's KPI from baseline to target, its latest measurement and the
    projects (the reader may see) that serve it."""

    objective: object
    progress: float | None
    coverage: int
    projects: list[AlignedProject]

    @property
    def progress_label(self) -> str:
        return "—" if self.progress is None else f"{self.progress:.0f}%"

    @property
    def troubled(self) -> int:
        return sum(1 for a in self.projects if a.project.health == "red")


def _aligned(link) -> AlignedProject:
    p = link.project
    threshold = selectors.DEFAULT_INDEX_THRESHOLD
    return AlignedProject(
        project=p,
        contribution=link.contribution,
        spi=_index(p.spi),
        cpi=_index(p.cpi),
        spi_low=p.spi is not None and p.spi < threshold,
        cpi_low=p.cpi is not None and p.cpi < threshold,
    )


def review_objectives(projects, start: dt.date, end: dt.date, *, narrowed: bool):
    """Active objectives of the period grouped by theme, each with the ``projects`` that
    serve it (two queries). When the reader's view is narrowed (a unit, a classification
    or a reader's scope) only objectives some of those projects serve are listed."""
    from django.db.models import Prefetch

    from portfolio.models import Objective, ObjectiveLink

    links = (
        ObjectiveLink.objects.filter(project__in=projects.values("pk"))
        .select_related("project", "project__org_unit")
        .order_by("-contribution", "project__code")
    )
    objectives = (
        Objective.objects.active()
        .filter(period_start__lte=end, period_end__gte=start)
        .select_related("theme")
        .prefetch_related(Prefetch("links", queryset=links, to_attr="visible_links"))
        .order_by("theme__sort_order", "theme__code", "sort_order", "code")
    )
    themes: dict[int, tuple[object, list[ObjectiveReview]]] = {}
    for o in objectives:
        if narrowed and not o.visible_links:
            continue
        progress = o.progress
        review = ObjectiveReview(
            objective=o,
            progress=None if progress is None else round(progress * 100, 1),
            coverage=min(100, sum(link.contribution for link in o.visible_links)),
            projects=[_aligned(link) for link in o.visible_links],
        )
        themes.setdefault(o.theme_id, (o.theme, []))[1].append(review)
    return list(themes.values())


def portfolio_balance(projects, language: str) -> dict[str, list[tuple[str, int, str]]]:
    """Strategic projects in delivery by project type and by unit: (name, count, budget)."""
    from django.db.models import Count, Sum

    en = language.startswith("en")
    delivering = projects.filter(stage__in=selectors.DELIVERY_STAGES).order_by()
    result = {}
    for key, field in (("type", "project_type"), ("unit", "org_unit")):
        rows = (
            delivering.values(f"{field}__name", f"{field}__name_en")
            .annotate(n=Count("pk"), budget=Sum("budget"))
            .order_by("-budget", f"{field}__name")
        )
        result[key] = [
            (
                (en and r[f"{field}__name_en"]) or r[f"{field}__name"] or _("Not set"),
                r["n"],
                r["budget"] or Decimal(0),
            )
            for r in rows
        ]
    return result


def balance_svg(rows: list[tuple[str, int, Decimal]], *, title: str) -> str:
    """The share of strategic projects' budget per category, as a doughnut."""
    chart = pygal.Pie(
        style=_style(("#0d6efd", "#20c997", "#ffc107", "#6f42c1", "#fd7e14", "#6c757d", "#0dcaf0")),
        **_config(width=400, height=280, inner_radius=0.45, legend_at_bottom=True),
    )
    chart.title = title
    for name, _count, budget in rows[:7]:
        chart.add(name[:16], float(budget / WAN))
    return with_font(chart.render(is_unicode=True))


def _review_scope(params: dict):
    from pmo.reports.content import visible_projects

    visible = visible_projects(params)
    narrowed = bool(
        params.get("org_unit")
        or params.get("classification")
        or params.get("scope", "all") != "all"
    )
    return visible, selectors.strategic_projects(visible), narrowed


def _period(params: dict) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = params.get("period_start") or today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return start, params.get("period_end") or today


def _decided(scope, start: dt.date, end: dt.date):
    return (
        Recommendation.objects.filter(
            project__in=scope.values("pk"),
            decided_at__date__gte=start,
            decided_at__date__lte=end,
        )
        .exclude(status=Recommendation.Status.PROPOSED)
        .select_related("project", "decided_by__person")
        .order_by("decided_at", "pk")
    )


def strategic_review(params: dict, language: str) -> ReportContent:
    """The quarterly strategic review: objectives and their KPIs, the projects serving
    them, the portfolio's balance, the watch list, recommendations decided in the
    quarter and budget against spend and forecast, for what the reader may see."""
    from django.db.models import Q

    start, end = _period(params)
    unit = _unit(params)
    visible, scope, narrowed = _review_scope(params)
    themes = review_objectives(visible, start, end, narrowed=narrowed)
    reviews = [review for _theme, rows in themes for review in rows]
    totals = selectors.money_totals(scope)
    health = selectors.health_distribution(scope)
    balance = portfolio_balance(scope, language)
    biggest = selectors.money_by_project(scope, limit=REVIEW_BIGGEST)
    watched = list(
        selectors.with_monitoring(scope, end)
        .filter(Q(open_flag_count__gt=0) | Q(health="red"))
        .select_related("org_unit", "manager")
        .prefetch_related(selectors.open_flags_prefetch())
        .order_by("-open_flag_count", "health_rank", "code")[:REVIEW_WATCH_LIMIT]
    )
    decided = list(_decided(scope, start, end))
    on_track = sum(1 for r in reviews if r.objective.status in ("on_track", "achieved"))
    kpis = [
        (_("Objectives on track"), f"{on_track} / {len(reviews)}"),
        (_("Strategic projects"), str(totals["count"])),
        (_("Off track"), str(next((n for code, _l, n in health if code == "red"), 0))),
        (_("Budget"), money(totals["budget"], language, compact=True)),
        (_("Spend to date"), money(totals["spend"], language, compact=True)),
        (_("Forecast at completion"), money(totals["forecast"], language, compact=True)),
        (_("Recommendations decided"), str(len(decided))),
    ]
    money_labels = {"budget": _("Budget"), "spend": _("Spend to date"), "forecast": _("Forecast")}
    context = {
        "unit": unit,
        "start": start,
        "end": end,
        "kpis": kpis,
        "themes": themes,
        "balance": {
            key: [(name, n, money(budget, language, compact=True)) for name, n, budget in rows]
            for key, rows in balance.items()
        },
        "watch_rows": _watch_rows(watched, language),
        "decided": decided,
        "variance": money(totals["variance"], language, compact=True),
        "variance_pct": percent(totals["variance_pct"], 1),
        "spent_pct": percent(totals["spent_pct"], 1),
        "health_svg": charts.health_pie(health, _("Health of strategic projects in delivery"))
        if any(n for _code, _label, n in health)
        else "",
        "objectives_svg": objectives_svg(
            [
                selectors.ObjectiveRow(r.objective, len(r.projects), r.troubled)
                for r in reviews[:12]
            ],
            title=_("Progress of strategic objectives"),
        )
        if reviews
        else "",
        "type_svg": balance_svg(balance["type"], title=_("Budget by project type"))
        if any(b for _n, _c, b in balance["type"])
        else "",
        "unit_svg": balance_svg(balance["unit"], title=_("Budget by unit"))
        if any(b for _n, _c, b in balance["unit"])
        else "",
        "money_svg": money_svg(
            biggest,
            language=language,
            title=_("Budget, spend and forecast of the largest strategic projects"),
            labels=money_labels,
        )
        if biggest
        else "",
    }
    return ReportContent(
        title=_("Strategic review"),
        subtitle=unit.label if unit else _("All organisational units"),
        template="portfolio/pdf/strategic_review.html",
        context=context,
        landscape=True,
    )


def strategic_review_summary(params: dict, language: str) -> list[tuple[str, str]]:
    """The chat card of the strategic review: objectives, health, money, decisions."""
    from portfolio.models import Objective

    start, end = _period(params)
    visible, scope, narrowed = _review_scope(params)
    objectives = Objective.objects.active().filter(period_start__lte=end, period_end__gte=start)
    if narrowed:
        objectives = objectives.filter(links__project__in=visible.values("pk")).distinct()
    statuses = list(objectives.values_list("status", flat=True))
    totals = selectors.money_totals(scope)
    red = scope.filter(stage__in=selectors.DELIVERY_STAGES, health="red").count()
    on_track = sum(1 for s in statuses if s in ("on_track", "achieved"))
    return [
        (_("Objectives on track"), f"{on_track} / {len(statuses)}"),
        (_("Strategic projects"), str(totals["count"])),
        (_("Off track"), str(red)),
        (
            _("Spend / budget"),
            f"{money(totals['spend'], language, compact=True)} / "
            f"{money(totals['budget'], language, compact=True)}",
        ),
        (_("Forecast at completion"), money(totals["forecast"], language, compact=True)),
        (_("Recommendations decided"), str(_decided(scope, start, end).count())),
    ]
