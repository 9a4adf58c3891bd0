"""Chainable reads of the decisions model, each declaring its own joins."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from pmo.core import roles


class StudyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Studies the user may see.

        PMO and executives see all; everyone else sees the studies of the projects they
        see, of the sections they own, and of the reviews assigned to them. A reviewer
        therefore sees only the studies assigned to them.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.sees_all_projects(user):
            return self
        from pmo.core.models import Project

        pid = roles.person_id_of(user)
        if pid is None:
            return self.none()
        from decisions.models import Review, StudySection

        visible_projects = Project.objects.visible_to(user).values("pk")
        owns_section = StudySection.objects.filter(study=OuterRef("pk"), owner_id=pid)
        reviews = Review.objects.filter(study=OuterRef("pk"), reviewer_id=pid)
        return self.filter(
            Q(project__in=visible_projects) | Q(Exists(owns_section)) | Q(Exists(reviews))
        )

    def current(self):
        """The latest version of each project's study."""
        from decisions.models import Study

        newer = Study.objects.filter(project=OuterRef("project"), version__gt=OuterRef("version"))
        return self.exclude(Exists(newer))

    def with_project(self):
        return self.select_related(
            "project",
            "project__org_unit",
            "project__manager",
            "project__sponsor",
            "project__project_type",
        )

    def with_proposal(self):
        """Prefetch the proposal alternative as ``proposal_list`` (a list of 0 or 1)."""
        from decisions.models import Alternative

        return self.prefetch_related(
            Prefetch(
                "alternatives",
                queryset=Alternative.objects.filter(kind=Alternative.Kind.PROPOSAL),
                to_attr="proposal_list",
            )
        )

    def with_review_counts(self):
        return self.annotate(
            review_count=Count("reviews", distinct=True),
            submitted_review_count=Count(
                "reviews", filter=Q(reviews__status="submitted"), distinct=True
            ),
        )

    def awaiting_review(self):
        return self.filter(status__in=["submitted", "in_review"])


class AlternativeQuerySet(models.QuerySet):
    def with_details(self):
        return self.prefetch_related("cash_flows", "scores", "risks", "risks__owner")


class ReviewQuerySet(models.QuerySet):
    def for_person(self, person_id):
        return self.filter(reviewer_id=person_id) if person_id else self.none()

    def with_study(self):
        return self.select_related(
            "study", "study__project", "study__project__org_unit", "reviewer", "reviewer__user"
        )

    def open(self):
        return self.filter(status="assigned")
