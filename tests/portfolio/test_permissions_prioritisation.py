"""The permission matrix of prioritisation: every URL × every role, with the status each
must get. Portfolios are for the PMO and executives (others get 404); executives compare
drivers and read the ranking, only the PMO changes drivers, weights, ratings and scales."""

import pytest
from django.urls import reverse

from tests.portfolio.factories import (
    BusinessDriverFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    RatingScaleFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
OTHERS = ("pm", "other_pm", "reviewer", "member")


def row(ok=200, executive=None, others=404):
    """Expected status per role: PMO gets ``ok``; executives ``executive`` (default ``ok``);
    the other roles ``others``; anonymous users are sent to log in."""
    expected = {"pmo": ok, "executive": ok if executive is None else executive, "anonymous": 302}
    expected.update(dict.fromkeys(OTHERS, others))
    return expected


READ = row()  # PMO and executives see it, the others do not know it exists
PMO_PAGE = row(executive=403)
PMO_POST = row(ok=302, executive=403)
SCALE_READ = row(others=403)
SCALE_CHANGE = row(executive=403, others=403)

# (url name, kwargs key, method, expected)
MATRIX = [
    ("drivers", "portfolio", "get", READ),
    ("driver_create", "portfolio", "get", PMO_PAGE),
    ("driver_edit", "driver", "get", PMO_PAGE),
    ("driver_delete", "driver", "post", PMO_POST),
    ("driver_move", "driver", "post", PMO_POST),
    ("driver_weights", "portfolio", "get", PMO_PAGE),
    ("compare", "portfolio", "get", READ),
    ("compare_preview", "portfolio", "post", READ),
    ("ratings", "portfolio", "get", PMO_PAGE),
    ("ranking", "portfolio", "get", READ),
    ("ranking_refresh", "portfolio", "post", PMO_POST),
    ("scale_list", None, "get", SCALE_READ),
    ("scale_create", None, "get", SCALE_CHANGE),
    ("scale_edit", "scale", "get", SCALE_CHANGE),
]
URL_NAMES = [f"portfolio:{name}" for name, *_rest in MATRIX]


@pytest.fixture
def objects(db):
    portfolio = PortfolioFactory(rating_scale=RatingScaleFactory())
    drivers = [BusinessDriverFactory(portfolio=portfolio) for _i in range(3)]
    PortfolioItemFactory(portfolio=portfolio)
    return {
        "portfolio": {"pk": portfolio.pk},
        "driver": {"pk": portfolio.pk, "driver_pk": drivers[1].pk},
        "scale": {"pk": portfolio.rating_scale_id},
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs_key", "method", "expected"), MATRIX)
def test_permission_matrix(client_for, objects, role, name, kwargs_key, method, expected):
    url = reverse(f"portfolio:{name}", kwargs=objects[kwargs_key] if kwargs_key else None)
    response = getattr(client_for(role), method)(url)
    assert response.status_code == expected[role], (name, role)


def test_the_matrix_covers_every_prioritisation_url():
    from portfolio.views.prioritisation import urlpatterns

    assert sorted(URL_NAMES) == sorted(f"portfolio:{p.name}" for p in urlpatterns)


@pytest.mark.parametrize(
    "name", ["driver_delete", "driver_move", "compare_preview", "ranking_refresh"]
)
def test_actions_that_change_or_compute_refuse_get(client_for, objects, name):
    kwargs = objects["driver"] if name.startswith("driver") else objects["portfolio"]
    assert client_for("pmo").get(reverse(f"portfolio:{name}", kwargs=kwargs)).status_code == 405


def test_a_driver_of_another_portfolio_is_not_found(client_for, objects):
    stranger = BusinessDriverFactory()
    url = reverse(
        "portfolio:driver_edit", kwargs={"pk": objects["portfolio"]["pk"], "driver_pk": stranger.pk}
    )
    assert client_for("pmo").get(url).status_code == 404
