"""The executive dashboard, the PMO cockpit and "my work": permissions of every page and
tile, the period selector, the drill-downs, htmx refresh and bounded query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.models import RealisedBenefit
from delivery.models import Issue, StatusReport
from delivery.widgets import health_trend_rows
from pmo.core import selectors
from pmo.core.models import Project
from pmo.core.registry import registry
from pmo.core.views.dashboards import CORE_TILES
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory
from tests.delivery.factories import IssueFactory, MilestoneFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")
PMO_EXEC = {"pmo": 200, "executive": 200, "anonymous": 302}
PMO_ONLY = {"pmo": 200, "anonymous": 302}
EVERYONE = dict.fromkeys(ROLES, 200) | {"anonymous": 302}


def tile(board, key):
    return reverse("core:dashboard_tile", args=[board, key])


MATRIX = [
    # url, expected status per role (403 when not named)
    (reverse("core:dashboard"), PMO_EXEC),
    (reverse("core:cockpit"), PMO_ONLY),
    (reverse("core:my_work"), EVERYONE),
    (tile("executive", "kpis"), PMO_EXEC),
    (tile("executive", "money"), PMO_EXEC),
    (tile("executive", "delivery_health_trend"), PMO_EXEC),
    (tile("executive", "delivery_milestones"), PMO_EXEC),
    (tile("executive", "decisions_benefits"), PMO_EXEC),
    (tile("executive", "evaluation_grades"), PMO_EXEC),
    (tile("executive", "talent_capacity"), PMO_EXEC),
    (tile("pmo", "stale"), PMO_ONLY),
    (tile("pmo", "delivery_overdue"), PMO_ONLY),
    (tile("pmo", "knowledge_queue"), PMO_ONLY),
    (tile("my", "my_projects"), EVERYONE),
    (tile("my", "delivery_my_due"), EVERYONE),
    (tile("my", "knowledge_my"), EVERYONE),
    # A tile a user's role does not hold: the PM's status reports are not the member's.
    (tile("my", "delivery_my_reports"), {"pm": 200, "other_pm": 200, "anonymous": 302}),
]


@pytest.mark.parametrize(("url", "expected"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_dashboard_and_tile_permissions(client_for, project, role, url, expected):
    response = client_for(role).get(url)
    assert response.status_code == expected.get(role, 403), (role, url)


@pytest.mark.parametrize(
    "url",
    [
        tile("executive", "nothing"),
        tile("nowhere", "kpis"),
        # A tile exists only on its own dashboard.
        tile("pmo", "kpis"),
        tile("executive", "delivery_overdue"),
    ],
)
def test_unknown_tiles_are_not_found(client_for, url):
    assert client_for("pmo").get(url).status_code == 404


def test_every_tile_of_every_dashboard_renders_alone_for_htmx(client_for, project):
    client = client_for("pmo")
    boards = {"executive": "executive", "pmo": "pmo"}
    for board in boards:
        keys = [t.key for t in CORE_TILES if t.dashboard == board]
        keys += [
            w.key for w in registry.widgets_for(board, client_for("pmo").get("/").wsgi_request.user)
        ]
        for key in keys:
            response = client.get(tile(board, key) + "?period=year", HTTP_HX_REQUEST="true")
            html = response.content.decode()
            assert response.status_code == 200, key
            assert "<html" not in html and f'id="tile-{key}"' in html, key
            assert 'hx-trigger="dashboard-refresh from:body"' in html, key


def test_a_plain_link_to_a_tile_opens_a_page_with_the_way_back(client_for, project):
    response = client_for("executive").get(tile("executive", "money") + "?period=month")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert reverse("core:dashboard") + "?period=month" in html


@pytest.mark.parametrize(
    ("key", "today", "start", "end"),
    [
        ("month", dt.date(2026, 2, 14), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("month", dt.date(2024, 2, 14), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("month", dt.date(2026, 12, 31), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("quarter", dt.date(2026, 5, 20), dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("quarter", dt.date(2026, 12, 1), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("year", dt.date(2026, 7, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("previous_quarter", dt.date(2026, 5, 20), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("previous_quarter", dt.date(2026, 2, 3), dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("bogus", dt.date(2026, 8, 9), dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (None, dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ],
)
def test_dashboard_period_spans(key, today, start, end):
    period = selectors.dashboard_period(key, today)
    assert (period.start, period.end) == (start, end)
    assert period.key in dict(selectors.period_choices())


def test_money_rolls_up_to_the_units_one_level_below_the_filter():
    company = OrgUnitFactory(code="CO")
    east = OrgUnitFactory(code="EAST", parent=company)
    west = OrgUnitFactory(code="WEST", parent=company)
    east_team = OrgUnitFactory(code="EAST-1", parent=east)
    ProjectFactory(org_unit=east_team, budget=Decimal(100))
    ProjectFactory(org_unit=east, budget=Decimal(50))
    ProjectFactory(org_unit=west, budget=Decimal(30))
    ProjectFactory(org_unit=west, budget=Decimal(999), stage="closed")
    units = list(type(company).objects.filter(path__startswith=company.path))
    rows = selectors.money_by_child_unit(Project.objects.all(), None, units)
    assert [(r["unit"].code, r["budget"], r["n"]) for r in rows] == [
        ("EAST", Decimal(150), 2),
        ("WEST", Decimal(30), 1),
    ]
    rows = selectors.money_by_child_unit(Project.objects.all(), east, units)
    assert [(r["unit"].code, r["budget"]) for r in rows] == [("EAST-1", Decimal(100))]


def test_health_trend_counts_each_weeks_latest_report_and_missing_ones_as_grey():
    sunday = dt.date(2026, 3, 29)  # a Sunday
    reported = ProjectFactory()
    silent = ProjectFactory()
    closed = ProjectFactory(stage="closed")
    StatusReportFactory(project=reported, period_start=dt.date(2026, 3, 9), overall="green")
    StatusReportFactory(project=reported, period_start=dt.date(2026, 3, 23), overall="red")
    StatusReportFactory(project=closed, period_start=dt.date(2026, 3, 16), overall="amber")
    StatusReportFactory(
        project=silent, period_start=dt.date(2026, 3, 23), overall="red", status="draft"
    )
    sundays, counts = health_trend_rows(Project.objects.all(), sunday, weeks=4)
    assert sundays == [dt.date(2026, 3, 8), dt.date(2026, 3, 15), dt.date(2026, 3, 22), sunday]
    assert counts["green"] == [0, 1, 1, 0]
    assert counts["red"] == [0, 0, 0, 1]
    assert counts["amber"] == [0, 0, 1, 1]
    assert counts["grey"] == [2, 1, 1, 1]


def test_unit_filter_narrows_every_tile_and_red_items_link_to_the_project(client_for):
    unit = OrgUnitFactory()
    red = ProjectFactory(org_unit=unit)
    Project.objects.filter(pk=red.pk).update(health="red")
    elsewhere = ProjectFactory()
    Project.objects.filter(pk=elsewhere.pk).update(health="red")
    IssueFactory(project=red, severity="critical", level=3)
    client = client_for("executive")
    html = client.get(reverse("core:dashboard") + f"?unit={unit.pk}").content.decode()
    assert red.get_absolute_url() in html
    assert elsewhere.get_absolute_url() not in html
    assert f"health=red&amp;org_unit={unit.pk}" in html
    assert 'data-testid="top-risks"' in html


def test_period_filter_selects_the_milestones_due(client_for, project):
    today = timezone.localdate()
    MilestoneFactory(project=project, name="本月里程碑", planned_date=today)
    MilestoneFactory(
        project=project, name="明年里程碑", planned_date=today + dt.timedelta(days=400)
    )
    client = client_for("pmo")
    html = client.get(tile("executive", "delivery_milestones") + "?period=month").content.decode()
    assert "本月里程碑" in html and "明年里程碑" not in html


def test_the_htmx_refresh_uses_the_filters_sent_last(client_for):
    unit = OrgUnitFactory()
    other = OrgUnitFactory()
    ProjectFactory(org_unit=unit)
    ProjectFactory(org_unit=other)
    client = client_for("executive")
    # The tile's own URL says one unit; the filter form included by htmx says another.
    url = tile("executive", "kpis") + f"?unit={unit.pk}&period=year&period=month&unit="
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f"org_unit={unit.pk}" not in html
    assert "stage=active" in html


def _grow(rows, unit, pm_user, member_user):
    """Rows in every area the dashboards read: projects with reports, milestones, issues,
    benefits, notifications and memberships."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    for i in range(rows):
        project = ProjectFactory(org_unit=unit, manager=pm_user.person, sponsor=PersonFactory())
        Project.objects.filter(pk=project.pk).update(health=("red", "amber", "green")[i % 3])
        StatusReport.objects.create(
            project=project,
            period_start=monday - dt.timedelta(days=7),
            period_end=monday - dt.timedelta(days=1),
            due_date=monday,
            status="submitted",
            overall=("red", "amber", "green")[i % 3],
        )
        MilestoneFactory(project=project, planned_date=today)
        IssueFactory(
            project=project,
            severity="critical",
            level=3,
            owner=pm_user.person,
            due_date=today,
            kind=Issue.Kind.RISK,
        )
        RealisedBenefit.objects.create(project=project, year=today.year, amount=Decimal(10))
        from pmo.core.services import notification_send
        from tests.core.factories import ProjectMemberFactory

        ProjectMemberFactory(project=project, person=member_user.person)
        notification_send(recipients=[pm_user], title="提醒")


BUDGETS = {
    "core:dashboard": ("executive", 60),
    "core:cockpit": ("pmo", 60),
    "core:my_work": ("pm", 45),
}


@pytest.mark.parametrize("url_name", list(BUDGETS))
def test_dashboards_render_in_a_flat_bounded_number_of_queries(
    client_for, pm_user, member_user, url_name
):
    role, budget = BUDGETS[url_name]
    client = client_for(role)
    unit = OrgUnitFactory()
    client.get(reverse(url_name))  # the session's first request loads the user's groups
    counts = []
    for rows in (3, 27):
        _grow(rows, unit, pm_user, member_user)
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse(url_name) + "?period=year")
        assert response.status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], (url_name, counts)
    assert counts[1] <= budget, (url_name, counts)


def test_member_sees_their_projects_with_health_and_what_is_due(client_for, project, pm_user):
    IssueFactory(project=project, owner=pm_user.person, due_date=timezone.localdate())
    html = client_for("pm").get(reverse("core:my_work")).content.decode()
    assert 'data-testid="my-projects"' in html and project.get_absolute_url() in html
    assert 'data-testid="my-due"' in html
    member_html = client_for("member").get(reverse("core:my_work")).content.decode()
    assert project.get_absolute_url() in member_html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dashboards_speak_both_languages(client_for, project, language):
    client = client_for("pmo")
    expected = {
        "zh-hans": ("高管仪表盘", "本季度", "PMO 驾驶舱"),
        "en": ("Executive dashboard", "This quarter", "PMO cockpit"),
    }[language]
    html = client.get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    cockpit = client.get(reverse("core:cockpit"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert expected[0] in html and expected[1] in html
    assert expected[2] in cockpit
