"""Chainable reads of the standards, each declaring its own joins."""

from __future__ import annotations

from django.db import models

from pmo.core import roles

PUBLIC_VERSION_STATUSES = ("published", "retired")


class MethodologyVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone reads published and retired versions; drafts and versions in
        review are the PMO's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.is_pmo(user):
            return self
        return self.filter(status__in=PUBLIC_VERSION_STATUSES)

    def published(self):
        return self.filter(status="published")

    def with_methodology(self):
        return self.select_related("methodology", "methodology__project_type")


class ProcessQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.is_pmo(user):
            return self
        return self.filter(version__status__in=PUBLIC_VERSION_STATUSES)

    def with_parts(self):
        return self.select_related("version", "version__methodology", "phase", "owner_role")


class DeliverableQuerySet(models.QuerySet):
    def with_parts(self):
        return self.select_related(
            "gate", "gate__phase", "process", "process__phase", "template", "template__current"
        )


class TemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def with_current(self):
        return self.select_related("current", "current__uploaded_by")


class DeliverableRecordQuerySet(models.QuerySet):
    def present(self):
        return self.filter(status="present")


class TailoringRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        from pmo.core.models import Project

        if roles.sees_all_projects(user):
            return self
        return self.filter(project__in=Project.objects.visible_to(user))

    def pending(self):
        return self.filter(status="pending")

    def approved(self):
        return self.filter(status="approved")

    def with_project(self):
        return self.select_related(
            "project",
            "project__org_unit",
            "project__manager",
            "version",
            "version__methodology",
            "requested_by__person",
            "decided_by__person",
        )


class ChangeRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=("submitted", "accepted", "deferred"))

    def with_people(self):
        return self.select_related(
            "methodology",
            "raised_by__person",
            "triaged_by__person",
            "implemented_in",
        )


class SuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=("new", "considering", "planned"))

    def with_people(self):
        return self.select_related("submitted_by__person", "responded_by__person")


class ToolEvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """PMO staff and executives see every evaluation; others the ones they score."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.sees_all_projects(user):
            return self
        return self.filter(evaluators=user)


def _count_of(model, **filters):
    """A subquery counting ``model`` rows of the outer version."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    rows = (
        model.objects.filter(version=OuterRef("pk"), **filters)
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_content_counts(versions):
    """Annotate ``n_phases``, ``n_gates``, ``n_processes``, ``n_deliverables`` and
    ``n_optional`` on a queryset of versions (one subquery each)."""
    from standards.models import LifecycleGate, LifecyclePhase, Process, RequiredDeliverable

    return versions.annotate(
        n_phases=_count_of(LifecyclePhase),
        n_gates=_count_of(LifecycleGate),
        n_processes=_count_of(Process),
        n_deliverables=_count_of(RequiredDeliverable),
        n_optional=_count_of(RequiredDeliverable, is_optional=True),
    )
