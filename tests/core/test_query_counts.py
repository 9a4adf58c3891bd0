"""Every list page of the core renders in a number of queries that does not grow with rows."""

import pytest
from django.urls import reverse

from pmo.core import services
from tests.core.factories import (
    OrgUnitFactory,
    PersonFactory,
    ProjectFactory,
    ProjectMemberFactory,
    ResourceDemandFactory,
)

pytestmark = pytest.mark.django_db


def _projects(n, unit, manager):
    for _i in range(n):
        project = ProjectFactory(org_unit=unit, manager=manager, sponsor=PersonFactory())
        ProjectMemberFactory(project=project)
        ResourceDemandFactory(project=project)


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


# The core's own queries per page; each duty-app tile that renders inline may add a few.
CORE_BUDGET = 22
PER_WIDGET = 4
DASHBOARDS = {"core:dashboard": "executive", "core:cockpit": "pmo", "core:my_work": "my"}


def _seed_rows(rows, unit, pm_user, start=0):
    _projects(rows, unit, pm_user.person)
    for i in range(start, start + rows):
        OrgUnitFactory(parent=unit, code=f"SUB{i}")
    for _i in range(rows):
        services.notification_send(recipients=[pm_user], title="状态报告提醒")


@pytest.mark.parametrize(
    ("url_name", "role"),
    [
        ("core:project_list", "pmo"),
        ("core:project_list", "pm"),
        ("core:person_list", "pmo"),
        ("core:orgunit_tree", "pmo"),
        ("core:dashboard", "executive"),
        ("core:cockpit", "pmo"),
        ("core:my_work", "pm"),
        ("core:notifications", "pm"),
    ],
)
def test_list_pages_have_flat_query_counts(client_for, pm_user, url_name, role):
    """The same number of queries with 3 and with 30 rows, within the page's budget."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pmo.core.registry import registry

    client = client_for(role)
    unit = OrgUnitFactory()
    client.get(reverse(url_name))  # the session's first request loads the user's groups
    counts = []
    for rows, start in ((3, 0), (27, 3)):
        _seed_rows(rows, unit, pm_user, start)
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse(url_name))
        assert response.status_code == 200
        counts.append(len(context.captured_queries))
    limit = CORE_BUDGET
    if url_name in DASHBOARDS:
        limit += PER_WIDGET * len(
            registry.widgets_for(DASHBOARDS[url_name], response.wsgi_request.user)
        )
    assert counts[0] == counts[1], (url_name, counts)
    assert counts[1] <= limit, (url_name, counts, limit)


@pytest.mark.parametrize("rows", [3, 30])
def test_project_page_tabs_have_flat_query_counts(
    client_for, project, rows, django_assert_max_num_queries
):
    for _i in range(rows):
        ProjectMemberFactory(project=project)
        ResourceDemandFactory(project=project, role=ProjectMemberFactory().person.role)
    client = client_for("pm")
    for tab in ("overview", "members", "demand", "history"):
        url = reverse("core:project_detail", args=[project.pk]) + f"?tab={tab}"
        _count_queries(client, url, django_assert_max_num_queries, 24)


@pytest.mark.parametrize("rows", [3, 30])
def test_person_and_unit_pages_have_flat_query_counts(
    client_for, pm_user, rows, django_assert_max_num_queries
):
    unit = pm_user.person.org_unit
    _projects(rows, unit, pm_user.person)
    client = client_for("pmo")
    _count_queries(
        client,
        reverse("core:person_detail", args=[pm_user.person.pk]),
        django_assert_max_num_queries,
        20,
    )
    _count_queries(
        client, reverse("core:orgunit_detail", args=[unit.pk]), django_assert_max_num_queries, 20
    )
