"""Goals and responsibilities: the goal-setting framework, SMART goals, the RACI matrix,
the responsibility agreement (目标责任书) with its sign-offs, and the communication log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.models.common import Dimension, Party
from delivery.querysets import ProjectScopedQuerySet


class GoalFramework(models.Model):
    """How goals are set for one project type (or for every type without its own)."""

    project_type = models.OneToOneField(
        "core.ProjectType",
        verbose_name=_("project type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goal_framework",
        help_text=_("Leave empty for the framework of every type that has none of its own."),
    )
    process = models.TextField(
        _("goal-setting process"),
        help_text=_("The steps from first draft to signed responsibility agreement."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal-setting framework")
        verbose_name_plural = _("goal-setting frameworks")
        ordering = ["project_type__code"]

    def __str__(self) -> str:
        return str(self.project_type or _("All project types"))


class GoalFrameworkItem(models.Model):
    """One goal dimension of a framework: required or not, who proposes and who agrees."""

    framework = models.ForeignKey(
        GoalFramework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="items"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension)
    required = models.BooleanField(_("required"), default=True)
    proposed_by = models.CharField(_("proposed by"), max_length=20, choices=Party)
    agreed_by = models.CharField(_("agreed by"), max_length=20, choices=Party)
    consulted = models.CharField(
        _("consulted"), max_length=200, blank=True, help_text=_("Parties who are consulted.")
    )
    guidance = models.TextField(_("guidance"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework goal dimension")
        verbose_name_plural = _("framework goal dimensions")
        ordering = ["framework_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "dimension"], name="framework_dimension_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_dimension_display()


class Goal(models.Model):
    """A SMART project goal: specific title, measurable KPI, baseline → target, due date."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    project = models.ForeignKey(
        "core.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="goals"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension)
    title = models.CharField(_("goal"), max_length=200)
    kpi = models.CharField(_("KPI"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.INCREASE
    )
    due_date = models.DateField(_("due date"))
    measurement = models.CharField(_("how it is measured"), max_length=300)
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    actual_value = models.DecimalField(
        _("actual"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    actual_note = models.CharField(_("note on the actual"), max_length=300, blank=True)
    attainment = models.DecimalField(
        _("attainment (%)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    benefit_review_date = models.DateField(
        _("benefit review date"),
        null=True,
        blank=True,
        help_text=_("For benefits that can only be measured after closeout."),
    )
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project goal")
        verbose_name_plural = _("project goals")
        ordering = ["project_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title


class RaciActivity(models.Model):
    """A key activity of a project, a row of its RACI matrix."""

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="raci_activities",
    )
    name = models.CharField(_("activity"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key activity")
        verbose_name_plural = _("key activities")
        ordering = ["project_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class RaciAssignment(models.Model):
    """A person's part in a key activity: Responsible, Accountable, Consulted or Informed."""

    class Letter(models.TextChoices):
        RESPONSIBLE = "R", _("Responsible")
        ACCOUNTABLE = "A", _("Accountable")
        CONSULTED = "C", _("Consulted")
        INFORMED = "I", _("Informed")

    activity = models.ForeignKey(
        RaciActivity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    letter = models.CharField(_("RACI role"), max_length=1, choices=Letter)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="raci_one_letter")
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person} · {self.letter}"


class ResponsibilityAgreement(models.Model):
    """A version of the goals and RACI frozen for sign-off by PM, sponsor and PMO in turn."""

    class Status(models.TextChoices):
        SIGNING = "signing", _("Being signed")
        SIGNED = "signed", _("Signed")
        SUPERSEDED = "superseded", _("Superseded")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.SIGNING, db_index=True
    )
    snapshot = models.JSONField(_("frozen goals and RACI"), default=dict)
    content_hash = models.CharField(_("content hash"), max_length=64)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    signed_at = models.DateTimeField(_("fully signed at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility agreement")
        verbose_name_plural = _("responsibility agreements")
        ordering = ["project_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} v{self.version}"


class AgreementSignoff(models.Model):
    """One signature of an agreement version, given in order: PM, sponsor, PMO."""

    class Step(models.TextChoices):
        MANAGER = "manager", _("Project manager")
        SPONSOR = "sponsor", _("Sponsor")
        PMO = "pmo", _("PMO")

    agreement = models.ForeignKey(
        ResponsibilityAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="signoffs",
    )
    step = models.CharField(_("signs as"), max_length=10, choices=Step)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_name = models.CharField(_("signer's name"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agreement sign-off")
        verbose_name_plural = _("agreement sign-offs")
        ordering = ["agreement_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "step"], name="signoff_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.signer_name}"


STEP_ORDER = (
    AgreementSignoff.Step.MANAGER,
    AgreementSignoff.Step.SPONSOR,
    AgreementSignoff.Step.PMO,
)


class CommunicationLog(models.Model):
    """A record of how goals were discussed and confirmed with the parties."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        WORKSHOP = "workshop", _("Workshop")
        EMAIL = "email", _("E-mail")
        CALL = "call", _("Call")
        REPORT = "report", _("Report")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="communications",
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.MEETING)
    topic = models.CharField(_("topic"), max_length=200)
    participants = models.CharField(_("participants"), max_length=300)
    summary = models.TextField(_("summary"))
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    agreement = models.ForeignKey(
        ResponsibilityAgreement,
        verbose_name=_("agreement version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communications",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("communication record")
        verbose_name_plural = _("communication log")
        ordering = ["project_id", "-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.topic
