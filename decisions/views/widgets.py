"""Dashboard widgets of decision support (registered in ``decisions.wiring``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from decisions.models import Review, Study
from decisions.selectors import benefits_by_year, planned_benefits, realised_benefits
from pmo.core import charts, formatting, roles
from pmo.core.models import Project

LIMIT = 8


def pmo_studies(request, filters: dict) -> str:
    """PMO cockpit: studies waiting for reviewers, reviews or a decision."""
    studies = (
        Study.objects.current()
        .awaiting_review()
        .with_project()
        .with_review_counts()
        .order_by("submitted_at", "pk")
    )
    return render_to_string(
        "decisions/widgets/pmo_studies.html",
        {"studies": studies[:LIMIT], "count": studies.count()},
        request=request,
    )


def pending_decisions(request, filters: dict) -> str:
    """Executive dashboard: studies in review, with the PMO's recommendation if made."""
    studies = (
        Study.objects.current()
        .filter(status=Study.Status.IN_REVIEW)
        .with_project()
        .with_proposal()
        .order_by("-recommended_at", "submitted_at", "pk")
    )
    unit = filters.get("unit")
    if unit is not None:
        studies = studies.filter(project__org_unit__path__startswith=unit.path)
    return render_to_string(
        "decisions/widgets/pending_decisions.html",
        {"studies": studies[:LIMIT], "count": studies.count()},
        request=request,
    )


def my_reviews(request, filters: dict) -> str:
    """My work: the reviews assigned to the user that are not submitted yet."""
    reviews = (
        Review.objects.for_person(roles.person_id_of(request.user))
        .open()
        .with_study()
        .order_by("due_date", "assigned_at")
    )
    return render_to_string(
        "decisions/widgets/my_reviews.html",
        {"reviews": reviews[:LIMIT], "count": reviews.count()},
        request=request,
    )


YEARS = 5


def benefits_realised(request, filters: dict) -> str:
    """Executive dashboard: benefit planned by the approved business cases against the
    benefit recorded as realised, per year up to the period's year, and the projects
    furthest behind their plan (four queries)."""
    projects = Project.objects.visible_to(request.user)
    unit = filters.get("unit")
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    last = filters["period"].end.year
    years = list(range(last - YEARS + 1, last + 1))
    planned = planned_benefits(projects)
    realised = realised_benefits(projects)
    rows = benefits_by_year(planned, realised, years)
    divisor, money_unit = formatting.chart_unit(request.LANGUAGE_CODE or "")
    chart = charts.bar(
        [str(r["year"]) for r in rows],
        {
            _("Planned"): [round(float(r["planned"] / divisor), 1) for r in rows],
            _("Realised"): [round(float(r["realised"] / divisor), 1) for r in rows],
        },
        value_name=money_unit,
    )
    # Behind plan: projects whose recorded years together realised under 70 % of plan.
    per_project: dict[int, list] = {}
    for (pid, year), amount in realised.items():
        if year in years:
            entry = per_project.setdefault(pid, [0, 0])
            entry[0] += planned.get((pid, year), 0)
            entry[1] += amount
    behind = sorted(
        ((pid, p, r) for pid, (p, r) in per_project.items() if p and r < p * 7 / 10),
        key=lambda item: item[2] / item[1],
    )[:LIMIT]
    names = Project.objects.in_bulk([pid for pid, _p, _r in behind])
    tab = "?tab=business_case"
    context = {
        "chart": chart,
        "rows": rows,
        "behind": [
            {
                "project": names[pid],
                "planned": p,
                "realised": r,
                "rate": float(r / p * 100),
                "url": reverse("core:project_detail", args=[pid]) + tab,
            }
            for pid, p, r in behind
            if pid in names
        ],
    }
    return render_to_string("decisions/widgets/benefits.html", context, request=request)
