"""Chainable reads of the culture area, each declaring its own joins."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q

from pmo.core import roles


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The PMO and executives see every campaign; others the launched ones sent to them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles.sees_all_projects(user):
            return self
        pid = roles.person_id_of(user)
        if pid is None:
            return self.none()
        from culture.models import CampaignRecipient

        sent = CampaignRecipient.objects.filter(person_id=pid).values("campaign_id")
        return self.exclude(status="draft").filter(pk__in=sent)

    def with_counts(self):
        """Recipients, how many read and how many acknowledged, per campaign."""
        return (
            self.annotate(
                recipient_count=Count("recipients", distinct=True),
                read_count=Count(
                    "recipients", filter=Q(recipients__read_at__isnull=False), distinct=True
                ),
                ack_count=Count(
                    "recipients", filter=Q(recipients__acknowledged_at__isnull=False), distinct=True
                ),
            )
            .select_related("idea")
            .order_by("-created_at", "-id")
        )


class SharingSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sessions are open to everyone who is logged in."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self

    def with_people(self):
        return self.select_related("speaker", "org_unit", "community").annotate(
            registered_count=Count("attendances", distinct=True),
            attended_count=Count(
                "attendances", filter=Q(attendances__attended=True), distinct=True
            ),
        )

    def held(self):
        return self.filter(status="held")


class ImprovementIdeaQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self

    def with_votes(self):
        return (
            self.select_related("org_unit", "submitted_by")
            .annotate(vote_count=Count("votes", distinct=True))
            .order_by("-submitted_at", "-id")
        )

    def open(self):
        return self.filter(status__in=["submitted", "under_review", "accepted"])


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self
