"""Decision support for major investments: feasibility studies, alternatives, reviews,
recommendations and decisions.

The chain a proposal goes through:

* **Study** (可行性研究) — one version of a project's feasibility study, with its
  sections (``StudySection``: each has an owner and a review state) and their rows:
  scope items, cost lines, milestones (路标), resource lines (written to the core's
  ``ResourceDemand``), social-benefit scores, readiness answers.
* **Alternative** — the proposal itself, "do nothing" and other options, each with its
  own yearly ``CashFlow`` rows, ``Risk`` register and ``CriterionScore`` on the study's
  weighted ``Criterion`` list; the appraisal figures (NPV, IRR …) are kept on the
  alternative by the services.
* **Review** — an expert assigned by the PMO scores the criteria (``ReviewScore``) and
  gives a verdict on each readiness question (``ReadinessVerdict``).
* **Decision** — the meeting's decision on the study; its conditions become tracked
  ``Action`` rows.

Calculations live in ``decisions.finance`` and ``decisions.ranking`` (no Django); writes
go through ``decisions.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from decisions.querysets import AlternativeQuerySet, ReviewQuerySet, StudyQuerySet
from pmo.core.models import BilingualName, Person, Project, Role

MONEY = {"max_digits": 16, "decimal_places": 2}


class AppraisalSettings(models.Model):
    """The PMO's settings of investment appraisal (one row)."""

    default_discount_rate = models.DecimalField(
        _("default discount rate (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("8.00"),
        help_text=_("Proposed for new studies; each study can set its own."),
    )
    default_horizon_years = models.PositiveSmallIntegerField(
        _("default appraisal horizon (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    exclude_same_unit = models.BooleanField(
        _("exclude reviewers of the project's own unit"),
        default=True,
        help_text=_(
            "When set, a reviewer who works in the project's organisational unit has a "
            "conflict of interest and cannot be assigned."
        ),
    )
    disagreement_spread = models.DecimalField(
        _("disagreement threshold (points)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("10"))],
        help_text=_(
            "Reviewers disagree on a criterion when their highest and lowest scores are "
            "this many points apart or more (scores run 1–10)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal settings")
        verbose_name_plural = _("appraisal settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_discount_rate__gt=-100),
                name="appraisal_settings_rate_above_minus_100",
                violation_error_message=_("The discount rate must be above −100 %%."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Appraisal settings"))

    @classmethod
    def current(cls) -> AppraisalSettings:
        return cls.objects.first() or cls()


class SocialCriterion(BilingualName):
    """A configurable criterion of social benefit (employment, environment, safety …)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("what a high score means"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("social-benefit criterion")
        verbose_name_plural = _("social-benefit criteria")
        ordering = ["sort_order", "code"]


class Recommendation(models.TextChoices):
    """What a reviewer or the PMO recommends to the decision makers."""

    INVEST = "invest", _("Invest")
    INVEST_WITH_CONDITIONS = "invest_conditions", _("Invest with conditions")
    REVISE = "revise", _("Revise and resubmit")
    REJECT = "reject", _("Reject")


class Study(models.Model):
    """One version of a project's feasibility study (可行性研究)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In expert review")
        DECIDED = "decided", _("Decided")
        SUPERSEDED = "superseded", _("Superseded")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="studies"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    revision_note = models.CharField(_("what changed in this version"), max_length=500, blank=True)
    base_year = models.PositiveSmallIntegerField(
        _("calendar year of year 0"), validators=[MinValueValidator(2000)]
    )
    horizon_years = models.PositiveSmallIntegerField(
        _("appraisal horizon (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Cash flows run from year 0 to this year."),
    )
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=6,
        decimal_places=2,
        help_text=_("The yearly rate the cash flows are discounted at, e.g. 8 for 8 %."),
    )
    contingency_percent = models.DecimalField(
        _("contingency (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Added on top of the cost estimate for unforeseen costs."),
    )
    competitive_advantage = models.TextField(
        _("competitive advantage of the proposal"),
        blank=True,
        help_text=_("Why the proposal beats the alternatives (与备选方案比的竞争优势)."),
    )
    recommendation = models.CharField(
        _("investment recommendation"), max_length=20, choices=Recommendation, blank=True
    )
    recommendation_reasoning = models.TextField(_("reasoning of the recommendation"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    pack_run = models.ForeignKey(
        "reports.ReportRun",
        verbose_name=_("decision pack"),
        null=True,
        blank=True,
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("feasibility study")
        verbose_name_plural = _("feasibility studies")
        ordering = ["project__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "version"],
                name="study_unique_version",
                violation_error_message=_("This version of the study exists already."),
            ),
            models.CheckConstraint(
                condition=models.Q(discount_rate__gt=-100),
                name="study_rate_above_minus_100",
                violation_error_message=_("The discount rate must be above −100 %%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:study_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def rate(self) -> float:
        """The discount rate as a fraction (0.08 for 8 %)."""
        return float(self.discount_rate) / 100


class SectionKind(models.TextChoices):
    """The parts of a feasibility study, in the order of the seed's procedure."""

    BASIC = "basic", _("Basic information and plan")
    STRATEGY = "strategy", _("Fit with strategy")
    MARKET = "market", _("Market research and demand")
    ECONOMICS = "economics", _("Economic benefits")
    SOCIAL = "social", _("Social benefits")
    SCOPE = "scope", _("Scope assumptions")
    COSTS = "costs", _("Cost estimate")
    SCHEDULE = "schedule", _("Schedule and milestones")
    RESOURCES = "resources", _("Resources")
    RISKS = "risks", _("Risks")
    ALTERNATIVES = "alternatives", _("Alternatives")


class StudySection(models.Model):
    """A section of a study: its narrative, its owner and its review state."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being written")
        READY = "ready", _("Ready for review")
        ACCEPTED = "accepted", _("Accepted")
        REWORK = "rework", _("Rework requested")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("section"), max_length=20, choices=SectionKind)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="study_sections",
    )
    content = models.TextField(_("text"), blank=True)
    status = models.CharField(_("review state"), max_length=20, choices=Status, default="draft")
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("study section")
        verbose_name_plural = _("study sections")
        ordering = ["study_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "kind"], name="section_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.study} · {self.get_kind_display()}"


class Alternative(models.Model):
    """An option the decision makers choose between: the proposal, doing nothing, others.

    The appraisal figures are derived from the cash flows at the study's discount rate
    and kept here by ``decisions.services`` so that lists and reports read them.
    """

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("The proposal")
        DO_NOTHING = "do_nothing", _("Do nothing")
        OTHER = "other", _("Other option")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="alternatives"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    npv = models.DecimalField(_("NPV (CNY)"), null=True, blank=True, **MONEY)
    irr = models.FloatField(_("IRR"), null=True, blank=True)
    payback = models.FloatField(_("payback (years)"), null=True, blank=True)
    discounted_payback = models.FloatField(_("discounted payback (years)"), null=True, blank=True)
    benefit_cost_ratio = models.FloatField(_("benefit–cost ratio"), null=True, blank=True)
    total_cost = models.DecimalField(_("total cost (CNY)"), default=0, **MONEY)
    total_benefit = models.DecimalField(_("total benefit (CNY)"), default=0, **MONEY)
    history = HistoricalRecords()

    objects = AlternativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("alternative")
        verbose_name_plural = _("alternatives")
        ordering = ["study_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study"],
                condition=models.Q(kind="proposal"),
                name="alternative_one_proposal",
            ),
            models.UniqueConstraint(
                fields=["study", "name"],
                name="alternative_unique_name",
                violation_error_message=_("The study has an alternative of this name already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_proposal(self) -> bool:
        return self.kind == self.Kind.PROPOSAL


class CashFlow(models.Model):
    """One year of an alternative's cash flows (year 0 is the first, undiscounted)."""

    alternative = models.ForeignKey(
        Alternative,
        verbose_name=_("alternative"),
        on_delete=models.CASCADE,
        related_name="cash_flows",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MaxValueValidator(50)])
    investment = models.DecimalField(_("investment (CNY)"), default=0, **MONEY)
    operating_cost = models.DecimalField(_("operating cost (CNY)"), default=0, **MONEY)
    benefit = models.DecimalField(_("revenue or savings (CNY)"), default=0, **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cash flow")
        verbose_name_plural = _("cash flows")
        ordering = ["alternative_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["alternative", "year"], name="cash_flow_unique_year"),
            models.CheckConstraint(
                condition=models.Q(investment__gte=0, operating_cost__gte=0),
                name="cash_flow_costs_not_negative",
                violation_error_message=_("Investment and operating cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alternative_id} y{self.year}"

    @property
    def net(self) -> Decimal:
        return self.benefit - self.investment - self.operating_cost


class Criterion(models.Model):
    """A weighted criterion the alternatives are scored on (strategic fit, NPV, risk …)."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("what a high score means"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision criterion")
        verbose_name_plural = _("decision criteria")
        ordering = ["study_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "name"],
                name="criterion_unique_name",
                violation_error_message=_("The study has a criterion of this name already."),
            )
        ]

    def __str__(self) -> str:
        return self.name


SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class CriterionScore(models.Model):
    """The study team's score (0–10) of one alternative on one criterion."""

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    score = models.DecimalField(
        _("score (0–10)"), max_digits=3, decimal_places=1, validators=SCORE_VALIDATORS
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["alternative", "criterion"], name="criterion_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alternative_id}/{self.criterion_id}: {self.score}"


class Risk(models.Model):
    """A risk of an alternative, scored probability × impact (1–5 each)."""

    class Response(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        MITIGATE = "mitigate", _("Mitigate")
        TRANSFER = "transfer", _("Transfer")
        ACCEPT = "accept", _("Accept")

    alternative = models.ForeignKey(
        Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE, related_name="risks"
    )
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("cause and effect"), blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    strategy = models.CharField(
        _("response strategy"), max_length=20, choices=Response, default=Response.MITIGATE
    )
    response = models.TextField(_("response"), blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="study_risks",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["alternative_id", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.probability * self.impact


class SocialScore(models.Model):
    """The study's score (0–5) on one social-benefit criterion, with its evidence."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="social_scores"
    )
    criterion = models.ForeignKey(
        SocialCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.PositiveSmallIntegerField(
        _("score (0–5)"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    evidence = models.TextField(_("evidence"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("social-benefit score")
        verbose_name_plural = _("social-benefit scores")
        ordering = ["criterion__sort_order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["study", "criterion"], name="social_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.study_id}/{self.criterion_id}: {self.score}"


class ScopeItem(models.Model):
    """A statement of scope: in, out, an assumption or a constraint."""

    class Kind(models.TextChoices):
        IN_SCOPE = "in", _("In scope")
        OUT_OF_SCOPE = "out", _("Out of scope")
        ASSUMPTION = "assumption", _("Assumption")
        CONSTRAINT = "constraint", _("Constraint")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="scope_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    text = models.CharField(_("statement"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scope statement")
        verbose_name_plural = _("scope statements")
        ordering = ["study_id", "kind", "id"]

    def __str__(self) -> str:
        return self.text


class CostLine(models.Model):
    """An amount of a cost item in one year: capital (capex) or operating (opex)."""

    class Category(models.TextChoices):
        CAPEX = "capex", _("Capital expenditure (capex)")
        OPEX = "opex", _("Operating expenditure (opex)")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="cost_lines"
    )
    item = models.CharField(_("cost item"), max_length=200)
    category = models.CharField(_("category"), max_length=10, choices=Category)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MaxValueValidator(50)])
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    basis = models.CharField(_("basis of estimate"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["study_id", "category", "item", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "item", "category", "year"],
                name="cost_line_unique",
                violation_error_message=_("This item has an amount for that year already."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="cost_line_amount_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} y{self.year}"


class Milestone(models.Model):
    """A milestone of the proposed schedule; a roadmap point (路标) marks a decision."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    is_roadmap_point = models.BooleanField(
        _("roadmap point (路标)"),
        default=False,
        help_text=_("A decision point where management confirms the way ahead."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["study_id", "due", "id"]

    def __str__(self) -> str:
        return self.name


class ResourceLine(models.Model):
    """Hours per month of a role over a span of months, and how they are obtained."""

    class Sourcing(models.TextChoices):
        INTERNAL = "internal", _("Internal staff")
        HIRE = "hire", _("New hire")
        CONTRACTOR = "contractor", _("Contractor")
        PARTNER = "partner", _("Partner or vendor")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="resource_lines"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("resource role"), on_delete=models.PROTECT, related_name="+"
    )
    start_month = models.DateField(_("from month"))
    end_month = models.DateField(_("until month"))
    hours_per_month = models.DecimalField(
        _("hours per month"), max_digits=8, decimal_places=1, validators=[MinValueValidator(0)]
    )
    sourcing = models.CharField(
        _("obtained through"), max_length=20, choices=Sourcing, default=Sourcing.INTERNAL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resource line")
        verbose_name_plural = _("resource lines")
        ordering = ["study_id", "start_month", "role_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_month__gte=models.F("start_month")),
                name="resource_line_months_ordered",
                violation_error_message=_("The last month cannot be before the first."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_month__day=1, end_month__day=1),
                name="resource_line_first_days",
                violation_error_message=_("Months start on their first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.start_month:%Y-%m}–{self.end_month:%Y-%m}"

    def months(self) -> list:
        """The first days of the months the line spans."""
        out, month = [], self.start_month
        while month <= self.end_month:
            out.append(month)
            month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
        return out


class ReadinessQuestion(models.TextChoices):
    """The questions the seed asks of a major project before it is decided."""

    STRATEGY = "strategy", _("Does the project fit the company's strategy and plans?")
    BENEFITS = "benefits", _("Are the social and economic benefits sufficient?")
    BUDGET = "budget", _("Is the budget adequate and reasonable?")
    SCHEDULE = "schedule", _("Is the schedule sufficient and feasible?")
    RESOURCES = "resources", _("Are the resources sufficient and is it clear how to obtain them?")
    RISKS = "risks", _("Have the risks been fully identified and answered?")


class ReadinessAnswer(models.Model):
    """The study team's answer to a readiness question, with where the evidence is."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="readiness"
    )
    question = models.CharField(_("question"), max_length=20, choices=ReadinessQuestion)
    answer = models.TextField(_("answer"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("readiness answer")
        verbose_name_plural = _("readiness answers")
        constraints = [
            models.UniqueConstraint(fields=["study", "question"], name="readiness_unique")
        ]

    def __str__(self) -> str:
        return f"{self.study_id}/{self.question}"


class Review(models.Model):
    """An expert's review of a study, assigned by the PMO."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        SUBMITTED = "submitted", _("Submitted")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        Person, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="reviews"
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ASSIGNED, db_index=True
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation, blank=True
    )
    comment = models.TextField(_("overall opinion"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering = ["study_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "reviewer"],
                name="review_unique_reviewer",
                violation_error_message=_("This reviewer is assigned to the study already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.study} · {self.reviewer}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:review_edit", args=[self.pk])


class ReviewScore(models.Model):
    """A reviewer's score (1–10) of the proposal on one criterion, with a comment."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="review_scores",
    )
    score = models.PositiveSmallIntegerField(
        _("score (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.criterion_id}: {self.score}"


class ReadinessVerdict(models.Model):
    """A reviewer's verdict on one readiness question."""

    class Verdict(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="verdicts"
    )
    question = models.CharField(_("question"), max_length=20, choices=ReadinessQuestion)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("readiness verdict")
        verbose_name_plural = _("readiness verdicts")
        constraints = [
            models.UniqueConstraint(fields=["review", "question"], name="readiness_verdict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.question}: {self.verdict}"


class Decision(models.Model):
    """The decision meeting's decision on a study (会议决策)."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        APPROVE_WITH_CONDITIONS = "approve_conditions", _("Approve with conditions")
        REVISE = "revise", _("Revise and resubmit")
        REJECT = "reject", _("Reject")

    study = models.OneToOneField(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="decision"
    )
    meeting = models.CharField(_("meeting"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome)
    rationale = models.TextField(_("rationale"))
    decision_makers = models.ManyToManyField(
        Person, verbose_name=_("decision makers"), related_name="investment_decisions"
    )
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        verbose_name=_("handed to portfolio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment decision")
        verbose_name_plural = _("investment decisions")
        ordering = ["-meeting_date", "-id"]

    def __str__(self) -> str:
        return f"{self.study}: {self.get_outcome_display()}"

    @property
    def approves(self) -> bool:
        return self.outcome in (self.Outcome.APPROVE, self.Outcome.APPROVE_WITH_CONDITIONS)


class Action(models.Model):
    """A condition of a decision, tracked until it is met."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Met")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("condition"), max_length=300)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_actions",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True
    )
    done_note = models.CharField(_("how it was met"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("met at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision condition")
        verbose_name_plural = _("decision conditions")
        ordering = ["decision_id", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class RealisedBenefit(models.Model):
    """The benefit a project actually brought in one calendar year after go-live, set
    against the benefit its approved business case planned for that year."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="realised_benefits",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        _("realised benefit (CNY)"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Revenue or savings the project brought in the year."),
        **MONEY,
    )
    note = models.CharField(_("evidence"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realised benefit")
        verbose_name_plural = _("realised benefits")
        ordering = ["project_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="realised_benefit_once_a_year",
                violation_error_message=_("The benefit of this year is recorded already."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="realised_benefit_not_negative",
                violation_error_message=_("A realised benefit cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"
