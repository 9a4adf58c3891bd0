"""Dashboard tiles of evaluation."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Cycle, Evaluation, GradeBand, ImprovementAction, PanelAssignment
from pmo.core import charts, roles
from pmo.core.models import Project


def pmo_status(request, filters: dict) -> str:
    cycles = list(
        Cycle.objects.filter(status=Cycle.Status.OPEN)
        .annotate(
            total=Count("evaluations"),
            waiting_self=Count(
                "evaluations", filter=Q(evaluations__status=Evaluation.Status.SELF_ASSESSMENT)
            ),
            in_review=Count("evaluations", filter=Q(evaluations__status=Evaluation.Status.REVIEW)),
        )
        .order_by("review_due")[:5]
    )
    context = {
        "cycles": cycles,
        "waiting": sum(c.waiting_self + c.in_review for c in cycles),
        "today": timezone.localdate(),
        "overdue": ImprovementAction.objects.open()
        .filter(target_date__lt=timezone.localdate())
        .count(),
        "open_actions": ImprovementAction.objects.open().count(),
    }
    return render_to_string("evaluation/widgets/pmo.html", context, request=request)


def my_tasks(request, filters: dict) -> str:
    pid = roles.person_id_of(request.user)
    own = (
        Evaluation.objects.filter(
            manager_id=pid,
            status=Evaluation.Status.SELF_ASSESSMENT,
            cycle__status=Cycle.Status.OPEN,
        ).select_related("project", "cycle")[:10]
        if pid
        else []
    )
    scoring = PanelAssignment.objects.filter(
        reviewer=request.user,
        submitted_at__isnull=True,
        evaluation__status=Evaluation.Status.REVIEW,
    ).select_related("evaluation__project", "evaluation__cycle")[:10]
    actions = (
        ImprovementAction.objects.open().filter(owner_id=pid).order_by("target_date")[:10]
        if pid
        else []
    )
    context = {
        "own": own,
        "scoring": scoring,
        "actions": actions,
        "today": timezone.localdate(),
    }
    return render_to_string("evaluation/widgets/my.html", context, request=request)


def grades(request, filters: dict) -> str:
    """Executive dashboard: the distribution of each project's latest published grade,
    and the projects graded in the lowest band (three queries)."""
    projects = Project.objects.visible_to(request.user)
    unit = filters.get("unit")
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    latest: dict[int, Evaluation] = {}
    rows = (
        Evaluation.objects.filter(status=Evaluation.Status.PUBLISHED, project__in=projects)
        .exclude(grade="")
        .select_related("project", "cycle")
        .order_by("project_id", "-cycle__period_end", "-pk")
    )
    for evaluation in rows:
        latest.setdefault(evaluation.project_id, evaluation)
    # Grades in the order of their bands, best first, whatever scheme version set them.
    order: dict[str, Decimal] = {}
    for code, low in GradeBand.objects.values_list("code", "min_score"):
        order[code] = max(order.get(code, low), low)
    counts: dict[str, int] = {}
    for evaluation in latest.values():
        counts[evaluation.grade] = counts.get(evaluation.grade, 0) + 1
    codes = sorted(counts, key=lambda c: (-order.get(c, Decimal(-1)), c))
    colours = _grade_colours(len(codes))
    chart = charts.distribution(codes, [counts[c] for c in codes], keys=codes, colours=colours)
    worst = codes[-1] if len(codes) > 1 else None
    low = sorted(
        (e for e in latest.values() if worst and e.grade == worst), key=lambda e: e.score or 0
    )
    context = {
        "chart": chart,
        "total": len(latest),
        "low": low[:8],
        "worst": worst,
        "cycles_url": reverse("evaluation:cycle_list"),
    }
    return render_to_string("evaluation/widgets/grades.html", context, request=request)


def _grade_colours(n: int) -> list[str]:
    """Green for the best grade to red for the worst."""
    palette = ["#198754", "#20c997", "#0dcaf0", "#ffc107", "#fd7e14", "#dc3545"]
    if n <= 1:
        return palette[:n]
    return [palette[round(i * (len(palette) - 1) / (n - 1))] for i in range(n)]
