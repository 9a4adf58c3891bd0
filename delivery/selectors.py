"""Reads that combine delivery records for pages and dashboards, each in a fixed number
of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from delivery import measures, periods
from delivery.models import (
    Gate,
    GateCondition,
    Intervention,
    Issue,
    Level,
    ResponseTarget,
    StatusReport,
)
from delivery.services.issues import DEFAULT_TARGET_HOURS
from delivery.services.status import default_policy, overdue_period


@dataclass(frozen=True)
class GridCell:
    period: periods.ReportingPeriod
    report: StatusReport | None
    state: str  # green / amber / red, "missing" (due, no report), "pending" (not due yet)


def status_grid(projects: list, count: int, today: dt.date | None = None) -> tuple[list, list]:
    """Periods (oldest first) and, per project, a cell per period: the submitted report's
    overall rating, grey "missing" when the report was due and never came, "pending"
    while it is not due yet. One query for all the projects' reports."""
    today = today or timezone.localdate()
    policy = default_policy()
    cols = periods.recent_periods(policy.frequency, policy.due_weekday, today, count)
    reports = StatusReport.objects.filter(
        project__in=[p.pk for p in projects],
        period_start__in=[c.start for c in cols],
        status=StatusReport.Status.SUBMITTED,
    ).only(
        "pk",
        "project_id",
        "period_start",
        "overall",
        "override_overall",
        "spi",
        "cpi",
        "percent_complete",
    )
    found = {(r.project_id, r.period_start): r for r in reports}
    rows = []
    for project in projects:
        cells = []
        for col in cols:
            report = found.get((project.pk, col.start))
            if report is not None:
                state = report.effective_overall
            elif project.actual_start and col.end < project.actual_start:
                state = "none"
            elif col.due >= today:
                state = "pending"
            else:
                state = "missing"
            cells.append(GridCell(col, report, state))
        rows.append((project, cells))
    return cols, rows


def response_kpis(issues) -> dict:
    """How fast issues get a first action, and the PMO once they reach it (hours)."""
    rows = list(
        issues.values_list("raised_at", "first_response_at", "pmo_escalated_at", "pmo_response_at")
    )
    return {
        "first_response": measures.median_hours((r[0], r[1]) for r in rows),
        "pmo_response": measures.median_hours((r[2], r[3]) for r in rows if r[2]),
        "escalated": sum(1 for r in rows if r[2]),
        "count": len(rows),
    }


def with_deadline(issues):
    """Annotate ``target_hours`` (the configured or default response target of the
    severity) and ``deadline`` (when the current level must have acted), in SQL."""
    defaults = Case(
        *[When(severity=sev, then=Value(hours)) for sev, hours in DEFAULT_TARGET_HOURS.items()],
        default=Value(120),
    )
    configured = ResponseTarget.objects.filter(severity=OuterRef("severity")).values(
        "response_hours"
    )[:1]
    return issues.annotate(
        target_hours=Coalesce(Subquery(configured), defaults, output_field=IntegerField())
    ).annotate(
        deadline=ExpressionWrapper(
            F("level_since")
            + ExpressionWrapper(
                Value(dt.timedelta(hours=1)) * F("target_hours"), output_field=DurationField()
            ),
            output_field=DateTimeField(),
        )
    )


def escalations_past_target(issues, now: dt.datetime | None = None) -> list[Issue]:
    """Open issues above the PM's level whose current level has not acted in time
    (one query)."""
    now = now or timezone.now()
    late = with_deadline(
        issues.open().filter(level__gte=Level.PMO, level_response_at__isnull=True)
    ).filter(deadline__lt=now)
    return list(late.with_people().order_by("deadline"))


def control_summary(projects, today: dt.date | None = None) -> dict:
    """Counts the PMO steers by: open escalations, open follow-ups, gates waiting, overdue
    conditions, effective interventions."""
    today = today or timezone.localdate()
    issues = Issue.objects.filter(project__in=projects)
    interventions = Intervention.objects.filter(project__in=projects).aggregate(
        open=Count("pk", filter=Q(status="open")),
        overdue=Count("pk", filter=Q(status="open", follow_up_date__lt=today)),
        closed=Count("pk", filter=Q(status="closed")),
        effective=Count("pk", filter=Q(status="closed", effective=True)),
    )
    return {
        "open_issues": issues.open().count(),
        "escalated_open": issues.open().filter(level__gte=Level.PMO).count(),
        "interventions": interventions,
        "effective_rate": measures.share(interventions["effective"], interventions["closed"]),
        "gates_waiting": Gate.objects.filter(project__in=projects, status="in_review").count(),
        "conditions_overdue": GateCondition.objects.filter(
            gate__project__in=projects, status="open", due_date__lt=today
        ).count(),
        "overdue_period": overdue_period(default_policy(), today),
    }
