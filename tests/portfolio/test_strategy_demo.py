"""The strategy part of the demo data: coherent, idempotent and answering its questions."""

import pytest
from django.utils import timezone

from pmo.core.demo import seed_core
from pmo.core.models import Stage
from portfolio.demo import strategy
from portfolio.models import Objective, ObjectiveLink, Portfolio, PortfolioItem
from portfolio.selectors.strategy import INTAKE_STAGES

pytestmark = pytest.mark.django_db


def test_demo_strategy_is_coherent_and_seeds_once():
    demo = seed_core(today=timezone.localdate(), log=lambda _text: None)
    strategy.seed(demo)
    assert demo.created["strategic objectives"] == len(strategy.OBJECTIVES)
    links = ObjectiveLink.objects.count()
    assert links == len(strategy.LINKS)
    unserved = Objective.objects.unserved()
    assert [o.code for o in unserved] == ["SO-DIG-3"]
    assert Objective.objects.filter(is_key=True).count() == 5
    assert Objective.objects.filter(status__in=["at_risk", "off_track"]).exists()
    totals = Objective.objects.with_link_totals()
    assert all((o.contribution_total or 0) <= 100 for o in totals)

    portfolio = Portfolio.objects.get(code="PF-2027")
    items = list(portfolio.items.select_related("project"))
    assert 12 <= len(items) <= 20
    assert {i.project.stage for i in items} <= set(INTAKE_STAGES)
    assert sum(i.cost for i in items) > portfolio.budget  # a real choice to make
    assert sum(i.cost for i in items if i.mandate) < portfolio.budget
    assert all(i.feasibility and i.risk and i.job_size for i in items)
    assert all(i.decision == PortfolioItem.Decision.CANDIDATE for i in items)
    old = Portfolio.objects.get(code="PF-2026")
    assert {i.project.stage for i in old.items.select_related("project")} <= {
        Stage.APPROVED,
        Stage.ACTIVE,
    }

    again = seed_core(today=timezone.localdate(), log=lambda _text: None)
    strategy.seed(again)
    assert sum(again.created.values()) == 0
    assert ObjectiveLink.objects.count() == links
