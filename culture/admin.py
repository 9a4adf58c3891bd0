"""Admin of the culture area: read and repair; the pages are where work is done.
Survey answers are not in the admin, so that nobody browses them one by one."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from culture import models


@admin.register(models.Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = ("title", "source", "fit_rating", "status")
    list_filter = ("status", "source")
    search_fields = ("title", "title_en")


@admin.register(models.Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("title", "status", "launched_at")
    list_filter = ("status",)


@admin.register(models.SharingSession)
class SharingSessionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "starts_at", "speaker", "status")
    list_filter = ("status",)
    raw_id_fields = ("speaker", "lessons")


@admin.register(models.Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "lead")
    raw_id_fields = ("lead", "members")


@admin.register(models.ImprovementIdea)
class ImprovementIdeaAdmin(SimpleHistoryAdmin):
    list_display = ("title", "status", "submitted_at")
    list_filter = ("status",)


@admin.register(models.Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ("title", "anonymous", "cadence")


@admin.register(models.CertificationTarget)
class CertificationTargetAdmin(SimpleHistoryAdmin):
    list_display = ("org_unit", "target_percent", "due_on")
