"""Chainable reads of the talent area, each declaring its own joins.

Personal data: a project manager sees their own profile, a line manager the profiles
of their reports, the PMO everyone's.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from pmo.core import roles


def visible_person_q(user, field: str = "person") -> Q:
    """The filter for rows about people whose personal data the user may read."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if roles.is_pmo(user):
        return Q()
    pid = roles.person_id_of(user)
    if pid is None:
        return Q(pk__in=[])
    return Q(**{f"{field}_id": pid}) | Q(**{f"{field}__talent_profile__line_manager_id": pid})


class TalentProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_person_q(user))

    def in_pool(self, on: dt.date | None = None):
        qs = self.filter(in_pool=True, person__is_active=True)
        if on is not None:
            qs = qs.filter(pool_since__lte=on)
        return qs

    def with_people(self):
        return self.select_related(
            "person", "person__org_unit", "person__role", "level", "line_manager"
        )


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_person_q(user))

    def valid_on(self, day: dt.date):
        return self.filter(issued_on__lte=day).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=day)
        )

    def expiring(self, day: dt.date, within_days: int):
        return self.filter(expires_on__gte=day, expires_on__lte=day + dt.timedelta(within_days))


class CompetencyAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_person_q(user))

    def newest_first(self):
        return self.order_by("person_id", "competency_id", "kind", "-assessed_on", "-id")


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_person_q(user))

    def attended_between(self, start: dt.date, end: dt.date):
        return self.filter(
            attended=True, session__ends_on__gte=start, session__ends_on__lte=end
        ).exclude(session__status="cancelled")
