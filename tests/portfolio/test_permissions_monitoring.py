"""The permission matrix of the monitoring pages: every URL × every role.

The watch list, the dashboard and the recommendations are for the PMO and executives;
the PMO changes plans, KPIs and flags and proposes recommendations; the PMO and
executives decide them. A user who cannot see the project behind an object gets 404.
"""

import pytest
from django.urls import reverse

from pmo.core.models import Classification
from portfolio.models import AttentionFlag, MonitoringKpi, MonitoringPlan, Recommendation
from tests.portfolio.factories import (
    AttentionFlagFactory,
    MonitoringKpiFactory,
    MonitoringPlanFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
LOGIN, OK, FORBIDDEN, NOT_FOUND = 302, 200, 403, 404


def row(forbidden=(), not_found=()):
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = LOGIN
        elif role in forbidden:
            expected[role] = FORBIDDEN
        elif role in not_found:
            expected[role] = NOT_FOUND
        else:
            expected[role] = OK
    return expected


PMO_EXEC = row(forbidden=("pm", "other_pm", "reviewer", "member"))
PMO_ONLY = row(forbidden=("executive", "pm", "other_pm", "reviewer", "member"))
# On an object of the project: those who cannot see the project get 404.
PROJECT_PMO_EXEC = row(forbidden=("pm", "member"), not_found=("other_pm", "reviewer"))
PROJECT_PMO = row(forbidden=("executive", "pm", "member"), not_found=("other_pm", "reviewer"))

MATRIX = [
    ("portfolio:watchlist", None, "get", PMO_EXEC),
    ("portfolio:flags_refresh", None, "post", PMO_ONLY),
    ("portfolio:flag_resolve", "flag", "get", PROJECT_PMO),
    ("portfolio:flag_resolve", "flag", "post", PROJECT_PMO),
    ("portfolio:monitoring_plan", "project", "get", PROJECT_PMO_EXEC),
    ("portfolio:monitoring_plan", "project", "post", PROJECT_PMO),
    ("portfolio:monitoring_kpi_add", "project", "post", PROJECT_PMO),
    ("portfolio:monitoring_kpi_edit", "kpi", "get", PROJECT_PMO),
    ("portfolio:monitoring_kpi_delete", "kpi", "post", PROJECT_PMO),
    ("portfolio:monitoring_kpi_record", "kpi", "post", PROJECT_PMO),
    ("portfolio:recommendation_list", None, "get", PMO_EXEC),
    ("portfolio:recommendation_create", "project", "get", PROJECT_PMO),
    ("portfolio:recommendation_create", "project", "post", PROJECT_PMO),
    ("portfolio:recommendation_decide", "proposed", "get", PROJECT_PMO_EXEC),
    ("portfolio:recommendation_decide", "proposed", "post", PROJECT_PMO_EXEC),
    ("portfolio:recommendation_done", "accepted", "get", PROJECT_PMO),
    ("portfolio:recommendation_done", "accepted", "post", PROJECT_PMO),
    ("portfolio:dashboard", None, "get", PMO_EXEC),
]
URL_NAMES = sorted({name for name, *_rest in MATRIX})


@pytest.fixture
def objects(project):
    plan = MonitoringPlanFactory(project=project)
    kpi = MonitoringKpiFactory(plan=plan)
    flag = AttentionFlagFactory(project=project)
    proposed = RecommendationFactory(project=project)
    accepted = RecommendationFactory(project=project, status=Recommendation.Status.ACCEPTED)
    return {
        "project": {"pk": project.pk},
        "kpi": {"pk": kpi.pk},
        "flag": {"pk": flag.pk},
        "proposed": {"pk": proposed.pk},
        "accepted": {"pk": accepted.pk},
    }


def _state():
    """Everything a refused request must leave untouched."""
    return (
        list(MonitoringPlan.objects.values_list("pk", "checks", "is_active")),
        list(MonitoringKpi.objects.values_list("pk", "name", "actual")),
        list(AttentionFlag.objects.values_list("pk", "resolved_at")),
        list(Recommendation.objects.values_list("pk", "status")),
    )


@pytest.mark.parametrize(
    ("name", "kwargs_key", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[2]}" for m in MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, objects, name, kwargs_key, method, expected, role):
    url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
    before = _state()
    response = getattr(client_for(role), method)(url)
    status = response.status_code
    if method == "post" and expected[role] == OK:
        # Allowed POSTs with an empty form re-render with errors or act and redirect.
        assert status in (200, 302, 422), (role, name, status)
    else:
        assert status == expected[role], (role, name, status)
        if method == "post":
            assert _state() == before, (role, name)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_every_monitoring_url_is_in_the_matrix():
    from portfolio.views import monitoring

    assert {f"portfolio:{p.name}" for p in monitoring.urlpatterns} == set(URL_NAMES)


@pytest.mark.parametrize(
    ("role", "shown"),
    [("pmo", True), ("executive", True), ("pm", False), ("member", False)],
)
def test_the_monitoring_tab_is_shown_to_pmo_and_executives_only(client_for, project, role, shown):
    url = reverse("core:project_detail", args=[project.pk]) + "?tab=monitoring"
    response = client_for(role).get(url)
    assert response.status_code == 200
    assert (b'data-testid="tab-monitoring"' in response.content) is shown
    assert (b'data-testid="monitoring-tab"' in response.content) is shown


def test_a_pm_crafting_pmo_posts_gets_403_and_nothing_is_written(client_for, project):
    plan = MonitoringPlanFactory(project=project, checks="原检查项")
    kpi = MonitoringKpiFactory(plan=plan)
    flag = AttentionFlagFactory(project=project)
    client = client_for("pm")
    posts = [
        (
            reverse("portfolio:monitoring_plan", args=[project.pk]),
            {
                "checks": "改掉",
                "frequency": "weekly",
                "spi_threshold": "0.5",
                "cpi_threshold": "0.5",
                "stale_after_days": "30",
                "is_active": "on",
            },
        ),
        (
            reverse("portfolio:monitoring_kpi_record", args=[kpi.pk]),
            {f"kpi{kpi.pk}-actual": "1", f"kpi{kpi.pk}-measured_on": "2026-01-01"},
        ),
        (reverse("portfolio:flag_resolve", args=[flag.pk]), {"resolution": "自己关掉"}),
        (
            reverse("portfolio:recommendation_create", args=[project.pk]),
            {"kind": "budget", "title": "加钱", "rationale": "不够"},
        ),
        (reverse("portfolio:flags_refresh"), {}),
    ]
    before = _state()
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert _state() == before
    plan.refresh_from_db()
    assert plan.checks == "原检查项"


def test_classification_does_not_open_the_pages_to_a_pm(client_for, project):
    from pmo.core.services import project_update

    project_update(project=project, actor=None, classification=Classification.MAJOR)
    assert client_for("pm").get(reverse("portfolio:watchlist")).status_code == 403
