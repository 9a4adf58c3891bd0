"""Project archives: the catalogue (档案目录), filing with a quality check, borrowing.

An :class:`ArchiveRecord` is one catalogue entry with the fields of Chinese archive
practice (档号, 题名, 责任者, 日期, 项目代号, 保管期限, 密级, 件/页数, 载体, 存放位置).
Its 档号 is generated from the :class:`NumberingRule` in force when the archivist
accepts it. A record goes draft → submitted (for filing) → accepted or returned.
A :class:`Loan` is a borrowing: requested → approved (by 密级) → lent (a time-limited
electronic view, or a physical hand-over) → returned with a condition check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from knowledge.querysets import ArchiveRecordQuerySet, LoanQuerySet
from pmo.reports.storage import private_storage


class SecurityLevel(models.TextChoices):
    """密级, lowest first."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    SECRET = "secret", _("Secret")
    CONFIDENTIAL = "confidential", _("Confidential")


# Levels above which every view and download is logged and loans need the PMO's approval.
LOGGED_LEVELS = frozenset({SecurityLevel.SECRET, SecurityLevel.CONFIDENTIAL})


class Retention(models.TextChoices):
    """保管期限."""

    PERMANENT = "Y", _("Permanent")
    LONG = "D30", _("30 years")
    SHORT = "D10", _("10 years")


class Carrier(models.TextChoices):
    """载体."""

    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")


class NumberingRule(models.Model):
    """How 档号 are built, e.g. ``{fonds}-{year}-{retention}-{project}-{seq:04d}``.

    Placeholders: fonds (全宗号), year, retention (Y/D30/D10), project (项目代号),
    seq (sequence number within fonds, year and retention).
    """

    fonds = models.CharField(_("fonds code (全宗号)"), max_length=20)
    pattern = models.CharField(
        _("pattern"),
        max_length=120,
        default="{fonds}-{year}-{retention}-{seq:04d}",
        help_text=_("Placeholders: {fonds}, {year}, {retention}, {project}, {seq:04d}."),
    )
    is_active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archive numbering rule")
        verbose_name_plural = _("archive numbering rules")
        ordering = ["-is_active", "-pk"]

    def __str__(self) -> str:
        return self.pattern


class ArchiveRecord(models.Model):
    """One record (件) of the archive catalogue."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted for filing")
        ACCEPTED = "accepted", _("Filed")
        RETURNED = "returned", _("Returned for correction")

    number = models.CharField(_("archive number (档号)"), max_length=80, blank=True, db_index=True)
    title = models.CharField(_("title (题名)"), max_length=200)
    responsible = models.CharField(_("responsible party (责任者)"), max_length=120)
    record_date = models.DateField(_("date"))
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="archive_records",
    )
    retention = models.CharField(_("retention period"), max_length=5, choices=Retention)
    security_level = models.CharField(
        _("security level (密级)"),
        max_length=20,
        choices=SecurityLevel,
        default=SecurityLevel.INTERNAL,
        db_index=True,
    )
    pieces = models.PositiveIntegerField(_("items"), default=1)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    carrier = models.CharField(_("carrier"), max_length=20, choices=Carrier)
    location = models.CharField(
        _("storage location"), max_length=120, blank=True, help_text=_("Room, cabinet, box.")
    )
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("electronic file"),
        upload_to="knowledge/archives/%Y/%m/",
        storage=private_storage,
        max_length=300,
        blank=True,
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("filing status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    check_complete = models.BooleanField(_("complete"), default=False)
    check_legible = models.BooleanField(_("legible"), default=False)
    check_metadata = models.BooleanField(_("metadata correct"), default=False)
    check_note = models.CharField(_("archivist's note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ArchiveRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        ordering = ["-record_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~models.Q(number=""),
                name="knowledge_archive_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(pieces__gte=1, pages__gte=1),
                name="knowledge_archive_counts_positive",
                violation_error_message=_("Items and pages are at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:archive_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.title

    @property
    def is_logged(self) -> bool:
        return self.security_level in LOGGED_LEVELS


class Loan(models.Model):
    """A borrowing of an archive record."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        LENT = "lent", _("Lent")
        RETURNED = "returned", _("Returned")

    class Condition(models.TextChoices):
        INTACT = "intact", _("Intact")
        DAMAGED = "damaged", _("Damaged")
        INCOMPLETE = "incomplete", _("Incomplete")

    record = models.ForeignKey(
        ArchiveRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="archive_loans",
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    due_date = models.DateField(_("due date"))
    electronic = models.BooleanField(
        _("electronic access"),
        default=True,
        help_text=_("A time-limited view of the electronic copy instead of the original."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.REQUESTED, db_index=True
    )
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
    lent_at = models.DateTimeField(_("lent at"), null=True, blank=True)
    access_until = models.DateTimeField(_("access until"), null=True, blank=True)
    handover_note = models.CharField(_("hand-over record"), max_length=300, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    condition = models.CharField(_("condition"), max_length=20, choices=Condition, blank=True)
    condition_note = models.CharField(_("condition note"), max_length=300, blank=True)
    reminded_before_at = models.DateTimeField(_("reminded before due"), null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(_("reminded when overdue"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive loan")
        verbose_name_plural = _("archive loans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.record} → {self.borrower}"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:loan_detail", args=[self.pk])
