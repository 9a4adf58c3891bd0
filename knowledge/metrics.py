"""Project metrics of the knowledge area, registered in the core's metric registry."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from knowledge.models import Lesson, Usage


def lessons_contributed(project_ids: list[int], start: dt.date, end: dt.date):
    """Lessons a project captured in the period that were not returned (submitted,
    reviewed or published)."""
    rows = dict(
        Lesson.objects.filter(
            project_id__in=project_ids,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .exclude(status=Lesson.Status.RETURNED)
        .values_list("project_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {pk: float(rows.get(pk, 0)) for pk in project_ids}


def lessons_applied(project_ids: list[int], start: dt.date, end: dt.date):
    """Lessons and cases of other projects applied in the project in the period."""
    rows = dict(
        Usage.objects.filter(
            kind="applied",
            project_id__in=project_ids,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .values_list("project_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {pk: float(rows.get(pk, 0)) for pk in project_ids}
