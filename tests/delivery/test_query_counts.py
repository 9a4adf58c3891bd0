"""Query counts of delivery pages do not grow with the rows they show."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delivery.models import (
    Gate,
    Intervention,
    Issue,
    Milestone,
    ResourceRequest,
    StatusReport,
)
from delivery.services import status
from pmo.core.models import Project, Stage
from tests.core.factories import OrgUnitFactory, PersonFactory, RoleFactory
from tests.delivery.factories import (
    DeliverableFactory,
    GateFactory,
    GoalFactory,
    IssueFactory,
    RaciActivityFactory,
    RaciAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    """Queries of a GET after a first one (which fills process-wide caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _bulk_projects(count: int, manager) -> list[Project]:
    """Active projects with eight weeks of status each, inserted in bulk."""
    unit = OrgUnitFactory()
    existing = Project.objects.count()
    projects = Project.objects.bulk_create(
        [
            Project(
                code=f"QC-{existing + i:05d}",
                name=f"项目{i}",
                org_unit=unit,
                manager=manager,
                stage=Stage.ACTIVE,
                health="green",
                actual_start=dt.date(2025, 1, 6),
            )
            for i in range(count)
        ]
    )
    today = timezone.localdate()
    periods = status.open_periods(projects[0], today)
    start = periods[-1].start
    StatusReport.objects.bulk_create(
        [
            StatusReport(
                project=p,
                period_start=start - dt.timedelta(weeks=w),
                period_end=start - dt.timedelta(weeks=w) + dt.timedelta(days=6),
                due_date=start - dt.timedelta(weeks=w) + dt.timedelta(days=4),
                status="submitted",
                overall=("green", "amber", "red")[w % 3],
                spi=Decimal("0.95"),
                cpi=Decimal("1.01"),
            )
            for p in projects
            for w in range(8)
        ]
    )
    return projects


def test_status_grid_costs_the_same_at_10_and_200_projects(client_for, pm_user):
    client = client_for("pmo")
    url = reverse("delivery:status_grid")
    _bulk_projects(10, pm_user.person)
    at_10 = _queries(client, url)
    _bulk_projects(190, pm_user.person)
    assert Project.objects.filter(stage=Stage.ACTIVE).count() >= 200
    at_200 = _queries(client, url)
    assert at_10 == at_200
    assert _queries(client, url + "?periods=26") == at_200


def test_my_status_and_the_pmo_widgets_are_flat(client_for, pm_user):
    pm, pmo = client_for("pm"), client_for("pmo")
    urls = [
        (pm, reverse("delivery:my_status")),
        (pm, reverse("delivery:widget", args=["delivery_my_reports"])),
        (pmo, reverse("delivery:widget", args=["delivery_overdue"])),
        (pmo, reverse("delivery:widget", args=["delivery_escalations"])),
        (pmo, reverse("delivery:widget", args=["delivery_gates"])),
        (pmo, reverse("delivery:control")),
        (pmo, reverse("delivery:resource_requests")),
    ]
    _bulk_projects(3, pm_user.person)
    few = [_queries(c, u) for c, u in urls]
    _bulk_projects(30, pm_user.person)
    many = [_queries(c, u) for c, u in urls]
    assert few == many


def _grow(project, n: int, reviewer, pm_user):
    """n more of every record on the project's tabs."""
    role = RoleFactory()
    offset = StatusReport.objects.count()
    for i in range(n):
        GoalFactory(project=project)
        activity = RaciActivityFactory(project=project)
        RaciAssignmentFactory(activity=activity, person=PersonFactory(), letter="A")
        DeliverableFactory(project=project)
        Milestone.objects.create(project=project, name=f"m{i}", planned_date=dt.date(2026, 5, 1))
        issue = IssueFactory(project=project, raised_by=pm_user, owner=PersonFactory())
        Intervention.objects.create(
            project=project,
            issue=issue,
            finding="f",
            actions="a",
            follow_up_date=dt.date(2026, 6, 1),
            follow_up_owner=PersonFactory(),
            recorded_by=pm_user,
            recorded_at=timezone.now(),
        )
        gate = GateFactory(project=project)
        gate.reviewers.add(reviewer.person, PersonFactory())
        gate.conditions.create(text="c", due_date=dt.date(2026, 7, 1), owner=PersonFactory())
        ResourceRequest.objects.create(
            project=project,
            role=role,
            person=PersonFactory(),
            monthly_hours=10,
            start=dt.date(2026, 5, 1),
            end=dt.date(2026, 6, 30),
            reason="r",
            requested_by=pm_user,
            requested_at=timezone.now(),
        )
        StatusReport.objects.create(
            project=project,
            period_start=dt.date(2025, 1, 6) + dt.timedelta(weeks=offset + i),
            period_end=dt.date(2025, 1, 12) + dt.timedelta(weeks=offset + i),
            due_date=dt.date(2025, 1, 10),
            status="submitted",
            submitted_by=pm_user,
            submitted_at=timezone.now(),
        )


@pytest.mark.parametrize("tab", ["goals", "plan", "status", "issues", "gates", "closeout"])
def test_project_tabs_are_flat(client_for, world, planned, reviewer_user, pm_user, tab):
    client = client_for("pm")
    url = reverse("core:project_tab", kwargs={**world["project"], "key": tab})
    header = {"HTTP_HX_REQUEST": "true"}

    def count():
        client.get(url, **header)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, **header)
        assert response.status_code == 200
        return len(context.captured_queries)

    _grow(planned, 2, reviewer_user, pm_user)
    few = count()
    _grow(planned, 10, reviewer_user, pm_user)
    assert count() == few


def test_detail_pages_are_flat(client_for, world, planned, reviewer_user, pm_user):
    client = client_for("pmo")
    pages = [
        reverse("delivery:gate_detail", kwargs=world["gate"]),
        reverse("delivery:issue_detail", kwargs=world["issue"]),
        reverse("delivery:agreement_detail", kwargs=world["agreement"]),
        reverse("delivery:baseline_detail", kwargs=world["baseline"]),
        reverse("delivery:raci_edit", kwargs=world["project"]),
        reverse("delivery:my_reviews"),
    ]
    gate = Gate.objects.get(pk=world["gate"]["pk"])
    issue = Issue.objects.get(pk=world["issue"]["pk"])

    def grow(n):
        for _i in range(n):
            gate.criteria.create(text="x")
            gate.conditions.create(text="y", due_date=dt.date(2026, 7, 1), owner=PersonFactory())
            gate.reviewers.add(PersonFactory())
            issue.actions.create(kind="comment", text="z", actor=pm_user, created_at=timezone.now())
            RaciAssignmentFactory(
                activity=planned.raci_activities.first(), person=PersonFactory(), letter="C"
            )

    grow(2)
    few = [_queries(client, url) for url in pages]
    grow(10)
    assert [_queries(client, url) for url in pages] == few
