"""Chainable reads of the portfolio model, each declaring its own joins."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q, Sum

from pmo.core import roles
from pmo.core.models import CLOSED_STAGES, Stage

OPEN_STAGES = [s for s in Stage.values if s not in CLOSED_STAGES]


def sees_portfolios(user) -> bool:
    """Portfolios, scenarios and the watch list are for the PMO and executives."""
    return bool(getattr(user, "is_authenticated", False)) and (
        roles.is_pmo(user) or roles.is_executive(user)
    )


class ObjectiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_people(self):
        return self.select_related("theme", "owner", "parent")

    def with_link_totals(self):
        """Annotate ``project_count`` and ``contribution_total`` (sum of contributions
        of open projects)."""
        open_links = Q(links__project__stage__in=OPEN_STAGES)
        return self.annotate(
            project_count=Count("links", filter=open_links, distinct=True),
            contribution_total=Sum("links__contribution", filter=open_links),
        )

    def unserved(self):
        """Active objectives that no open project serves."""
        return self.active().with_link_totals().filter(project_count=0)


class PortfolioQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_portfolios(user) else self.none()

    def with_totals(self):
        return self.select_related("owner", "rating_scale").annotate(
            candidate_count=Count("items", distinct=True),
            candidate_cost=Sum("items__cost"),
        )


class PortfolioItemQuerySet(models.QuerySet):
    def with_project(self):
        return self.select_related(
            "project",
            "project__org_unit",
            "project__manager",
            "project__project_type",
        )

    def ranked(self):
        return self.order_by(models.F("rank").asc(nulls_last=True), "project__code")


class ScenarioQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_portfolios(user) else self.none()
