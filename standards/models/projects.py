"""The project side of the standards: which published version a project follows, what
it tailors out (approved by the PMO), and the evidence of each required deliverable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.reports.storage import private_storage
from standards.models.library import MethodologyVersion, RequiredDeliverable
from standards.querysets import DeliverableRecordQuerySet, TailoringRequestQuerySet


class ProjectMethodology(models.Model):
    """The published methodology version a project follows."""

    project = models.OneToOneField(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="methodology_assignment",
    )
    version = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("methodology version"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project methodology")
        verbose_name_plural = _("project methodologies")

    def __str__(self) -> str:
        return f"{self.project.code} → {self.version}"


class TailoringRequest(models.Model):
    """A project's request to tailor optional deliverables out, with the reason; the
    PMO approves or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting PMO decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="tailoring_requests",
    )
    version = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("methodology version"),
        on_delete=models.PROTECT,
        related_name="tailoring_requests",
    )
    deliverables = models.ManyToManyField(
        RequiredDeliverable,
        verbose_name=_("deliverables tailored out"),
        related_name="tailoring_requests",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
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
    history = HistoricalRecords(m2m_fields=[deliverables])

    objects = TailoringRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("tailoring request")
        verbose_name_plural = _("tailoring requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_status_display()}"


class DeliverableRecord(models.Model):
    """The evidence that a project produced a required deliverable: a file or a link."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="deliverable_records",
    )
    deliverable = models.ForeignKey(
        RequiredDeliverable,
        verbose_name=_("required deliverable"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PRESENT, db_index=True
    )
    file = models.FileField(
        _("evidence file"),
        upload_to="standards/evidence/%Y/%m/",
        storage=private_storage,
        max_length=300,
        blank=True,
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    link = models.URLField(_("evidence link"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    history = HistoricalRecords()

    objects = DeliverableRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable record")
        verbose_name_plural = _("deliverable records")
        ordering = ["project_id", "deliverable_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "deliverable"], name="standards_record_unique_deliverable"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.deliverable.code}"
