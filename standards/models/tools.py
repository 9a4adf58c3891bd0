"""Evaluation of project management software: candidates scored by several evaluators
on weighted criteria (the weights sum to 100 %), and the decision taken."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.querysets import ToolEvaluationQuerySet

MAX_SCORE = 10


class ToolEvaluation(models.Model):
    """A selection of a PM software tool: criteria, candidates, evaluators, decision."""

    class Status(models.TextChoices):
        SETUP = "setup", _("Being set up")
        SCORING = "scoring", _("Scoring")
        DECIDED = "decided", _("Decided")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SETUP)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluators"),
        blank=True,
        related_name="tool_evaluations",
    )
    chosen = models.ForeignKey(
        "ToolCandidate",
        verbose_name=_("chosen tool"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[evaluators])

    objects = ToolEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tool evaluation")
        verbose_name_plural = _("tool evaluations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("standards:tool_detail", args=[self.pk])


class ToolCriterion(models.Model):
    """A weighted criterion (functions, usability, integration, cost …)."""

    evaluation = models.ForeignKey(
        ToolEvaluation,
        verbose_name=_("tool evaluation"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    name = models.CharField(_("criterion"), max_length=200)
    description = models.CharField(_("what is judged"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tool criterion")
        verbose_name_plural = _("tool criteria")
        ordering = ["evaluation_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ToolCandidate(models.Model):
    """A candidate PM software product."""

    evaluation = models.ForeignKey(
        ToolEvaluation,
        verbose_name=_("tool evaluation"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    name = models.CharField(_("product"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    annual_cost = models.DecimalField(
        _("annual cost (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tool candidate")
        verbose_name_plural = _("tool candidates")
        ordering = ["evaluation_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class ToolScore(models.Model):
    """One evaluator's score of one candidate on one criterion (0–10)."""

    criterion = models.ForeignKey(
        ToolCriterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    candidate = models.ForeignKey(
        ToolCandidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="scores"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.CASCADE,
        related_name="tool_scores",
    )
    score = models.DecimalField(
        _("score (0–10)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(MAX_SCORE))],
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tool score")
        verbose_name_plural = _("tool scores")
        ordering = ["candidate_id", "criterion_id", "evaluator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "candidate", "evaluator"], name="standards_tool_score_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=MAX_SCORE),
                name="standards_tool_score_0_10",
                violation_error_message=_("A score runs from 0 to 10."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.criterion}: {self.score}"
