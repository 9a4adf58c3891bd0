"""PM matching for a project, and the talent gap analysis per quarter."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import charts
from pmo.core.models import Project
from pmo.core.permissions import require_perm
from talent.forms import MatchForm
from talent.selectors.planning import gap_analysis, suggestions
from talent.text import describe_part

PROJECTS_PAGE = 50


@require_perm("talent.match_pm")
def matching(request):
    """Pool PMs ranked by fit for a project, every part of the score explained."""
    form = MatchForm(request.GET or None)
    context = {"form": form}
    if form.is_valid() and form.cleaned_data["project"]:
        project = form.cleaned_data["project"]
        project = Project.objects.with_people().get(pk=project.pk)
        level, found = suggestions(project, timezone.localdate())
        context.update(
            {
                "project": project,
                "level": level,
                "suggestions": [
                    {
                        "s": s,
                        "parts": [
                            {"part": p, "why": describe_part(p, s.facts)} for p in s.match.parts
                        ],
                    }
                    for s in found
                ],
            }
        )
    return TemplateResponse(request, "talent/matching.html", context)


@require_perm("talent.view_gap")
def gap(request):
    """Demand for PMs from planned projects vs supply by level, per quarter."""
    data = gap_analysis(timezone.localdate())
    totals = data.totals()
    labels = [f"{y} Q{q}" for y, q in data.quarters]
    context = {
        "data": data,
        "page": Paginator(data.projects, PROJECTS_PAGE).get_page(request.GET.get("page")),
        "labels": labels,
        "table": data.table(),
        "totals": totals,
        "chart": charts.bar(
            labels,
            {
                _("Demand (FTE)"): [t["demand"] for t in totals],
                _("Available supply (FTE)"): [t["supply"] for t in totals],
                _("Shortage (FTE)"): [t["shortage"] for t in totals],
            },
            value_name=_("FTE"),
        ),
    }
    return TemplateResponse(request, "talent/gap.html", context)


urlpatterns = [
    path("matching/", matching, name="matching"),
    path("gap/", gap, name="gap"),
]
