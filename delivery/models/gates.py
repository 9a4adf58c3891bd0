"""Key-node control: gate reviews and milestone acceptance (验收), with criteria, evidence,
reviewers, a decision and the conditions attached to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.models.plan import Milestone, Phase
from delivery.querysets import GateQuerySet
from pmo.reports.storage import private_storage


class Gate(models.Model):
    """A review at a key node: the gate closing a phase, or the acceptance of a milestone."""

    class Kind(models.TextChoices):
        GATE = "gate", _("Phase gate")
        ACCEPTANCE = "acceptance", _("Milestone acceptance")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_REVIEW = "in_review", _("In review")
        PASSED = "passed", _("Passed")
        CONDITIONAL = "conditional", _("Passed with conditions")
        FAILED = "failed", _("Failed")

    PASSING = (Status.PASSED, Status.CONDITIONAL)

    project = models.ForeignKey(
        "core.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="gates"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.GATE)
    name = models.CharField(_("name"), max_length=200)
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase it closes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gates",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone accepted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gates",
    )
    standard_gate = models.ForeignKey(
        "standards.LifecycleGate",
        verbose_name=_("gate of the methodology"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The gate of the project's methodology whose required deliverables this review "
            "checks; a gate cannot simply pass while one of them is missing."
        ),
    )
    planned_date = models.DateField(_("planned date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PLANNED, db_index=True
    )
    reviewers = models.ManyToManyField(
        "core.Person", verbose_name=_("reviewers"), blank=True, related_name="gates_to_review"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted for review by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords(m2m_fields=[reviewers])

    objects = GateQuerySet.as_manager()

    class Meta:
        verbose_name = _("gate review")
        verbose_name_plural = _("gate reviews")
        ordering = ["project_id", "planned_date", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_passed(self) -> bool:
        return self.status in self.PASSING

    @property
    def is_decided(self) -> bool:
        return self.status in (*self.PASSING, self.Status.FAILED)


class GateCriterion(models.Model):
    """One criterion a gate is judged on; the reviewers record whether it was met."""

    gate = models.ForeignKey(
        Gate, verbose_name=_("gate"), on_delete=models.CASCADE, related_name="criteria"
    )
    text = models.CharField(_("criterion"), max_length=300)
    met = models.BooleanField(_("met"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("gate criterion")
        verbose_name_plural = _("gate criteria")
        ordering = ["gate_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.text


class GateEvidence(models.Model):
    """A document uploaded as evidence for a gate; kept outside the web root."""

    gate = models.ForeignKey(
        Gate, verbose_name=_("gate"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(
        _("file"), upload_to="delivery/evidence/%Y/%m/", storage=private_storage, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gate evidence")
        verbose_name_plural = _("gate evidence")
        ordering = ["gate_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class GateCondition(models.Model):
    """A condition a gate passed with: what must still be done, by whom and when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        WAIVED = "waived", _("Waived")

    gate = models.ForeignKey(
        Gate, verbose_name=_("gate"), on_delete=models.CASCADE, related_name="conditions"
    )
    text = models.CharField(_("condition"), max_length=300)
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
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

    class Meta:
        verbose_name = _("gate condition")
        verbose_name_plural = _("gate conditions")
        ordering = ["gate_id", "due_date", "id"]

    def __str__(self) -> str:
        return self.text
