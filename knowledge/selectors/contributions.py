"""Who contributed to the library, for talent's appraisals and culture's recognition."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, F

from knowledge.models import Article, Case, Lesson, Usage

KINDS = ("lessons_published", "lessons_applied_by_others", "cases_published", "articles_published")


def contribution_counts(*, start: date, end: date) -> dict[int, dict[str, int]]:
    """Contributions per person id in ``[start, end]`` (inclusive dates).

    ``lessons_published``: their lessons published in the period;
    ``lessons_applied_by_others``: applications in the period, by someone else, of
    lessons they wrote; ``cases_published`` and ``articles_published`` (articles count
    for their owner). Every person in the result has all four keys.
    """
    period = {"__date__gte": start, "__date__lte": end}

    def _in(field: str) -> dict:
        return {f"{field}{k}": v for k, v in period.items()}

    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    rows = (
        Lesson.objects.filter(status="published", created_by__person__isnull=False)
        .filter(**_in("published_at"))
        .values(pid=F("created_by__person"))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        result[row["pid"]]["lessons_published"] = row["n"]
    rows = (
        Usage.objects.filter(kind="applied", lesson__created_by__person__isnull=False)
        .filter(**_in("created_at"))
        .exclude(user=F("lesson__created_by"))
        .values(pid=F("lesson__created_by__person"))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        result[row["pid"]]["lessons_applied_by_others"] = row["n"]
    rows = (
        Case.objects.filter(status="published", created_by__person__isnull=False)
        .filter(**_in("published_at"))
        .values(pid=F("created_by__person"))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        result[row["pid"]]["cases_published"] = row["n"]
    rows = (
        Article.objects.filter(status="published", owner__isnull=False)
        .filter(**_in("published_at"))
        .values(pid=F("owner"))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        result[row["pid"]]["articles_published"] = row["n"]
    return {pid: dict(counts) for pid, counts in result.items()}
