"""The PM competency model and the career ladder with its promotion criteria."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import BilingualName

PROFICIENCY_MIN = 1
PROFICIENCY_MAX = 5
PROFICIENCY_VALIDATORS = [MinValueValidator(PROFICIENCY_MIN), MaxValueValidator(PROFICIENCY_MAX)]


class CompetencyDimension(BilingualName):
    """A group of competencies, e.g. a side of the PMI Talent Triangle or an ICB4 area."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competency dimension")
        verbose_name_plural = _("competency dimensions")
        ordering = ["sort_order", "code"]


class Competency(BilingualName):
    """One competency a project manager is assessed on, on a 1–5 proficiency scale."""

    dimension = models.ForeignKey(
        CompetencyDimension,
        verbose_name=_("dimension"),
        on_delete=models.PROTECT,
        related_name="competencies",
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["dimension__sort_order", "sort_order", "code"]


class BehaviourIndicator(models.Model):
    """What a competency looks like at one proficiency level (behavioural description)."""

    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.CASCADE,
        related_name="behaviours",
    )
    proficiency = models.PositiveSmallIntegerField(
        _("proficiency"), validators=PROFICIENCY_VALIDATORS
    )
    description = models.CharField(_("observable behaviour"), max_length=400)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("behavioural indicator")
        verbose_name_plural = _("behavioural indicators")
        ordering = ["competency_id", "proficiency"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "proficiency"], name="talent_behaviour_unique_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency} {self.proficiency}"


class CareerLevel(BilingualName):
    """A rung of the PM career ladder with the criteria for promotion into it."""

    class Grade(models.TextChoices):
        A = "A", _("A · excellent")
        B = "B", _("B · good")
        C = "C", _("C · acceptable")
        D = "D", _("D · poor")

    code = models.CharField(_("code"), max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True, help_text=_("1 is the first rung; higher ranks are more senior.")
    )
    description = models.TextField(_("description"), blank=True)
    selection_standards = models.TextField(
        _("selection standards"),
        blank=True,
        help_text=_("What a selection panel looks for beyond the measurable criteria."),
    )
    min_projects_managed = models.PositiveSmallIntegerField(
        _("projects managed (at least)"), default=0
    )
    min_budget_managed = models.DecimalField(
        _("largest budget managed (CNY, at least)"), max_digits=16, decimal_places=2, default=0
    )
    min_years = models.DecimalField(
        _("years of PM experience (at least)"), max_digits=4, decimal_places=1, default=0
    )
    required_certifications = models.ManyToManyField(
        "talent.Certification",
        verbose_name=_("accepted certificates"),
        blank=True,
        related_name="levels",
        help_text=_("A valid certificate of any one of these is required; none = no requirement."),
    )
    min_appraisal_grade = models.CharField(
        _("latest appraisal grade (at least)"), max_length=1, choices=Grade, blank=True
    )
    max_project_budget = models.DecimalField(
        _("largest project this level leads (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Used by the talent gap analysis; empty = no limit."),
    )
    history = HistoricalRecords(m2m_fields=[required_certifications])

    class Meta:
        verbose_name = _("career level")
        verbose_name_plural = _("career levels")
        ordering = ["rank"]


class LevelRequirement(models.Model):
    """The proficiency a level asks for in one competency."""

    level = models.ForeignKey(
        CareerLevel,
        verbose_name=_("career level"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="level_requirements",
    )
    min_proficiency = models.PositiveSmallIntegerField(
        _("required proficiency"), validators=PROFICIENCY_VALIDATORS
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("level requirement")
        verbose_name_plural = _("level requirements")
        ordering = ["level__rank", "competency__sort_order", "competency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "competency"], name="talent_requirement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.competency} ≥ {self.min_proficiency}"
