"""Admin pages of the reports: for looking, not editing.

Subscriptions are changed in the application, whose service keeps the beat schedule in
step; runs and deliveries are written only by the tasks. Administrators may delete
old runs.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pmo.reports.models import Delivery, ReportRun, Subscription


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "kind",
        "period_label",
        "language",
        "status",
        "created_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "kind", "language")
    search_fields = ("kind", "period_label", "checksum")
    date_hierarchy = "created_at"
    list_select_related = ("created_by",)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "kind",
        "language",
        "frequency",
        "hour",
        "send_email",
        "is_active",
        "owner",
    )
    list_filter = ("is_active", "kind", "frequency", "language")
    search_fields = ("name",)
    list_select_related = ("owner", "group")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "subscription",
        "period_start",
        "email",
        "channel_name",
        "status",
        "skip_reason",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "skip_reason")
    search_fields = ("email", "channel_name", "subscription__name")
    list_select_related = ("subscription",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
