"""Chainable reads of the core model, each declaring its own joins."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from pmo.core import roles


def headed_unit_paths(user) -> list[str]:
    """Tree paths of the units whose head is the user (they see everything below)."""
    from pmo.core.models import OrgUnit

    pid = roles.person_id_of(user)
    if pid is None:
        return []
    if not hasattr(user, "_pmo_unit_paths"):
        user._pmo_unit_paths = list(
            OrgUnit.objects.filter(head_id=pid).values_list("path", flat=True)
        )
    return user._pmo_unit_paths


def _under_paths(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


class OrgUnitQuerySet(models.QuerySet):
    def descendants_of(self, unit, include_self: bool = True):
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_unit_and_role(self):
        return self.select_related("org_unit", "role", "user")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects the user may see: all for PMO and executives, else their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.sees_all_projects(user):
            return self
        pid = roles.person_id_of(user)
        if pid is None:
            return self.none()
        from pmo.core.models import ProjectMember

        membership = ProjectMember.objects.filter(project=OuterRef("pk"), person_id=pid)
        return self.filter(
            Q(manager_id=pid)
            | Q(sponsor_id=pid)
            | Q(Exists(membership))
            | _under_paths("org_unit__path", headed_unit_paths(user))
        )

    def managed_by(self, user):
        pid = roles.person_id_of(user)
        return self.filter(manager_id=pid) if pid else self.none()

    def open(self):
        from pmo.core.models import CLOSED_STAGES

        return self.exclude(stage__in=CLOSED_STAGES)

    def with_people(self):
        return self.select_related("org_unit", "manager", "sponsor", "project_type", "program")


class ProjectMemberQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("person", "person__org_unit", "person__role", "project")


class ResourceDemandQuerySet(models.QuerySet):
    def with_role(self):
        return self.select_related("role", "project")
