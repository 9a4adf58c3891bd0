"""The permission matrix of the strategy pages: every URL × every role.

Strategy (themes, objectives, alignment) is open to every user and changed by the PMO;
portfolios are seen by the PMO and executives (404 for others) and changed by the PMO
(403 for executives).
"""

import pytest
from django.urls import reverse

from portfolio.models import Objective, ObjectiveLink, PortfolioItem
from tests.portfolio.factories import (
    ObjectiveFactory,
    ObjectiveLinkFactory,
    PortfolioItemFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
LOGIN = 302


def row(forbidden=(), not_found=(), redirect=()):
    """Expected status per role; roles not named get 200, anonymous is sent to log in."""
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = LOGIN
        elif role in forbidden:
            expected[role] = 403
        elif role in not_found:
            expected[role] = 404
        elif role in redirect:
            expected[role] = 302
        else:
            expected[role] = 200
    return expected


OTHERS = ("pm", "other_pm", "reviewer", "member")
EVERYONE = row()
PMO_ONLY = row(forbidden=("executive", *OTHERS))
PMO_EXEC = row(forbidden=OTHERS)
PORTFOLIO_VIEW = row(not_found=OTHERS)
PORTFOLIO_CHANGE = row(forbidden=("executive",), not_found=OTHERS)

# (url name, kwargs key, method, expected)
MATRIX = [
    ("portfolio:strategy", None, "get", EVERYONE),
    ("portfolio:theme_create", None, "get", PMO_ONLY),
    ("portfolio:theme_edit", "theme", "get", PMO_ONLY),
    ("portfolio:objective_create", None, "get", PMO_ONLY),
    ("portfolio:objective_export", None, "get", EVERYONE),
    ("portfolio:objective_detail", "objective", "get", EVERYONE),
    ("portfolio:objective_edit", "objective", "get", PMO_ONLY),
    ("portfolio:objective_measure", "objective", "get", PMO_ONLY),
    ("portfolio:objective_measure", "objective", "post", PMO_ONLY),
    ("portfolio:objective_link_add", None, "get", PMO_ONLY),
    ("portfolio:objective_link_add", None, "post", PMO_ONLY),
    ("portfolio:objective_link_delete", "link", "post", PMO_ONLY),
    ("portfolio:alignment", None, "get", EVERYONE),
    ("portfolio:alignment_export", None, "get", EVERYONE),
    ("portfolio:portfolio_list", None, "get", PMO_EXEC),
    ("portfolio:portfolio_create", None, "get", PMO_ONLY),
    ("portfolio:portfolio_create", None, "post", PMO_ONLY),
    ("portfolio:portfolio_detail", "portfolio", "get", PORTFOLIO_VIEW),
    ("portfolio:portfolio_edit", "portfolio", "get", PORTFOLIO_CHANGE),
    ("portfolio:candidate_add", "portfolio", "get", PORTFOLIO_CHANGE),
    ("portfolio:candidate_add", "portfolio", "post", PORTFOLIO_CHANGE),
    ("portfolio:candidate_edit", "item", "get", PORTFOLIO_CHANGE),
    ("portfolio:candidate_edit", "item", "post", PORTFOLIO_CHANGE),
    ("portfolio:candidate_remove", "item", "post", PORTFOLIO_CHANGE),
]
URL_NAMES = sorted({name for name, *_rest in MATRIX})


@pytest.fixture
def objects(project):
    link = ObjectiveLinkFactory(project=project)
    item = PortfolioItemFactory()
    return {
        "theme": {"pk": link.objective.theme_id},
        "objective": {"pk": link.objective_id},
        "link": {"pk": link.pk},
        "portfolio": {"pk": item.portfolio_id},
        "item": {"pk": item.portfolio_id, "item_pk": item.pk},
    }


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[2]}" for m in MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected, role):
    url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
    response = getattr(client_for(role), method)(url)
    status = response.status_code
    if method == "post" and expected[role] == 200:
        # An empty form comes back with its errors (422); a valid action redirects.
        assert status in (200, 302, 422), (role, name, status)
    else:
        assert status == expected[role], (role, name, status)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_every_strategy_url_is_in_the_matrix():
    from portfolio.views import strategy

    assert {f"portfolio:{p.name}" for p in strategy.urlpatterns} == set(URL_NAMES)


@pytest.mark.parametrize("role", ["executive", "pm", "member"])
def test_crafted_posts_to_pmo_actions_write_nothing(client_for, project, role):
    objective = ObjectiveFactory()
    item = PortfolioItemFactory()
    client = client_for(role)
    client.post(
        reverse("portfolio:objective_link_add"),
        {"objective": objective.pk, "project": project.pk, "contribution": 30},
    )
    client.post(
        reverse("portfolio:objective_measure", args=[objective.pk]),
        {"actual": "55", "measured_on": "2026-01-15"},
    )
    client.post(
        reverse("portfolio:candidate_edit", args=[item.portfolio_id, item.pk]),
        {"cost": "1", "feasibility": "1"},
    )
    client.post(reverse("portfolio:candidate_remove", args=[item.portfolio_id, item.pk]))
    assert not ObjectiveLink.objects.exists()
    assert Objective.objects.get().actual is None
    item.refresh_from_db()
    assert item.cost != 1 and PortfolioItem.objects.filter(pk=item.pk).exists()
