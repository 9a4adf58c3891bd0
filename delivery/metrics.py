"""Delivery's project metrics for the registry: milestones on time, status-report
timeliness, goal attainment and issue resolution time, each over a period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, Count, F, Q

from delivery.models import Goal, Issue, Milestone, StatusReport


def _per_project(project_ids, rows) -> dict[int, float | None]:
    found = dict(rows)
    return {pk: found.get(pk) for pk in project_ids}


def _rate(done: int, due: int) -> float | None:
    return 100.0 * done / due if due else None


def on_time_milestones(project_ids: list[int], start: dt.date, end: dt.date):
    """Milestones planned in the period reached by their planned date, in per cent."""
    rows = (
        Milestone.objects.filter(project_id__in=project_ids, planned_date__range=(start, end))
        .values("project_id")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(actual_date__lte=F("planned_date"))),
        )
        .values_list("project_id", "due", "done")
    )
    return _per_project(project_ids, [(pk, _rate(done, due)) for pk, due, done in rows])


def status_timeliness(project_ids: list[int], start: dt.date, end: dt.date):
    """Status reports due in the period that were submitted on time, in per cent."""
    rows = (
        StatusReport.objects.filter(project_id__in=project_ids, due_date__range=(start, end))
        .values("project_id")
        .annotate(due=Count("pk"), done=Count("pk", filter=Q(on_time=True)))
        .values_list("project_id", "due", "done")
    )
    return _per_project(project_ids, [(pk, _rate(done, due)) for pk, due, done in rows])


def goal_attainment(project_ids: list[int], start: dt.date, end: dt.date):
    """Mean attainment (%) of the goals due by the end of the period that were measured."""
    rows = (
        Goal.objects.filter(project_id__in=project_ids, due_date__lte=end, attainment__isnull=False)
        .values("project_id")
        .annotate(mean=Avg("attainment"))
        .values_list("project_id", "mean")
    )
    return _per_project(project_ids, [(pk, float(mean)) for pk, mean in rows])


def issue_resolution_days(project_ids: list[int], start: dt.date, end: dt.date):
    """Mean days from raising to resolving the issues resolved in the period."""
    spans: dict[int, list[float]] = defaultdict(list)
    for project_id, raised, resolved in Issue.objects.filter(
        project_id__in=project_ids,
        kind=Issue.Kind.ISSUE,
        resolved_at__date__range=(start, end),
    ).values_list("project_id", "raised_at", "resolved_at"):
        spans[project_id].append(max(0.0, (resolved - raised).total_seconds() / 86400))
    return {pk: (sum(spans[pk]) / len(spans[pk]) if spans.get(pk) else None) for pk in project_ids}
