"""Chainable reads of the delivery models, each declaring its own joins.

``visible_to(user)`` follows the project: whoever may see a project may read its
delivery records. Gates are also visible to the reviewers assigned to them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from pmo.core import roles


def visible_project_ids(user):
    """A subquery of the ids of the projects the user may see."""
    from pmo.core.models import Project

    return Project.objects.visible_to(user).values("pk")


class ProjectScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.sees_all_projects(user):
            return self
        return self.filter(project__in=visible_project_ids(user))

    def of_project(self, project):
        return self.filter(project=project)


class StatusReportQuerySet(ProjectScopedQuerySet):
    def submitted(self):
        return self.filter(status="submitted")

    def with_project(self):
        return self.select_related(
            "project", "project__manager", "project__org_unit", "submitted_by"
        )


class IssueQuerySet(ProjectScopedQuerySet):
    def open(self):
        return self.filter(status__in=["open", "in_progress"])

    def with_people(self):
        return self.select_related(
            "project", "project__manager", "owner", "raised_by", "raised_by__person"
        )


class InterventionQuerySet(ProjectScopedQuerySet):
    def with_people(self):
        return self.select_related(
            "project", "issue", "follow_up_owner", "recorded_by", "recorded_by__person"
        )


class GateQuerySet(ProjectScopedQuerySet):
    def visible_to(self, user):
        """Gates of visible projects, and those the user is assigned to review."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.sees_all_projects(user):
            return self
        pid = roles.person_id_of(user)
        q = Q(project__in=visible_project_ids(user))
        if pid is not None:
            q |= Q(reviewers=pid)
        return self.filter(q).distinct()

    def reviewed_by(self, user):
        pid = roles.person_id_of(user)
        return self.filter(reviewers=pid) if pid else self.none()

    def with_project(self):
        return self.select_related("project", "project__manager", "phase", "milestone")


class ResourceRequestQuerySet(ProjectScopedQuerySet):
    def pending(self):
        return self.filter(status="pending")

    def with_people(self):
        return self.select_related(
            "project", "person", "from_project", "role", "requested_by", "requested_by__person"
        )


class BaselineQuerySet(ProjectScopedQuerySet):
    def current(self):
        return self.filter(status="approved")

    def with_people(self):
        return self.select_related(
            "project", "requested_by", "requested_by__person", "decided_by", "decided_by__person"
        )
