"""The evaluation home page and the project tab."""

from __future__ import annotations

from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone

from evaluation import analysis
from evaluation.models import Cycle, Evaluation, ImprovementAction, Scheme
from pmo.core import roles
from pmo.core.permissions import require_perm


@require_perm("evaluation.view_schemes")
def home(request):
    """Where the evaluation stands: the current cycles, the schemes and the open
    improvement actions, with links to results, weaknesses and maturity."""
    cycles = list(Cycle.objects.visible_to(request.user).with_version()[:12])
    pid = roles.person_id_of(request.user)
    context = {
        "cycles": cycles,
        "schemes": Scheme.objects.order_by("code"),
        "actions_open": ImprovementAction.objects.open().count(),
        "actions_overdue": ImprovementAction.objects.open()
        .filter(target_date__lt=timezone.localdate())
        .count(),
        "own": Evaluation.objects.filter(manager_id=pid).exclude(cycle__status="draft").count()
        if pid
        else 0,
        "assigned": request.user.evaluation_assignments.filter(submitted_at__isnull=True).count(),
        "sees_results": request.user.has_perm("evaluation.view_results"),
        "can_manage": request.user.has_perm("evaluation.manage"),
        "finished": len(analysis.finished_cycles()),
    }
    return TemplateResponse(request, "evaluation/home.html", context)


def project_tab(request, project):
    """The project's evaluations the user may see, with grade and status."""
    evaluations = (
        Evaluation.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("cycle", "cycle__version__scheme", "manager")
        .order_by("-cycle__period_end")
    )
    sees_all = roles.sees_all_projects(request.user)
    return render(
        request,
        "evaluation/project_tab.html",
        {"project": project, "evaluations": evaluations, "sees_all": sees_all},
    )
