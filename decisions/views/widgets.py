"""Dashboard widgets of decision support (registered in ``decisions.wiring``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from decisions.models import Review, Study
from pmo.core import roles

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
