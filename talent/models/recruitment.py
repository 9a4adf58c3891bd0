"""Bringing in PM talent: salary bands, recruitment plans, vacancies, candidates, onboarding."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import Person
from talent.models.competency import CareerLevel


class SalaryBand(models.Model):
    """The competitive pay band of a career level (yearly, CNY)."""

    level = models.OneToOneField(
        CareerLevel, verbose_name=_("career level"), on_delete=models.CASCADE, related_name="band"
    )
    minimum = models.DecimalField(_("minimum"), max_digits=12, decimal_places=0)
    midpoint = models.DecimalField(_("midpoint"), max_digits=12, decimal_places=0)
    maximum = models.DecimalField(_("maximum"), max_digits=12, decimal_places=0)
    market_p50 = models.DecimalField(
        _("market median"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("salary band")
        verbose_name_plural = _("salary bands")
        ordering = ["level__rank"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__lte=models.F("midpoint"))
                & models.Q(midpoint__lte=models.F("maximum")),
                name="talent_band_order",
                violation_error_message=_("A band needs minimum ≤ midpoint ≤ maximum."),
            )
        ]

    def __str__(self) -> str:
        return str(self.level)


class RecruitmentPlan(models.Model):
    """A plan to hire PMs in a year, answering the talent gap analysis."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    rationale = models.TextField(_("rationale"), blank=True)
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
        verbose_name = _("recruitment plan")
        verbose_name_plural = _("recruitment plans")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talent:recruitment_plan", args=[self.pk])


class Vacancy(models.Model):
    """A position to fill: level, head count, selection standards and channels."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(
        RecruitmentPlan,
        verbose_name=_("recruitment plan"),
        on_delete=models.CASCADE,
        related_name="vacancies",
    )
    title = models.CharField(_("position"), max_length=200)
    level = models.ForeignKey(
        CareerLevel, verbose_name=_("career level"), on_delete=models.PROTECT, related_name="+"
    )
    headcount = models.PositiveSmallIntegerField(
        _("head count"), default=1, validators=[MinValueValidator(1)]
    )
    selection_standards = models.TextField(_("selection standards"), blank=True)
    channels = models.CharField(
        _("channels"),
        max_length=300,
        blank=True,
        help_text=_("Campus, headhunter, referral, job sites …"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["plan_id", "level__rank", "id"]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """A candidate moving through the pipeline of a vacancy."""

    class Stage(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SCREENED = "screened", _("Screened")
        INTERVIEWED = "interviewed", _("Interviewed")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("name"), max_length=120)
    channel = models.CharField(_("channel"), max_length=60, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage, default=Stage.APPLIED)
    applied_on = models.DateField(_("applied on"))
    certificates = models.CharField(_("certificates"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("employee record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["vacancy_id", "-applied_on", "id"]

    def __str__(self) -> str:
        return self.name


class Onboarding(models.Model):
    """The onboarding and mentoring plan of a new PM, with its check-ins."""

    person = models.OneToOneField(
        Person, verbose_name=_("new hire"), on_delete=models.CASCADE, related_name="onboarding"
    )
    mentor = models.ForeignKey(
        Person, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentees"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goals = models.TextField(_("goals of the first months"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onboarding plan")
        verbose_name_plural = _("onboarding plans")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return str(self.person)


class OnboardingCheckIn(models.Model):
    """A mentor's check-in with the new hire."""

    onboarding = models.ForeignKey(
        Onboarding,
        verbose_name=_("onboarding plan"),
        on_delete=models.CASCADE,
        related_name="checkins",
    )
    held_on = models.DateField(_("held on"))
    progress = models.PositiveSmallIntegerField(
        _("progress (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("notes"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onboarding check-in")
        verbose_name_plural = _("onboarding check-ins")
        ordering = ["onboarding_id", "held_on"]

    def __str__(self) -> str:
        return f"{self.onboarding} {self.held_on}"
