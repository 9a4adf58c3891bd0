"""Capacity against demand: supply from people, demand from projects, the heat map with
deficits and surpluses, what-if shifts and added hours, and suggested shifts."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from pmo.core.models import ResourceDemand, Stage
from portfolio.selectors import scenarios as selectors
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory
from tests.portfolio.test_scenarios_world import build_world, demand

pytestmark = pytest.mark.django_db

VIEW = {"start": "2027-01", "months": "6", "filtered": "1", "candidates": "1"}


@pytest.fixture
def world(db):
    """January 2027: the running project takes 300 of the developers' 336 h and
    candidate A asks 100 h more, a deficit of 64 h."""
    world = build_world()
    demand(world.running, world.roles["dev"], "2027-01", 300, ResourceDemand.Source.PLAN)
    demand(world.project("A"), world.roles["dev"], "2027-01", 100)
    return world


@pytest.fixture
def pmo(client_for):
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_working_weeks_are_weekdays_over_five():
    assert selectors.working_weeks("2027-01") == pytest.approx(4.2)
    assert selectors.working_weeks("2027-02") == pytest.approx(4.0)


def test_supply_counts_active_people_of_the_unit_and_below(db):
    parent = OrgUnitFactory(code="P")
    child = OrgUnitFactory(code="C", parent=parent)
    role = PersonFactory(org_unit=child, weekly_capacity_hours=Decimal("30")).role
    PersonFactory(org_unit=parent, role=role, weekly_capacity_hours=Decimal("10"))
    PersonFactory(org_unit=parent, role=role, is_active=False)
    supply = selectors.role_supply(["2027-02"], unit=parent)
    assert supply[(role.code, "2027-02")] == pytest.approx(160)
    assert selectors.role_supply(["2027-02"], unit=child)[(role.code, "2027-02")] == 120


def test_the_map_finds_the_deficit_and_suggests_shifting_the_candidate(world):
    heat = selectors.capacity_map(selectors.periods_from(selectors.period_start("2027-01"), 6))
    dev = next(row for row in heat.rows if row["role"] == "dev")
    january = dev["cells"][0]
    assert (january["demand"], january["supply"]) == (400, pytest.approx(336))
    assert january["css"] == "text-bg-danger"
    assert dev["deficit"] == pytest.approx(64)
    assert heat.totals["deficit_cells"] == 1
    assert heat.deficits[0]["projects"] == [(world.project("A"), 100)]
    assert [(s["project"], s["months"]) for s in heat.suggestions] == [(world.project("A"), 1)]
    assert heat.suggestions[0]["hours"] == pytest.approx(64)


def test_running_projects_are_never_suggested_for_a_shift(world):
    demand(world.project("A"), world.roles["dev"], "2027-01", 0)
    heat = selectors.capacity_map(["2027-01", "2027-02"])
    assert heat.totals["deficit"] == 0
    world.running.stage = Stage.ACTIVE
    demand(world.running, world.roles["dev"], "2027-01", 400, ResourceDemand.Source.PLAN)
    heat = selectors.capacity_map(["2027-01", "2027-02"])
    assert heat.totals["deficit"] == pytest.approx(64)
    assert heat.suggestions == []


def test_the_page_shows_the_heat_map_deficits_and_suggestions(world, pmo):
    response = pmo.get(reverse("portfolio:capacity"), VIEW)
    page = text(response)
    assert 'data-testid="heat-map"' in page
    assert "demand 400 h, supply 336 h, gap -64 h" in page
    assert 'data-testid="deficit-total">64 h' in page
    assert "W-A" in page and "removes 64 h of deficit" in page


def test_trying_a_suggestion_shifts_the_project_in_the_what_if(world, pmo):
    url = reverse("portfolio:capacity")
    page = pmo.get(url, VIEW).content.decode()
    apply = re.search(r'href="([^"]*shift=[^"]*)">Try it', page).group(1).replace("&amp;", "&")
    assert parse_qs(urlparse(apply).query)["shift"] == [f"{world.project('A').pk}:1"]
    shifted = text(pmo.get(apply))
    assert 'data-testid="deficit-total">0 h' in shifted
    assert 'data-testid="whatif-chips"' in shifted and "shifted by 1 month" in shifted


def test_the_what_if_form_adds_hours_to_a_role(world, pmo):
    url = reverse("portfolio:capacity")
    response = pmo.get(url, {**VIEW, "add_role": world.roles["dev"].pk, "add_hours": "64"})
    assert response.status_code == 302
    assert parse_qs(urlparse(response["Location"]).query)["add"] == ["dev:64"]
    page = text(pmo.get(response["Location"]))
    assert 'data-testid="deficit-total">0 h' in page and "+64 h per month" in page


def test_the_what_if_form_shifts_a_project(world, pmo):
    url = reverse("portfolio:capacity")
    response = pmo.get(url, {**VIEW, "shift_project": world.project("A").pk, "shift_months": "2"})
    assert parse_qs(urlparse(response["Location"]).query)["shift"] == [f"{world.project('A').pk}:2"]


def test_candidates_can_be_left_out(world, pmo):
    view = {key: value for key, value in VIEW.items() if key != "candidates"}
    page = text(pmo.get(reverse("portfolio:capacity"), view))
    assert 'data-testid="deficit-total">0 h' in page


def test_the_unit_filter_limits_supply_and_demand(world, pmo):
    elsewhere = OrgUnitFactory(code="ELSE")
    page = text(pmo.get(reverse("portfolio:capacity"), {**VIEW, "unit": elsewhere.pk}))
    assert 'data-testid="heat-map"' not in page
    assert "No people with a role and no resource demand in this view." in page


def test_bad_what_if_entries_are_ignored(world, pmo):
    response = pmo.get(
        reverse("portfolio:capacity"), {**VIEW, "shift": ["x:1", "5:99"], "add": ["dev:abc"]}
    )
    assert response.status_code == 200
    assert 'data-testid="deficit-total">64 h' in text(response)


def test_a_project_outside_the_view_can_still_be_shifted_by_link(world, pmo):
    other = ProjectFactory(code="W-X", stage=Stage.PROPOSED)
    response = pmo.get(reverse("portfolio:capacity"), {**VIEW, "shift": f"{other.pk}:1"})
    assert "W-X" in text(response)
