"""Admin pages of delivery, for administrators; users work in the application pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from delivery.models import (
    Baseline,
    Closeout,
    ClosureItem,
    ClosureItemTemplate,
    CommunicationLog,
    Deliverable,
    Gate,
    GateCondition,
    GateCriterion,
    Goal,
    GoalFramework,
    GoalFrameworkItem,
    Intervention,
    Issue,
    IssueAction,
    Milestone,
    Phase,
    RaciActivity,
    ReportingPolicy,
    ResourceRequest,
    ResponseTarget,
    ResponsibilityAgreement,
    StatusReport,
)


class ProjectScopedAdmin(SimpleHistoryAdmin):
    list_select_related = ("project",)
    search_fields = ("project__code", "project__name")
    raw_id_fields = ("project",)


class FrameworkItemInline(admin.TabularInline):
    model = GoalFrameworkItem
    extra = 0


@admin.register(GoalFramework)
class GoalFrameworkAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "updated_at")
    inlines = [FrameworkItemInline]


@admin.register(Goal)
class GoalAdmin(ProjectScopedAdmin):
    list_display = ("project", "dimension", "title", "target_value", "due_date", "attainment")
    list_filter = ("dimension",)


@admin.register(RaciActivity)
class RaciActivityAdmin(ProjectScopedAdmin):
    list_display = ("project", "name", "sort_order")


@admin.register(ResponsibilityAgreement)
class AgreementAdmin(ProjectScopedAdmin):
    list_display = ("project", "version", "status", "issued_at", "signed_at")
    list_filter = ("status",)
    readonly_fields = ("snapshot", "content_hash")


@admin.register(CommunicationLog)
class CommunicationLogAdmin(ProjectScopedAdmin):
    list_display = ("project", "occurred_on", "kind", "topic")


@admin.register(Phase, Milestone, Deliverable)
class PlanItemAdmin(ProjectScopedAdmin):
    list_display = ("project", "name")


@admin.register(Baseline)
class BaselineAdmin(ProjectScopedAdmin):
    list_display = ("project", "version", "status", "bac", "requested_at", "decided_at")
    list_filter = ("status",)
    readonly_fields = ("snapshot",)


@admin.register(ReportingPolicy)
class ReportingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "frequency", "due_weekday", "green_index", "red_index")


@admin.register(StatusReport)
class StatusReportAdmin(ProjectScopedAdmin):
    list_display = ("project", "period_start", "status", "overall", "spi", "cpi", "on_time")
    list_filter = ("status", "overall", "on_time")
    date_hierarchy = "period_start"


@admin.register(ResponseTarget)
class ResponseTargetAdmin(SimpleHistoryAdmin):
    list_display = ("severity", "response_hours")


class IssueActionInline(admin.TabularInline):
    model = IssueAction
    extra = 0


@admin.register(Issue)
class IssueAdmin(ProjectScopedAdmin):
    list_display = ("project", "kind", "title", "severity", "status", "level", "raised_at")
    list_filter = ("kind", "severity", "status", "level")
    inlines = [IssueActionInline]


@admin.register(Intervention)
class InterventionAdmin(ProjectScopedAdmin):
    list_display = ("project", "kind", "recorded_at", "follow_up_date", "status", "effective")
    list_filter = ("status", "kind")


class CriterionInline(admin.TabularInline):
    model = GateCriterion
    extra = 0


class ConditionInline(admin.TabularInline):
    model = GateCondition
    extra = 0


@admin.register(Gate)
class GateAdmin(ProjectScopedAdmin):
    list_display = ("project", "name", "kind", "planned_date", "status")
    list_filter = ("kind", "status")
    inlines = [CriterionInline, ConditionInline]


@admin.register(ResourceRequest)
class ResourceRequestAdmin(ProjectScopedAdmin):
    list_display = ("project", "kind", "role", "monthly_hours", "status", "requested_at")
    list_filter = ("status", "kind")


@admin.register(ClosureItemTemplate)
class ClosureItemTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "project_type", "evidence_required", "sort_order")
    list_filter = ("project_type",)


class ClosureItemInline(admin.TabularInline):
    model = ClosureItem
    extra = 0


@admin.register(Closeout)
class CloseoutAdmin(ProjectScopedAdmin):
    list_display = ("project", "status", "overall_attainment", "submitted_at", "decided_at")
    list_filter = ("status",)
    inlines = [ClosureItemInline]
