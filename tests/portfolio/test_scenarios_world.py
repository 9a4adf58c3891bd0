"""A small company to solve scenarios on, shared by the scenarios and capacity tests.

Two developers and one architect (40 h a week each) in one unit; a portfolio for
January–June 2027 with four proposed candidates:

====  =====  ==========  ====
code  score  cost (CNY)  risk
====  =====  ==========  ====
W-A   40     4,000,000   2
W-B   30     4,000,000   3
W-C   20     3,000,000   4
W-D   10     2,000,000   1
====  =====  ==========  ====

With a budget of 10 M the best set is A + B + D (value 80); C does not fit the budget.
January 2027 has 21 weekdays, so the developers supply 2 × 40 × 21/5 = 336 h then.
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from pmo.core.models import ResourceDemand, Stage
from pmo.core.services import resource_demand_set
from portfolio.models import Portfolio, PortfolioItem
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, RoleFactory
from tests.portfolio.factories import PortfolioFactory, PortfolioItemFactory, ScenarioFactory

CANDIDATES = (
    ("A", 40.0, 4_000_000, 2),
    ("B", 30.0, 4_000_000, 3),
    ("C", 20.0, 3_000_000, 4),
    ("D", 10.0, 2_000_000, 1),
)


@dataclass
class World:
    portfolio: Portfolio
    items: dict[str, PortfolioItem]
    roles: dict
    unit: object
    running: object

    def project(self, code: str):
        return self.items[code].project

    def scenario(self, **fields):
        fields.setdefault("budget", Decimal("10000000"))
        fields.setdefault("use_capacity", True)
        return ScenarioFactory(portfolio=self.portfolio, **fields)


def month(period: str) -> dt.date:
    year, number = (int(x) for x in period.split("-"))
    return dt.date(year, number, 1)


def demand(project, role, period: str, hours, source=ResourceDemand.Source.BUSINESS_CASE):
    return resource_demand_set(
        project=project, role=role, month=month(period), hours=Decimal(str(hours)), source=source
    )


def build_world() -> World:
    unit = OrgUnitFactory(code="W-IT", name="信息技术部", name_en="IT")
    roles = {
        "dev": RoleFactory(code="dev", name="开发工程师", name_en="Developer"),
        "arch": RoleFactory(code="arch", name="架构师", name_en="Architect"),
    }
    for role in ("dev", "dev", "arch"):
        PersonFactory(org_unit=unit, role=roles[role], weekly_capacity_hours=Decimal("40"))
    portfolio = PortfolioFactory(
        code="W-2027",
        budget=Decimal("10000000"),
        horizon_start=dt.date(2027, 1, 1),
        horizon_end=dt.date(2027, 6, 30),
    )
    items = {}
    for rank, (code, score, cost, risk) in enumerate(CANDIDATES, start=1):
        project = ProjectFactory(
            code=f"W-{code}",
            name=f"候选项目{code}",
            name_en=f"Project {code}",
            stage=Stage.PROPOSED,
            org_unit=unit,
            budget=Decimal(cost),
        )
        items[code] = PortfolioItemFactory(
            portfolio=portfolio,
            project=project,
            cost=Decimal(cost),
            score=score,
            rank=rank,
            risk=risk,
        )
    running = ProjectFactory(code="W-RUN", name="运行中的项目", stage=Stage.ACTIVE, org_unit=unit)
    return World(portfolio, items, roles, unit, running)


@contextmanager
def in_english():
    """Assertions read English messages, whatever translations are compiled."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_the_world_supplies_336_developer_hours_in_january_2027():
    from portfolio.selectors.scenarios import role_supply

    build_world()
    assert role_supply(["2027-01"])[("dev", "2027-01")] == pytest.approx(336.0)
