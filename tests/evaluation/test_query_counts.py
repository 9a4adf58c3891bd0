"""Lists keep a flat number of queries as rows grow (3 vs 30)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from tests.core.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    client.get(url)  # the first request of a client loads its session and language once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def open_cycle(version, pmo_user, n: int, code: str):
    for _ in range(n):
        ProjectFactory()
    today = timezone.localdate()
    cycle = services.cycle_create(
        version=version,
        code=code,
        name=code,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        self_assessment_due=today,
        review_due=today,
        chair=pmo_user,
        actor=pmo_user,
    )
    return services.cycle_open(cycle=cycle, actor=pmo_user)


def actions(pmo_user, n: int):
    for i in range(n):
        action = services.action_save(
            actor=pmo_user,
            title=f"措施{i}",
            measure="m",
            baseline=Decimal(1),
            target=Decimal(2),
            target_date=timezone.localdate(),
            owner=pmo_user.person,
        )
        services.action_check_record(
            action=action, checked_on=timezone.localdate(), value=Decimal("1.5"), actor=pmo_user
        )


@pytest.mark.parametrize(
    "name", ["evaluation:cycle_detail", "evaluation:home", "evaluation:cycle_list"]
)
def test_cycle_pages_stay_flat(client_for, version, pmo_user, name):
    client = client_for("pmo")
    few = open_cycle(version, pmo_user, 3, "FEW")
    url = reverse(name, args=[few.pk]) if name.endswith("detail") else reverse(name)
    small = count(client, url)
    many = open_cycle(version, pmo_user, 27, "MANY")
    url = reverse(name, args=[many.pk]) if name.endswith("detail") else reverse(name)
    assert count(client, url) <= small + 1  # one more cycle may add its previous-cycle lookup


def test_my_evaluations_stay_flat(client_for, version, pmo_user, pm_user, reviewer_user):
    from tests.core.factories import ProjectFactory as Factory

    def assigned(n, code):
        for _ in range(n):
            Factory(manager=pm_user.person)
        cycle = open_cycle(version, pmo_user, 0, code)
        for evaluation in cycle.evaluations.all():
            services.panel_assign(evaluation=evaluation, reviewer=reviewer_user, actor=pmo_user)

    assigned(3, "A")
    small_pm, small_reviewer = (
        count(client_for("pm"), reverse("evaluation:my")),
        count(client_for("reviewer"), reverse("evaluation:my")),
    )
    assigned(27, "B")
    assert count(client_for("pm"), reverse("evaluation:my")) == small_pm
    assert count(client_for("reviewer"), reverse("evaluation:my")) == small_reviewer


def test_action_list_and_scheme_list_stay_flat(client_for, version, pmo_user):
    client = client_for("pmo")
    actions(pmo_user, 3)
    small = (
        count(client, reverse("evaluation:action_list")),
        count(client, reverse("evaluation:scheme_list")),
    )
    actions(pmo_user, 27)
    for i in range(3):
        services.scheme_create(code=f"S{i}", name=f"方案{i}", actor=pmo_user)
    assert count(client, reverse("evaluation:action_list")) == small[0]
    assert count(client, reverse("evaluation:scheme_list")) == small[1]


def test_evaluation_detail_stays_flat_with_more_experts(
    client_for, evaluation, pm_user, pmo_user, reviewer_user, expert2_user
):
    from tests.evaluation.conftest import expert_scores, submit_self

    submit_self(evaluation, pm_user)
    services.panel_assign(evaluation=evaluation, reviewer=reviewer_user, actor=pmo_user)
    expert_scores(evaluation, reviewer_user, 3, 3)
    url = reverse("evaluation:evaluation_detail", args=[evaluation.pk])
    small = count(client_for("pmo"), url)
    services.panel_assign(evaluation=evaluation, reviewer=expert2_user, actor=pmo_user)
    expert_scores(evaluation, expert2_user, 4, 4)
    assert count(client_for("pmo"), url) == small
