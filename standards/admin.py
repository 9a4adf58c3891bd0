"""Admin pages of the standards, for administrators; users work in the standards pages
(versions are changed there, through the services that keep their lifecycle)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from standards.models import (
    BestPracticeSource,
    ChangeRequest,
    DeliverableRecord,
    DocumentTemplate,
    Methodology,
    MethodologyVersion,
    ProjectMethodology,
    Suggestion,
    TailoringRequest,
    ToolEvaluation,
)


@admin.register(BestPracticeSource)
class BestPracticeSourceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "adoption", "year")
    search_fields = ("code", "name", "name_en")
    list_filter = ("kind", "adoption")


@admin.register(Methodology)
class MethodologyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "project_type", "owner")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("project_type", "owner")


@admin.register(MethodologyVersion)
class MethodologyVersionAdmin(SimpleHistoryAdmin):
    list_display = ("methodology", "number", "status", "published_at", "retired_at")
    list_filter = ("status",)
    list_select_related = ("methodology",)
    readonly_fields = ("status", "submitted_at", "published_at", "retired_at", "reviewed_by")


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "status", "current")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("current",)
    readonly_fields = ("current",)


@admin.register(ProjectMethodology)
class ProjectMethodologyAdmin(SimpleHistoryAdmin):
    list_display = ("project", "version", "assigned_by", "assigned_at")
    list_select_related = ("project", "version__methodology", "assigned_by")
    raw_id_fields = ("project", "version")


@admin.register(TailoringRequest)
class TailoringRequestAdmin(SimpleHistoryAdmin):
    list_display = ("project", "version", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("project", "version__methodology")
    raw_id_fields = ("project", "version")


@admin.register(DeliverableRecord)
class DeliverableRecordAdmin(SimpleHistoryAdmin):
    list_display = ("project", "deliverable", "status", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("project", "deliverable")
    raw_id_fields = ("project", "deliverable")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ("title", "methodology", "source", "status", "raised_at")
    list_filter = ("status", "source")
    list_select_related = ("methodology",)


@admin.register(Suggestion)
class SuggestionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "area", "status", "submitted_at")
    list_filter = ("status", "area")


@admin.register(ToolEvaluation)
class ToolEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("title", "status", "chosen", "decided_at")
    list_filter = ("status",)
