"""Weekly status: the reporting policy, the status reports and the reminder log."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.models.common import Rag
from delivery.models.plan import Deliverable, Milestone
from delivery.querysets import StatusReportQuerySet

DIMENSIONS = ("schedule", "cost", "scope", "quality", "risk", "resources")


class ReportingPolicy(models.Model):
    """The reporting cycle and RAG thresholds: one default, optionally one per project."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    project = models.OneToOneField(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reporting_policy",
        help_text=_("Empty for the default policy of every project."),
    )
    frequency = models.CharField(
        _("reporting cycle"), max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    due_weekday = models.PositiveSmallIntegerField(
        _("due on"),
        choices=Weekday,
        default=Weekday.FRIDAY,
        help_text=_("Weekly and two-weekly reports; monthly ones are due on the last day."),
    )
    reminder_days = models.PositiveSmallIntegerField(_("reminder (days before due)"), default=1)
    green_index = models.DecimalField(
        _("SPI/CPI green from"), max_digits=4, decimal_places=2, default=Decimal("0.95")
    )
    red_index = models.DecimalField(
        _("SPI/CPI red below"), max_digits=4, decimal_places=2, default=Decimal("0.90")
    )
    red_deviation = models.DecimalField(
        _("cost deviation red above (%)"), max_digits=5, decimal_places=1, default=Decimal(10)
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting policy")
        verbose_name_plural = _("reporting policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(red_index__lte=models.F("green_index")),
                name="policy_red_below_green",
                violation_error_message=_("The red threshold must not be above the green one."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_weekday__lte=6),
                name="policy_weekday_0_6",
                violation_error_message=_("Choose a day of the week."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.project or _("Default reporting policy"))


def rag_field(label):
    return models.CharField(label, max_length=10, choices=Rag, default=Rag.GREEN)


class StatusReport(models.Model):
    """A project's status for one reporting period, written by its manager.

    Earned-value figures are computed and stored when the report is submitted, so that
    the history shows what was known then.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    overall = rag_field(_("overall"))
    schedule_rag = rag_field(_("schedule"))
    schedule_reason = models.CharField(_("schedule: reason"), max_length=300, blank=True)
    cost_rag = rag_field(_("cost"))
    cost_reason = models.CharField(_("cost: reason"), max_length=300, blank=True)
    scope_rag = rag_field(_("scope"))
    scope_reason = models.CharField(_("scope: reason"), max_length=300, blank=True)
    quality_rag = rag_field(_("quality"))
    quality_reason = models.CharField(_("quality: reason"), max_length=300, blank=True)
    risk_rag = rag_field(_("risk"))
    risk_reason = models.CharField(_("risk: reason"), max_length=300, blank=True)
    resources_rag = rag_field(_("resources"))
    resources_reason = models.CharField(_("resources: reason"), max_length=300, blank=True)
    percent_complete = models.DecimalField(
        _("percent complete"), max_digits=5, decimal_places=1, default=Decimal(0)
    )
    actual_cost = models.DecimalField(
        _("actual cost to date (CNY)"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    accomplishments = models.TextField(_("accomplishments"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)
    milestones_reached = models.ManyToManyField(
        Milestone, verbose_name=_("milestones reached"), blank=True, related_name="+"
    )
    bac = models.DecimalField(_("BAC"), max_digits=16, decimal_places=2, null=True, blank=True)
    pv = models.DecimalField(_("PV"), max_digits=16, decimal_places=2, null=True, blank=True)
    ev = models.DecimalField(_("EV"), max_digits=16, decimal_places=2, null=True, blank=True)
    spi = models.DecimalField(_("SPI"), max_digits=7, decimal_places=3, null=True, blank=True)
    cpi = models.DecimalField(_("CPI"), max_digits=7, decimal_places=3, null=True, blank=True)
    eac = models.DecimalField(_("EAC"), max_digits=16, decimal_places=2, null=True, blank=True)
    vac = models.DecimalField(_("VAC"), max_digits=16, decimal_places=2, null=True, blank=True)
    tcpi = models.DecimalField(_("TCPI"), max_digits=7, decimal_places=3, null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    override_overall = models.CharField(
        _("overall set by the PMO"), max_length=10, choices=Rag, blank=True
    )
    override_reason = models.CharField(_("reason of the PMO"), max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["milestones_reached"])

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["project_id", "-period_start"]
        indexes = [models.Index(fields=["period_start", "project"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start"], name="status_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__gte=0, percent_complete__lte=100),
                name="status_percent_0_100",
                violation_error_message=_("Percent complete must be 0–100."),
            ),
            models.CheckConstraint(
                condition=models.Q(actual_cost__gte=0),
                name="status_cost_not_negative",
                violation_error_message=_("The actual cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_start:%Y-%m-%d}"

    @property
    def effective_overall(self) -> str:
        """The overall rating, as the PMO set it where it did."""
        return self.override_overall or self.overall

    def dimensions(self) -> list[tuple[str, str, str, str]]:
        """(key, label, rating, reason) of the six dimensions, in display order."""
        rows = []
        for key in DIMENSIONS:
            field = self._meta.get_field(f"{key}_rag")
            rows.append(
                (
                    key,
                    field.verbose_name,
                    getattr(self, f"{key}_rag"),
                    getattr(self, f"{key}_reason"),
                )
            )
        return rows


class DeliverableProgress(models.Model):
    """A deliverable's percent complete as a status report stated it."""

    report = models.ForeignKey(
        StatusReport,
        verbose_name=_("status report"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("deliverable"), on_delete=models.CASCADE, related_name="+"
    )
    percent_complete = models.DecimalField(_("percent complete"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("deliverable progress")
        verbose_name_plural = _("deliverable progress")
        constraints = [
            models.UniqueConstraint(fields=["report", "deliverable"], name="progress_once"),
            models.CheckConstraint(
                condition=models.Q(percent_complete__gte=0, percent_complete__lte=100),
                name="progress_percent_0_100",
                violation_error_message=_("Percent complete must be 0–100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable_id}: {self.percent_complete}"


class ReminderLog(models.Model):
    """A reminder or overdue notice sent for a project's period, so each goes out once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        OVERDUE = "overdue", _("Overdue notice")

    project = models.ForeignKey(
        "core.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("period start"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status reminder")
        verbose_name_plural = _("status reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start", "kind"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_start} {self.kind}"
