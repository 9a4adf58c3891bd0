"""Dashboard tiles of evaluation."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from evaluation.models import Cycle, Evaluation, ImprovementAction, PanelAssignment
from pmo.core import roles


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
    return render_to_string(
        "evaluation/widgets/my.html", {"own": own, "scoring": scoring}, request=request
    )
