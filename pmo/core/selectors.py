"""Aggregates of the project register, computed in SQL; charts and reports read these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.core.models import Health, Stage

STALE_AFTER_DAYS = 14


def portfolio_totals(projects) -> dict:
    """Counts and money of a project queryset, in one query."""
    row = projects.aggregate(
        count=Count("pk"),
        open=Count("pk", filter=~Q(stage__in=[Stage.CLOSED, Stage.REJECTED, Stage.CANCELLED])),
        active=Count("pk", filter=Q(stage=Stage.ACTIVE)),
        red=Count("pk", filter=Q(stage=Stage.ACTIVE, health=Health.RED)),
        amber=Count("pk", filter=Q(stage=Stage.ACTIVE, health=Health.AMBER)),
        budget=Sum("budget", filter=Q(stage=Stage.ACTIVE)),
        spend=Sum("spend_to_date", filter=Q(stage=Stage.ACTIVE)),
        forecast=Sum("forecast_cost", filter=Q(stage=Stage.ACTIVE)),
    )
    for key in ("budget", "spend", "forecast"):
        row[key] = row[key] or Decimal(0)
    return row


def health_counts(projects) -> list[tuple[str, str, int]]:
    """(code, label, count) of active projects per health, in display order."""
    counts = dict(
        projects.filter(stage=Stage.ACTIVE)
        .values_list("health")
        .annotate(n=Count("pk"))
        .values_list("health", "n")
    )
    return [(h.value, str(h.label), counts.get(h.value, 0)) for h in Health]


def stage_counts(projects) -> list[tuple[str, str, int]]:
    counts = dict(projects.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return [(s.value, str(s.label), counts.get(s.value, 0)) for s in Stage]


def money_by_unit(projects, limit: int = 12) -> list[dict]:
    """Budget, spend and forecast of active projects per organisational unit."""
    rows = (
        projects.filter(stage=Stage.ACTIVE)
        .values("org_unit_id", "org_unit__name", "org_unit__name_en")
        .annotate(
            budget=Sum("budget"),
            spend=Sum("spend_to_date"),
            forecast=Sum("forecast_cost"),
            n=Count("pk"),
        )
        .order_by("-budget")[:limit]
    )
    return list(rows)


def stale_projects(projects, today: dt.date | None = None):
    """Active projects with no status report within the reporting cycle."""
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=STALE_AFTER_DAYS)
    return projects.filter(stage=Stage.ACTIVE).filter(
        Q(last_status_date__isnull=True) | Q(last_status_date__lt=limit)
    )


def data_quality_problems(projects) -> dict:
    """Open projects missing what the PMO needs to steer them, counted per problem."""
    open_projects = projects.open()
    return open_projects.aggregate(
        no_manager=Count("pk", filter=Q(manager__isnull=True)),
        no_dates=Count("pk", filter=Q(planned_start__isnull=True) | Q(planned_finish__isnull=True)),
        no_budget=Count("pk", filter=Q(budget=0) & ~Q(stage=Stage.IDEA)),
        no_type=Count("pk", filter=Q(project_type__isnull=True)),
    )


# --- Dashboards -------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPeriod:
    """The span the dashboards filter dated things by (milestones due, benefits …)."""

    key: str
    label: str
    start: dt.date
    end: dt.date

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


def period_choices() -> list[tuple[str, str]]:
    return [
        ("month", _("This month")),
        ("quarter", _("This quarter")),
        ("year", _("This year")),
        ("previous_quarter", _("Previous quarter")),
    ]


DEFAULT_PERIOD = "quarter"


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def dashboard_period(key: str | None, today: dt.date | None = None) -> DashboardPeriod:
    """The period named ``key`` around ``today``; an unknown key gives this quarter."""
    today = today or timezone.localdate()
    labels = dict(period_choices())
    if key not in labels:
        key = DEFAULT_PERIOD
    if key == "month":
        start = today.replace(day=1)
        end = _month_end(today)
    elif key == "year":
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    else:
        start = _quarter_start(today)
        if key == "previous_quarter":
            start = _quarter_start(start - dt.timedelta(days=1))
        end = _month_end(dt.date(start.year, start.month + 2, 1))
    return DashboardPeriod(key=key, label=str(labels[key]), start=start, end=end)


def money_by_child_unit(projects, unit, units) -> list[dict]:
    """Budget, spend and forecast of active projects rolled up to the units one level
    below ``unit`` (or to the top units of the company when ``unit`` is None); ``units``
    is the candidate list of OrgUnit rows. Two queries whatever the number of projects."""
    if unit is None:
        depth = min((u.depth for u in units), default=0)
        groups = [u for u in units if u.depth == depth]
        if len(groups) == 1:
            groups = [u for u in units if u.parent_id == groups[0].pk] or groups
    else:
        groups = [u for u in units if u.parent_id == unit.pk] or [unit]
    rows = (
        projects.filter(stage=Stage.ACTIVE)
        .values("org_unit__path")
        .annotate(
            budget=Sum("budget"),
            spend=Sum("spend_to_date"),
            forecast=Sum("forecast_cost"),
            n=Count("pk"),
        )
        .order_by()
    )
    totals = {
        g.pk: {"unit": g, "budget": Decimal(0), "spend": Decimal(0), "forecast": Decimal(0), "n": 0}
        for g in groups
    }
    for row in rows:
        for g in groups:
            if (row["org_unit__path"] or "").startswith(g.path):
                total = totals[g.pk]
                for key in ("budget", "spend", "forecast"):
                    total[key] += row[key] or Decimal(0)
                total["n"] += row["n"]
                break
    return sorted((t for t in totals.values() if t["n"]), key=lambda t: -t["budget"])
