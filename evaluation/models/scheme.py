"""The evaluation system (评价体系): schemes, their versions, dimensions, criteria with
rubrics, and grade bands. A cycle always uses one published (frozen) version."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.querysets import SchemeQuerySet, SchemeVersionQuerySet
from pmo.core.models import BilingualName, Classification, Stage


class Scheme(BilingualName):
    """A named evaluation system; its content lives in numbered versions."""

    class Kind(models.TextChoices):
        PERFORMANCE = "performance", _("Performance evaluation")
        MATURITY = "maturity", _("Maturity assessment")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PERFORMANCE)
    description = models.TextField(_("description"), blank=True)
    preset = models.CharField(
        _("preset"), max_length=40, blank=True, help_text=_("Set when installed from a preset.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["code"]

    def get_absolute_url(self) -> str:
        return reverse("evaluation:scheme_detail", args=[self.pk])


class SchemeVersion(models.Model):
    """One version of a scheme: scope, method, organisation and process. Editable as a
    draft; frozen once published, when cycles may use it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean of the experts' scores")
        TRIMMED = "trimmed", _("Trimmed mean of the experts' scores")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Scope (评价范围)
    scope_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("organisational unit in scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Projects of this unit and the units below it; empty = all units."),
    )
    scope_project_type = models.ForeignKey(
        "core.ProjectType",
        verbose_name=_("project type in scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty = every project type."),
    )
    scope_classifications = models.JSONField(
        _("classifications in scope"),
        default=list,
        blank=True,
        help_text=_("Empty = every classification."),
    )
    scope_stages = models.JSONField(
        _("lifecycle stages in scope"),
        default=list,
        blank=True,
        help_text=_("Projects in these stages when a cycle opens."),
    )
    # Method (评分方法)
    aggregation = models.CharField(
        _("aggregation of expert scores"),
        max_length=10,
        choices=Aggregation,
        default=Aggregation.MEAN,
    )
    trim_percent = models.PositiveSmallIntegerField(
        _("trimmed share at each end (%)"),
        default=20,
        validators=[MaxValueValidator(40)],
        help_text=_("With a trimmed mean: the share of scores dropped at each end."),
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (points)"),
        max_digits=3,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
        help_text=_("Experts disagree when their highest and lowest score differ by more."),
    )
    # Organisation (评价组织形式) and process (评价流程)
    panel_size = models.PositiveSmallIntegerField(
        _("experts per project"), default=2, validators=[MinValueValidator(1)]
    )
    exclude_same_unit = models.BooleanField(
        _("exclude experts of the same unit"),
        default=False,
        help_text=_("An expert of the evaluated project's unit may not score it."),
    )
    self_assessment = models.BooleanField(_("self-assessment required"), default=True)
    appeal_days = models.PositiveSmallIntegerField(
        _("appeal window (days)"), default=10, validators=[MaxValueValidator(90)]
    )
    organisation = models.TextField(
        _("organisation form"),
        blank=True,
        help_text=_("Who forms the panel and who chairs it."),
    )
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SchemeVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        ordering = ["scheme_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="eval_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.label} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:version_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return str(self)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def classification_labels(self) -> list[str]:
        names = dict(Classification.choices)
        return [str(names.get(code, code)) for code in self.scope_classifications]

    @property
    def stage_labels(self) -> list[str]:
        names = dict(Stage.choices)
        return [str(names.get(code, code)) for code in self.scope_stages]


class Dimension(BilingualName):
    """A dimension of a version (评价维度), or a P3M3 perspective, with its weight."""

    version = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("scheme version"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    code = models.CharField(_("code"), max_length=40)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["version_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="eval_dimension_code")
        ]


class Criterion(BilingualName):
    """A criterion (评分标准) with its weight inside the dimension and a rubric; scored
    by people, or computed from a project metric of the registry."""

    class Method(models.TextChoices):
        SCORED = "scored", _("Scored by people")
        COMPUTED = "computed", _("Computed from data")

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=40)
    weight = models.DecimalField(
        _("weight in the dimension (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    method = models.CharField(_("method"), max_length=10, choices=Method, default=Method.SCORED)
    metric_key = models.CharField(_("metric"), max_length=60, blank=True)
    value_at_1 = models.DecimalField(
        _("metric value scoring 1"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    value_at_5 = models.DecimalField(
        _("metric value scoring 5"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    rubric_1 = models.CharField(_("what a 1 looks like"), max_length=300, blank=True)
    rubric_3 = models.CharField(_("what a 3 looks like"), max_length=300, blank=True)
    rubric_5 = models.CharField(_("what a 5 looks like"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["dimension__sort_order", "dimension_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="eval_criterion_code")
        ]

    @property
    def is_computed(self) -> bool:
        return self.method == self.Method.COMPUTED

    @property
    def effective_weight(self) -> float:
        """Weight in the whole scheme, in per cent."""
        return float(self.dimension.weight) * float(self.weight) / 100


class GradeBand(models.Model):
    """A grade (评价档次) with its lower bound on the 0–100 score (inclusive)."""

    version = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("scheme version"),
        on_delete=models.CASCADE,
        related_name="bands",
    )
    code = models.CharField(_("grade"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    min_score = models.DecimalField(
        _("from score"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["version_id", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="eval_band_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name
