"""Continuous improvement: change requests against a standard (from anyone, from an
evaluation or a lesson), triaged by the PMO and linked to the version that implemented
them; and users' suggestions for the project management information system."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.models.library import Methodology, MethodologyVersion
from standards.querysets import ChangeRequestQuerySet, SuggestionQuerySet


class ChangeRequest(models.Model):
    """A proposed change to a methodology: what, why, where it came from, its triage."""

    class Source(models.TextChoices):
        USER = "user", _("A user")
        COMPLIANCE = "compliance", _("Compliance review")
        EVALUATION = "evaluation", _("Performance evaluation")
        LESSON = "lesson", _("Lesson learned")
        AUDIT = "audit", _("Audit")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting triage")
        ACCEPTED = "accepted", _("Accepted")
        DEFERRED = "deferred", _("Deferred")
        REJECTED = "rejected", _("Rejected")
        IMPLEMENTED = "implemented", _("Implemented")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    OPEN = (Status.SUBMITTED, Status.ACCEPTED, Status.DEFERRED)

    methodology = models.ForeignKey(
        Methodology,
        verbose_name=_("methodology"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("proposed change"))
    rationale = models.TextField(_("why"), blank=True)
    affected = models.CharField(
        _("affected part"),
        max_length=200,
        blank=True,
        help_text=_("The phase, gate, process, deliverable or template concerned."),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source, default=Source.USER)
    source_reference = models.CharField(
        _("source reference"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the evaluation cycle or the lesson this request comes from."),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triage_note = models.TextField(_("triage note"), blank=True)
    implemented_in = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("implemented in version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
    )
    history = HistoricalRecords()

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("standards:change_detail", args=[self.pk])


class Suggestion(models.Model):
    """A user's suggestion for improving the project management information system."""

    class Area(models.TextChoices):
        PROJECTS = "projects", _("Project register")
        STATUS = "status", _("Status reporting")
        DASHBOARDS = "dashboards", _("Dashboards and reports")
        STANDARDS = "standards", _("Standards and templates")
        USABILITY = "usability", _("Ease of use")
        INTEGRATION = "integration", _("Integration with other systems")
        DATA = "data", _("Data quality")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONSIDERING = "considering", _("Under consideration")
        PLANNED = "planned", _("Planned for a release")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    OPEN = (Status.NEW, Status.CONSIDERING, Status.PLANNED)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("suggestion"))
    area = models.CharField(_("area"), max_length=16, choices=Area, default=Area.OTHER)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.NEW, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    response = models.TextField(_("PMO response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("system suggestion")
        verbose_name_plural = _("system suggestions")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title
