"""Aggregates of the project register, computed in SQL; charts and reports read these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

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
