"""What the PMO and executives see and do on the scenario, dependency and balance pages."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pmo.core.models import Stage, StageChange
from portfolio.models import (
    PortfolioItem,
    ProjectDependency,
    Scenario,
    ScenarioCapacity,
    ScenarioItem,
)
from portfolio.services import scenarios as services
from tests.core.factories import ProjectFactory
from tests.portfolio.factories import ObjectiveLinkFactory, ProjectDependencyFactory
from tests.portfolio.test_scenarios_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def pmo(client_for):
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def executive(client_for):
    client = client_for("executive")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def chart(response, element_id: str) -> dict:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, element_id
    return json.loads(found.group(1))


def solved(world, pmo_user, **fields):
    return services.scenario_solve(scenario=world.scenario(**fields), actor=pmo_user)


# --- scenario list, create, edit ---------------------------------------------------------------


def test_the_list_shows_each_scenario_with_its_result(world, pmo, pmo_user):
    solved(world, pmo_user, name="预算1000万")
    world.scenario(name="Not solved")
    page = text(pmo.get(reverse("portfolio:scenario_list", args=[world.portfolio.pk])))
    assert "预算1000万" in page and "3 / 4" in page and "80.0" in page
    assert "Not solved yet" in page


def test_the_pmo_creates_a_scenario_with_the_portfolio_budget(world, pmo, pmo_user):
    url = reverse("portfolio:scenario_create", args=[world.portfolio.pk])
    assert 'value="10000000.00"' in pmo.get(url).content.decode()
    response = pmo.post(
        url, {"name": "含产能约束", "budget": "8000000", "use_capacity": "on"}, follow=True
    )
    scenario = Scenario.objects.get(name="含产能约束")
    assert scenario.created_by == pmo_user and scenario.use_capacity
    assert not scenario.use_dependencies
    assert "Not solved yet" in text(response)


def test_a_negative_budget_is_shown_as_an_error_and_nothing_is_written(world, pmo):
    url = reverse("portfolio:scenario_create", args=[world.portfolio.pk])
    response = pmo.post(url, {"name": "x", "budget": "-5"})
    assert response.status_code == 422
    assert '<ul class="errorlist" id="id_budget_errors"><li>The budget cannot be negative.' in text(
        response
    )
    assert not Scenario.objects.exists()


# --- the scenario page -----------------------------------------------------------------------


def test_the_scenario_page_explains_the_result(world, pmo, pmo_user):
    scenario = solved(world, pmo_user)
    response = pmo.get(scenario.get_absolute_url())
    page = text(response)
    assert 'data-testid="kpi-value">80.0<' in page
    assert "Budget: it would exceed the limit by ¥3,000,000" in page
    assert "Exact 0/1 optimisation (MILP, HiGHS)" in page
    frontier = chart(response, "chart-frontier")
    assert frontier["series"][1]["data"][0]["value"][1] == pytest.approx(80)
    assert "Efficient frontier" in page and 'data-testid="usage-grid"' not in page


def test_the_capacity_use_of_the_chosen_set_is_a_heat_map(world, pmo, pmo_user):
    from tests.portfolio.test_scenarios_world import demand

    demand(world.project("A"), world.roles["dev"], "2027-01", 100)
    scenario = solved(world, pmo_user)
    page = text(pmo.get(scenario.get_absolute_url()))
    assert 'data-testid="usage-grid"' in page
    # 100 h of the developers' 336 h in January 2027.
    assert "100 h used of 336 h available" in page and "30%" in page


def test_an_unsolved_scenario_says_what_to_do(world, pmo):
    page = text(pmo.get(world.scenario().get_absolute_url()))
    assert 'data-testid="unsolved"' in page and 'data-testid="solve"' in page


def test_solving_from_the_page_redirects_to_the_result(world, pmo):
    scenario = world.scenario()
    response = pmo.post(reverse("portfolio:scenario_solve", args=[scenario.pk]), follow=True)
    assert "Solved in" in text(response) and "3 of 4 candidates chosen" in text(response)
    scenario.refresh_from_db()
    assert scenario.result["value"] == pytest.approx(80)


def test_a_conflict_of_forced_choices_is_shown_in_words(world, pmo, pmo_user):
    scenario = world.scenario()
    for code in ("A", "B", "C"):
        ScenarioItem.objects.create(scenario=scenario, item=world.items[code], force="in")
    response = pmo.post(reverse("portfolio:scenario_solve", args=[scenario.pk]), follow=True)
    page = text(response)
    assert 'data-testid="infeasible"' in page
    assert "The forced-in projects (W-A Project A, W-B Project B, W-C Project C) cost" in page
    assert 'data-testid="commit-link"' not in page


def test_forcing_a_candidate_in_by_htmx_clears_the_result(world, pmo, pmo_user):
    scenario = solved(world, pmo_user)
    url = reverse("portfolio:scenario_setting", args=[scenario.pk, world.items["C"].pk])
    response = pmo.post(url, {"force": "in", "shift_months": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = text(response)
    assert page.strip().startswith('<div id="scenario-main">')
    assert 'data-testid="unsolved"' in page
    setting = ScenarioItem.objects.get(scenario=scenario, item=world.items["C"])
    assert setting.force == "in"
    scenario.refresh_from_db()
    assert scenario.result == {}


def test_a_shift_out_of_range_is_refused_and_nothing_changes(world, pmo, pmo_user):
    scenario = solved(world, pmo_user)
    url = reverse("portfolio:scenario_setting", args=[scenario.pk, world.items["C"].pk])
    response = pmo.post(url, {"force": "", "shift_months": "99"}, HTTP_HX_REQUEST="true")
    assert "Ensure this value is less than or equal to 24" in text(response)
    assert not ScenarioItem.objects.exists()
    scenario.refresh_from_db()
    assert scenario.result


def test_without_htmx_a_setting_redirects_back(world, pmo):
    scenario = world.scenario()
    url = reverse("portfolio:scenario_setting", args=[scenario.pk, world.items["C"].pk])
    response = pmo.post(url, {"force": "out", "shift_months": "2"})
    assert response.status_code == 302
    assert ScenarioItem.objects.get().shift_months == 2


def test_a_candidate_of_another_portfolio_is_not_found(world, pmo):
    scenario = world.scenario()
    other = PortfolioItem.objects.exclude(portfolio=world.portfolio).first()
    if other is None:
        from tests.portfolio.factories import PortfolioItemFactory

        other = PortfolioItemFactory()
    url = reverse("portfolio:scenario_setting", args=[scenario.pk, other.pk])
    assert pmo.post(url, {"force": "in"}).status_code == 404


def test_what_if_capacity_is_added_and_removed(world, pmo):
    scenario = world.scenario()
    url = reverse("portfolio:scenario_capacity_add", args=[scenario.pk])
    role = world.roles["dev"]
    response = pmo.post(url, {"role": role.pk, "month": "2027-02", "hours": "160"})
    assert response.status_code == 302
    change = ScenarioCapacity.objects.get()
    assert (change.month, change.hours) == (dt.date(2027, 2, 1), Decimal("160.0"))
    page = text(pmo.get(scenario.get_absolute_url()))
    assert "Developer" in page and "160.0" in page
    pmo.post(reverse("portfolio:scenario_capacity_delete", args=[scenario.pk, change.pk]))
    assert not ScenarioCapacity.objects.exists()


def test_what_if_capacity_outside_the_horizon_is_an_error_on_the_page(world, pmo):
    scenario = world.scenario()
    url = reverse("portfolio:scenario_capacity_add", args=[scenario.pk])
    response = pmo.post(url, {"role": world.roles["dev"].pk, "month": "2028-01", "hours": "8"})
    assert response.status_code == 422
    assert "Choose a month of the portfolio&#x27;s horizon (2027-01 – 2027-06)." in text(response)
    assert not ScenarioCapacity.objects.exists()


def test_a_stale_result_is_flagged_and_cannot_be_committed(world, pmo, pmo_user):
    scenario = solved(world, pmo_user)
    PortfolioItem.objects.filter(pk=world.items["D"].pk).update(score=35)
    page = text(pmo.get(scenario.get_absolute_url()))
    assert 'data-testid="stale"' in page and 'data-testid="commit-link"' not in page


def test_dependencies_outside_the_portfolio_are_listed_on_the_page(world, pmo):
    outsider = ProjectFactory(code="OUT-1", stage=Stage.PROPOSED)
    ProjectDependencyFactory(project=world.project("A"), other=outsider)
    page = text(pmo.get(world.scenario().get_absolute_url()))
    assert "cannot enforce them" in page and "OUT-1" in page


def test_executives_read_the_scenario_without_controls(world, executive, pmo_user):
    scenario = solved(world, pmo_user)
    page = text(executive.get(scenario.get_absolute_url()))
    assert "80.0" in page
    assert 'data-testid="solve"' not in page and "hx-post" not in page


def test_the_page_renders_in_chinese(world, client_for, pmo_user):
    scenario = solved(world, pmo_user)
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = client.get(scenario.get_absolute_url())
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "候选项目C" in text(response) and "300.00万元" in text(response)


# --- the frontier in the background ---------------------------------------------------------


def test_the_frontier_card_polls_until_the_task_is_done(
    world, pmo, pmo_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_FRONTIER_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scenario = solved(world, pmo_user)
    url = reverse("portfolio:scenario_frontier", args=[scenario.pk])
    waiting = text(pmo.get(url, HTTP_HX_REQUEST="true"))
    assert 'hx-trigger="every 3s"' in waiting and "computed in the background" in waiting
    for callback in callbacks:
        callback()
    done = pmo.get(url, HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in text(done)
    assert chart(done, "chart-frontier")["series"][0]["type"] == "line"
    assert pmo.get(url).status_code == 302


# --- commit ------------------------------------------------------------------------------------


def test_the_commit_page_says_what_will_happen_and_commits(world, pmo, pmo_user):
    scenario = solved(world, pmo_user)
    url = reverse("portfolio:scenario_commit", args=[scenario.pk])
    page = text(pmo.get(url))
    assert "3 projects move to approved" in page
    assert "Proposed → Under review → Approved" in page
    response = pmo.post(url, follow=True)
    assert "The scenario was committed" in text(response)
    assert set(
        PortfolioItem.objects.filter(decision="selected").values_list("project__code", flat=True)
    ) == {"W-A", "W-B", "W-D"}


def test_an_executive_cannot_commit(world, executive, pmo_user):
    scenario = solved(world, pmo_user)
    response = executive.post(reverse("portfolio:scenario_commit", args=[scenario.pk]))
    assert response.status_code == 403
    assert not StageChange.objects.exists()
    assert Scenario.objects.get(pk=scenario.pk).status == Scenario.Status.DRAFT


def test_a_project_manager_crafting_a_commit_finds_nothing(world, client_for, pmo_user):
    scenario = solved(world, pmo_user)
    response = client_for("pm").post(reverse("portfolio:scenario_commit", args=[scenario.pk]))
    assert response.status_code == 404
    assert not StageChange.objects.exists()


def test_a_project_manager_crafting_a_dependency_is_refused(world, client_for):
    response = client_for("pm").post(
        reverse("portfolio:dependency_create"),
        {"project": world.project("A").pk, "kind": "requires", "other": world.project("B").pk},
    )
    assert response.status_code == 403
    assert not ProjectDependency.objects.exists()


# --- compare -----------------------------------------------------------------------------------


def test_scenarios_compare_side_by_side(world, pmo, pmo_user):
    first = solved(world, pmo_user, name="预算1000万")
    second = solved(world, pmo_user, name="预算800万", budget=Decimal("8000000"))
    url = reverse("portfolio:scenario_compare", args=[world.portfolio.pk])
    response = pmo.get(url, {"s": [first.pk, second.pk]})
    page = text(response)
    assert "预算1000万" in page and "预算800万" in page
    assert "80.0" in page and "70.0" in page
    # A + B + D against A + B: D differs.
    assert page.count('class="table-warning"') == 1
    only = text(pmo.get(url, {"s": [first.pk, second.pk], "diff": "1"}))
    assert "Project D" in only and "Project C" not in only
    assert chart(response, "chart-compare")["xAxis"]["data"] == ["预算1000万", "预算800万"]


def test_comparing_one_scenario_asks_for_more(world, pmo, pmo_user):
    first = solved(world, pmo_user)
    url = reverse("portfolio:scenario_compare", args=[world.portfolio.pk])
    assert "Choose two to four scenarios." in text(pmo.get(url, {"s": [first.pk]}))


# --- dependencies ------------------------------------------------------------------------------


def test_the_pmo_records_a_dependency_and_sees_it_in_table_and_graph(world, pmo):
    url = reverse("portfolio:dependency_create") + f"?portfolio={world.portfolio.pk}"
    response = pmo.post(
        url,
        {
            "project": world.project("D").pk,
            "kind": "requires",
            "other": world.project("C").pk,
            "note": "共用数据平台",
            "portfolio": world.portfolio.pk,
        },
        follow=True,
    )
    page = text(response)
    assert "The dependency was recorded." in page and "共用数据平台" in page
    graph = chart(response, "chart-dependencies")["series"][0]
    assert {n["value"] for n in graph["data"]} == {"W-C", "W-D"}
    assert graph["links"][0]["source"] == str(world.project("D").pk)


def test_a_contradicting_dependency_is_shown_on_the_form(world, pmo):
    ProjectDependencyFactory(
        project=world.project("A"), other=world.project("B"), kind=ProjectDependency.Kind.EXCLUDES
    )
    response = pmo.post(
        reverse("portfolio:dependency_create"),
        {"project": world.project("B").pk, "kind": "requires", "other": world.project("A").pk},
    )
    assert response.status_code == 422
    assert "exclude each other" in text(response)
    assert ProjectDependency.objects.count() == 1


def test_the_dependency_list_filters_by_portfolio_and_deletes(world, pmo):
    inside = ProjectDependencyFactory(project=world.project("A"), other=world.project("B"))
    ProjectDependencyFactory()
    url = reverse("portfolio:dependency_list")
    assert text(pmo.get(url)).count("<tr>") == 3
    assert text(pmo.get(url, {"portfolio": world.portfolio.pk})).count("<tr>") == 2
    pmo.post(reverse("portfolio:dependency_delete", args=[inside.pk]))
    assert not ProjectDependency.objects.filter(pk=inside.pk).exists()


# --- balance -----------------------------------------------------------------------------------


def test_the_balance_page_shows_value_risk_spend_and_funnel(world, pmo, pmo_user):
    link = ObjectiveLinkFactory(project=world.project("A"), contribution=60)
    ObjectiveLinkFactory(project=world.project("A"), contribution=40)
    response = pmo.get(reverse("portfolio:balance", args=[world.portfolio.pk]))
    page = text(response)
    assert response.status_code == 200
    bubble = chart(response, "chart-bubble")
    points = [p for series in bubble["series"] for p in series["data"]]
    assert len(points) == 4
    theme = chart(response, "chart-theme")
    labels = dict(zip(theme["yAxis"]["data"], theme["series"][0]["data"], strict=True))
    # 60 % of A's 4 M to the first theme: 2.4 M = ¥2.40M.
    assert labels[link.objective.theme.name_en] == pytest.approx(2.4)
    funnel = chart(response, "chart-funnel")["series"][0]["data"]
    assert {"name": "Proposed", "value": 4} in funnel
    assert "Share of the cost in high-risk projects (risk 4–5): 23%." in page


def test_the_balance_of_a_scenario_shows_only_its_chosen_projects(world, pmo, pmo_user):
    scenario = solved(world, pmo_user)
    response = pmo.get(
        reverse("portfolio:balance", args=[world.portfolio.pk]), {"set": f"scenario-{scenario.pk}"}
    )
    bubble = chart(response, "chart-bubble")
    assert sum(len(s["data"]) for s in bubble["series"]) == 3
