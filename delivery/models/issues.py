"""Issues, risks and change requests with their escalation ladder, and PMO interventions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.querysets import InterventionQuerySet, IssueQuerySet


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Level(models.IntegerChoices):
    """The escalation ladder: who must act on an issue now."""

    MANAGER = 0, _("Project manager")
    PMO = 1, _("PMO")
    SPONSOR = 2, _("Sponsor")
    EXECUTIVE = 3, _("Executive")


class ResponseTarget(models.Model):
    """How many hours each level of the ladder has to act on an issue of a severity."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity, unique=True)
    response_hours = models.PositiveIntegerField(
        _("response target (hours)"),
        help_text=_("Time from reaching a level to its first action before it goes up a level."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("response-time target")
        verbose_name_plural = _("response-time targets")
        ordering = ["response_hours"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.response_hours} h"


class Issue(models.Model):
    """An issue, a risk or a change request of a project, and where it stands on the ladder."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issue")
        RISK = "risk", _("Risk")
        CHANGE = "change", _("Change request")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("Being handled")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "core.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="issues"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.ISSUE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity, default=Severity.MEDIUM, db_index=True
    )
    probability = models.CharField(
        _("probability"),
        max_length=10,
        choices=Severity.choices[:3],
        blank=True,
        help_text=_("For risks: how likely it is to happen."),
    )
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.OPEN, db_index=True
    )
    level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=Level, default=Level.MANAGER
    )
    level_since = models.DateTimeField(_("at this level since"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    first_response_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    level_response_at = models.DateTimeField(_("first action at this level"), null=True, blank=True)
    pmo_escalated_at = models.DateTimeField(_("escalated to the PMO at"), null=True, blank=True)
    pmo_response_at = models.DateTimeField(_("first PMO action at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    cost_impact = models.DecimalField(
        _("cost impact (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    schedule_impact_days = models.IntegerField(_("schedule impact (days)"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue, risk or change")
        verbose_name_plural = _("issues, risks and changes")
        ordering = ["project_id", "-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "level"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)


class IssueAction(models.Model):
    """A step taken on an issue: an action, a comment, an escalation, a decision."""

    class Kind(models.TextChoices):
        ACTION = "action", _("Action")
        COMMENT = "comment", _("Comment")
        ESCALATION = "escalation", _("Escalation")
        INTERVENTION = "intervention", _("PMO intervention")
        RESOLUTION = "resolution", _("Resolution")
        DECISION = "decision", _("Decision")

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    text = models.TextField(_("text"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        help_text=_("Empty for an automatic escalation."),
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_level = models.PositiveSmallIntegerField(
        _("escalated to"), choices=Level, null=True, blank=True
    )
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("issue action")
        verbose_name_plural = _("issue actions")
        ordering = ["issue_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class Intervention(models.Model):
    """A PMO intervention (督导) in a project: finding, actions and their follow-up."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("Supervision meeting")
        DIRECTIVE = "directive", _("Directive")
        REVIEW = "review", _("On-site review")
        RESOURCES = "resources", _("Resource support")
        COACHING = "coaching", _("Coaching")

    class Status(models.TextChoices):
        OPEN = "open", _("Follow-up open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="interventions",
    )
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interventions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.SUPERVISION)
    finding = models.TextField(_("finding"))
    actions = models.TextField(_("actions required"))
    follow_up_date = models.DateField(_("follow up on"))
    follow_up_owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("follow-up owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    outcome = models.TextField(_("outcome of the follow-up"), blank=True)
    effective = models.BooleanField(_("effective"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("PMO intervention")
        verbose_name_plural = _("PMO interventions")
        ordering = ["project_id", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recorded_at:%Y-%m-%d}"
