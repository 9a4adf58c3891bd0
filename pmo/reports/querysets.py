"""Chainable reads of report runs, subscriptions and deliveries."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Max


def visible_kind_codes(user) -> list[str]:
    """Codes of the registered report kinds the user may see."""
    from pmo.core.registry import registry

    return [code for code, kind in registry.report_kinds.items() if kind.visible_to(user)]


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Runs of the report kinds the user may see, if they may read the archive."""
        if not getattr(user, "is_authenticated", False) or not user.has_perm(
            "reports.view_archive"
        ):
            return self.none()
        return self.filter(kind__in=visible_kind_codes(user))

    def of_kind(self, code: str | None):
        return self.filter(kind=code) if code else self

    def with_people(self):
        return self.select_related("created_by", "created_by__person")


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_list(self):
        """What the subscription list shows: owner, group, schedule, counts, last send."""
        return (
            self.select_related("owner", "owner__person", "group", "periodic_task")
            .annotate(
                user_count=Count("users", distinct=True),
                last_sent_at=Max("deliveries__sent_at"),
            )
            .order_by("name", "pk")
        )


class DeliveryQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("recipient", "recipient__person", "run")
