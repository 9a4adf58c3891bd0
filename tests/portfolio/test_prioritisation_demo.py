"""The prioritisation demo rows: drivers, two evaluators' comparisons (one a little
inconsistent), a rating of every candidate of PF-2027 and stored scores — idempotent."""

import datetime as dt

import pytest

from pmo.core.demo import seed_core
from portfolio.demo import prioritisation, strategy
from portfolio.models import BusinessDriver, DriverComparison, DriverRating, Portfolio
from portfolio.selectors.prioritisation import driver_weights

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def demo():
    data = seed_core(today=TODAY, log=lambda _line: None)
    strategy.seed(data)
    return data


def test_the_demo_portfolio_is_prioritised_by_two_evaluators_and_rated(demo):
    prioritisation.seed(demo)
    portfolio = Portfolio.objects.get(code="PF-2027")
    drivers = BusinessDriver.objects.filter(portfolio=portfolio)
    items = list(portfolio.items.all())
    assert drivers.count() == 6 and len(items) >= 10
    weights = driver_weights(portfolio)
    by_user = {e.evaluator.username: e for e in weights.evaluators}
    assert set(by_user) == {"pmo", "exec"}
    assert all(e.complete for e in by_user.values())
    assert by_user["pmo"].result.consistency_ratio <= 0.10
    assert 0.10 < by_user["exec"].result.consistency_ratio < 0.15
    assert weights.aggregate.is_consistent and weights.source == "ahp"
    assert DriverRating.objects.filter(item__portfolio=portfolio).count() == 6 * len(items)
    assert sum(i.score for i in items) == pytest.approx(100)
    assert sorted(i.rank for i in items) == list(range(1, len(items) + 1))
    assert [d.weight for d in drivers.order_by("sort_order")] == pytest.approx(weights.weights)


def test_seeding_twice_writes_nothing_the_second_time(demo):
    prioritisation.seed(demo)
    counts = (
        BusinessDriver.history.count(),
        DriverComparison.history.count(),
        DriverRating.history.count(),
    )
    demo.created.clear()
    prioritisation.seed(demo)
    assert not demo.created
    assert counts == (
        BusinessDriver.history.count(),
        DriverComparison.history.count(),
        DriverRating.history.count(),
    )


def test_without_the_2027_portfolio_nothing_is_written():
    data = seed_core(today=TODAY, log=lambda _line: None)
    prioritisation.seed(data)
    assert not BusinessDriver.objects.exists() and not DriverComparison.objects.exists()
