"""Models of the project management culture area (seed section 8).

* :class:`Idea` — a project management idea or principle (理念) the PMO promotes, with
  why it fits the company, and :class:`IdeaPractice` — where it shows in practice
  (a lesson, a case, a project) and in which lifecycle phase.
* :class:`Campaign` — a message sent to org units and job roles (宣贯); each addressee
  gets a :class:`CampaignRecipient` that records reading, acknowledgement and the quiz.
* :class:`SharingSession` — a knowledge-sharing session or community-of-practice
  meeting, with :class:`Attendance` (registration, presence, feedback).
* :class:`ImprovementIdea` — a continuous-improvement proposal from anyone, voted on
  (:class:`ImprovementVote`) and tracked to an outcome.
* :class:`Survey` — a pulse questionnaire with :class:`SurveyQuestion`s, run in
  scheduled :class:`SurveyRound`s. An answer (:class:`SurveyResponse` with its
  :class:`SurveyAnswer`s) carries only the day and the org unit; who took part is kept
  apart in :class:`SurveyParticipation`, so that nobody answers twice yet an
  anonymous answer cannot be traced to its author (random keys, no history).
* :class:`CertificationTarget` — a share of project managers of an org unit that
  should hold certain certificates by a date.
* :class:`CultureSettings` — the PMO's switches (the leaderboard).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from culture.querysets import (
    CampaignQuerySet,
    ImprovementIdeaQuerySet,
    SharingSessionQuerySet,
    SurveyQuerySet,
)


class Phase(models.TextChoices):
    """The lifecycle phases an idea can show in (the same as the lessons' phases)."""

    INITIATION = "initiation", _("Initiation")
    PLANNING = "planning", _("Planning")
    EXECUTION = "execution", _("Execution")
    CLOSING = "closing", _("Closing")


class Bilingual(models.Model):
    """A Chinese title with an optional English one, shown per active language."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title_en and (translation.get_language() or "").startswith("en"):
            return self.title_en
        return self.title


class Idea(Bilingual):
    """A project management idea or principle the PMO curates and promotes."""

    class Source(models.TextChoices):
        INTERNAL = "internal", _("From inside the company")
        EXTERNAL = "external", _("From outside (industry, standards)")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PROMOTED = "promoted", _("Promoted")
        RETIRED = "retired", _("Retired")

    summary = models.TextField(_("what it says"))
    source = models.CharField(_("source"), max_length=20, choices=Source)
    source_reference = models.CharField(
        _("reference"), max_length=300, blank=True, help_text=_("Book, standard, company or URL.")
    )
    fit = models.TextField(
        _("why it fits the company"),
        help_text=_("Which needs of the company the idea answers and what must be adapted."),
    )
    fit_rating = models.PositiveSmallIntegerField(
        _("fit to the company (1–5)"),
        default=3,
        help_text=_("5 = answers a pressing need as it is; 1 = would need deep adaptation."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PROPOSED, db_index=True
    )
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="culture_ideas",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project management idea")
        verbose_name_plural = _("project management ideas")
        ordering = ["status", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fit_rating__gte=1, fit_rating__lte=5),
                name="culture_idea_fit_1_5",
                violation_error_message=_("The fit rating is between 1 and 5."),
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("culture:idea_detail", args=[self.pk])


class IdeaPractice(models.Model):
    """Where an idea shows in practice: a lesson, a case or a project, in a phase."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="practices"
    )
    phase = models.CharField(_("lifecycle phase"), max_length=20, choices=Phase)
    lesson = models.ForeignKey(
        "knowledge.Lesson",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="culture_practices",
    )
    case = models.ForeignKey(
        "knowledge.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="culture_practices",
    )
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="culture_practices",
    )
    note = models.CharField(_("how it was applied"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("idea in practice")
        verbose_name_plural = _("ideas in practice")
        ordering = ["idea_id", "phase", "-created_at"]

    def __str__(self) -> str:
        return f"{self.idea} · {self.get_phase_display()}"


class Campaign(Bilingual):
    """A message promoted to a target audience, with read confirmation and a quiz."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LAUNCHED = "launched", _("Launched")
        CLOSED = "closed", _("Closed")

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    message = models.TextField(_("message"))
    target_units = models.ManyToManyField(
        "core.OrgUnit",
        verbose_name=_("org units"),
        blank=True,
        related_name="+",
        help_text=_("Everyone in these units and the units below them."),
    )
    target_roles = models.ManyToManyField(
        "core.Role",
        verbose_name=_("job roles"),
        blank=True,
        related_name="+",
        help_text=_("Only people with these job roles (all roles when none is chosen)."),
    )
    quiz_question = models.CharField(
        _("quiz question"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to ask for an acknowledgement only."),
    )
    quiz_options = models.JSONField(_("quiz options"), default=list, blank=True)
    quiz_answer = models.PositiveSmallIntegerField(
        _("number of the right option"), null=True, blank=True
    )
    due_on = models.DateField(_("acknowledge by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    launched_at = models.DateTimeField(_("launched"), null=True, blank=True)
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

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("culture:campaign_detail", args=[self.pk])

    @property
    def has_quiz(self) -> bool:
        return bool(self.quiz_question and self.quiz_options)


class CampaignRecipient(models.Model):
    """One addressee of a launched campaign and what they did with it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="recipients"
    )
    person = models.ForeignKey(
        "core.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="culture_campaigns",
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The person's unit when the campaign was launched."),
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    quiz_choice = models.PositiveSmallIntegerField(_("quiz answer"), null=True, blank=True)
    quiz_correct = models.BooleanField(_("quiz answered right"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign recipient")
        verbose_name_plural = _("campaign recipients")
        ordering = ["campaign_id", "org_unit__path", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="culture_recipient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.person}"


class Community(models.Model):
    """A community of practice: people who meet regularly around one topic."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        "core.Person",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        "core.Person", verbose_name=_("members"), blank=True, related_name="culture_communities"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class SharingSession(Bilingual):
    """A knowledge-sharing session (分享会) or a community-of-practice meeting."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    topic = models.CharField(_("topic"), max_length=300)
    community = models.ForeignKey(
        Community,
        verbose_name=_("community of practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    speaker = models.ForeignKey(
        "core.Person",
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        related_name="culture_talks",
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("hosting unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("place or meeting link"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    description = models.TextField(_("description"), blank=True)
    lessons = models.ManyToManyField(
        "knowledge.Lesson", verbose_name=_("lessons"), blank=True, related_name="+"
    )
    cases = models.ManyToManyField(
        "knowledge.Case", verbose_name=_("cases"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PLANNED, db_index=True
    )
    materials = models.ForeignKey(
        "knowledge.Article",
        verbose_name=_("materials in the knowledge base"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = SharingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sharing session")
        verbose_name_plural = _("sharing sessions")
        ordering = ["-starts_at", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("culture:session_detail", args=[self.pk])


class Attendance(models.Model):
    """A person's registration for a session, presence and feedback."""

    session = models.ForeignKey(
        SharingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    person = models.ForeignKey(
        "core.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="culture_attendances",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), default=False)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session_id", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="culture_attendance_unique"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="culture_attendance_rating_1_5",
                violation_error_message=_("The rating is between 1 and 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.person}"


class ImprovementIdea(models.Model):
    """A continuous-improvement proposal from anyone, voted on and tracked to an outcome."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        IMPLEMENTED = "implemented", _("Implemented")
        REJECTED = "rejected", _("Not taken up")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("proposal"))
    expected_benefit = models.CharField(_("expected benefit"), max_length=300, blank=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        "core.Person",
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="culture_improvements",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    outcome = models.TextField(_("outcome"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ImprovementIdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement idea")
        verbose_name_plural = _("improvement ideas")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("culture:improvement_detail", args=[self.pk])


class ImprovementVote(models.Model):
    """One person's vote for an improvement idea."""

    idea = models.ForeignKey(
        ImprovementIdea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="votes"
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    voted_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="culture_vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.idea} · {self.person}"


class Survey(Bilingual):
    """A pulse questionnaire on culture or maturity, run in scheduled rounds."""

    class Cadence(models.TextChoices):
        ONCE = "once", _("Once")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    description = models.TextField(_("description"), blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Answers keep no link to the person who gave them."),
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=5,
        help_text=_("Results of a unit are shown only when at least this many people answered."),
    )
    cadence = models.CharField(
        _("schedule"), max_length=20, choices=Cadence, default=Cadence.QUARTERLY
    )
    target_units = models.ManyToManyField(
        "core.OrgUnit",
        verbose_name=_("org units"),
        blank=True,
        related_name="+",
        help_text=_("Everyone in these units and below; the whole company when none is chosen."),
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
    history = HistoricalRecords()

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("pulse survey")
        verbose_name_plural = _("pulse surveys")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=3),
                name="culture_survey_min_group_3",
                violation_error_message=_("The minimum group size is at least 3."),
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("culture:survey_detail", args=[self.pk])


class SurveyQuestion(models.Model):
    """A question of a survey: a 1–5 agreement scale or a free text."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Agreement, 1 to 5")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("English question"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.SCALE)
    required = models.BooleanField(_("required"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey_id", "order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.text_en and (translation.get_language() or "").startswith("en"):
            return self.text_en
        return self.text


class SurveyRound(models.Model):
    """One scheduled run of a survey, open between two days."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="rounds"
    )
    label = models.CharField(_("label"), max_length=60, help_text=_("For example 2025 Q3."))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    notified_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["survey_id", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "label"], name="culture_round_label_unique"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="culture_round_closes_after_opening",
                violation_error_message=_("A round cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.label}"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class SurveyParticipation(models.Model):
    """That a person took part in a round — kept apart from the answers, with no time
    and no link to them, so that nobody answers twice and nobody is identified."""

    round = models.ForeignKey(
        SurveyRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="culture_participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.person}"


class SurveyResponse(models.Model):
    """One filled-in questionnaire. Random key, the day only, and the person only when
    the survey is not anonymous; no history is kept of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        SurveyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="responses"
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "core.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the survey is anonymous."),
    )
    answered_on = models.DateField(_("answered on"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.round} · {self.answered_on}"


class SurveyAnswer(models.Model):
    """The answer to one question in a response (random key like its response)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return str(self.question)


class CertificationTarget(models.Model):
    """A share of the project managers of a unit (and below) that should hold one of
    some certificates by a date (e.g. 60% with PMP or 软考高级 by year end)."""

    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    codes = models.JSONField(
        _("certificates"),
        default=list,
        help_text=_("Any of these certificate codes counts (e.g. PMP, RK_SENIOR)."),
    )
    target_percent = models.PositiveSmallIntegerField(_("target share of project managers (%)"))
    due_on = models.DateField(_("by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification target")
        verbose_name_plural = _("certification targets")
        ordering = ["org_unit__path", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_percent__gte=1, target_percent__lte=100),
                name="culture_target_percent_1_100",
                violation_error_message=_("The target is between 1% and 100%."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} · {'/'.join(self.codes)} ≥ {self.target_percent}%"


class CultureSettings(models.Model):
    """The PMO's switches for the culture area (one row)."""

    leaderboard_enabled = models.BooleanField(
        _("show the recognition leaderboard"),
        default=True,
        help_text=_("When off, people see only their own points and badges."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("culture settings")
        verbose_name_plural = _("culture settings")

    def __str__(self) -> str:
        return str(_("culture settings"))

    @classmethod
    def current(cls) -> CultureSettings:
        return cls.objects.get_or_create(pk=1)[0]
