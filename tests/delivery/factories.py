"""Factories of the delivery models, and a helper that plans a whole project."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from delivery.models import (
    Deliverable,
    Gate,
    Goal,
    Issue,
    Milestone,
    Phase,
    RaciActivity,
    RaciAssignment,
    StatusReport,
)
from tests.core.factories import ProjectFactory


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"阶段{n}")
    sort_order = factory.Sequence(lambda n: n)
    planned_start = dt.date(2026, 1, 1)
    planned_finish = dt.date(2026, 6, 30)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"里程碑{n}")
    planned_date = dt.date(2026, 3, 31)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"交付物{n}")
    weight = Decimal("1")
    planned_start = dt.date(2026, 1, 1)
    planned_finish = dt.date(2026, 12, 31)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    project = factory.SubFactory(ProjectFactory)
    dimension = "schedule"
    title = factory.Sequence(lambda n: f"按期上线{n}")
    kpi = "上线日期偏差（天）"
    unit = "天"
    baseline_value = Decimal("30")
    target_value = Decimal("0")
    direction = Goal.Direction.DECREASE
    due_date = dt.date(2026, 12, 31)
    measurement = "以验收报告日期为准"


class RaciActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaciActivity

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"关键活动{n}")


class RaciAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaciAssignment

    activity = factory.SubFactory(RaciActivityFactory)
    letter = "A"


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"问题{n}")
    severity = "high"
    raised_at = factory.LazyFunction(timezone.now)
    level_since = factory.LazyFunction(timezone.now)


class GateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gate

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"阶段关口{n}")
    planned_date = dt.date(2026, 6, 30)


class StatusReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusReport

    project = factory.SubFactory(ProjectFactory)
    period_start = dt.date(2026, 3, 2)
    period_end = factory.LazyAttribute(lambda r: r.period_start + dt.timedelta(days=6))
    due_date = factory.LazyAttribute(lambda r: r.period_start + dt.timedelta(days=4))
    status = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)
    on_time = True


def planned_project(project, *, sponsor=None):
    """Give a project two phases with a gate between, milestones, weighted deliverables,
    goals for every dimension, and a RACI with one Accountable per activity."""
    from delivery.models import Dimension

    first = PhaseFactory(
        project=project,
        name="需求与设计",
        sort_order=1,
        planned_start=dt.date(2026, 1, 1),
        planned_finish=dt.date(2026, 3, 31),
    )
    second = PhaseFactory(
        project=project,
        name="建设与上线",
        sort_order=2,
        planned_start=dt.date(2026, 4, 1),
        planned_finish=dt.date(2026, 12, 31),
    )
    MilestoneFactory(
        project=project, phase=first, name="需求评审通过", planned_date=dt.date(2026, 3, 20)
    )
    MilestoneFactory(
        project=project, phase=second, name="系统上线", planned_date=dt.date(2026, 11, 30)
    )
    DeliverableFactory(
        project=project,
        phase=first,
        name="需求规格说明书",
        weight=Decimal("1"),
        planned_start=dt.date(2026, 1, 1),
        planned_finish=dt.date(2026, 3, 31),
    )
    DeliverableFactory(
        project=project,
        phase=second,
        name="生产系统",
        weight=Decimal("3"),
        planned_start=dt.date(2026, 4, 1),
        planned_finish=dt.date(2026, 12, 31),
    )
    GateFactory(project=project, phase=first, name="设计评审关口")
    for dimension in Dimension.values:
        GoalFactory(project=project, dimension=dimension, title=f"{dimension}目标")
    for name in ("需求确认", "变更审批"):
        activity = RaciActivityFactory(project=project, name=name)
        RaciAssignmentFactory(activity=activity, person=project.manager, letter="A")
        if sponsor is not None:
            RaciAssignmentFactory(activity=activity, person=sponsor, letter="I")
    return first, second
