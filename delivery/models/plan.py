"""The plan: phases, milestones and weighted deliverables, and its approved baselines."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.querysets import BaselineQuerySet


class Phase(models.Model):
    """A phase of the project; the gate that closes it must pass before the next starts."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ACTIVE = "active", _("In progress")
        DONE = "done", _("Done")

    project = models.ForeignKey(
        "core.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="phases"
    )
    name = models.CharField(_("phase"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.NOT_STARTED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["project_id", "sort_order", "planned_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_finish__gte=models.F("planned_start")),
                name="phase_finish_after_start",
                violation_error_message=_("The planned finish cannot be before the planned start."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A point the project must reach by a planned date; reached when it has an actual date."""

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    name = models.CharField(_("milestone"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("reached on"), null=True, blank=True)
    is_key = models.BooleanField(_("key milestone"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project_id", "planned_date", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def on_time(self) -> bool | None:
        if self.actual_date is None:
            return None
        return self.actual_date <= self.planned_date


class Deliverable(models.Model):
    """A piece of work with a weight; earned value comes from the weighted progress."""

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
    )
    name = models.CharField(_("deliverable"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Its share of the whole work; weights are compared with each other."),
    )
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    percent_complete = models.DecimalField(
        _("percent complete"), max_digits=5, decimal_places=1, default=Decimal(0)
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["project_id", "planned_finish", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0),
                name="deliverable_weight_positive",
                violation_error_message=_("A weight must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__gte=0, percent_complete__lte=100),
                name="deliverable_percent_0_100",
                violation_error_message=_("Percent complete must be 0–100."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_finish__gte=models.F("planned_start")),
                name="deliverable_finish_after_start",
                violation_error_message=_("The planned finish cannot be before the planned start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Baseline(models.Model):
    """A version of the plan frozen for measuring against; re-baselining needs the PMO.

    The snapshot holds the phases, milestones and deliverables with their planned dates
    and weights as they were when the version was proposed; planned value is read from
    the current (approved) version.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting PMO approval")
        APPROVED = "approved", _("Current")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Superseded")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="baselines",
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PROPOSED, db_index=True
    )
    bac = models.DecimalField(_("budget at completion (BAC)"), max_digits=16, decimal_places=2)
    snapshot = models.JSONField(_("frozen plan"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
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

    objects = BaselineQuerySet.as_manager()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["project_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="baseline_version_once"),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status="approved"),
                name="baseline_one_current",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status="proposed"),
                name="baseline_one_proposed",
            ),
            models.CheckConstraint(
                condition=models.Q(bac__gte=0),
                name="baseline_bac_not_negative",
                violation_error_message=_("The budget at completion cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} v{self.version}"
