"""Closeout and value: the closure checklist per project type, the closeout itself with
its evidence, goal attainment and the PMO's approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.querysets import ProjectScopedQuerySet
from pmo.core.models import BilingualName
from pmo.reports.storage import private_storage


class ClosureItemTemplate(BilingualName):
    """An item every closeout of a project type must tick off (empty type: every type)."""

    project_type = models.ForeignKey(
        "core.ProjectType",
        verbose_name=_("project type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closure_items",
    )
    code = models.SlugField(_("code"), max_length=40)
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure checklist item")
        verbose_name_plural = _("closure checklist")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_type", "code"], name="closure_template_code_once"
            )
        ]


class Closeout(models.Model):
    """A project's closeout: checklist, goal attainment, lessons and the PMO's approval."""

    class Status(models.TextChoices):
        OPEN = "open", _("In preparation")
        SUBMITTED = "submitted", _("Awaiting PMO approval")
        RETURNED = "returned", _("Returned for rework")
        APPROVED = "approved", _("Approved, project closed")

    project = models.OneToOneField(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="closeout",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    summary = models.TextField(_("final result"), blank=True)
    improvements = models.TextField(_("improvement suggestions"), blank=True)
    overall_attainment = models.DecimalField(
        _("overall goal attainment (%)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    benefits_review_date = models.DateField(
        _("benefits review on"),
        null=True,
        blank=True,
        help_text=_("When benefits that need time to show are reviewed."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
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
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("closeout")
        verbose_name_plural = _("closeouts")

    def __str__(self) -> str:
        return str(self.project)


class ClosureItem(models.Model):
    """One checklist item of a closeout, done with its evidence."""

    closeout = models.ForeignKey(
        Closeout, verbose_name=_("closeout"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("item"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    done = models.BooleanField(_("done"), default=False)
    evidence_note = models.CharField(_("evidence"), max_length=300, blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="delivery/closeout/%Y/%m/",
        storage=private_storage,
        blank=True,
        max_length=300,
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure item")
        verbose_name_plural = _("closure items")
        ordering = ["closeout_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["closeout", "code"], name="closure_item_code_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils import translation

        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_note.strip() or self.evidence_file)
