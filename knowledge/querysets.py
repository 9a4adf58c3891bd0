"""Chainable reads of the knowledge area, each declaring its own joins."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from pmo.core import roles

OPEN_LEVELS = ("public", "internal")


def _visible_projects(user):
    from pmo.core.models import Project

    return Project.objects.visible_to(user).values("pk")


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lessons the user may read.

        The PMO reads all of them. Others read the published lessons that are not
        confidential (that is what the library is for), their own, and every lesson
        of a project they may see.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.is_pmo(user):
            return self
        return self.filter(
            Q(status="published", confidentiality__in=OPEN_LEVELS)
            | Q(created_by=user)
            | Q(project__in=_visible_projects(user))
        )

    def of_project(self, project):
        return self.filter(project=project)

    def published(self):
        return self.filter(status="published")

    def approved(self):
        """Lessons accepted into the library (the name delivery knew them by)."""
        return self.published()

    def with_people(self):
        return self.select_related("project", "project_type", "created_by", "created_by__person")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.is_pmo(user):
            return self
        return self.filter(
            Q(status="published", confidentiality__in=OPEN_LEVELS)
            | Q(created_by=user)
            | Q(project__in=_visible_projects(user))
        )

    def published(self):
        return self.filter(status="published")

    def with_refs(self):
        return self.select_related("project", "project_type", "category", "created_by__person")


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.is_pmo(user):
            return self
        pid = roles.person_id_of(user)
        return self.filter(
            Q(status="published", confidentiality__in=OPEN_LEVELS)
            | Q(created_by=user)
            | Q(owner_id=pid if pid else -1)
        )

    def published(self):
        return self.filter(status="published")

    def with_refs(self):
        return self.select_related("category", "owner", "created_by__person")


class UsageQuerySet(models.QuerySet):
    def applications(self):
        return self.filter(kind="applied")


class ArchiveRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Catalogue entries the user may see.

        Archivists (and the PMO) see all. Others see filed public and internal records,
        filed records of the projects they may see up to 秘密, and what they submitted.
        Confidential (机密) records are listed to others only through a loan.
        """
        from knowledge.roles import is_archivist

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_archivist(user):
            return self
        return self.filter(
            Q(status="accepted", security_level__in=OPEN_LEVELS)
            | Q(status="accepted", security_level="secret", project__in=_visible_projects(user))
            | Q(submitted_by=user)
            | Q(loans__borrower=user, loans__status__in=["approved", "lent"])
        ).distinct()

    def filed(self):
        return self.filter(status="accepted")

    def with_refs(self):
        return self.select_related("project", "checked_by", "submitted_by")


class LoanQuerySet(models.QuerySet):
    def visible_to(self, user):
        from knowledge.roles import is_archivist

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_archivist(user):
            return self
        return self.filter(borrower=user)

    def open(self):
        return self.filter(status__in=["requested", "approved", "lent"])

    def with_refs(self):
        return self.select_related("record", "record__project", "borrower", "decided_by")
