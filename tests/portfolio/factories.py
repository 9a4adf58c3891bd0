"""Factories of the portfolio model."""

import datetime as dt
from decimal import Decimal

import factory

from portfolio.models import (
    AttentionFlag,
    BusinessDriver,
    DriverComparison,
    DriverRating,
    MonitoringKpi,
    MonitoringPlan,
    Objective,
    ObjectiveLink,
    Portfolio,
    PortfolioItem,
    ProjectDependency,
    RatingLevel,
    RatingScale,
    Recommendation,
    Scenario,
    ScenarioCapacity,
    ScenarioItem,
    StrategicTheme,
)
from tests.core.factories import PersonFactory, ProjectFactory, RoleFactory, UserFactory

# Saaty-style impact levels as Project Server names them, with the values of REFERENCE.md.
IMPACT_LEVELS = (
    (0, "无", "None"),
    (1, "低", "Low"),
    (3, "中", "Moderate"),
    (6, "强", "Strong"),
    (9, "极强", "Extreme"),
)


class StrategicThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicTheme

    code = factory.Sequence(lambda n: f"T{n:02d}")
    name = factory.Sequence(lambda n: f"战略主题{n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    owner = factory.SubFactory(PersonFactory)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    code = factory.Sequence(lambda n: f"OBJ-{n:03d}")
    theme = factory.SubFactory(StrategicThemeFactory)
    name = factory.Sequence(lambda n: f"战略目标{n}")
    name_en = factory.Sequence(lambda n: f"Objective {n}")
    owner = factory.SubFactory(PersonFactory)
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2027, 12, 31)
    kpi = "数字化覆盖率"
    unit = "%"
    baseline = Decimal("20")
    target = Decimal("80")
    weight = Decimal("20")


class ObjectiveLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectiveLink

    objective = factory.SubFactory(ObjectiveFactory)
    project = factory.SubFactory(ProjectFactory)
    contribution = 50


class RatingScaleFactory(factory.django.DjangoModelFactory):
    """A five-level impact scale (none … extreme = 0/1/3/6/9)."""

    class Meta:
        model = RatingScale
        django_get_or_create = ("code",)

    code = "impact"
    name = "影响程度"
    name_en = "Impact"

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create and not self.levels.exists():
            for value, name, name_en in IMPACT_LEVELS:
                RatingLevel.objects.create(scale=self, value=value, name=name, name_en=name_en)


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    code = factory.Sequence(lambda n: f"PF-{n:02d}")
    name = factory.Sequence(lambda n: f"2027年IT投资组合{n}")
    name_en = factory.Sequence(lambda n: f"2027 IT investment {n}")
    owner = factory.SubFactory(PersonFactory)
    budget = Decimal("50000000")
    horizon_start = dt.date(2027, 1, 1)
    horizon_end = dt.date(2027, 12, 31)
    rating_scale = factory.SubFactory(RatingScaleFactory)


class PortfolioItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioItem

    portfolio = factory.SubFactory(PortfolioFactory)
    project = factory.SubFactory(ProjectFactory, stage="proposed")
    cost = factory.LazyAttribute(lambda item: item.project.budget)
    feasibility = 4
    risk = 2


class BusinessDriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessDriver

    portfolio = factory.SubFactory(PortfolioFactory)
    name = factory.Sequence(lambda n: f"业务驱动因素{n}")
    name_en = factory.Sequence(lambda n: f"Driver {n}")
    sort_order = factory.Sequence(lambda n: n)


class DriverComparisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriverComparison

    portfolio = factory.LazyAttribute(lambda c: c.first.portfolio)
    evaluator = factory.SubFactory(UserFactory)
    first = factory.SubFactory(BusinessDriverFactory)
    second = factory.SubFactory(
        BusinessDriverFactory, portfolio=factory.SelfAttribute("..first.portfolio")
    )
    value = 3.0


class DriverRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriverRating

    item = factory.SubFactory(PortfolioItemFactory)
    driver = factory.SubFactory(
        BusinessDriverFactory, portfolio=factory.SelfAttribute("..item.portfolio")
    )
    level = factory.LazyAttribute(
        lambda r: r.item.portfolio.rating_scale.levels.order_by("-value")[1]
    )


class ProjectDependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectDependency

    project = factory.SubFactory(ProjectFactory)
    other = factory.SubFactory(ProjectFactory)
    kind = ProjectDependency.Kind.REQUIRES


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    portfolio = factory.SubFactory(PortfolioFactory)
    name = factory.Sequence(lambda n: f"情景{n}")
    budget = Decimal("30000000")


class ScenarioItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScenarioItem

    scenario = factory.SubFactory(ScenarioFactory)
    item = factory.SubFactory(
        PortfolioItemFactory, portfolio=factory.SelfAttribute("..scenario.portfolio")
    )


class ScenarioCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScenarioCapacity

    scenario = factory.SubFactory(ScenarioFactory)
    role = factory.SubFactory(RoleFactory)
    month = dt.date(2027, 3, 1)
    hours = Decimal("160")


class MonitoringPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringPlan

    project = factory.SubFactory(ProjectFactory)
    owner = factory.SubFactory(PersonFactory)
    checks = "里程碑、成本偏差、关键风险"


class MonitoringKpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringKpi

    plan = factory.SubFactory(MonitoringPlanFactory)
    name = "上线系统可用率"
    unit = "%"
    target = Decimal("99.9")
    threshold = Decimal("99.0")


class AttentionFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttentionFlag

    project = factory.SubFactory(ProjectFactory)
    rule = AttentionFlag.Rule.RED_HEALTH
    detail = "健康状况为红色"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    project = factory.SubFactory(ProjectFactory)
    kind = Recommendation.Kind.REPLAN
    title = "重新制定进度计划"
    rationale = "关键路径延误四周。"
