"""Reuse where the work happens: the project tab of similar lessons and cases, the
reuse statistics (did reuse help?) and the portfolio roll-up of lessons."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.forms import ApplyForm
from knowledge.models import Case, KnowledgeArea, Lesson, Polarity, Usage
from knowledge.selectors import reuse
from knowledge.views.common import int_param
from pmo.core.charts import bar
from pmo.core.permissions import get_project_for_user, require_perm

PERIODS = (3, 6, 12, 24, 36)


def project_tab(request, project):
    """Lessons and cases from similar projects, and what this project applied."""
    project = get_project_for_user(request, project.pk)
    suggestions = reuse.similar_items(user=request.user, project=project, limit=8)
    applied = (
        Usage.objects.filter(kind="applied", project=project)
        .select_related("lesson", "case", "person")
        .order_by("-created_at")
    )
    context = {
        "project": project,
        "suggestions": [
            (score, item, "lesson" if isinstance(item, Lesson) else "case")
            for score, item in suggestions
        ],
        "applied": applied,
        "applied_lessons": {u.lesson_id for u in applied if u.lesson_id},
        "applied_cases": {u.case_id for u in applied if u.case_id},
        "own": Lesson.objects.visible_to(request.user)
        .filter(project=project)
        .order_by("-created_at"),
        "apply_form": ApplyForm(user=request.user, initial={"project": project.pk}),
        "may_add": request.user.has_perm("knowledge.add_lesson"),
    }
    return render(request, "knowledge/project_tab.html", context)


def _period(request) -> tuple[dt.date, dt.date, int]:
    today = timezone.localdate()
    months = int_param(request.GET.get("months")) or 12
    months = months if months in PERIODS else 12
    return today - dt.timedelta(days=round(months * 30.44)), today, months


@require_perm("knowledge.view_reuse")
def reuse_stats(request):
    """经验复用是否显著提高项目管理效率? Projects that applied lessons against the others."""
    start, end, months = _period(request)
    by_month = reuse.applications_by_month(start=start, end=end)
    labels = sorted(by_month)
    outcome_counts = reuse.outcomes()
    context = {
        "start": start,
        "end": end,
        "months": months,
        "period_choices": PERIODS,
        "effect": reuse.effectiveness(start=start, end=end),
        "units": reuse.reuse_by_unit(start=start, end=end),
        "top": reuse.top_items(limit=10),
        "top_cases": Case.objects.published()
        .filter(reuse_count__gt=0)
        .order_by("-reuse_count", "-helpful_count")[:5],
        "outcomes": [(label, outcome_counts.get(code, 0)) for code, label in Usage.Result.choices],
        "chart": bar(labels, {str(_("Applications")): [by_month[m] for m in labels]}),
        "totals": dict(
            Usage.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    }
    return TemplateResponse(request, "knowledge/reuse.html", context)


@require_perm("knowledge.view_library")
def rollup(request):
    """Themes that recur across projects: published lessons by knowledge area and kind
    per year, and the lessons the most projects applied."""
    rows = (
        Lesson.objects.visible_to(request.user)
        .published()
        .annotate(y=ExtractYear("published_at"))
        .values_list("y", "knowledge_area", "polarity")
        .annotate(n=Count("pk"), projects=Count("project", distinct=True))
        .order_by()
    )
    years = sorted({y for y, _a, _p, _n, _pr in rows if y})
    by_area: Counter = Counter()
    projects_by_area: Counter = Counter()
    series = {str(label): [0] * len(years) for _c, label in Polarity.choices}
    polarity_label = dict(Polarity.choices)
    grid: dict[str, dict[int, int]] = {}
    for y, area, polarity, n, projects in rows:
        by_area[area] += n
        projects_by_area[area] += projects
        if y in years:
            series[str(polarity_label[polarity])][years.index(y)] += n
            grid.setdefault(area, {}).setdefault(y, 0)
            grid[area][y] += n
    area_label = dict(KnowledgeArea.choices)
    themes = [
        {
            "area": area,
            "label": area_label.get(area, area),
            "total": total,
            "projects": projects_by_area[area],
            "years": [grid.get(area, {}).get(y, 0) for y in years],
        }
        for area, total in by_area.most_common()
    ]
    context = {
        "years": years,
        "themes": themes,
        "chart": bar([str(y) for y in years], series),
        "top": reuse.top_items(limit=10),
    }
    return TemplateResponse(request, "knowledge/rollup.html", context)


urlpatterns = [
    path("reuse/", reuse_stats, name="reuse"),
    path("lessons/roll-up/", rollup, name="rollup"),
]
