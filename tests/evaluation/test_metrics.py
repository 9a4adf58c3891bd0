"""The project metrics evaluation reads through the registry: exact values over a period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from pmo.core.registry import registry
from pmo.core.services import project_summary_update
from tests.delivery.factories import (
    GoalFactory,
    IssueFactory,
    MilestoneFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def values(key, *projects):
    return registry.metrics[key].values([p.pk for p in projects], START, END)


def test_every_contracted_metric_is_registered_with_a_source():
    keys = {m.key for m in registry.metric_list()}
    assert {
        "spi",
        "cpi",
        "on_time_milestones",
        "status_timeliness",
        "goal_attainment",
        "issue_resolution_days",
        "deliverable_compliance",
    } <= keys
    assert all(str(registry.metrics[k].source) for k in keys)
    assert registry.metrics["issue_resolution_days"].higher_is_better is False


def test_spi_and_cpi_come_from_the_project_summary(project, other_project):
    project_summary_update(project=project, spi=Decimal("0.95"), cpi=Decimal("1.1"))
    assert values("spi", project, other_project) == {project.pk: 0.95, other_project.pk: None}
    assert values("cpi", project) == {project.pk: 1.1}


def test_on_time_milestones_count_those_planned_in_the_period(project, other_project):
    MilestoneFactory(
        project=project, planned_date=dt.date(2026, 3, 1), actual_date=dt.date(2026, 3, 1)
    )
    MilestoneFactory(
        project=project, planned_date=dt.date(2026, 4, 1), actual_date=dt.date(2026, 4, 9)
    )
    MilestoneFactory(project=project, planned_date=dt.date(2026, 5, 1))
    MilestoneFactory(
        project=project, planned_date=dt.date(2026, 5, 2), actual_date=dt.date(2026, 4, 30)
    )
    MilestoneFactory(
        project=project, planned_date=dt.date(2026, 8, 1), actual_date=dt.date(2026, 7, 1)
    )
    assert values("on_time_milestones", project, other_project) == {
        project.pk: 50.0,
        other_project.pk: None,
    }


def test_status_timeliness_is_on_time_over_due(project):
    for week, on_time in enumerate((True, True, False)):
        StatusReportFactory(
            project=project,
            period_start=dt.date(2026, 3, 2) + dt.timedelta(weeks=week),
            on_time=on_time,
        )
    assert values("status_timeliness", project)[project.pk] == pytest.approx(200 / 3)


def test_goal_attainment_is_the_mean_of_measured_goals(project):
    GoalFactory(project=project, attainment=Decimal("80"), due_date=dt.date(2026, 5, 1))
    GoalFactory(project=project, attainment=Decimal("100"), due_date=dt.date(2026, 6, 1))
    GoalFactory(project=project, attainment=None, due_date=dt.date(2026, 6, 1))
    GoalFactory(project=project, attainment=Decimal("10"), due_date=dt.date(2026, 12, 1))
    assert values("goal_attainment", project)[project.pk] == 90.0


def test_issue_resolution_days_is_the_mean_over_issues_resolved_in_the_period(project):
    tz = timezone.get_current_timezone()
    raised = dt.datetime(2026, 3, 1, 9, tzinfo=tz)
    IssueFactory(
        project=project,
        raised_at=raised,
        resolved_at=raised + dt.timedelta(days=2),
        status="resolved",
    )
    IssueFactory(
        project=project,
        raised_at=raised,
        resolved_at=raised + dt.timedelta(days=6),
        status="resolved",
    )
    IssueFactory(
        project=project, raised_at=raised, kind="risk", resolved_at=raised + dt.timedelta(days=30)
    )
    IssueFactory(project=project, raised_at=raised)
    assert values("issue_resolution_days", project)[project.pk] == 4.0


def test_deliverable_compliance_is_present_over_due(project):
    from standards import services as standards
    from tests.standards.factories import pdf_upload, published_methodology

    project.planned_start, project.planned_finish = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    project.save()
    version = published_methodology(project.project_type)
    standards.project_methodology_assign(project=project, version=version, actor=None)
    first = version.deliverables.order_by("gate__sort_order", "code").first()
    standards.deliverable_record_submit(
        project=project, deliverable=first, upload=pdf_upload(), actor=None
    )
    from standards.selectors.compliance import project_compliance

    rate = values("deliverable_compliance", project)[project.pk]
    # G1 is due (the project is active): D1-0 present of D1-0, D1-1 and D1-2.
    assert rate == pytest.approx(100 / 3)
    assert rate == project_compliance(project, today=END).rate
