"""Chainable reads of lessons learned, each declaring its own joins."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from pmo.core import roles


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lessons the user may read.

        The PMO reads all of them. Others read the approved lessons that are not
        confidential (that is what the library is for), their own, and every lesson
        of a project they may see.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.is_pmo(user):
            return self
        from pmo.core.models import Project

        return self.filter(
            Q(status="approved", confidentiality__in=["public", "internal"])
            | Q(created_by=user)
            | Q(project__in=Project.objects.visible_to(user).values("pk"))
        )

    def of_project(self, project):
        return self.filter(project=project)

    def approved(self):
        return self.filter(status="approved")

    def with_people(self):
        return self.select_related("project", "project_type", "created_by", "created_by__person")
