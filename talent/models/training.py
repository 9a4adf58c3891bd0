"""Training: courses, their sessions, enrolment with attendance and feedback, yearly plans."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import BilingualName, Person
from talent.models.competency import Competency
from talent.querysets import EnrolmentQuerySet

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Course(BilingualName):
    """A course, internal or external, that develops one or more competencies."""

    class Category(models.TextChoices):
        PM_SYSTEM = "pm_system", _("PM system")
        METHODOLOGY = "methodology", _("PM methods and tools")
        LEADERSHIP = "leadership", _("Leadership and power skills")
        BUSINESS = "business", _("Business acumen")
        CERTIFICATION = "certification", _("Certification preparation")
        TECHNICAL = "technical", _("Domain and technical")

    class Delivery(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    code = models.CharField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    delivery = models.CharField(
        _("delivered by"), max_length=10, choices=Delivery, default=Delivery.INTERNAL
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies developed"), blank=True, related_name="courses"
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[competencies])

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]

    def get_absolute_url(self) -> str:
        return reverse("talent:course_detail", args=[self.pk])


class TrainingSession(models.Model):
    """One run of a course on given days."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), default=30)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="talent_session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("talent:session_detail", args=[self.pk])


class Enrolment(models.Model):
    """A person enrolled in a session: attendance, hours, feedback and effectiveness."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="enrolments"
    )
    attended = models.BooleanField(_("attended"), default=False)
    hours = models.DecimalField(_("hours attended"), max_digits=5, decimal_places=1, default=0)
    feedback_rating = models.PositiveSmallIntegerField(
        _("feedback (1–5)"),
        null=True,
        blank=True,
        validators=RATING_VALIDATORS,
        help_text=_("How well the course met the participant's needs."),
    )
    feedback = models.CharField(_("feedback comment"), max_length=500, blank=True)
    effectiveness_rating = models.PositiveSmallIntegerField(
        _("effectiveness (1–5)"),
        null=True,
        blank=True,
        validators=RATING_VALIDATORS,
        help_text=_("The line manager's view of the change at work after the course."),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session_id", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="talent_enrolment_once"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0),
                name="talent_enrolment_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class TrainingPlan(models.Model):
    """The training plan of one year, generated from competency gaps and training needs."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("talent:plan_detail", args=[self.year])


class TrainingPlanItem(models.Model):
    """A line of the plan: a competency gap or a training need, and the course answering it."""

    class Source(models.TextChoices):
        GAP = "gap", _("Competency gap")
        EVALUATION = "evaluation", _("Evaluation improvement action")
        MANUAL = "manual", _("Added by the PMO")

    plan = models.ForeignKey(
        TrainingPlan,
        verbose_name=_("training plan"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source)
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("need"), max_length=300)
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("people with the gap"), blank=True, related_name="+"
    )
    people_count = models.PositiveSmallIntegerField(_("people"), default=0)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    source_url = models.CharField(_("source link"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        verbose_name = _("training plan item")
        verbose_name_plural = _("training plan items")
        ordering = ["plan_id", "quarter", "-people_count", "id"]

    def __str__(self) -> str:
        return self.topic
