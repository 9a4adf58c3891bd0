"""``manage.py seed_demo``: the demo company is complete, coherent and idempotent.

Seeding takes several seconds, so the module seeds once (inside a transaction that is
rolled back at the end) and every test reads, or changes inside its own savepoint.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from pmo.core import roles
from pmo.core.demo import build_plan
from pmo.core.models import (
    CLOSED_STAGES,
    Health,
    Notification,
    OrgUnit,
    Person,
    Project,
    ProjectMember,
    ResourceDemand,
    SearchEntry,
    Stage,
    UserPreference,
)
from pmo.core.registry import registry

TODAY = dt.date(2026, 3, 16)
NOT_STARTED = {Stage.IDEA, Stage.PROPOSED, Stage.UNDER_REVIEW, Stage.REJECTED}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for the module; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def core_projects():
    return Project.objects.filter(code__startswith="HC-")


def row_counts() -> dict[str, int]:
    models = [OrgUnit, Person, Project, ProjectMember, ResourceDemand, Notification]
    counts = {m.__name__: m.objects.count() for m in models}
    counts.update({f"history {m.__name__}": m.history.count() for m in models[:5]})
    counts["users"] = get_user_model().objects.count()
    return counts


@pytest.mark.parametrize(
    ("username", "groups"),
    [
        ("pmo", {roles.PMO_ADMIN, roles.PMO_STAFF}),
        ("pmo_staff", {roles.PMO_STAFF}),
        ("exec", {roles.EXECUTIVE}),
        ("pm", {roles.PROJECT_MANAGER}),
        ("pm2", {roles.PROJECT_MANAGER}),
        ("reviewer", {roles.REVIEWER}),
        ("member", {roles.MEMBER}),
    ],
)
def test_each_demo_login_signs_in_with_its_roles_and_person(demo, username, groups):
    user = get_user_model().objects.get(username=username)
    assert set(user.groups.values_list("name", flat=True)) == groups
    assert Person.objects.filter(user=user).exists()
    assert Client().login(username=username, password="demo12345")
    assert username in demo  # the logins are printed at the end


def test_admin_is_a_superuser_and_two_logins_have_a_language(demo):
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo12345")
    languages = dict(UserPreference.objects.values_list("user__username", "language"))
    assert languages == {"exec": "en", "pm": "zh-hans"}


def test_about_sixty_projects_cover_every_stage_mostly_active(demo):
    projects = core_projects()
    stages = Counter(projects.values_list("stage", flat=True))
    assert 55 <= projects.count() <= 65
    assert set(stages) == set(Stage.values)
    assert stages.most_common(1)[0][0] == Stage.ACTIVE
    assert set(projects.values_list("classification", flat=True)) == {"major", "key", "general"}
    assert set(projects.values_list("project_type__code", flat=True)) == {
        "it",
        "rd",
        "construction",
        "marketing",
        "process",
    }
    for project in projects.exclude(is_program=True):
        assert Decimal("500000") <= project.budget <= Decimal("80000000"), project.code
        assert project.name and project.name_en


def test_programmes_group_child_projects_and_span_them(demo):
    programmes = core_projects().filter(is_program=True)
    assert programmes.count() == 3
    for programme in programmes:
        children = list(programme.children.all())
        assert len(children) >= 3
        assert programme.planned_start == min(c.planned_start for c in children)
        assert programme.planned_finish == max(c.planned_finish for c in children)


def test_summaries_fit_the_lifecycle_stage(demo):
    for project in core_projects():
        if project.stage in NOT_STARTED:
            assert project.health == Health.GREY
            assert project.percent_complete == 0 and project.spend_to_date == 0
            assert project.last_status_date is None and project.actual_start is None
        elif project.stage == Stage.APPROVED:
            assert project.spend_to_date == 0 and project.actual_start is None
        elif project.stage == Stage.CLOSED:
            assert project.percent_complete == 100
            assert project.actual_finish is not None and project.actual_finish < TODAY
            assert project.last_status_date == project.actual_finish
            assert project.spend_to_date == project.forecast_cost > 0
        elif project.stage == Stage.CANCELLED:
            assert project.health == Health.GREY
        else:  # active, closing, on hold
            assert 0 < project.percent_complete < 100
            assert project.actual_start is not None and project.actual_start < TODAY
            assert project.last_status_date is not None and project.last_status_date <= TODAY
            assert project.spend_to_date > 0 and project.forecast_cost > 0


def test_status_reports_are_mostly_current_but_some_are_stale(demo):
    dates = core_projects().filter(stage=Stage.ACTIVE, is_program=False)
    dates = list(dates.values_list("last_status_date", flat=True))
    stale = [d for d in dates if d < TODAY - dt.timedelta(days=14)]
    assert 0 < len(stale) < len(dates) / 2
    assert {Health.GREEN, Health.AMBER, Health.RED} <= set(
        core_projects().values_list("health", flat=True)
    )


def test_org_tree_has_paths_that_follow_the_parents_and_a_head_each(demo):
    units = {u.pk: u for u in OrgUnit.objects.filter(code__startswith="HC")}
    assert 15 <= len(units) <= 20
    for unit in units.values():
        parent = units.get(unit.parent_id)
        expected = f"{parent.path}{unit.pk}/" if parent else f"/{unit.pk}/"
        assert unit.path == expected and unit.depth == expected.count("/") - 2
        assert unit.head_id is not None


def test_about_120_people_with_numbers_titles_capacity_and_rates(demo):
    people = Person.objects.filter(employee_no__startswith="HC")
    assert 110 <= people.count() <= 135
    assert people.values("name").distinct().count() == people.count()
    assert not people.filter(title="").exists()
    assert not people.filter(weekly_capacity_hours__lte=0).exists()
    assert not people.filter(cost_rate__lte=0).exists()


def test_every_project_has_its_manager_and_sponsor_on_the_team(demo):
    for project in core_projects():
        rows = set(project.members.values_list("person_id", "project_role"))
        assert (project.manager_id, "manager") in rows
        assert (project.sponsor_id, "sponsor") in rows


def test_demo_project_managers_and_member_have_work_to_see(demo):
    pm = Person.objects.get(user__username="pm")
    assert Project.objects.filter(manager=pm).count() >= 4
    assert Project.objects.filter(manager__user__username="pm2").count() >= 3
    member = Person.objects.get(user__username="member")
    assert ProjectMember.objects.filter(person=member, project_role="member").count() == 3
    client = Client()
    client.login(username="member", password="demo12345")
    mine = Project.objects.filter(members__person=member).first()
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_resource_demand_covers_the_next_twelve_months_of_running_projects(demo):
    months = {dt.date(2026, m, 1) for m in range(3, 13)} | {dt.date(2027, m, 1) for m in (1, 2)}
    planned = core_projects().filter(stage__in=[Stage.ACTIVE, Stage.APPROVED], is_program=False)
    for project in planned:
        found = set(project.demands.values_list("month", flat=True))
        assert found and found <= months, project.code
    # Proposals may carry what their business case asks for; nothing else plans them.
    assert not (
        ResourceDemand.objects.exclude(project__stage__in=[Stage.ACTIVE, Stage.APPROVED])
        .exclude(source=ResourceDemand.Source.BUSINESS_CASE)
        .exists()
    )
    assert not ResourceDemand.objects.filter(hours__lte=0).exists()


def test_demo_users_have_notifications_that_link_into_the_app(demo):
    notes = Notification.objects.filter(recipient__username__in=["pm", "pmo", "exec", "member"])
    assert set(notes.values_list("recipient__username", flat=True)) == {
        "pm",
        "pmo",
        "exec",
        "member",
    }
    assert all(url.startswith("/") for url in notes.values_list("url", flat=True))


def test_a_second_run_changes_nothing(demo):
    before = row_counts()
    updated = dict(Project.objects.values_list("code", "updated_at"))
    output = seed()
    assert row_counts() == before
    assert dict(Project.objects.values_list("code", "updated_at")) == updated
    assert "nothing to add" in output


def test_the_plan_is_deterministic_and_its_names_do_not_depend_on_the_date():
    first, again, later = build_plan(TODAY), build_plan(TODAY), build_plan(dt.date(2026, 9, 1))
    assert first == again
    assert [(p.code, p.name) for p in first.projects] == [(p.code, p.name) for p in later.projects]
    assert [(p.employee_no, p.name) for p in first.people] == [
        (p.employee_no, p.name) for p in later.people
    ]


def test_scale_adds_projects_with_valid_org_paths_and_is_idempotent(demo):
    before = Project.objects.count()
    seed("--scale", "50")
    assert Project.objects.count() == before + 50
    scaled = Project.objects.filter(code__startswith="SC-P").select_related("org_unit")
    company = OrgUnit.objects.get(code="HC")
    for unit in OrgUnit.objects.filter(code__startswith="SC-"):
        assert unit.path == f"{unit.parent.path}{unit.pk}/"
        assert unit.path.startswith(company.path) and unit.depth == unit.parent.depth + 1
    assert Person.objects.filter(employee_no__startswith="SC-").count() == 20
    assert scaled.filter(stage=Stage.ACTIVE).count() > scaled.count() / 4
    for project in scaled:
        assert project.org_unit.code.startswith("SC-U")
        assert project.members.filter(project_role="manager", person=project.manager).exists()
        if project.program_id:
            assert project.program.is_program
        if project.stage == Stage.CLOSED:
            assert project.percent_complete == 100
        if project.stage in NOT_STARTED | set(CLOSED_STAGES) - {Stage.CLOSED}:
            assert not project.demands.exists()
    seed("--scale", "50")
    assert Project.objects.count() == before + 50


def test_scale_adds_twenty_status_reports_and_lessons_per_project_indexed_once(demo):
    """--scale N: 20·N weekly status reports and 20·N lessons, every lesson in the search
    index; a second run adds nothing."""
    status_model = apps.get_model("delivery", "StatusReport")
    lesson_model = apps.get_model("knowledge", "Lesson")
    lesson_kinds = [s.key for s in registry.searchables_for_model("knowledge.Lesson")]
    seed("--scale", "50")
    reports = status_model.objects.filter(project__code__startswith="SC-P")
    lessons = lesson_model.objects.filter(project__code__startswith="SC-P")
    assert reports.count() == 1000
    assert lessons.count() == 1000
    for report in reports.select_related("project")[:200]:
        assert report.period_start.weekday() == 0
        assert report.period_start <= report.project.last_status_date
    indexed = SearchEntry.objects.filter(kind__in=lesson_kinds, object_id__in=lessons.values("pk"))
    assert indexed.count() == 1000
    entry = indexed.first()
    assert entry.title == lesson_model.objects.get(pk=entry.object_id).title
    seed("--scale", "50")
    assert (reports.count(), lessons.count(), indexed.count()) == (1000, 1000, 1000)


def test_duty_app_seeders_run_after_the_core_with_the_demo_data(demo, monkeypatch):
    seen = []

    def seeder(data):
        seen.append((data.person("pm").name, "HC-PRJ-001" in data.projects, data.today))

    monkeypatch.setattr(registry, "demo_seeders", [seeder], raising=False)
    seed()
    assert seen == [("王建华", True, TODAY)]
    monkeypatch.setattr(registry, "demo_seeders", [seeder], raising=False)
    seed("--core-only")
    assert len(seen) == 1
