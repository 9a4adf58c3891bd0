"""The knowledge base: a framework of categories, cases, articles, files and reuse.

A :class:`Category` is one node of the knowledge framework (分类分级): categories nest,
are ordered by ``position`` and carry a level. A :class:`Case` is a structured success
or failure story of a project; an :class:`Article` a piece of rich text (Markdown) with
versions, an owner and a review date. Files of cases and articles are
:class:`KnowledgeFile` rows kept in the private storage. :class:`Usage` records how
the library is used: views, "helpful" votes and "applied in project X" with an outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from knowledge.models.lessons import (
    Confidentiality,
    KnowledgeArea,
    LessonPhase,
    split_tags,
)
from knowledge.querysets import ArticleQuerySet, CaseQuerySet, CategoryQuerySet, UsageQuerySet
from pmo.reports.storage import private_storage


class CurationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting curation")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned")


class Category(models.Model):
    """A node of the knowledge framework; ``level`` is its depth (1 = top)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")
        ordering = ["level", "position", "code"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("knowledge:category_detail", args=[self.pk])

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def title(self) -> str:
        return self.label


class Case(models.Model):
    """A structured success or failure case of a project."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        MIXED = "mixed", _("Mixed")

    title = models.CharField(_("title"), max_length=200)
    outcome_kind = models.CharField(_("kind of case"), max_length=10, choices=Outcome)
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_cases",
    )
    project_type = models.ForeignKey(
        "core.ProjectType",
        verbose_name=_("project type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_cases",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=LessonPhase, blank=True)
    knowledge_area = models.CharField(
        _("knowledge area"), max_length=20, choices=KnowledgeArea, blank=True
    )
    background = models.TextField(_("background"))
    what_happened = models.TextField(_("what happened"))
    decisions = models.TextField(_("decisions taken"), blank=True)
    outcome = models.TextField(_("outcome"))
    lessons = models.TextField(_("lessons"), blank=True)
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Keywords, separated by commas.")
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality, default="internal"
    )
    status = models.CharField(
        _("curation"),
        max_length=20,
        choices=CurationStatus,
        default=CurationStatus.SUBMITTED,
        db_index=True,
    )
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    reuse_count = models.PositiveIntegerField(_("times reused"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:case_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.title

    @property
    def rating(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None

    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


class Article(models.Model):
    """A knowledge-base article (Markdown), versioned, with an owner and a review date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    body = models.TextField(_("text"), help_text=_("Markdown: # heading, **bold**, - list."))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Keywords, separated by commas.")
    )
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
    )
    review_due = models.DateField(_("review due"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality, default="internal"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.title

    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


class ArticleVersion(models.Model):
    """The text of an article as it was at one version."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_article_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class KnowledgeFile(models.Model):
    """An attachment of a case or an article, kept outside the web root."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField(
        _("file"), upload_to="knowledge/files/%Y/%m/", storage=private_storage, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge file")
        verbose_name_plural = _("knowledge files")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, article__isnull=True)
                | models.Q(case__isnull=True, article__isnull=False),
                name="knowledge_file_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class Usage(models.Model):
    """One use of a lesson, a case or an article: a view, a vote or an application."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Viewed")
        HELPFUL = "helpful", _("Marked helpful")
        APPLIED = "applied", _("Applied in a project")

    class Result(models.TextChoices):
        HELPED = "helped", _("Helped")
        NEUTRAL = "neutral", _("No visible effect")
        DID_NOT_HELP = "did_not_help", _("Did not help")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, db_index=True)
    lesson = models.ForeignKey(
        "knowledge.Lesson",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="usages",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="usages",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="usages",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "core.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_usages",
    )
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("applied in project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knowledge_usages",
    )
    result = models.CharField(_("outcome"), max_length=20, choices=Result, blank=True)
    note = models.CharField(_("outcome note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = UsageQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge usage")
        verbose_name_plural = _("knowledge usages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(lesson__isnull=False, case__isnull=True, article__isnull=True)
                    | models.Q(lesson__isnull=True, case__isnull=False, article__isnull=True)
                    | models.Q(lesson__isnull=True, case__isnull=True, article__isnull=False)
                ),
                name="knowledge_usage_one_item",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="applied") | models.Q(project__isnull=False),
                name="knowledge_usage_applied_has_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item}"

    @property
    def item(self):
        return self.lesson or self.case or self.article
