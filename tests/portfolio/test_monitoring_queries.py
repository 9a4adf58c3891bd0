"""Every list of the monitoring renders in a number of queries that does not grow with
its rows: the watch list, the recommendations, the dashboard, a plan with its KPIs, the
project tab and the dashboard tiles."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core.models import Classification, Health
from pmo.core.services import project_summary_update
from portfolio.models import MonitoringPlan
from portfolio.services.monitoring import attention_flags_refresh
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, UserFactory
from tests.portfolio.factories import (
    MonitoringKpiFactory,
    MonitoringPlanFactory,
    ObjectiveFactory,
    ObjectiveLinkFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def _world(rows: int, project=None) -> None:
    """``rows`` strategic projects, each red with a plan, KPIs, objectives, flags and
    recommendations in two states; ``project`` gets ``rows`` KPIs and recommendations."""
    unit = OrgUnitFactory()
    proposer = UserFactory(groups=["pmo_staff"])
    PersonFactory(user=proposer)
    for i in range(rows):
        p = ProjectFactory(org_unit=unit, classification=Classification.MAJOR)
        project_summary_update(project=p, health=Health.RED, spi=Decimal("0.7"))
        plan = MonitoringPlanFactory(project=p)
        MonitoringKpiFactory(plan=plan, actual=Decimal("90"))
        ObjectiveLinkFactory(project=p, objective=ObjectiveFactory(is_key=i % 2 == 0))
        RecommendationFactory(project=p, proposed_by=proposer)
        RecommendationFactory(project=p, status="accepted", decided_by=proposer)
    if project is not None:
        plan = MonitoringPlan.objects.filter(project=project).first()
        plan = plan or MonitoringPlanFactory(project=project)
        for i in range(rows):
            kpi = MonitoringKpiFactory(plan=plan, name=f"KPI {rows}-{i}")
            kpi.actual = Decimal("95")
            kpi.save()
            RecommendationFactory(project=project, proposed_by=proposer)
    attention_flags_refresh()


def _queries(client, url) -> int:
    client.get(url)  # the first request of a client also loads its session and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


PAGES = [
    ("pmo", "portfolio:watchlist", ""),
    ("pmo", "portfolio:watchlist", "?flagged=on&stale=on&sort=spi"),
    ("executive", "portfolio:recommendation_list", ""),
    ("executive", "portfolio:dashboard", ""),
    ("executive", "portfolio:dashboard", "?period=year"),
    ("executive", "core:dashboard", ""),
    ("pmo", "core:cockpit", ""),
]


@pytest.mark.parametrize(("role", "name", "query"), PAGES)
def test_lists_have_flat_query_counts(client_for, role, name, query):
    client = client_for(role)
    url = reverse(name) + query
    _world(3)
    few = _queries(client, url)
    _world(27)
    many = _queries(client, url)
    assert many == few, (name, few, many)
    # The core dashboards render every tile of every area in their one response.
    assert few <= (60 if name.startswith("core:") else 30)


@pytest.mark.parametrize("page", ["plan", "tab"])
def test_project_monitoring_pages_have_flat_query_counts(client_for, project, page):
    client = client_for("pmo")
    if page == "plan":
        url = reverse("portfolio:monitoring_plan", args=[project.pk])
    else:
        url = reverse("core:project_detail", args=[project.pk]) + "?tab=monitoring"
    _world(3, project)
    few = _queries(client, url)
    _world(30, project)
    many = _queries(client, url)
    assert many == few, (page, few, many)
