"""Tiles of the portfolio monitoring on the core dashboards (registered in
``portfolio.wiring``): each is ``render(request, filters) -> str``.

The executive dashboard passes ``{"unit": OrgUnit | None}``; the PMO cockpit passes
``{}``. Each tile reads a few rows in a fixed number of queries.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from pmo.core.models import Project
from portfolio.models import Recommendation
from portfolio.selectors import monitoring as selectors

LIMIT = 8


def _scope(request, filters: dict):
    projects = selectors.strategic_projects(Project.objects.visible_to(request.user))
    return selectors.in_unit(projects, filters.get("unit"))


def strategic_objectives(request, filters: dict) -> str:
    """Progress of the key and heaviest strategic objectives running today."""
    today = timezone.localdate()
    period = selectors.Period("today", today, today)
    rows = selectors.objective_rows(_scope(request, filters), period)
    if filters.get("unit") is not None:
        rows = [row for row in rows if row.project_count]
    return render_to_string(
        "portfolio/widget_objectives.html",
        {"rows": rows[:LIMIT], "more": max(len(rows) - LIMIT, 0), "unit": filters.get("unit")},
        request=request,
    )


def strategic_attention(request, filters: dict) -> str:
    """Strategic projects carrying open attention flags, most flags first."""
    today = timezone.localdate()
    projects = selectors.attention_projects(_scope(request, filters), today, limit=LIMIT)
    return render_to_string(
        "portfolio/widget_attention.html",
        {"projects": projects, "unit": filters.get("unit")},
        request=request,
    )


def open_flags(request, filters: dict) -> str:
    """Open attention flags per rule and the most serious ones, for the PMO."""
    scope = _scope(request, filters)
    counts = [c for c in selectors.flag_counts(scope) if c[2]]
    return render_to_string(
        "portfolio/widget_flags.html",
        {
            "counts": counts,
            "count": sum(c[2] for c in counts),
            "flags": selectors.top_flags(scope, limit=LIMIT),
        },
        request=request,
    )


def awaiting_decision(request, filters: dict) -> str:
    """Recommendations waiting for a decision, the longest waiting first (2 queries)."""
    recs = selectors.recommendations(Project.objects.visible_to(request.user))
    counts = selectors.recommendation_counts(recs)
    waiting = recs.filter(status=Recommendation.Status.PROPOSED).order_by("proposed_at", "pk")
    return render_to_string(
        "portfolio/widget_recommendations.html",
        {
            "recommendations": list(waiting[:LIMIT]) if counts["proposed"] else [],
            "total": counts["proposed"],
            "accepted": counts["accepted"],
            "today": timezone.localdate(),
        },
        request=request,
    )
