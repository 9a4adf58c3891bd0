"""Chainable reads of the evaluation area, each declaring its own joins."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from pmo.core import roles


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


class SchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The evaluation system is open to everyone who logs in (公开透明)."""
        return self if _authenticated(user) else self.none()


class SchemeVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published versions for everyone; drafts for the PMO."""
        if not _authenticated(user):
            return self.none()
        if roles.is_pmo(user):
            return self
        return self.filter(status="published")

    def published(self):
        return self.filter(status="published")

    def with_scheme(self):
        return self.select_related("scheme", "scope_unit", "scope_project_type")


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cycles once opened for everyone; cycles being prepared for the PMO."""
        if not _authenticated(user):
            return self.none()
        if roles.is_pmo(user):
            return self
        return self.exclude(status="draft")

    def with_version(self):
        return self.select_related("version", "version__scheme", "chair")


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """PMO and executives see every evaluation; a project manager their own; an
        expert those assigned to them; the chair those of their cycle; anyone who sees
        a project its published results."""
        if not _authenticated(user):
            return self.none()
        if roles.sees_all_projects(user):
            return self
        from evaluation.models import PanelAssignment
        from pmo.core.models import Project

        pid = roles.person_id_of(user)
        assigned = PanelAssignment.objects.filter(evaluation=OuterRef("pk"), reviewer=user)
        visible_projects = Project.objects.visible_to(user).values("pk")
        condition = (
            Q(Exists(assigned))
            | Q(cycle__chair=user)
            | Q(status="published", project__in=visible_projects)
        )
        if pid is not None:
            condition |= Q(manager_id=pid) | Q(project__manager_id=pid)
        return self.filter(condition).exclude(cycle__status="draft")

    def with_project(self):
        return self.select_related(
            "cycle", "project", "project__org_unit", "manager", "org_unit", "cycle__version"
        )


class ImprovementActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Improvement actions are followed openly by everyone who logs in."""
        return self if _authenticated(user) else self.none()

    def with_links(self):
        return self.select_related(
            "owner", "org_unit", "cycle", "dimension", "criterion", "change_request"
        )

    def open(self):
        return self.filter(status__in=("planned", "in_progress"))
