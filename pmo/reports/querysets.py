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
        runs = self.filter(kind__in=visible_kind_codes(user))
        from pmo.core.roles import sees_all_projects

        if not sees_all_projects(user):
            # A run rendered for one reader's scope is theirs alone.
            runs = runs.filter(
                ~models.Q(params__has_key="scope") | models.Q(params__scope=f"user:{user.pk}")
            )
        return runs

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
                channel_count=Count("channels", distinct=True),
                last_sent_at=Max("deliveries__sent_at"),
                failed_count=Count(
                    "deliveries",
                    filter=models.Q(deliveries__status="failed"),
                    distinct=True,
                ),
            )
            .order_by("name", "pk")
        )


class DeliveryQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("recipient", "recipient__person", "run")

    def for_log(self):
        """What the delivery log shows: recipient or channel, run, subscription; newest
        first."""
        return self.select_related(
            "recipient", "recipient__person", "run", "subscription", "channel"
        ).order_by("-created_at", "-id")
