"""The process and template library: best-practice sources, methodologies per project
type and their versions (phases, gates, processes with steps, required deliverables),
and document templates with their file revisions.

Everything a project follows hangs off one :class:`MethodologyVersion`. A version is
edited only while it is a draft, reviewed, then published; publishing retires the
version published before it, so exactly one version per methodology is published and
that is the one projects are assigned to. The content rows keep a ``code`` that stays
the same from version to version, which is what the version diff and the carrying over
of a project's evidence match on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import BilingualName, Stage
from pmo.reports.storage import private_storage
from standards.querysets import (
    DeliverableQuerySet,
    MethodologyVersionQuerySet,
    ProcessQuerySet,
    TemplateQuerySet,
)

CODE = {"max_length": 40}


class BestPracticeSource(BilingualName):
    """An internal or external reference the standards draw on, and what was adopted."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National standard")
        INTERNATIONAL = "international", _("International standard")
        FRAMEWORK = "framework", _("Industry framework")
        INTERNAL = "internal", _("Internal regulation")
        PEER = "peer", _("Peer practice")

    class Adoption(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        REFERENCE = "reference", _("Reference only")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    code = models.CharField(_("code"), unique=True, **CODE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NATIONAL)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    adoption = models.CharField(
        _("adoption"), max_length=20, choices=Adoption, default=Adoption.REFERENCE
    )
    adoption_note = models.TextField(
        _("what was adopted"),
        blank=True,
        help_text=_("Which practices of this source our standards take over, and how."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("best-practice source")
        verbose_name_plural = _("best-practice sources")
        ordering = ["sort_order", "code"]


class Methodology(BilingualName):
    """The project management method of one project type (or of all, when none)."""

    code = models.CharField(_("code"), unique=True, **CODE)
    project_type = models.OneToOneField(
        "core.ProjectType",
        verbose_name=_("project type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="methodology",
        help_text=_("Leave empty for a methodology any project type may follow."),
    )
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        ordering = ["code"]

    def get_absolute_url(self) -> str:
        return reverse("standards:methodology_detail", args=[self.pk])


class MethodologyVersion(models.Model):
    """One version of a methodology, moving draft → in review → published → retired."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    methodology = models.ForeignKey(
        Methodology,
        verbose_name=_("methodology"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT, db_index=True
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    change_summary = models.TextField(_("summary of changes"), blank=True)
    sources = models.ManyToManyField(
        BestPracticeSource,
        verbose_name=_("best-practice sources"),
        blank=True,
        related_name="versions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[sources])

    objects = MethodologyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("methodology version")
        verbose_name_plural = _("methodology versions")
        ordering = ["methodology_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "number"], name="standards_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["methodology"],
                condition=models.Q(status="published"),
                name="standards_one_published_version",
                violation_error_message=_("A methodology has one published version at a time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.methodology} V{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("standards:version_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"V{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class VersionPart(BilingualName):
    """A row of a version's content: a stable code, names, an order."""

    code = models.CharField(_("code"), **CODE)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True


class LifecyclePhase(VersionPart):
    """A phase of the lifecycle (立项, 规划, 执行, 收尾 …)."""

    version = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lifecycle phase")
        verbose_name_plural = _("lifecycle phases")
        ordering = ["version_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="standards_phase_unique_code")
        ]


class LifecycleGate(VersionPart):
    """A gate (阶段关口) closing a phase, with the deliverables it requires.

    A gate's deliverables fall due once the project reaches ``due_stage`` or once the
    gate's planned date has passed: the planned start plus ``position_percent`` of the
    project's planned duration.
    """

    version = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="gates",
    )
    phase = models.ForeignKey(
        LifecyclePhase,
        verbose_name=_("phase it closes"),
        on_delete=models.CASCADE,
        related_name="gates",
    )
    due_stage = models.CharField(
        _("due from lifecycle stage"),
        max_length=20,
        choices=Stage,
        default=Stage.ACTIVE,
        help_text=_("The deliverables are due once the project has reached this stage."),
    )
    position_percent = models.PositiveSmallIntegerField(
        _("planned position (percentage of duration)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Where the gate falls in the project's planned duration; its deliverables are "
            "due once that date has passed."
        ),
    )
    decision_body = models.CharField(_("decided by"), max_length=200, blank=True)
    criteria = models.TextField(_("criteria"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lifecycle gate")
        verbose_name_plural = _("lifecycle gates")
        ordering = ["version_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="standards_gate_unique_code")
        ]


class Process(VersionPart):
    """A management process carried out in a phase: steps, owner, inputs and outputs."""

    version = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="processes",
    )
    phase = models.ForeignKey(
        LifecyclePhase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="processes"
    )
    owner_role = models.ForeignKey(
        "core.Role",
        verbose_name=_("owner role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_responsibility = models.CharField(
        _("owner (responsibility)"),
        max_length=200,
        blank=True,
        help_text=_("Who owns the process where no job role fits (e.g. sponsor, PMO)."),
    )
    inputs = models.TextField(_("inputs"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    history = HistoricalRecords()

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["version_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="standards_process_unique_code"
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("standards:process_detail", args=[self.pk])

    @property
    def owner_label(self) -> str:
        return self.owner_role.label if self.owner_role_id else self.owner_responsibility


class ProcessStep(models.Model):
    """One step of a process and the role or responsibility that carries it out."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="steps"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("step"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    owner_role = models.ForeignKey(
        "core.Role",
        verbose_name=_("owner role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsibility = models.CharField(
        _("responsibility"),
        max_length=200,
        blank=True,
        help_text=_("Who carries the step out where no job role fits."),
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils import translation

        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def owner_label(self) -> str:
        return self.owner_role.label if self.owner_role_id else self.responsibility

    @property
    def has_owner(self) -> bool:
        return bool(self.owner_role_id or self.responsibility.strip())


class DocumentTemplate(BilingualName):
    """A document template (project charter, plan, acceptance report …) with revisions."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In use")
        RETIRED = "retired", _("Retired")

    code = models.CharField(_("code"), unique=True, **CODE)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    current = models.ForeignKey(
        "TemplateRevision",
        verbose_name=_("current revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["code"]

    def get_absolute_url(self) -> str:
        return reverse("standards:template_detail", args=[self.pk])


class TemplateRevision(models.Model):
    """One uploaded file of a template; kept outside the web root."""

    template = models.ForeignKey(
        DocumentTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("revision"))
    file = models.FileField(
        _("file"), upload_to="standards/templates/%Y/%m/", storage=private_storage, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
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
        verbose_name = _("template revision")
        verbose_name_plural = _("template revisions")
        ordering = ["template_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="standards_template_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template.code} r{self.number}"


class RequiredDeliverable(VersionPart):
    """A deliverable a gate requires, produced by a process; optional ones may be
    tailored out by a project with the PMO's approval."""

    version = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    gate = models.ForeignKey(
        LifecycleGate,
        verbose_name=_("required at gate"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("produced by process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
    )
    template = models.ForeignKey(
        DocumentTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliverables",
    )
    is_optional = models.BooleanField(
        _("optional (may be tailored out)"),
        default=False,
        help_text=_("A project may tailor an optional deliverable out, with the PMO's approval."),
    )
    history = HistoricalRecords()

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("required deliverable")
        verbose_name_plural = _("required deliverables")
        ordering = ["version_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="standards_deliverable_unique_code"
            )
        ]
