"""Scenario services: solving with budget, capacity, dependencies and forced choices; the
reasons in words; conflicts; what-if inputs; committing; dependencies."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pmo.core.models import Notification, ResourceDemand, Stage, StageChange
from portfolio.models import PortfolioItem, ProjectDependency, Scenario, ScenarioCapacity
from portfolio.selectors import scenarios as selectors
from portfolio.services import scenarios as services
from tests.core.factories import ProjectFactory, UserFactory
from tests.portfolio.factories import ProjectDependencyFactory, ScenarioItemFactory
from tests.portfolio.test_scenarios_world import build_world, demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def verdicts(scenario):
    return {row["id"]: row for row in scenario.result["items"]}


def codes(world, scenario):
    by_pk = {item.pk: code for code, item in world.items.items()}
    return {by_pk[pk] for pk in scenario.result["chosen"]}


def words(world, scenario, code):
    roles = selectors.role_labels()
    items = {item.pk: item for item in world.items.values()}
    reason = verdicts(scenario)[world.items[code].pk]["reason"]
    return selectors.reason_text(reason, items, roles)


def tight_january(world):
    """The running project takes 200 of the developers' 336 h in January; A and B ask
    100 h each then, so only one of them fits (136 h left)."""
    demand(world.running, world.roles["dev"], "2027-01", 200, ResourceDemand.Source.PLAN)
    demand(world.project("A"), world.roles["dev"], "2027-01", 100)
    demand(world.project("B"), world.roles["dev"], "2027-01", 100)


def test_solve_chooses_the_most_value_within_the_budget(world, pmo_user):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    assert codes(world, scenario) == {"A", "B", "D"}
    assert scenario.result["value"] == pytest.approx(80)
    assert scenario.result["cost"] == pytest.approx(10_000_000)
    assert scenario.solved_at is not None
    c = verdicts(scenario)[world.items["C"].pk]["reason"]
    assert c["code"] == "budget"
    assert c["shortfall"] == pytest.approx(3_000_000)
    assert scenario.history.first().history_user == pmo_user


def test_reasons_read_as_words(world, pmo_user, english):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    assert words(world, scenario, "A").startswith("Selected")
    assert words(world, scenario, "C") == (
        "Budget: it would exceed the limit by ¥3,000,000; the selected projects give more "
        "value for the money"
    )


def test_capacity_keeps_a_project_out_and_names_the_role_and_month(world, pmo_user, english):
    tight_january(world)
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    assert codes(world, scenario) == {"A", "C", "D"}
    reason = verdicts(scenario)[world.items["B"].pk]["reason"]
    assert (reason["code"], reason["role"], reason["period"]) == ("capacity", "dev", "2027-01")
    assert reason["shortfall"] == pytest.approx(64)
    assert words(world, scenario, "B") == "Capacity of Developer in Jan 2027: 64 h short"


def test_capacity_is_ignored_when_the_scenario_says_so(world, pmo_user):
    tight_january(world)
    scenario = world.scenario(use_capacity=False)
    scenario = services.scenario_solve(scenario=scenario, actor=pmo_user)
    assert codes(world, scenario) == {"A", "B", "D"}
    assert selectors.peak_use(scenario.result) > 1


def test_available_hours_are_supply_minus_committed_work_plus_what_if(world, pmo_user):
    tight_january(world)
    scenario = world.scenario()
    ScenarioCapacity.objects.create(
        scenario=scenario, role=world.roles["dev"], month=dt.date(2027, 1, 1), hours=Decimal(64)
    )
    inputs = selectors.scenario_inputs(scenario)
    assert inputs.supply[("dev", "2027-01")] == pytest.approx(336)
    assert inputs.committed[("dev", "2027-01")] == pytest.approx(200)
    assert inputs.available[("dev", "2027-01")] == pytest.approx(200)
    scenario = services.scenario_solve(scenario=scenario, actor=pmo_user)
    assert codes(world, scenario) == {"A", "B", "D"}


def test_a_plan_replaces_the_business_case_of_the_same_project(world):
    demand(world.project("A"), world.roles["dev"], "2027-02", 80)
    demand(world.project("A"), world.roles["dev"], "2027-02", 50, ResourceDemand.Source.PLAN)
    found = selectors.demand_by_project([world.project("A").pk], ["2027-02"])
    assert found[world.project("A").pk] == {("dev", "2027-02"): 50.0}


def test_a_start_shift_moves_the_demand_out_of_the_tight_month(world, pmo_user):
    tight_january(world)
    scenario = world.scenario()
    services.scenario_setting_set(
        scenario=scenario, item=world.items["B"], shift_months=1, actor=pmo_user
    )
    inputs = selectors.scenario_inputs(scenario)
    shifted = next(c for c in inputs.candidates if c.id == world.items["B"].pk)
    assert shifted.demand == {("dev", "2027-02"): 100.0}
    scenario = services.scenario_solve(scenario=scenario, actor=pmo_user)
    assert codes(world, scenario) == {"A", "B", "D"}


def test_a_required_project_that_does_not_fit_keeps_its_dependant_out(world, pmo_user, english):
    ProjectDependencyFactory(project=world.project("D"), other=world.project("C"))
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    assert codes(world, scenario) == {"A", "B"}  # 70 for 8 M beats A + C + D (70 for 9 M)
    assert words(world, scenario, "D") == "Depends on W-C Project C, which is not selected"


def test_dependencies_are_ignored_when_the_scenario_says_so(world, pmo_user):
    ProjectDependencyFactory(project=world.project("D"), other=world.project("C"))
    scenario = world.scenario(use_dependencies=False)
    assert codes(world, services.scenario_solve(scenario=scenario, actor=pmo_user)) == {
        "A",
        "B",
        "D",
    }


def test_excluded_projects_are_never_chosen_together(world, pmo_user, english):
    ProjectDependencyFactory(
        project=world.project("A"), other=world.project("B"), kind=ProjectDependency.Kind.EXCLUDES
    )
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    assert codes(world, scenario) == {"A", "C", "D"}
    assert words(world, scenario, "B") == "Excluded by W-A Project A, which is selected"


def test_dependencies_on_projects_outside_the_portfolio_are_listed_not_enforced(world):
    outsider = ProjectFactory(stage=Stage.PROPOSED)
    ProjectDependencyFactory(project=world.project("A"), other=outsider)
    inputs = selectors.scenario_inputs(world.scenario())
    assert [d.other_id for d in inputs.outside] == [outsider.pk]
    assert inputs.requires == []


def test_mandatory_candidates_are_forced_in(world, pmo_user, english):
    PortfolioItem.objects.filter(pk=world.items["D"].pk).update(
        mandate=PortfolioItem.Mandate.REGULATORY
    )
    scenario = services.scenario_solve(
        scenario=world.scenario(budget=Decimal("8000000")), actor=pmo_user
    )
    assert codes(world, scenario) == {"A", "D"}
    assert words(world, scenario, "D") == "Forced in: mandatory (Regulatory)"


def test_forcing_out_overrides_a_mandate_and_forcing_in_overrides_value(world, pmo_user):
    PortfolioItem.objects.filter(pk=world.items["D"].pk).update(
        mandate=PortfolioItem.Mandate.COMMITTED
    )
    scenario = world.scenario()
    services.scenario_setting_set(scenario=scenario, item=world.items["D"], force="out", actor=None)
    services.scenario_setting_set(scenario=scenario, item=world.items["C"], force="in", actor=None)
    scenario = services.scenario_solve(scenario=scenario, actor=pmo_user)
    assert codes(world, scenario) == {"A", "C"}
    assert verdicts(scenario)[world.items["D"].pk]["reason"]["code"] == "forced_out"
    assert verdicts(scenario)[world.items["C"].pk]["reason"]["code"] == "forced_in"


def _infeasible_words(world, scenario):
    items = {item.pk: item for item in world.items.values()}
    return selectors.infeasible_text(scenario.result["infeasible"], items, selectors.role_labels())


def test_forced_choices_that_conflict_are_stored_and_named(world, pmo_user, english):
    ProjectDependencyFactory(project=world.project("A"), other=world.project("B"))
    scenario = world.scenario()
    ScenarioItemFactory(scenario=scenario, item=world.items["A"], force="in")
    ScenarioItemFactory(scenario=scenario, item=world.items["B"], force="out")
    scenario = services.scenario_solve(scenario=scenario, actor=pmo_user)
    assert "items" not in scenario.result
    assert scenario.result["infeasible"]["kind"] == "requires_forced_out"
    assert _infeasible_words(world, scenario) == (
        "W-A Project A is forced in and requires W-B Project B, which is forced out."
    )


def test_forced_choices_over_the_budget_are_named(world, pmo_user, english):
    scenario = world.scenario()
    for code in ("A", "B", "C"):
        ScenarioItemFactory(scenario=scenario, item=world.items[code], force="in")
    scenario = services.scenario_solve(scenario=scenario, actor=pmo_user)
    assert _infeasible_words(world, scenario) == (
        "The forced-in projects (W-A Project A, W-B Project B, W-C Project C) cost "
        "¥11,000,000, but the budget is ¥10,000,000 (¥1,000,000 short)."
    )


def test_forced_choices_over_capacity_are_named(world, pmo_user, english):
    tight_january(world)
    scenario = world.scenario()
    for code in ("A", "B"):
        ScenarioItemFactory(scenario=scenario, item=world.items[code], force="in")
    scenario = services.scenario_solve(scenario=scenario, actor=pmo_user)
    assert _infeasible_words(world, scenario) == (
        "The forced-in projects (W-A Project A, W-B Project B) need 200 h of Developer in "
        "Jan 2027, but only 136 h are available (64 h short)."
    )


def test_the_frontier_is_solved_with_a_small_portfolio(world, pmo_user):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    frontier = scenario.result["frontier"]
    assert frontier["status"] == "done"
    values = [p["value"] for p in frontier["points"]]
    assert values == sorted(values)
    assert values[-1] == pytest.approx(100)
    at_budget = max(p["value"] for p in frontier["points"] if p["cost"] <= 10_000_000)
    assert at_budget == pytest.approx(scenario.result["value"])


def test_a_large_portfolio_gets_its_frontier_from_the_background_task(
    world, pmo_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_FRONTIER_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    assert scenario.result["frontier"]["status"] == "pending"
    assert services.frontier_state(scenario) == "pending"
    token = scenario.result["frontier"]["token"]
    assert not services.scenario_frontier_compute(scenario_id=scenario.pk, token="other")
    assert len(callbacks) == 1
    callbacks[0]()  # the task runs eagerly in the tests
    scenario.refresh_from_db()
    assert scenario.result["frontier"]["status"] == "done"
    assert len(scenario.result["frontier"]["points"]) >= 2
    # A second delivery of the same task does nothing.
    assert not services.scenario_frontier_compute(scenario_id=scenario.pk, token=token)


def test_changing_a_setting_clears_the_result(world, pmo_user):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    services.scenario_setting_set(
        scenario=scenario, item=world.items["C"], force="in", actor=pmo_user
    )
    scenario.refresh_from_db()
    assert scenario.result == {} and scenario.solved_at is None


def test_back_to_optimise_removes_the_setting(world, pmo_user):
    scenario = world.scenario()
    services.scenario_setting_set(
        scenario=scenario, item=world.items["C"], shift_months=2, actor=pmo_user
    )
    assert scenario.settings.count() == 1
    services.scenario_setting_set(scenario=scenario, item=world.items["C"], actor=pmo_user)
    assert scenario.settings.count() == 0


def test_a_shift_beyond_two_years_is_refused(world, pmo_user):
    scenario = world.scenario()
    with pytest.raises(ValidationError):
        services.scenario_setting_set(
            scenario=scenario, item=world.items["C"], shift_months=30, actor=pmo_user
        )
    assert scenario.settings.count() == 0


def test_what_if_hours_outside_the_horizon_are_refused(world, pmo_user):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    with pytest.raises(ValidationError) as caught:
        services.scenario_capacity_add(
            scenario=scenario,
            role=world.roles["dev"],
            month=dt.date(2027, 9, 1),
            hours=100,
            actor=pmo_user,
        )
    assert "month" in caught.value.error_dict
    assert not ScenarioCapacity.objects.exists()
    scenario.refresh_from_db()
    assert scenario.result


def test_a_committed_scenario_cannot_change(world, pmo_user):
    scenario = world.scenario(status=Scenario.Status.COMMITTED)
    with pytest.raises(ValidationError):
        services.scenario_setting_set(
            scenario=scenario, item=world.items["C"], force="in", actor=pmo_user
        )
    with pytest.raises(ValidationError):
        services.scenario_solve(scenario=scenario, actor=pmo_user)
    with pytest.raises(ValidationError):
        services.scenario_delete(scenario=scenario, actor=pmo_user)
    assert Scenario.objects.filter(pk=scenario.pk, result={}).exists()


def test_a_copy_keeps_the_settings_as_a_new_draft(world, pmo_user):
    scenario = world.scenario(status=Scenario.Status.COMMITTED)
    ScenarioItemFactory(scenario=scenario, item=world.items["C"], force="in", shift_months=2)
    ScenarioCapacity.objects.create(
        scenario=scenario, role=world.roles["dev"], month=dt.date(2027, 2, 1), hours=40
    )
    copy = services.scenario_copy(scenario=scenario, actor=pmo_user)
    assert copy.status == Scenario.Status.DRAFT and copy.budget == scenario.budget
    assert list(copy.settings.values_list("force", "shift_months")) == [("in", 2)]
    assert copy.capacity_changes.count() == 1


def test_changing_the_budget_clears_the_result_but_renaming_does_not(world, pmo_user):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    scenario = services.scenario_update(scenario=scenario, name="新名称", actor=pmo_user)
    assert scenario.result
    scenario = services.scenario_update(scenario=scenario, budget=Decimal("5"), actor=pmo_user)
    assert scenario.result == {}
    with pytest.raises(ValidationError):
        services.scenario_update(scenario=scenario, budget=Decimal("-1"), actor=pmo_user)


# --- committing -------------------------------------------------------------------------------


def test_commit_approves_the_chosen_projects_and_supersedes_the_last_decision(
    world, pmo_user, pm_user
):
    earlier = world.scenario(status=Scenario.Status.COMMITTED)
    PortfolioItem.objects.filter(pk=world.items["C"].pk).update(
        decision=PortfolioItem.Decision.SELECTED
    )
    world.project("B").stage = Stage.UNDER_REVIEW
    world.project("B").save()
    world.project("A").manager = pm_user.person
    world.project("A").save()
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)

    services.scenario_commit(scenario=scenario, actor=pmo_user)

    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.COMMITTED
    assert scenario.committed_by == pmo_user and scenario.committed_at
    earlier.refresh_from_db()
    assert earlier.status == Scenario.Status.SUPERSEDED
    for code in ("A", "B", "D"):
        item = PortfolioItem.objects.select_related("project").get(pk=world.items[code].pk)
        assert item.project.stage == Stage.APPROVED
        assert item.decision == PortfolioItem.Decision.SELECTED
        assert item.history.first().history_user == pmo_user
    c = PortfolioItem.objects.select_related("project").get(pk=world.items["C"].pk)
    assert c.decision == PortfolioItem.Decision.CANDIDATE and c.project.stage == Stage.PROPOSED
    moves = list(
        StageChange.objects.filter(project=world.project("A")).values_list(
            "from_stage", "to_stage", "actor"
        )
    )
    assert sorted(moves) == [
        ("proposed", "under_review", pmo_user.pk),
        ("under_review", "approved", pmo_user.pk),
    ]
    assert StageChange.objects.filter(project=world.project("B")).count() == 1
    assert Notification.objects.filter(recipient=pm_user, url__contains="/projects/").exists()


def test_a_stale_result_cannot_be_committed(world, pmo_user, english):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    PortfolioItem.objects.filter(pk=world.items["C"].pk).update(score=55)
    with pytest.raises(ValidationError, match="Solve it again"):
        services.scenario_commit(scenario=scenario, actor=pmo_user)
    assert not StageChange.objects.exists()
    assert Scenario.objects.get(pk=scenario.pk).status == Scenario.Status.DRAFT


def test_an_unsolved_or_infeasible_scenario_cannot_be_committed(world, pmo_user):
    with pytest.raises(ValidationError):
        services.scenario_commit(scenario=world.scenario(), actor=pmo_user)


def test_commit_writes_nothing_when_one_chosen_project_cannot_be_approved(world, pmo_user):
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    world.project("D").stage = Stage.REJECTED
    world.project("D").save()
    with pytest.raises(ValidationError, match="W-D"):
        services.scenario_commit(scenario=scenario, actor=pmo_user)
    assert not StageChange.objects.exists()
    assert not PortfolioItem.objects.filter(decision=PortfolioItem.Decision.SELECTED).exists()
    assert Scenario.objects.get(pk=scenario.pk).status == Scenario.Status.DRAFT


def test_the_approval_path_goes_through_review():
    assert services.approval_path(Stage.IDEA) == [
        Stage.PROPOSED,
        Stage.UNDER_REVIEW,
        Stage.APPROVED,
    ]
    assert services.approval_path(Stage.PROPOSED) == [Stage.UNDER_REVIEW, Stage.APPROVED]
    assert services.approval_path(Stage.ON_HOLD) == [Stage.APPROVED]
    assert services.approval_path(Stage.ACTIVE) == []
    assert services.approval_path(Stage.CANCELLED) is None
    assert services.approval_path(Stage.REJECTED) is None


# --- dependencies -----------------------------------------------------------------------------


def test_dependencies_are_recorded_with_their_author(pmo_user):
    a, b = ProjectFactory(), ProjectFactory()
    dependency = services.dependency_create(
        project=a, other=b, kind="requires", note="共用平台", actor=pmo_user
    )
    assert dependency.history.first().history_user == pmo_user


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (("a", "b", "requires"), ("a", "b", "requires")),
        (("a", "b", "excludes"), ("b", "a", "excludes")),
        (("a", "b", "requires"), ("b", "a", "excludes")),
        (("a", "b", "excludes"), ("a", "b", "requires")),
        (None, ("a", "a", "requires")),
    ],
)
def test_contradicting_or_repeated_dependencies_are_refused(existing, new):
    projects = {"a": ProjectFactory(), "b": ProjectFactory()}
    if existing:
        ProjectDependencyFactory(
            project=projects[existing[0]], other=projects[existing[1]], kind=existing[2]
        )
    before = ProjectDependency.objects.count()
    with pytest.raises(ValidationError):
        services.dependency_create(
            project=projects[new[0]], other=projects[new[1]], kind=new[2], actor=UserFactory()
        )
    assert ProjectDependency.objects.count() == before


def test_a_frontier_that_cannot_be_solved_is_reported_not_raised(world, pmo_user, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("solver input rejected")

    monkeypatch.setattr(services.analysis, "frontier_budgets", broken)
    scenario = services.scenario_solve(scenario=world.scenario(), actor=pmo_user)
    assert scenario.result["value"] == pytest.approx(80)
    assert scenario.result["frontier"] == {"status": "failed", "error": "solver input rejected"}
    assert services.frontier_state(scenario) == "failed"
