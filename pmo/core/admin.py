"""Admin pages of the core, for administrators; users work in the application pages."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pmo.core.models import (
    Channel,
    ChannelPost,
    EventRoute,
    ImportJob,
    Notification,
    NotificationPreference,
    OrgUnit,
    Person,
    Project,
    ProjectMember,
    ProjectType,
    ResourceDemand,
    Role,
    SecurityEvent,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en", "kind", "parent", "head")
    search_fields = ("code", "name", "name_en")
    readonly_fields = ("path", "depth")
    list_select_related = ("parent", "head")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("employee_no", "name", "name_en", "org_unit", "role", "is_active")
    search_fields = ("employee_no", "name", "name_en", "email")
    list_filter = ("is_active", "role")
    list_select_related = ("org_unit", "role")
    raw_id_fields = ("user", "org_unit")


@admin.register(Role, ProjectType)
class CodeNameAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en")


class MemberInline(admin.TabularInline):
    model = ProjectMember
    raw_id_fields = ("person",)
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "stage", "health", "classification", "org_unit", "manager")
    list_filter = ("stage", "health", "classification")
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("org_unit", "sponsor", "manager", "program")
    list_select_related = ("org_unit", "manager")
    inlines = [MemberInline]


@admin.register(ResourceDemand)
class ResourceDemandAdmin(SimpleHistoryAdmin):
    list_display = ("project", "role", "month", "hours", "source")
    list_select_related = ("project", "role")
    raw_id_fields = ("project",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "title", "level", "event", "delivery", "created_at", "read_at")
    list_filter = ("delivery", "event")
    raw_id_fields = ("recipient",)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "original_name", "status", "created_by")
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only to everyone, superusers included: the security log cannot be changed
    from the application (the model and a database trigger refuse it too)."""

    list_display = ("created_at", "kind", "username", "ip_address", "path", "success", "detail")
    list_filter = ("kind", "success")
    search_fields = ("username", "detail", "ip_address")
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChannelAdminForm(forms.ModelForm):
    """The secret is write-only here as on the channel pages: blank keeps it."""

    secret = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False), max_length=200
    )

    class Meta:
        model = Channel
        fields = ["name", "kind", "webhook_url", "secret", "is_active"]

    def _post_clean(self):
        stored = self.instance.secret
        super()._post_clean()
        if not self.cleaned_data.get("secret"):
            self.instance.secret = stored


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin):
    form = ChannelAdminForm
    list_display = ("name", "kind", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)


@admin.register(EventRoute)
class EventRouteAdmin(SimpleHistoryAdmin):
    list_display = ("event", "channel")
    list_filter = ("event",)


@admin.register(ChannelPost)
class ChannelPostAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "event", "title", "status", "attempts")
    list_filter = ("status", "channel")
    readonly_fields = ("channel", "event", "title", "lines", "url", "created_at", "sent_at")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "delivery", "updated_at")
    list_filter = ("event", "delivery")
    search_fields = ("user__username",)
