"""Project teams: the designed organisation, team health surveys and team-building actions."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import Person, Project, Role
from talent.models.competency import PROFICIENCY_VALIDATORS, Competency

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class TeamDesign(models.Model):
    """The organisation a project needs, designed from its scope and demand."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="team_design"
    )
    rationale = models.TextField(_("rationale"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team design")
        verbose_name_plural = _("team designs")
        ordering = ["project__code"]

    def __str__(self) -> str:
        return str(self.project)


class TeamPosition(models.Model):
    """A position in the design: role, head count, skills and whom it reports to."""

    design = models.ForeignKey(
        TeamDesign,
        verbose_name=_("team design"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(_("position"), max_length=120)
    role = models.ForeignKey(
        Role,
        verbose_name=_("resource role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Members with this resource role fill the position."),
    )
    count = models.PositiveSmallIntegerField(
        _("head count"), default=1, validators=[MinValueValidator(1)]
    )
    skills = models.ManyToManyField(
        Competency, verbose_name=_("skills needed"), blank=True, related_name="+"
    )
    skill_level = models.PositiveSmallIntegerField(
        _("skill level needed"), default=3, validators=PROFICIENCY_VALIDATORS
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        verbose_name = _("team position")
        verbose_name_plural = _("team positions")
        ordering = ["design_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title


class TeamSurvey(models.Model):
    """A short periodic survey of a project team (collaboration, clarity, workload)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="team_surveys"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team survey")
        verbose_name_plural = _("team surveys")
        ordering = ["project_id", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_end"], name="talent_survey_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="talent_survey_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period_end:%Y-%m-%d}"


class TeamSurveyResponse(models.Model):
    """One member's answers (1 = poor … 5 = very good; workload 5 = sustainable)."""

    survey = models.ForeignKey(
        TeamSurvey,
        verbose_name=_("team survey"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    respondent = models.ForeignKey(
        Person, verbose_name=_("respondent"), on_delete=models.CASCADE, related_name="+"
    )
    collaboration = models.PositiveSmallIntegerField(
        _("collaboration"), validators=SCORE_VALIDATORS
    )
    clarity = models.PositiveSmallIntegerField(
        _("clarity of goals and roles"), validators=SCORE_VALIDATORS
    )
    workload = models.PositiveSmallIntegerField(
        _("sustainable workload"), validators=SCORE_VALIDATORS
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team survey response")
        verbose_name_plural = _("team survey responses")
        ordering = ["survey_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="talent_response_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.respondent}"


class TeamAction(models.Model):
    """An action of a project's team-building plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="team_actions"
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team-building action")
        verbose_name_plural = _("team-building actions")
        ordering = ["project_id", "status", "due", "id"]

    def __str__(self) -> str:
        return self.title
