"""The permission matrix of the scenarios part: every URL × every role.

Portfolios and their scenarios are for the PMO and executives: other users get 404 (a
portfolio's existence is not revealed); executives may read but not change them
(403). Company-wide pages (dependencies, capacity) answer 403 to those without the
permission.
"""

import datetime as dt

import pytest
from django.urls import reverse

from tests.portfolio.factories import (
    PortfolioItemFactory,
    ProjectDependencyFactory,
    ScenarioCapacityFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
OTHERS = ("pm", "other_pm", "reviewer", "member")
LOGIN = 302


def row(ok=200, executive=None, others=404):
    """Expected status per role: the PMO gets ``ok``, the executive ``executive``
    (same as the PMO unless given), the other roles ``others``."""
    expected = dict.fromkeys(OTHERS, others)
    expected.update(pmo=ok, executive=ok if executive is None else executive, anonymous=LOGIN)
    return expected


READ = row()
RUN = row(executive=403)
COMPANY_READ = row(others=403)
COMPANY_CHANGE = row(executive=403, others=403)

# (url name, kwargs key, method, expected)
MATRIX = [
    ("portfolio:dependency_list", None, "get", COMPANY_READ),
    ("portfolio:dependency_create", None, "get", COMPANY_CHANGE),
    ("portfolio:dependency_delete", "dependency", "post", row(302, 403, 403)),
    ("portfolio:scenario_list", "portfolio", "get", READ),
    ("portfolio:scenario_create", "portfolio", "get", RUN),
    ("portfolio:scenario_compare", "portfolio", "get", READ),
    ("portfolio:balance", "portfolio", "get", READ),
    ("portfolio:scenario_detail", "scenario", "get", READ),
    ("portfolio:scenario_edit", "scenario", "get", RUN),
    ("portfolio:scenario_solve", "scenario", "post", row(302, 403)),
    ("portfolio:scenario_frontier", "scenario", "get", row(302)),
    ("portfolio:scenario_setting", "setting", "post", row(302, 403)),
    ("portfolio:scenario_capacity_add", "scenario", "post", row(422, 403)),
    ("portfolio:scenario_capacity_delete", "change", "post", row(302, 403)),
    ("portfolio:scenario_commit", "scenario", "get", RUN),
    ("portfolio:scenario_copy", "scenario", "post", row(302, 403)),
    ("portfolio:scenario_delete", "scenario", "post", row(302, 403)),
    ("portfolio:capacity", None, "get", COMPANY_READ),
]
URL_NAMES = tuple(name for name, *_rest in MATRIX)


@pytest.fixture
def objects(project):
    item = PortfolioItemFactory()
    scenario = ScenarioFactory(portfolio=item.portfolio)
    change = ScenarioCapacityFactory(scenario=scenario, month=dt.date(2027, 3, 1))
    return {
        "portfolio": {"pk": item.portfolio_id},
        "scenario": {"pk": scenario.pk},
        "setting": {"pk": scenario.pk, "item_pk": item.pk},
        "change": {"pk": scenario.pk, "change_pk": change.pk},
        "dependency": {"pk": ProjectDependencyFactory().pk},
    }


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected, role):
    url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
    response = getattr(client_for(role), method)(url)
    assert response.status_code == expected[role], (role, name, response.status_code)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_every_scenarios_url_is_in_the_matrix():
    from portfolio.views import scenarios

    named = {f"portfolio:{p.name}" for p in scenarios.urlpatterns}
    assert named == set(URL_NAMES)
