"""The shared core model: organisation, people, roles, projects and their demand.

Every duty app points at these models by foreign key and changes them only through
``pmo.core.services``. The project carries a *summary* (health, progress, spend) that
the owning apps keep current, so that other apps read it instead of importing them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.querysets import (
    OrgUnitQuerySet,
    PersonQuerySet,
    ProjectMemberQuerySet,
    ProjectQuerySet,
    ResourceDemandQuerySet,
)


class BilingualName(models.Model):
    """A Chinese name with an optional English one, shown per active language."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class OrgUnit(BilingualName):
    """A company, division or department; the tree is kept as a materialised path."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        DIVISION = "division", _("Division")
        DEPARTMENT = "department", _("Department")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )
    path = models.CharField(_("tree path"), max_length=500, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["path"]

    def get_absolute_url(self) -> str:
        return reverse("core:orgunit_detail", args=[self.pk])


class Role(BilingualName):
    """A job role or skill family whose hours are planned (architect, developer …)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resource role")
        verbose_name_plural = _("resource roles")
        ordering = ["code"]


class Person(BilingualName):
    """A human resource, with an optional login, capacity and cost rate."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    employee_no = models.CharField(_("employee number"), max_length=40, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisational unit"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    role = models.ForeignKey(
        Role,
        verbose_name=_("resource role"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    weekly_capacity_hours = models.DecimalField(
        _("weekly capacity (hours)"), max_digits=5, decimal_places=1, default=40
    )
    cost_rate = models.DecimalField(
        _("cost rate (CNY per hour)"), max_digits=10, decimal_places=2, default=0
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return reverse("core:person_detail", args=[self.pk])


class ProjectType(BilingualName):
    """A kind of project (IT system, R&D, construction …) that standards and goals key on."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project type")
        verbose_name_plural = _("project types")
        ordering = ["code"]


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROPOSED = "proposed", _("Proposed")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Health(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("At risk")
    RED = "red", _("Off track")
    GREY = "grey", _("No current status")


class Classification(models.TextChoices):
    MAJOR = "major", _("Major")
    KEY = "key", _("Key")
    GENERAL = "general", _("General")


class Project(BilingualName):
    """A project or programme in its lifecycle, with the summary the apps keep current."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    project_type = models.ForeignKey(
        ProjectType,
        verbose_name=_("project type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisational unit"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    sponsor = models.ForeignKey(
        Person,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
    )
    manager = models.ForeignKey(
        Person,
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    program = models.ForeignKey(
        "self",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"is_program": True},
    )
    is_program = models.BooleanField(_("is a programme"), default=False)
    stage = models.CharField(
        _("lifecycle stage"), max_length=20, choices=Stage, default=Stage.IDEA, db_index=True
    )
    classification = models.CharField(
        _("classification"), max_length=20, choices=Classification, default=Classification.GENERAL
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_finish = models.DateField(_("planned finish"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    budget = models.DecimalField(_("budget (CNY)"), max_digits=16, decimal_places=2, default=0)

    # The summary: written only through pmo.core.services.project_summary_update.
    health = models.CharField(
        _("health"), max_length=10, choices=Health, default=Health.GREY, db_index=True
    )
    percent_complete = models.DecimalField(
        _("percent complete"), max_digits=5, decimal_places=1, default=0
    )
    spend_to_date = models.DecimalField(
        _("spend to date (CNY)"), max_digits=16, decimal_places=2, default=0
    )
    forecast_cost = models.DecimalField(
        _("forecast at completion (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    spi = models.DecimalField(
        _("schedule performance index (SPI)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("SPI = EV / PV from the latest status report."),
    )
    cpi = models.DecimalField(
        _("cost performance index (CPI)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("CPI = EV / AC from the latest status report."),
    )
    evaluation_grade = models.CharField(
        _("evaluation grade"),
        max_length=40,
        blank=True,
        help_text=_("Grade of the latest published performance evaluation."),
    )
    evaluation_score = models.DecimalField(
        _("evaluation score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    last_status_date = models.DateField(_("last status date"), null=True, blank=True)
    summary_note = models.CharField(_("summary note"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        indexes = [models.Index(fields=["org_unit", "stage"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__gte=0),
                name="project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__gte=0, percent_complete__lte=100),
                name="project_percent_complete_0_100",
                violation_error_message=_("Percent complete must be 0–100."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_finish__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_finish__gte=models.F("planned_start")),
                name="project_planned_finish_after_start",
                violation_error_message=_("The planned finish cannot be before the planned start."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("core:project_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


CLOSED_STAGES = frozenset({Stage.CLOSED, Stage.REJECTED, Stage.CANCELLED})


class ProjectMember(models.Model):
    """A person's part in a project: sponsor, manager, member … with an allocation."""

    class ProjectRole(models.TextChoices):
        SPONSOR = "sponsor", _("Sponsor")
        MANAGER = "manager", _("Project manager")
        MEMBER = "member", _("Team member")
        PMO_CONTACT = "pmo_contact", _("PMO contact")
        STAKEHOLDER = "stakeholder", _("Stakeholder")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    project_role = models.CharField(
        _("project role"), max_length=20, choices=ProjectRole, default=ProjectRole.MEMBER
    )
    allocation_percent = models.PositiveSmallIntegerField(_("allocation (%)"), default=100)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ProjectMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        ordering = ["project_id", "project_role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person", "project_role"], name="member_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(allocation_percent__lte=100),
                name="member_allocation_max_100",
                violation_error_message=_("An allocation cannot exceed 100%%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_project_role_display()}"


class ResourceDemand(models.Model):
    """Hours of a role a project asks for in one month (from a plan or a business case)."""

    class Source(models.TextChoices):
        PLAN = "plan", _("Project plan")
        BUSINESS_CASE = "business_case", _("Business case")
        MANUAL = "manual", _("Entered by hand")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="demands"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("resource role"), on_delete=models.PROTECT, related_name="demands"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1)
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.MANUAL)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ResourceDemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource demand")
        verbose_name_plural = _("resource demand")
        ordering = ["project_id", "month", "role_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "role", "month", "source"], name="demand_unique_month"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0),
                name="demand_hours_positive",
                violation_error_message=_("Hours cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="demand_month_first_day",
                violation_error_message=_("A demand month starts on its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.role} {self.month:%Y-%m}: {self.hours}"


class UserPreference(models.Model):
    """Per-user settings: the interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preference",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    digest_sent_on = models.DateField(
        _("last daily digest"),
        null=True,
        blank=True,
        help_text=_("The day the last daily digest was e-mailed; one digest a day at most."),
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


class Delivery(models.TextChoices):
    """How a kind of event notification reaches a user besides the app itself."""

    APP = "app", _("In the app only")
    INSTANT = "instant", _("E-mail at once")
    DIGEST = "digest", _("Daily digest e-mail")


class Notification(models.Model):
    """A message to one user, shown in the app and optionally e-mailed.

    ``event`` is the code of a registered ``EventKind`` (blank for a plain message);
    ``delivery`` records how the recipient chose to receive that kind when it was sent,
    and ``digested_at`` claims a digest notification for the one daily digest e-mail.
    """

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        ACTION = "action", _("Action needed")
        WARNING = "warning", _("Warning")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level, default=Level.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    event = models.CharField(_("event"), max_length=60, blank=True, db_index=True)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery, default=Delivery.APP
    )
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["delivery", "digested_at"],
                condition=models.Q(delivery="digest", digested_at__isnull=True),
                name="core_notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AuditRecordImmutable(Exception):
    """Raised on an attempt to change or delete a security event from the application."""


class SecurityEventQuerySet(models.QuerySet):
    """Bulk changes are refused: the only deletion is the retention purge
    (``pmo.core.audit.security_events_purge``), and the database refuses the rest too."""

    def update(self, **kwargs):
        raise AuditRecordImmutable("security events cannot be changed")

    def delete(self):
        raise AuditRecordImmutable("security events cannot be deleted")

    def _purge(self):
        return super().delete()


class SecurityEvent(models.Model):
    """An append-only record of a security-relevant event (logins, imports, exports …).

    Rows are written once; ``save()`` of an existing row, ``delete()`` and the queryset's
    ``update()``/``delete()`` raise, and on PostgreSQL a trigger (core migration 0008)
    refuses UPDATE and DELETE of rows younger than six months, whoever asks.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        PASSWORD_CHANGE = "password_change", _("Password change")
        PERMISSION_DENIED = "permission_denied", _("Permission denied")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        DOWNLOAD = "download", _("Download")
        VIEW = "view", _("View of a confidential record")
        LOCKOUT = "lockout", _("Account locked out")
        UNLOCK = "unlock", _("Lockout lifted")
        ROLE_CHANGE = "role_change", _("Role change")
        ACCOUNT_CHANGE = "account_change", _("Account change")
        SESSION_END = "session_end", _("Session ended")
        SECOND_FACTOR = "second_factor", _("Second factor")
        PASSWORD_EXPIRED = "password_expired", _("Password expired")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    success = models.BooleanField(_("succeeded"), default=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditRecordImmutable("security events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordImmutable("security events cannot be deleted")


class PasswordHistory(models.Model):
    """A password hash the user had, so that a profile can refuse reusing it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in session of a user, so that it can be listed and ended."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="pmo_sessions",
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class StageChange(models.Model):
    """One move of a project through its lifecycle, with who made it and why."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.from_stage} → {self.to_stage}"


class ImportJob(models.Model):
    """An uploaded Excel/CSV file: previewed first, then committed all or nothing."""

    class Kind(models.TextChoices):
        """The core's own kinds; duty apps add theirs through the registry."""

        ORG_UNITS = "org_units", _("Organisational units")
        PEOPLE = "people", _("People")
        PROJECTS = "projects", _("Projects")
        RESOURCE_DEMAND = "resource_demand", _("Resource demand")

    class Status(models.TextChoices):
        # A big file is checked and written by a background task (checking, importing).
        CHECKING = "checking", _("Checking")
        PREVIEWED = "previewed", _("Previewed")
        INVALID = "invalid", _("Has errors")
        IMPORTING = "importing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(
        _("data kind"), max_length=30, help_text=_("A code of an import kind in the registry.")
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    def get_kind_display(self) -> str:
        from pmo.core.registry import registry

        kind = registry.import_kinds.get(self.kind)
        return str(kind.label) if kind else self.kind


class SearchEntry(models.Model):
    """One record of any app in the global search index.

    Apps describe their records through the registry (``Searchable.document``); the core
    keeps the entries current on save and delete and rebuilds them on demand. ``terms``
    holds the ``tsvector`` text built by ``pmo.core.searchtext``; on PostgreSQL the
    stored ``vector`` column is computed from it and has a GIN index.

    Who may find an entry: ``access`` "all" (everyone signed in), "project" (those who
    may see ``project``) or "restricted" (only ``owner``, the members of ``group`` and
    the PMO); the PMO finds everything.
    """

    class Access(models.TextChoices):
        ALL = "all", _("Everyone")
        PROJECT = "project", _("Those who see the project")
        RESTRICTED = "restricted", _("Restricted")

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300)
    access = models.CharField(_("access"), max_length=12, choices=Access, default=Access.ALL)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    group = models.CharField(_("group"), max_length=40, blank=True)
    terms = models.TextField(_("index terms"), blank=True)
    vector = models.GeneratedField(
        expression=Cast("terms", SearchVectorField()),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    updated_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_search_entry_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.title}"


class NotificationPreference(models.Model):
    """How one user wants one kind of event (``EventKind.code``) to reach them.

    Without a row the kind's default applies.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(_("event"), max_length=60)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="core_notification_pref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} · {self.delivery}"


class ChannelKind(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk robot")
    WECOM = "wecom", _("WeCom robot")
    FEISHU = "feishu", _("Feishu / Lark robot")


class Channel(models.Model):
    """A chat-robot group webhook (DingTalk, WeCom or Feishu) the PMO posts cards to.

    Report subscriptions and event routes point at channels; ``secret`` is the robot's
    signing secret (DingTalk "加签", Feishu "签名校验"), blank when the robot has none.
    """

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("platform"), max_length=10, choices=ChannelKind)
    webhook_url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("Leave blank when the robot does not sign its messages."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:channel_detail", args=[self.pk])

    def clean(self) -> None:
        from pmo.core.channels import validate_webhook_url

        super().clean()
        if self.webhook_url:
            validate_webhook_url(self.webhook_url, kind=self.kind, field="webhook_url")

    @property
    def secret_hint(self) -> str:
        """The secret as pages show it: never in full."""
        if not self.secret:
            return ""
        return f"{self.secret[:3]}…{self.secret[-2:]}" if len(self.secret) > 8 else "…"

    @property
    def url_hint(self) -> str:
        """The webhook address without its query string (WeCom keeps its key there)."""
        return self.webhook_url.split("?", 1)[0]


class EventRoute(models.Model):
    """The PMO's choice to post one kind of event notification to a chat channel too."""

    event = models.CharField(_("event"), max_length=60)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="routes"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event route")
        verbose_name_plural = _("event routes")
        ordering = ["event", "channel__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="core_event_route_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.channel}"


class ChannelPost(models.Model):
    """One card to post to a channel, and what became of it.

    Created in the transaction that emits the event (one per event and routed channel,
    whatever the number of recipients), posted after commit by a task that claims it
    (pending → sending), so a task delivered twice posts once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="posts"
    )
    event = models.CharField(_("event"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    lines = models.JSONField(_("lines"), default=list, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel post")
        verbose_name_plural = _("channel posts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} · {self.title}"
