"""Models of the experience reuse and knowledge area.

A :class:`Lesson` is one lesson learned, captured at a project's closeout or at any
time, with the facets the knowledge library filters on (phase, knowledge area,
positive or negative, root cause, impact, project type, confidentiality). Other
apps create lessons only through ``knowledge.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from knowledge.querysets import LessonQuerySet


class LessonPhase(models.TextChoices):
    INITIATION = "initiation", _("Initiation")
    PLANNING = "planning", _("Planning")
    EXECUTION = "execution", _("Execution")
    CLOSING = "closing", _("Closing")


class KnowledgeArea(models.TextChoices):
    INTEGRATION = "integration", _("Integration")
    SCOPE = "scope", _("Scope")
    SCHEDULE = "schedule", _("Schedule")
    COST = "cost", _("Cost")
    QUALITY = "quality", _("Quality")
    RESOURCES = "resources", _("Resources")
    COMMUNICATIONS = "communications", _("Communications")
    RISK = "risk", _("Risk")
    PROCUREMENT = "procurement", _("Procurement")
    STAKEHOLDERS = "stakeholders", _("Stakeholders")


class Polarity(models.TextChoices):
    POSITIVE = "positive", _("What went well")
    NEGATIVE = "negative", _("What to improve")


class RootCause(models.TextChoices):
    PEOPLE = "people", _("People")
    PROCESS = "process", _("Process")
    TECHNOLOGY = "technology", _("Technology")
    GOVERNANCE = "governance", _("Governance")
    EXTERNAL = "external", _("External")


class Impact(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    COST = "cost", _("Cost")
    QUALITY = "quality", _("Quality")
    STAKEHOLDER = "stakeholder", _("Stakeholders")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


class Lesson(models.Model):
    """A lesson learned: what happened, why, and what to do next time."""

    class Source(models.TextChoices):
        CLOSEOUT = "closeout", _("Project closeout")
        ANYTIME = "anytime", _("During the project")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting curation")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    project_type = models.ForeignKey(
        "core.ProjectType",
        verbose_name=_("project type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    recommendation = models.TextField(_("recommendation"), blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=LessonPhase)
    knowledge_area = models.CharField(_("knowledge area"), max_length=20, choices=KnowledgeArea)
    polarity = models.CharField(_("kind"), max_length=10, choices=Polarity)
    root_cause = models.CharField(_("root cause"), max_length=20, choices=RootCause)
    impact = models.CharField(_("impact"), max_length=20, choices=Impact)
    applicability = models.CharField(
        _("applies to"),
        max_length=300,
        blank=True,
        help_text=_("Which projects or situations the lesson applies to."),
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality, default="internal"
    )
    source = models.CharField(_("captured"), max_length=20, choices=Source, default="anytime")
    status = models.CharField(
        _("curation"), max_length=20, choices=Status, default="submitted", db_index=True
    )
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Keywords, separated by commas.")
    )
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    reuse_count = models.PositiveIntegerField(_("times reused"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    curated_at = models.DateTimeField(_("curated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("captured at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:lesson_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


def split_tags(text: str) -> list[str]:
    parts = text.replace("，", ",").replace("、", ",").replace(";", ",").split(",")
    return [p.strip() for p in parts if p.strip()]
