"""Selection of PMs for a level, and the periodic appraisal with calibration and consequences."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import BilingualName, Person
from talent.models.competency import CareerLevel

GRADE_CHOICES = CareerLevel.Grade


class SelectionRound(models.Model):
    """A round that selects PMs for a career level against that level's standards."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    title = models.CharField(_("title"), max_length=200)
    level = models.ForeignKey(
        CareerLevel, verbose_name=_("career level"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talent:selection_detail", args=[self.pk])


class SelectionCandidate(models.Model):
    """A candidate in a selection round: the criteria check, the panel's score, the decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("selection round"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+"
    )
    criteria_met = models.PositiveSmallIntegerField(_("criteria met"), default=0)
    criteria_total = models.PositiveSmallIntegerField(_("criteria"), default=0)
    gaps = models.JSONField(_("gaps"), default=list, blank=True)
    panel_score = models.DecimalField(
        _("panel score (0–100)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    assessment = models.TextField(_("assessment"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=15, choices=Decision, default=Decision.PENDING
    )
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)
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
        verbose_name = _("selection candidate")
        verbose_name_plural = _("selection candidates")
        ordering = ["round_id", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="talent_candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.person}"


class AppraisalScheme(BilingualName):
    """How PMs are appraised: KPIs from our data and a weight for the manager's rating."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    manager_weight = models.DecimalField(
        _("weight of the manager's rating (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(30),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal scheme")
        verbose_name_plural = _("appraisal schemes")
        ordering = ["code"]


class AppraisalKpi(models.Model):
    """A KPI of a scheme: a project metric of the registry (or the evaluation score), its
    weight and the value that earns full marks."""

    scheme = models.ForeignKey(
        AppraisalScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="kpis"
    )
    metric_key = models.CharField(_("measure"), max_length=60)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    target = models.DecimalField(
        _("value for full marks"), max_digits=12, decimal_places=3, default=Decimal(1)
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal KPI")
        verbose_name_plural = _("appraisal KPIs")
        ordering = ["scheme_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "metric_key"], name="talent_kpi_once")
        ]

    def __str__(self) -> str:
        return self.metric_key


class AppraisalRound(models.Model):
    """A periodic appraisal of the pool's PMs over a period."""

    class Status(models.TextChoices):
        OPEN = "open", _("Rating")
        CALIBRATION = "calibration", _("Calibration")
        CLOSED = "closed", _("Closed")

    scheme = models.ForeignKey(
        AppraisalScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal round")
        verbose_name_plural = _("appraisal rounds")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="talent_round_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talent:appraisal_round", args=[self.pk])


class Appraisal(models.Model):
    """One PM's appraisal in a round: KPI score from data, manager rating, grade,
    calibration and the incentive or constraint that follows."""

    class Consequence(models.TextChoices):
        NONE = "none", _("None")
        BONUS = "bonus", _("Performance bonus")
        PROMOTION = "promotion", _("Promotion nomination")
        DEVELOPMENT = "development", _("Development plan")
        WARNING = "warning", _("Improvement warning")
        DEMOTION = "demotion", _("Level review / demotion")

    round = models.ForeignKey(
        AppraisalRound,
        verbose_name=_("appraisal round"),
        on_delete=models.CASCADE,
        related_name="appraisals",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("project manager"), on_delete=models.PROTECT, related_name="+"
    )
    kpi_score = models.DecimalField(
        _("KPI score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    kpi_detail = models.JSONField(_("KPI detail"), default=list, blank=True)
    manager_rating = models.PositiveSmallIntegerField(
        _("manager rating (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    manager_comment = models.CharField(_("manager comment"), max_length=500, blank=True)
    total_score = models.DecimalField(
        _("total score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=1, choices=GRADE_CHOICES, blank=True)
    calibrated_grade = models.CharField(
        _("calibrated grade"), max_length=1, choices=GRADE_CHOICES, blank=True
    )
    calibration_note = models.CharField(_("calibration reason"), max_length=300, blank=True)
    consequence = models.CharField(
        _("incentive or constraint"),
        max_length=12,
        choices=Consequence,
        default=Consequence.NONE,
    )
    consequence_note = models.CharField(_("what was decided"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["round_id", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="talent_appraisal_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.person}"

    @property
    def final_grade(self) -> str:
        return self.calibrated_grade or self.grade
