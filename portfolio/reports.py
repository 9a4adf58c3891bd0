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
from pmo.reports.content import ReportContent
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
    scope = selectors.in_unit(selectors.strategic_projects(), unit)
    objectives = [
        row for row in selectors.objective_rows(scope, window) if unit is None or row.project_count
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
