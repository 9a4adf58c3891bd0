"""Periodic evaluation (定期项目管理绩效评估): cycles, the evaluation of each project,
self-assessment, expert panels and their scores, results and appeals."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.models.scheme import Criterion, SchemeVersion
from evaluation.querysets import CycleQuerySet, EvaluationQuerySet
from pmo.core.models import BilingualName

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Cycle(BilingualName):
    """An evaluation round (e.g. 2026 H2) on a frozen scheme version, with deadlines."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open")
        PUBLISHED = "published", _("Results published")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("code"), max_length=40, unique=True)
    version = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("scheme version"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    self_assessment_due = models.DateField(_("self-assessments due"))
    review_due = models.DateField(_("expert scores due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Calibrates disagreements and finalises results."),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation cycle")
        verbose_name_plural = _("evaluation cycles")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="eval_cycle_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(review_due__gte=models.F("self_assessment_due")),
                name="eval_cycle_deadline_order",
                violation_error_message=_(
                    "Expert scores cannot be due before the self-assessments."
                ),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("evaluation:cycle_detail", args=[self.pk])


class Evaluation(models.Model):
    """The evaluation of one project (and its manager) in a cycle."""

    class Status(models.TextChoices):
        SELF_ASSESSMENT = "self", _("Self-assessment")
        REVIEW = "review", _("Expert review")
        FINALISED = "final", _("Result finalised")
        PUBLISHED = "published", _("Published")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="evaluations"
    )
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    manager = models.ForeignKey(
        "core.Person",
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("organisational unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status,
        default=Status.SELF_ASSESSMENT,
        db_index=True,
    )
    self_summary = models.TextField(_("self-assessment report"), blank=True)
    self_submitted_at = models.DateTimeField(
        _("self-assessment submitted at"), null=True, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    coverage = models.DecimalField(
        _("weight scored (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    rationale = models.TextField(_("rationale"), blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    appeal_until = models.DateField(_("appeal possible until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("project evaluation")
        verbose_name_plural = _("project evaluations")
        ordering = ["cycle_id", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "project"], name="eval_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.cycle.label} · {self.project.code}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluation_detail", args=[self.pk])


class CriterionResult(models.Model):
    """One criterion of one evaluation: self-assessment, computed value, the experts'
    aggregate and spread, calibration, and the final score."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="results"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    self_score = models.PositiveSmallIntegerField(
        _("self-assessed score"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    evidence = models.TextField(_("evidence"), blank=True)
    metric_value = models.DecimalField(
        _("measured value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    metric_source = models.CharField(_("source"), max_length=300, blank=True)
    expert_score = models.DecimalField(
        _("experts' score"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    spread = models.DecimalField(
        _("spread (points)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    flagged = models.BooleanField(_("disagreement flagged"), default=False)
    calibrated_score = models.DecimalField(
        _("calibrated score"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    calibration_note = models.CharField(_("calibration reason"), max_length=300, blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion result")
        verbose_name_plural = _("criterion results")
        ordering = ["evaluation_id", "criterion__dimension__sort_order", "criterion__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="eval_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.criterion_id}"

    @property
    def source_label(self) -> str:
        """Where a computed value comes from, in the reader's language."""
        from pmo.core.registry import registry

        metric = registry.metrics.get(self.criterion.metric_key)
        return str(metric.source) if metric else self.metric_source

    @property
    def needs_calibration(self) -> bool:
        return self.flagged and self.calibrated_score is None


class PanelAssignment(models.Model):
    """An expert assigned to score one evaluation (no conflict of interest)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="panel"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel assignment")
        verbose_name_plural = _("panel assignments")
        ordering = ["evaluation_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "reviewer"], name="eval_panel_once")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.reviewer}"


class ExpertScore(models.Model):
    """One expert's score of one criterion, given independently of the others."""

    assignment = models.ForeignKey(
        PanelAssignment,
        verbose_name=_("panel assignment"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORE_VALIDATORS)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        ordering = ["assignment_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="eval_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.criterion_id}: {self.score}"


class Appeal(models.Model):
    """The evaluated party's one appeal against a published result, and its decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        UPHELD = "upheld", _("Upheld: result changed")
        REJECTED = "rejected", _("Rejected: result stands")

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="appeal"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appealed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("appealed at"), auto_now_add=True)
    previous_score = models.DecimalField(
        _("score before"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    previous_grade = models.CharField(_("grade before"), max_length=10, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_status_display()}"
