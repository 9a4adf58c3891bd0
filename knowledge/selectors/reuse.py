"""Reuse: suggestions for a project, statistics per item and org unit, and whether
projects that applied lessons and cases did better (through the registry's metrics)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from knowledge import analysis
from knowledge.models import Case, Lesson, Usage, split_tags
from pmo.core.models import OrgUnit, Project
from pmo.core.registry import registry

CANDIDATES = 400
OWN_METRICS = frozenset({"lessons_contributed", "lessons_applied"})


def _target(project: Project) -> analysis.Target:
    text = " ".join(
        filter(
            None,
            [
                project.name,
                project.name_en,
                project.description,
                project.project_type.name if project.project_type_id else "",
            ],
        )
    )
    return analysis.Target(
        project_type_id=project.project_type_id,
        stage=project.stage,
        text=text,
        tags=frozenset(t.lower() for t in analysis.features(text)),
    )


def _tags(text: str) -> frozenset[str]:
    return frozenset(t.lower() for t in split_tags(text))


def similar_items(*, user, project: Project, limit: int = 8) -> list[tuple[float, object]]:
    """Published lessons and cases of other projects the user may read, most similar
    first (type, phase, text, tags; see ``knowledge.analysis.similarity``)."""
    target = _target(project)
    lessons = list(
        Lesson.objects.visible_to(user)
        .published()
        .exclude(project=project)
        .select_related("project")
        .order_by("-reuse_count", "-published_at")[:CANDIDATES]
    )
    cases = list(
        Case.objects.visible_to(user)
        .published()
        .exclude(project=project)
        .select_related("project")
        .order_by("-reuse_count", "-published_at")[:CANDIDATES]
    )
    candidates = [
        analysis.Candidate(
            key=("lesson", i),
            project_type_id=x.project_type_id,
            phase=x.phase,
            text=" ".join([x.title, x.title, x.description, x.recommendation, x.applicability]),
            tags=_tags(x.tags),
            reuse_count=x.reuse_count,
            helpful_count=x.helpful_count,
        )
        for i, x in enumerate(lessons)
    ] + [
        analysis.Candidate(
            key=("case", i),
            project_type_id=x.project_type_id,
            phase=x.phase,
            text=" ".join([x.title, x.title, x.background, x.lessons]),
            tags=_tags(x.tags),
            reuse_count=x.reuse_count,
            helpful_count=x.helpful_count,
        )
        for i, x in enumerate(cases)
    ]
    items = {"lesson": lessons, "case": cases}
    return [
        (score, items[kind][i]) for score, (kind, i) in analysis.rank(candidates, target, limit)
    ]


def top_items(*, limit: int = 10) -> list:
    """The lessons most projects applied (with views and helpful votes).

    Lessons some project applied come first (most projects, then helpful votes and
    views); read lessons nobody applied fill the rest. Counted from the usages, which
    are few, so the lessons table is never grouped as a whole.
    """
    applied = (
        Usage.objects.filter(kind="applied", lesson__isnull=False)
        .values("lesson_id")
        .annotate(n=Count("project", distinct=True))
        .filter(n__gt=0)
        .order_by()
    )
    projects = {row["lesson_id"]: row["n"] for row in applied}
    first = sorted(
        Lesson.objects.published().filter(pk__in=list(projects)).select_related("project"),
        key=lambda x: (-projects[x.pk], -x.helpful_count, -x.view_count, x.pk),
    )[:limit]
    for lesson in first:
        lesson.projects = projects[lesson.pk]
    rest = []
    if len(first) < limit:
        rest = list(
            Lesson.objects.published()
            .filter(view_count__gt=0)
            .exclude(pk__in=list(projects))
            .select_related("project")
            .order_by("-helpful_count", "-view_count", "pk")[: limit - len(first)]
        )
        for lesson in rest:
            lesson.projects = 0
    return first + rest


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period from the start of ``start`` to the end of ``end`` in local time, as
    moments (so an index on a timestamp serves the filter)."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def reuse_by_unit(*, start: dt.date, end: dt.date) -> list[dict]:
    """Per top-level org unit: lessons published from its projects, and applications,
    views and helpful votes by projects of the unit in the period."""
    units = {u.pk: u for u in OrgUnit.objects.filter(depth__lte=2).order_by("path")}
    paths = {u.path: u.pk for u in units.values()}

    def unit_of(path: str | None):
        if not path:
            return None
        best = None
        for p, pk in paths.items():
            if path.startswith(p) and (best is None or len(p) > len(best[0])):
                best = (p, pk)
        return best[1] if best else None

    since, until = _day_bounds(start, end)
    rows: dict[int, Counter] = defaultdict(Counter)
    published = (
        Lesson.objects.published()
        .filter(published_at__gte=since, published_at__lt=until)
        .values_list("project__org_unit__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for path, n in published:
        if (pk := unit_of(path)) is not None:
            rows[pk]["published"] += n
    applied = (
        Usage.objects.filter(kind="applied", created_at__date__gte=start, created_at__date__lte=end)
        .values_list("project__org_unit__path", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for path, result, n in applied:
        if (pk := unit_of(path)) is not None:
            rows[pk]["applied"] += n
            if result == "helped":
                rows[pk]["helped"] += n
    used = (
        Usage.objects.filter(
            kind__in=["view", "helpful"], created_at__date__gte=start, created_at__date__lte=end
        )
        .values_list("person__org_unit__path", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for path, kind, n in used:
        if (pk := unit_of(path)) is not None:
            rows[pk][kind] += n
    return [
        {
            "unit": units[pk],
            **{k: rows[pk][k] for k in ("published", "applied", "helped", "view", "helpful")},
        }
        for pk in units
        if rows.get(pk)
    ]


def applications_by_month(*, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        Usage.objects.filter(kind="applied", created_at__date__gte=start, created_at__date__lte=end)
        .annotate(m=TruncMonth("created_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by("m")
    )
    return {m.strftime("%Y-%m"): n for m, n in rows}


def outcomes() -> dict[str, int]:
    return dict(
        Usage.objects.filter(kind="applied")
        .exclude(result="")
        .values_list("result")
        .annotate(n=Count("pk"))
        .order_by()
    )


def effectiveness(*, start: dt.date, end: dt.date) -> dict:
    """Projects that applied at least one lesson or case against those that did not,
    on every project metric of the registry (the knowledge app's own metrics aside).

    The projects compared are those running in the period (started on or before its
    end, not finished before its start, past the proposal stages).
    """
    projects = list(
        Project.objects.exclude(stage__in=["idea", "proposed", "under_review", "rejected"])
        .filter(Q(actual_start__lte=end) | Q(actual_start__isnull=True, planned_start__lte=end))
        .exclude(actual_finish__lt=start)
        .values_list("pk", flat=True)
    )
    applied = set(
        Usage.objects.filter(kind="applied", project_id__in=projects)
        .values_list("project_id", flat=True)
        .distinct()
    )
    rows = []
    for metric in registry.metric_list():
        if metric.key in OWN_METRICS:
            continue
        values = metric.values(projects, start, end)
        a = [float(v) for pk, v in values.items() if v is not None and pk in applied]
        b = [float(v) for pk, v in values.items() if v is not None and pk not in applied]
        if not a and not b:
            continue
        comparison = analysis.compare(a, b)
        better = None
        if comparison.difference is not None:
            better = (comparison.difference > 0) == metric.higher_is_better
        rows.append({"metric": metric, "c": comparison, "better": better})
    return {
        "projects": len(projects),
        "applied": len(applied),
        "rows": rows,
    }
