"""The demo rows of the monitoring: plans for strategic projects, KPIs with recorded
actuals (some breached), flags raised by the rules and recommendations in every state;
a second run adds nothing."""

from collections import Counter

import pytest
from django.utils import timezone

from pmo.core.demo import seed_core
from portfolio.demo import monitoring
from portfolio.models import AttentionFlag, MonitoringKpi, MonitoringPlan, Recommendation
from portfolio.selectors.monitoring import DELIVERY_STAGES, strategic_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    data = seed_core(today=timezone.localdate(), log=lambda _message: None)
    monitoring.seed(data)
    return data


def test_demo_monitors_strategic_projects_in_delivery(demo):
    plans = MonitoringPlan.objects.select_related("project")
    # Without the strategy demo only the major projects are strategic.
    assert 5 <= plans.count() <= monitoring.PLAN_LIMIT
    watched = set(strategic_projects().filter(stage__in=DELIVERY_STAGES))
    assert {plan.project for plan in plans} <= watched
    kpis = list(MonitoringKpi.objects.all())
    assert all(kpi.actual is not None for kpi in kpis)
    assert any(kpi.breached for kpi in kpis) and not all(kpi.breached for kpi in kpis)
    assert MonitoringKpi.history.filter(actual__isnull=False).count() >= 3 * len(kpis)


def test_demo_has_flags_and_recommendations_in_every_state(demo):
    open_rules = Counter(
        AttentionFlag.objects.filter(resolved_at__isnull=True).values_list("rule", flat=True)
    )
    assert open_rules["kpi_breached"] and open_rules["red_health"]
    assert (
        AttentionFlag.objects.exclude(resolution="").filter(resolved_at__isnull=False).count() == 1
    )
    states = Counter(Recommendation.objects.values_list("status", flat=True))
    assert states == {"proposed": 2, "accepted": 1, "rejected": 1, "done": 1}
    assert all(r.flag_id for r in Recommendation.objects.all())


def test_demo_is_idempotent(demo):
    before = (
        MonitoringPlan.objects.count(),
        MonitoringKpi.history.count(),
        AttentionFlag.objects.count(),
        Recommendation.objects.count(),
    )
    demo.created.clear()
    monitoring.seed(demo)
    monitoring.refresh_flags(demo)
    after = (
        MonitoringPlan.objects.count(),
        MonitoringKpi.history.count(),
        AttentionFlag.objects.count(),
        Recommendation.objects.count(),
    )
    assert after == before
    assert +demo.created == Counter()
