"""Services of the strategy part: what they write, and that a refused write leaves nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pmo.core.models import Stage
from portfolio.models import (
    Objective,
    ObjectiveLink,
    Portfolio,
    PortfolioItem,
    RatingScale,
    StrategicTheme,
)
from portfolio.selectors.strategy import expected_share, suggested_status
from portfolio.services import strategy as services
from tests.core.factories import ProjectFactory
from tests.portfolio.factories import (
    DriverRatingFactory,
    ObjectiveFactory,
    ObjectiveLinkFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    RatingScaleFactory,
    StrategicThemeFactory,
)

pytestmark = pytest.mark.django_db


def objective_fields(theme, **overrides):
    fields = {
        "code": "SO-1",
        "theme": theme,
        "parent": None,
        "name": "核心系统上云",
        "name_en": "Core systems in the cloud",
        "description": "",
        "owner": None,
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2028, 12, 31),
        "kpi": "上云比例",
        "unit": "%",
        "baseline": Decimal(15),
        "target": Decimal(80),
        "weight": Decimal(15),
        "is_key": True,
        "status": Objective.Status.ON_TRACK,
        "sort_order": 0,
        "is_active": True,
    }
    return {**fields, **overrides}


# --- progress and status ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "expected", "status"),
    [
        (None, 0.5, "on_track"),
        (1.0, 0.2, "achieved"),
        (0.45, 0.5, "on_track"),
        (0.40, 0.5, "on_track"),
        (0.35, 0.5, "at_risk"),
        (0.25, 0.5, "at_risk"),
        (0.20, 0.5, "off_track"),
        (0.9, 0.3, "on_track"),
    ],
)
def test_suggested_status_compares_progress_with_the_time_elapsed(progress, expected, status):
    assert suggested_status(progress, expected) == status


def test_expected_share_is_the_part_of_the_period_elapsed():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert expected_share(start, end, dt.date(2025, 6, 1)) == 0
    assert expected_share(start, end, dt.date(2027, 6, 1)) == 1
    assert expected_share(start, end, dt.date(2026, 7, 2)) == pytest.approx(0.5, abs=0.01)


def test_progress_counts_towards_a_lower_target_too():
    objective = ObjectiveFactory(baseline=Decimal(8), target=Decimal(3), actual=Decimal(6))
    assert objective.progress == pytest.approx(0.4)


# --- themes and objectives ----------------------------------------------------------------


def test_theme_save_creates_and_records_who(pmo_user):
    theme = services.theme_save(code=" T-DIG ", name="数字化转型", actor=pmo_user)
    assert theme.code == "T-DIG"
    assert theme.history.first().history_user == pmo_user


def test_theme_save_refuses_a_duplicate_code():
    StrategicThemeFactory(code="T-DIG")
    with pytest.raises(ValidationError) as error:
        services.theme_save(code="T-DIG", name="重复")
    assert "code" in error.value.error_dict
    assert StrategicTheme.objects.count() == 1


def test_objective_save_creates_a_child_under_its_parent(pmo_user):
    theme = StrategicThemeFactory()
    parent = services.objective_save(actor=pmo_user, **objective_fields(theme))
    child = services.objective_save(
        actor=pmo_user, **objective_fields(theme, code="SO-1.1", parent=parent, is_key=False)
    )
    assert child.parent == parent
    assert list(parent.children.all()) == [child]
    assert child.history.first().history_user == pmo_user


def test_objective_save_refuses_a_parent_of_another_theme():
    parent = ObjectiveFactory()
    with pytest.raises(ValidationError) as error:
        services.objective_save(**objective_fields(StrategicThemeFactory(), parent=parent))
    assert "parent" in error.value.error_dict
    assert not Objective.objects.filter(code="SO-1").exists()


def test_objective_save_refuses_a_cycle_in_the_tree():
    top = ObjectiveFactory()
    middle = ObjectiveFactory(theme=top.theme, parent=top)
    bottom = ObjectiveFactory(theme=top.theme, parent=middle)
    with pytest.raises(ValidationError) as error:
        services.objective_save(objective=top, parent=bottom)
    assert "parent" in error.value.error_dict
    top.refresh_from_db()
    assert top.parent is None


def test_objective_save_refuses_a_target_equal_to_the_baseline():
    with pytest.raises(ValidationError) as error:
        services.objective_save(
            **objective_fields(StrategicThemeFactory(), baseline=Decimal(5), target=Decimal(5))
        )
    assert "target" in error.value.error_dict
    assert not Objective.objects.exists()


def test_objective_save_refuses_a_period_ending_before_it_starts():
    with pytest.raises(ValidationError):
        services.objective_save(
            **objective_fields(StrategicThemeFactory(), period_end=dt.date(2025, 12, 31))
        )
    assert not Objective.objects.exists()


def test_objective_measure_records_the_actual_and_derives_the_status(pmo_user):
    today = timezone.localdate()
    objective = ObjectiveFactory(
        baseline=Decimal(0),
        target=Decimal(100),
        period_start=today - dt.timedelta(days=500),
        period_end=today + dt.timedelta(days=500),
    )
    services.objective_measure(
        objective=objective,
        actual=Decimal(20),
        measured_on=today,
        note="季度报告",
        actor=pmo_user,
    )
    objective.refresh_from_db()
    assert objective.actual == Decimal(20)
    assert objective.status == Objective.Status.OFF_TRACK  # 20 % done, 50 % of time gone
    record = objective.history.first()
    assert record.history_change_reason == "季度报告"
    assert record.history_user == pmo_user


def test_objective_measure_keeps_an_explicit_status():
    objective = ObjectiveFactory()
    services.objective_measure(
        objective=objective,
        actual=Decimal(21),
        measured_on=timezone.localdate(),
        status=Objective.Status.AT_RISK,
    )
    objective.refresh_from_db()
    assert objective.status == Objective.Status.AT_RISK


def test_objective_measure_refuses_a_future_date_and_an_older_measurement():
    today = timezone.localdate()
    objective = ObjectiveFactory(actual=Decimal(30), measured_on=today - dt.timedelta(days=10))
    with pytest.raises(ValidationError) as error:
        services.objective_measure(
            objective=objective, actual=Decimal(40), measured_on=today + dt.timedelta(days=1)
        )
    assert "measured_on" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.objective_measure(
            objective=objective, actual=Decimal(40), measured_on=today - dt.timedelta(days=11)
        )
    assert "measured_on" in error.value.error_dict
    objective.refresh_from_db()
    assert objective.actual == Decimal(30)


# --- links --------------------------------------------------------------------------------


def test_objective_link_save_creates_then_changes_the_contribution(pmo_user):
    objective, project = ObjectiveFactory(), ProjectFactory()
    link = services.objective_link_save(
        objective=objective, project=project, contribution=40, actor=pmo_user
    )
    again = services.objective_link_save(
        objective=objective, project=project, contribution=60, justification="扩大范围"
    )
    assert again.pk == link.pk
    assert ObjectiveLink.objects.get().contribution == 60
    assert link.history.count() == 2


def test_contributions_to_one_objective_stay_within_100_percent():
    objective = ObjectiveFactory()
    ObjectiveLinkFactory(objective=objective, contribution=70)
    with pytest.raises(ValidationError) as error:
        services.objective_link_save(objective=objective, project=ProjectFactory(), contribution=40)
    assert "30" in error.value.message_dict["contribution"][0]
    assert ObjectiveLink.objects.count() == 1


def test_a_rejected_project_cannot_be_linked():
    with pytest.raises(ValidationError) as error:
        services.objective_link_save(
            objective=ObjectiveFactory(),
            project=ProjectFactory(stage=Stage.REJECTED),
            contribution=10,
        )
    assert "project" in error.value.error_dict
    assert not ObjectiveLink.objects.exists()


def test_objective_link_delete_keeps_the_history(pmo_user):
    link = ObjectiveLinkFactory()
    services.objective_link_delete(link=link, actor=pmo_user)
    assert not ObjectiveLink.objects.exists()
    assert ObjectiveLink.history.filter(history_type="-").get().history_user == pmo_user


# --- portfolios and candidates -------------------------------------------------------------


def portfolio_fields(**overrides):
    fields = {
        "code": "PF-2027",
        "name": "2027年IT投资组合",
        "name_en": "2027 IT investment",
        "description": "",
        "owner": None,
        "budget": Decimal("50000000"),
        "horizon_start": dt.date(2027, 1, 1),
        "horizon_end": dt.date(2027, 12, 31),
        "framework": Portfolio.Framework.AHP,
        "rating_scale": None,
        "status": Portfolio.Status.PLANNING,
    }
    return {**fields, **overrides}


def test_portfolio_save_gives_a_new_portfolio_the_impact_scale(pmo_user):
    portfolio = services.portfolio_save(actor=pmo_user, **portfolio_fields())
    scale = portfolio.rating_scale
    assert scale.code == "impact"
    assert [int(v) for v in scale.levels.values_list("value", flat=True)] == [0, 1, 3, 6, 9]
    assert portfolio.history.first().history_user == pmo_user


def test_portfolio_save_refuses_a_horizon_ending_before_it_starts():
    with pytest.raises(ValidationError):
        services.portfolio_save(**portfolio_fields(horizon_end=dt.date(2026, 6, 30)))
    assert not Portfolio.objects.exists()


def test_the_rating_scale_cannot_change_once_candidates_are_rated():
    rating = DriverRatingFactory()
    portfolio = rating.item.portfolio
    other = RatingScale.objects.create(code="other", name="其他")
    with pytest.raises(ValidationError) as error:
        services.portfolio_save(
            portfolio=portfolio,
            **{
                k: getattr(portfolio, k)
                for k in services.PORTFOLIO_FIELDS
                if k not in ("rating_scale",)
            },
            rating_scale=other,
        )
    assert "rating_scale" in error.value.error_dict
    portfolio.refresh_from_db()
    assert portfolio.rating_scale.code == "impact"


def test_candidates_are_taken_in_several_at_once_at_their_budget(pmo_user):
    portfolio = PortfolioFactory()
    projects = [
        ProjectFactory(stage=Stage.PROPOSED, budget=Decimal("3000000")),
        ProjectFactory(stage=Stage.UNDER_REVIEW, budget=Decimal("5000000")),
        ProjectFactory(stage=Stage.APPROVED, budget=Decimal("7000000")),
    ]
    items = services.portfolio_candidates_add(
        portfolio=portfolio, projects=projects, actor=pmo_user
    )
    assert [i.cost for i in items] == [p.budget for p in projects]
    assert portfolio.items.count() == 3
    assert all(i.decision == PortfolioItem.Decision.CANDIDATE for i in items)


def test_intake_is_all_or_nothing():
    portfolio = PortfolioFactory()
    present = PortfolioItemFactory(portfolio=portfolio).project
    good = ProjectFactory(stage=Stage.PROPOSED)
    running = ProjectFactory(stage=Stage.ACTIVE)
    with pytest.raises(ValidationError) as error:
        services.portfolio_candidates_add(portfolio=portfolio, projects=[good, present, running])
    messages = " ".join(error.value.messages)
    assert present.code in messages and running.code in messages
    assert good.code not in messages
    assert portfolio.items.count() == 1


def test_a_closed_portfolio_takes_no_candidates():
    portfolio = PortfolioFactory(status=Portfolio.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.portfolio_candidates_add(
            portfolio=portfolio, projects=[ProjectFactory(stage=Stage.PROPOSED)]
        )
    assert not portfolio.items.exists()


def test_candidate_update_changes_the_inputs(pmo_user):
    item = PortfolioItemFactory()
    services.candidate_update(
        item=item,
        cost=Decimal("1234567"),
        mandate=PortfolioItem.Mandate.REGULATORY,
        feasibility=2,
        risk=5,
        business_value=80,
        time_criticality=40,
        risk_reduction=20,
        job_size=5,
        note="监管要求",
        actor=pmo_user,
    )
    item.refresh_from_db()
    assert (item.cost, item.mandate, item.risk, item.job_size) == (
        Decimal("1234567"),
        "regulatory",
        5,
        5,
    )


def test_candidate_update_refuses_a_rating_outside_1_to_5():
    item = PortfolioItemFactory(feasibility=4)
    with pytest.raises(ValidationError) as error:
        services.candidate_update(item=item, feasibility=6, cost=Decimal(-1))
    assert {"feasibility", "cost"} <= set(error.value.error_dict)
    item.refresh_from_db()
    assert item.feasibility == 4


def test_candidate_remove_takes_out_a_candidate_but_not_a_selected_one(pmo_user):
    candidate = PortfolioItemFactory()
    selected = PortfolioItemFactory(
        portfolio=candidate.portfolio, decision=PortfolioItem.Decision.SELECTED
    )
    services.candidate_remove(item=candidate, actor=pmo_user)
    with pytest.raises(ValidationError):
        services.candidate_remove(item=selected)
    assert list(PortfolioItem.objects.all()) == [selected]


def test_default_rating_scale_is_created_once():
    RatingScaleFactory()
    assert services.default_rating_scale().levels.count() == 5
    assert RatingScale.objects.count() == 1
