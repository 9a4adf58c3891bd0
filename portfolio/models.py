"""Strategic portfolio management: strategy, portfolios, prioritisation, scenarios, monitoring.

The chain a PMO works along:

* **Strategy** — ``StrategicTheme`` → ``Objective`` (a tree of objectives with a KPI,
  a target and an owner); ``ObjectiveLink`` says how much a project contributes.
* **Portfolio** — a named set of candidate projects (``PortfolioItem``) with a budget,
  a planning horizon and a prioritisation framework.
* **Prioritisation** — ``BusinessDriver`` weights come from pairwise comparisons
  (``DriverComparison``, one row per evaluator and pair, aggregated by geometric mean)
  or are set by hand; each candidate is rated against each driver (``DriverRating``) on
  the portfolio's ``RatingScale``.
* **Selection** — a ``Scenario`` solves the selection under budget, role capacity,
  dependencies (``ProjectDependency``) and forced choices (``ScenarioItem``); its result
  is stored so it can be compared and committed.
* **Monitoring** — ``MonitoringPlan`` per strategic project, ``AttentionFlag`` raised by
  rules, ``Recommendation`` from the PMO tracked to a decision.

Calculations live in ``portfolio.analysis`` (no Django); writes go through
``portfolio.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import BilingualName, Person, Project, Role
from portfolio.querysets import (
    ObjectiveQuerySet,
    PortfolioItemQuerySet,
    PortfolioQuerySet,
    ScenarioQuerySet,
)

# --- strategy ------------------------------------------------------------------------


class StrategicTheme(BilingualName):
    """A strategic theme of the company plan (e.g. 数字化转型), grouping objectives."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_themes",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategic theme")
        verbose_name_plural = _("strategic themes")
        ordering = ["sort_order", "code"]


class Objective(BilingualName):
    """A measurable strategic objective; a child objective refines its parent.

    Progress is measured on the KPI from ``baseline`` towards ``target``; ``weight`` is
    the objective's importance within the strategy, used to rank projects by their
    strategic contribution.
    """

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        ACHIEVED = "achieved", _("Achieved")

    code = models.CharField(_("code"), max_length=40, unique=True)
    theme = models.ForeignKey(
        StrategicTheme,
        verbose_name=_("strategic theme"),
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent objective"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_objectives",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    kpi = models.CharField(_("KPI"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    actual = models.DecimalField(
        _("latest actual"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    weight = models.DecimalField(
        _("importance weight"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("How much this objective matters within the strategy (0–100)."),
    )
    is_key = models.BooleanField(_("key objective"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ON_TRACK, db_index=True
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        ordering = ["theme__sort_order", "sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="objective_period_end_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("portfolio:objective_detail", args=[self.pk])

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target, 0–1 (None before a measurement)."""
        if self.actual is None or self.target == self.baseline:
            return None
        share = float((self.actual - self.baseline) / (self.target - self.baseline))
        return max(0.0, min(1.0, share))


class ObjectiveLink(models.Model):
    """A project serves an objective; ``contribution`` is how much of the objective it
    carries (0–100 %)."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="links"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="objective_links",
    )
    contribution = models.PositiveSmallIntegerField(
        _("contribution (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much of the objective this project delivers (1–100 %)."),
    )
    justification = models.CharField(_("justification"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective link")
        verbose_name_plural = _("objective links")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "project"],
                name="objective_link_unique",
                violation_error_message=_("This project is already linked to the objective."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.objective_id} ({self.contribution}%)"


# --- portfolios and prioritisation --------------------------------------------------------


class RatingScale(BilingualName):
    """The verbal levels used to rate candidates against drivers (e.g. none … extreme)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")
        ordering = ["code"]


class RatingLevel(BilingualName):
    """One level of a rating scale with its numeric value (e.g. strong = 6)."""

    scale = models.ForeignKey(
        RatingScale, verbose_name=_("rating scale"), on_delete=models.CASCADE, related_name="levels"
    )
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "value"],
                name="rating_level_value_unique",
                violation_error_message=_("Two levels of a scale cannot have the same value."),
            )
        ]


class Portfolio(BilingualName):
    """A named set of candidate projects competing for one budget and horizon."""

    class Framework(models.TextChoices):
        AHP = "ahp", _("Weighted scoring (AHP driver weights)")
        MANUAL = "manual", _("Weighted scoring (manual driver weights)")
        WSJF = "wsjf", _("WSJF (weighted shortest job first)")

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_portfolios",
    )
    budget = models.DecimalField(_("budget (CNY)"), max_digits=16, decimal_places=2, default=0)
    horizon_start = models.DateField(_("planning horizon from"))
    horizon_end = models.DateField(_("planning horizon until"))
    framework = models.CharField(
        _("prioritisation framework"), max_length=20, choices=Framework, default=Framework.AHP
    )
    rating_scale = models.ForeignKey(
        RatingScale, verbose_name=_("rating scale"), on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PortfolioQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["-horizon_start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(horizon_end__gte=models.F("horizon_start")),
                name="portfolio_horizon_end_after_start",
                violation_error_message=_("The horizon cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0),
                name="portfolio_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("portfolio:portfolio_detail", args=[self.pk])


class PortfolioItem(models.Model):
    """A project in a portfolio: a candidate with its ratings and selection state.

    ``cost`` is the portfolio's view of the project's cost (defaults to the project
    budget when the item is added); ``score`` is the latest priority score (0–100 over
    the portfolio) written by the prioritisation service.
    """

    class Decision(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        SELECTED = "selected", _("Selected")
        DEFERRED = "deferred", _("Deferred")

    class Mandate(models.TextChoices):
        NONE = "", _("Not mandatory")
        REGULATORY = "regulatory", _("Regulatory")
        COMMITTED = "committed", _("Committed")

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="items"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="portfolio_items",
    )
    cost = models.DecimalField(_("cost (CNY)"), max_digits=16, decimal_places=2, default=0)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision, default=Decision.CANDIDATE
    )
    mandate = models.CharField(
        _("mandatory"), max_length=20, choices=Mandate, default=Mandate.NONE, blank=True
    )
    feasibility = models.PositiveSmallIntegerField(
        _("feasibility (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("5 = certainly feasible with today's means."),
    )
    risk = models.PositiveSmallIntegerField(
        _("risk (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("5 = very high delivery risk."),
    )
    business_value = models.PositiveSmallIntegerField(
        _("business value"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    time_criticality = models.PositiveSmallIntegerField(
        _("time criticality"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    risk_reduction = models.PositiveSmallIntegerField(
        _("risk reduction / opportunity enablement"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    job_size = models.PositiveSmallIntegerField(
        _("job size"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    score = models.FloatField(_("priority score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PortfolioItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfolio candidate")
        verbose_name_plural = _("portfolio candidates")
        ordering = ["rank", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "project"],
                name="portfolio_item_unique",
                violation_error_message=_("This project is already in the portfolio."),
            ),
            models.CheckConstraint(
                condition=models.Q(cost__gte=0),
                name="portfolio_item_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.portfolio_id}:{self.project_id}"


class BusinessDriver(BilingualName):
    """A business driver (criterion) of a portfolio, e.g. "increase revenue".

    ``weight`` is the effective weight (0–1, drivers sum to 1) written by the
    prioritisation service from the AHP comparisons or from ``manual_weight``.
    """

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="drivers"
    )
    description = models.TextField(_("description"), blank=True)
    manual_weight = models.DecimalField(
        _("manual weight (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    weight = models.FloatField(_("weight"), default=0)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business driver")
        verbose_name_plural = _("business drivers")
        ordering = ["portfolio", "sort_order", "id"]


class DriverComparison(models.Model):
    """One evaluator's judgement of driver ``first`` against ``second`` on Saaty's scale.

    ``value`` > 1 means ``first`` matters more (3 = moderately, 9 = extremely); the
    reciprocal judgement is implied. ``first`` always sorts before ``second``.
    """

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="comparisons"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.CASCADE,
        related_name="driver_comparisons",
    )
    first = models.ForeignKey(
        BusinessDriver, verbose_name=_("driver"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        BusinessDriver, verbose_name=_("compared with"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.FloatField(
        _("judgement"), validators=[MinValueValidator(1 / 9), MaxValueValidator(9)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("driver comparison")
        verbose_name_plural = _("driver comparisons")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "first", "second"], name="driver_comparison_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_id} : {self.second_id} = {self.value:g}"


class DriverRating(models.Model):
    """How strongly a candidate serves a business driver, as a level of the scale."""

    item = models.ForeignKey(
        PortfolioItem, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="ratings"
    )
    driver = models.ForeignKey(
        BusinessDriver, verbose_name=_("driver"), on_delete=models.CASCADE, related_name="ratings"
    )
    level = models.ForeignKey(RatingLevel, verbose_name=_("rating"), on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("driver rating")
        verbose_name_plural = _("driver ratings")
        constraints = [
            models.UniqueConstraint(fields=["item", "driver"], name="driver_rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.driver_id}"


class ProjectDependency(models.Model):
    """A constraint between two projects: ``project`` requires or excludes ``other``."""

    class Kind(models.TextChoices):
        REQUIRES = "requires", _("requires")
        EXCLUDES = "excludes", _("excludes")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="dependencies"
    )
    other = models.ForeignKey(
        Project, verbose_name=_("other project"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project dependency")
        verbose_name_plural = _("project dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "other", "kind"],
                name="project_dependency_unique",
                violation_error_message=_("This dependency exists already."),
            ),
            models.CheckConstraint(
                condition=~models.Q(project=models.F("other")),
                name="project_dependency_not_self",
                violation_error_message=_("A project cannot depend on itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.other_id}"


# --- scenarios ----------------------------------------------------------------------------


class Scenario(models.Model):
    """A what-if selection of a portfolio under a budget and optional capacity limits.

    ``result`` keeps the last optimisation (chosen items, totals, reasons, capacity use,
    frontier points) so scenarios can be compared without solving again; it is cleared
    whenever an input changes.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMMITTED = "committed", _("Committed")
        SUPERSEDED = "superseded", _("Superseded")

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="scenarios"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("budget limit (CNY)"), max_digits=16, decimal_places=2)
    use_capacity = models.BooleanField(
        _("respect role capacity"),
        default=True,
        help_text=_("Limit the selection by the monthly hours of each role."),
    )
    use_dependencies = models.BooleanField(_("respect dependencies"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    result = models.JSONField(_("result"), default=dict, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["portfolio", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__gte=0),
                name="scenario_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:scenario_detail", args=[self.pk])


class ScenarioItem(models.Model):
    """A candidate's settings in a scenario: forced in/out and a what-if start shift."""

    class Force(models.TextChoices):
        NONE = "", _("Optimise")
        IN = "in", _("Force in")
        OUT = "out", _("Force out")

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="settings"
    )
    item = models.ForeignKey(
        PortfolioItem, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="+"
    )
    force = models.CharField(_("forced"), max_length=5, choices=Force, default="", blank=True)
    shift_months = models.SmallIntegerField(
        _("start shift (months)"),
        default=0,
        validators=[MinValueValidator(-24), MaxValueValidator(24)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scenario setting")
        verbose_name_plural = _("scenario settings")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "item"], name="scenario_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}:{self.item_id} {self.force or '-'}"


class ScenarioCapacity(models.Model):
    """What-if capacity added to (or removed from) a role in a month of a scenario."""

    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        on_delete=models.CASCADE,
        related_name="capacity_changes",
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours = models.DecimalField(_("extra hours"), max_digits=8, decimal_places=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capacity change")
        verbose_name_plural = _("capacity changes")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "role", "month"], name="scenario_capacity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_id} {self.month:%Y-%m} {self.hours:+}"


# --- monitoring of strategic projects -----------------------------------------------------


class MonitoringPlan(models.Model):
    """How the PMO watches a strategic project: what is checked, how often, thresholds."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="monitoring_plan",
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("PMO owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_plans",
    )
    frequency = models.CharField(
        _("review frequency"), max_length=20, choices=Frequency, default=Frequency.MONTHLY
    )
    checks = models.TextField(
        _("what is checked"), help_text=_("The points the PMO reviews at each check.")
    )
    spi_threshold = models.DecimalField(
        _("SPI threshold"), max_digits=4, decimal_places=2, default=Decimal("0.90")
    )
    cpi_threshold = models.DecimalField(
        _("CPI threshold"), max_digits=4, decimal_places=2, default=Decimal("0.90")
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("status is stale after (days)"), default=14
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitoring plan")
        verbose_name_plural = _("monitoring plans")

    def __str__(self) -> str:
        return f"{self.project_id} ({self.frequency})"


class MonitoringKpi(models.Model):
    """A KPI watched by a monitoring plan with the threshold that raises attention."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    plan = models.ForeignKey(
        MonitoringPlan,
        verbose_name=_("monitoring plan"),
        on_delete=models.CASCADE,
        related_name="kpis",
    )
    name = models.CharField(_("KPI"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.HIGHER
    )
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    threshold = models.DecimalField(
        _("attention threshold"),
        max_digits=16,
        decimal_places=2,
        help_text=_("A value worse than this raises an attention flag."),
    )
    actual = models.DecimalField(
        _("latest actual"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitored KPI")
        verbose_name_plural = _("monitored KPIs")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def breached(self) -> bool:
        if self.actual is None:
            return False
        if self.direction == self.Direction.HIGHER:
            return self.actual < self.threshold
        return self.actual > self.threshold


class AttentionFlag(models.Model):
    """A rule found something on a watched project; it stays open until the rule clears
    or the PMO closes it with a note."""

    class Rule(models.TextChoices):
        RED_HEALTH = "red_health", _("Health is red")
        LOW_SPI = "low_spi", _("SPI below threshold")
        LOW_CPI = "low_cpi", _("CPI below threshold")
        STALE_STATUS = "stale_status", _("Status report is stale")
        OVER_BUDGET = "over_budget", _("Forecast above budget")
        OBJECTIVE_AT_RISK = "objective_at_risk", _("Objective at risk")
        KPI_BREACHED = "kpi_breached", _("KPI beyond threshold")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="attention_flags"
    )
    rule = models.CharField(_("rule"), max_length=30, choices=Rule, db_index=True)
    detail = models.CharField(_("detail"), max_length=500)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attention flag")
        verbose_name_plural = _("attention flags")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "rule"],
                condition=models.Q(resolved_at__isnull=True),
                name="attention_flag_one_open_per_rule",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_rule_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Recommendation(models.Model):
    """A PMO adjustment recommendation for a project, tracked to a decision and done."""

    class Kind(models.TextChoices):
        REPLAN = "replan", _("Re-plan the schedule")
        RESOURCES = "resources", _("Add or move resources")
        RESCOPE = "rescope", _("Re-scope")
        BUDGET = "budget", _("Adjust the budget")
        PAUSE = "pause", _("Put on hold")
        STOP = "stop", _("Stop the project")
        ACCELERATE = "accelerate", _("Accelerate")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Implemented")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="recommendations"
    )
    flag = models.ForeignKey(
        AttentionFlag,
        verbose_name=_("attention flag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("recommendation"), max_length=200)
    rationale = models.TextField(_("rationale"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PROPOSED, db_index=True
    )
    due_date = models.DateField(_("decision due"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    done_at = models.DateTimeField(_("implemented at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adjustment recommendation")
        verbose_name_plural = _("adjustment recommendations")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return self.title
