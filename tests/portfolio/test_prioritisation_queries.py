"""Every prioritisation page renders in a number of queries that does not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import RatingLevel
from portfolio.services import prioritisation as services
from tests.core.factories import UserFactory
from tests.portfolio.factories import (
    BusinessDriverFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    RatingScaleFactory,
)

pytestmark = pytest.mark.django_db


def _portfolio(rows: int, drivers: int = 4, evaluators: int = 2):
    portfolio = PortfolioFactory(rating_scale=RatingScaleFactory())
    found = [BusinessDriverFactory(portfolio=portfolio, sort_order=i) for i in range(drivers)]
    pairs = [(a.pk, b.pk) for i, a in enumerate(found) for b in found[i + 1 :]]
    for _e in range(evaluators):
        services.driver_comparisons_save(
            portfolio=portfolio, evaluator=UserFactory(), judgements=dict.fromkeys(pairs, 3)
        )
    level = RatingLevel.objects.filter(scale=portfolio.rating_scale).order_by("-value").first()
    items = [PortfolioItemFactory(portfolio=portfolio, mandate="regulatory") for _i in range(rows)]
    services.candidate_ratings_save(
        portfolio=portfolio,
        rows=[
            services.RatingRow(
                item=item,
                levels={d.pk: level for d in found},
                feasibility=3,
                risk=4,
                mandate=item.mandate,
            )
            for item in items
        ],
    )
    return portfolio


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session warms per-user caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["ranking", "ratings", "drivers", "compare"])
def test_portfolio_pages_have_flat_query_counts(client_for, name):
    client = client_for("pmo")
    few = _queries(client, reverse(f"portfolio:{name}", args=[_portfolio(3).pk]))
    many = _queries(client, reverse(f"portfolio:{name}", args=[_portfolio(30).pk]))
    assert many == few
    assert few <= 16


def test_drivers_page_is_flat_in_evaluators_and_drivers(client_for):
    client = client_for("executive")
    few = _queries(client, reverse("portfolio:drivers", args=[_portfolio(3, 3, 2).pk]))
    many = _queries(client, reverse("portfolio:drivers", args=[_portfolio(3, 8, 12).pk]))
    assert many == few


def test_compare_page_is_flat_in_drivers(client_for):
    client = client_for("executive")
    few = _queries(client, reverse("portfolio:compare", args=[_portfolio(3, 3, 1).pk]))
    many = _queries(client, reverse("portfolio:compare", args=[_portfolio(3, 9, 1).pk]))
    assert many == few


def test_scale_list_has_a_flat_query_count(client_for):
    client = client_for("pmo")
    for i in range(3):
        RatingScaleFactory(code=f"s{i}")
    few = _queries(client, reverse("portfolio:scale_list"))
    for i in range(3, 30):
        RatingScaleFactory(code=f"s{i}")
    assert _queries(client, reverse("portfolio:scale_list")) == few


def test_saving_a_page_of_the_grid_takes_a_bounded_number_of_queries(
    client_for, django_assert_max_num_queries
):
    """Bulk writes: 50 candidates × 6 drivers saved in well under a query per cell."""
    portfolio = _portfolio(0, drivers=6, evaluators=1)
    items = [PortfolioItemFactory(portfolio=portfolio) for _i in range(50)]
    levels = list(RatingLevel.objects.filter(scale=portfolio.rating_scale).order_by("value"))
    drivers = list(portfolio.drivers.all())
    data = {"item": [str(i.pk) for i in items]}
    for n, item in enumerate(items):
        for k, driver in enumerate(drivers):
            data[f"r_{item.pk}_{driver.pk}"] = str(levels[(n + k) % len(levels)].pk)
        data.update({f"f_{item.pk}": "4", f"k_{item.pk}": "2", f"m_{item.pk}": ""})
    client = client_for("pmo")
    with django_assert_max_num_queries(30):
        response = client.post(reverse("portfolio:ratings", args=[portfolio.pk]), data)
    assert response.status_code == 302
