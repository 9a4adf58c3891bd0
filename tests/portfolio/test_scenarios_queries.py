"""Every list and grid of the scenarios part renders in a number of queries that does not
grow with its rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core.models import ResourceDemand, Stage
from portfolio.services import scenarios as services
from tests.core.factories import ProjectFactory, ResourceDemandFactory, RoleFactory
from tests.portfolio.factories import (
    ObjectiveLinkFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    ProjectDependencyFactory,
    ScenarioCapacityFactory,
    ScenarioFactory,
    ScenarioItemFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url, params=None) -> int:
    """Queries of a request once the session knows the user's language."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured)


def portfolio_with(rows: int, pmo_user):
    """A portfolio with ``rows`` rated candidates, each with demand, a dependency, a
    setting and an objective link, and two solved scenarios."""
    role = RoleFactory(code="dev")
    portfolio = PortfolioFactory(
        horizon_start=dt.date(2027, 1, 1), horizon_end=dt.date(2027, 12, 31)
    )
    items = []
    for i in range(rows):
        item = PortfolioItemFactory(
            portfolio=portfolio, score=100 / rows, rank=i + 1, risk=1 + i % 5
        )
        ResourceDemandFactory(
            project=item.project, role=role, month=dt.date(2027, 1 + i % 12, 1), hours=40
        )
        ObjectiveLinkFactory(project=item.project)
        items.append(item)
    for a, b in zip(items, items[1:], strict=False):
        ProjectDependencyFactory(project=a.project, other=b.project)
    scenarios = [
        ScenarioFactory(portfolio=portfolio, name=f"S{n}", budget=Decimal(5_000_000))
        for n in range(2)
    ]
    for item in items[::3]:
        ScenarioItemFactory(scenario=scenarios[0], item=item, shift_months=1)
    ScenarioCapacityFactory(scenario=scenarios[0], role=role, month=dt.date(2027, 2, 1))
    for scenario in scenarios:
        services.scenario_solve(scenario=scenario, actor=pmo_user)
    return portfolio, scenarios


@pytest.mark.parametrize(
    "page", ["scenario_list", "scenario_detail", "scenario_compare", "balance", "balance_set"]
)
def test_portfolio_pages_have_flat_query_counts(client_for, pmo_user, page):
    client = client_for("pmo")
    counts = []
    for rows in (3, 30):
        portfolio, scenarios = portfolio_with(rows, pmo_user)
        for n in range(rows):  # more scenarios on the list
            ScenarioFactory(portfolio=portfolio, name=f"extra {n}", created_by=pmo_user)
        url, params = {
            "scenario_list": (reverse("portfolio:scenario_list", args=[portfolio.pk]), {}),
            "scenario_detail": (scenarios[0].get_absolute_url(), {}),
            "scenario_compare": (
                reverse("portfolio:scenario_compare", args=[portfolio.pk]),
                {"s": [s.pk for s in scenarios]},
            ),
            "balance": (reverse("portfolio:balance", args=[portfolio.pk]), {}),
            "balance_set": (
                reverse("portfolio:balance", args=[portfolio.pk]),
                {"set": f"scenario-{scenarios[0].pk}"},
            ),
        }[page]
        counts.append(queries(client, url, params))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 30


def test_the_dependency_list_has_a_flat_query_count(client_for):
    client = client_for("pmo")
    counts = []
    for rows in (3, 30):
        for _i in range(rows):
            ProjectDependencyFactory()
        counts.append(queries(client, reverse("portfolio:dependency_list")))
    assert counts[0] == counts[1] <= 20, counts


def test_the_capacity_page_has_a_flat_query_count(client_for):
    client = client_for("pmo")
    role = RoleFactory(code="dev")
    counts = []
    for rows in (3, 30):
        for i in range(rows):
            for stage in (Stage.ACTIVE, Stage.PROPOSED, Stage.APPROVED):
                project = ProjectFactory(stage=stage)
                ResourceDemandFactory(
                    project=project,
                    role=role,
                    month=dt.date(2027, 1 + i % 6, 1),
                    hours=400,
                    source=ResourceDemand.Source.PLAN,
                )
        params = {"start": "2027-01", "months": "6", "filtered": "1", "candidates": "1"}
        counts.append(queries(client, reverse("portfolio:capacity"), params))
    assert counts[0] == counts[1] <= 20, counts
