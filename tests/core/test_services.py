"""Services of the core: lifecycle rules, summary, membership, demand, the org tree."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pmo.core import services
from pmo.core.models import OrgUnit, Project, ProjectMember, ResourceDemand, Stage
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_project_create_records_manager_and_sponsor_as_members():
    sponsor = PersonFactory()
    project = ProjectFactory(sponsor=sponsor)
    roles = set(project.members.values_list("project_role", flat=True))
    assert roles == {ProjectMember.ProjectRole.MANAGER, ProjectMember.ProjectRole.SPONSOR}


def test_changing_the_manager_moves_the_manager_membership():
    project = ProjectFactory()
    new_manager = PersonFactory()
    services.project_update(project=project, actor=None, manager=new_manager)
    managers = project.members.filter(project_role="manager").values_list("person_id", flat=True)
    assert list(managers) == [new_manager.pk]


def test_project_create_rejects_finish_before_start():
    with pytest.raises(ValidationError) as error:
        ProjectFactory(
            code="LATE", planned_start=dt.date(2026, 5, 1), planned_finish=dt.date(2026, 4, 1)
        )
    assert error.value.messages == ["计划完成日期不能早于计划开始日期。"]
    assert not Project.objects.filter(code="LATE").exists()


def test_pm_moves_own_idea_to_proposed(pm_user, project):
    services.project_stage_change(project=project, to_stage=Stage.CLOSING, actor=pm_user)
    project.refresh_from_db()
    assert project.stage == Stage.CLOSING
    change = project.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.actor) == ("active", "closing", pm_user)


def test_pm_cannot_close_or_approve(pm_user, project):
    services.project_stage_change(project=project, to_stage=Stage.CLOSING, actor=pm_user)
    with pytest.raises(PermissionDenied):
        services.project_stage_change(project=project, to_stage=Stage.CLOSED, actor=pm_user)


def test_other_pm_cannot_move_a_project_they_do_not_manage(other_pm_user, project):
    with pytest.raises(PermissionDenied):
        services.project_stage_change(project=project, to_stage=Stage.CLOSING, actor=other_pm_user)


def test_disallowed_transition_is_refused(pmo_user, project):
    with pytest.raises(ValidationError):
        services.project_stage_change(project=project, to_stage=Stage.IDEA, actor=pmo_user)


def test_cancel_needs_a_reason(pmo_user, project):
    with pytest.raises(ValidationError) as error:
        services.project_stage_change(project=project, to_stage=Stage.CANCELLED, actor=pmo_user)
    assert "reason" in error.value.message_dict
    project.refresh_from_db()
    assert project.stage == Stage.ACTIVE and not project.stage_changes.exists()


def test_activation_and_closure_set_actual_dates(pmo_user):
    project = ProjectFactory(stage=Stage.APPROVED)
    services.project_stage_change(project=project, to_stage=Stage.ACTIVE, actor=pmo_user)
    services.project_stage_change(project=project, to_stage=Stage.CLOSING, actor=pmo_user)
    services.project_stage_change(project=project, to_stage=Stage.CLOSED, actor=pmo_user)
    project.refresh_from_db()
    assert project.actual_start and project.actual_finish


def test_executive_may_approve_but_not_start_review(executive_user):
    project = ProjectFactory(stage=Stage.UNDER_REVIEW)
    assert services.allowed_transitions(project=project, actor=executive_user) == [
        Stage.APPROVED,
        Stage.REJECTED,
        Stage.PROPOSED,
    ]


def test_summary_update_validates_and_writes():
    project = ProjectFactory()
    services.project_summary_update(
        project=project,
        health="red",
        percent_complete=42.5,
        spend_to_date=1000,
        last_status_date=dt.date(2026, 11, 20),
        note="延期两周",
    )
    project.refresh_from_db()
    assert (project.health, project.percent_complete, project.summary_note) == (
        "red",
        Decimal("42.5"),
        "延期两周",
    )
    with pytest.raises(ValidationError):
        services.project_summary_update(project=project, percent_complete=101)
    with pytest.raises(ValidationError):
        services.project_summary_update(project=project, health="purple")


def test_summary_carries_the_latest_evaluation_grade():
    project = ProjectFactory()
    services.project_summary_update(
        project=project, evaluation_grade="B 良好", evaluation_score=81.26
    )
    project.refresh_from_db()
    assert (project.evaluation_grade, project.evaluation_score) == ("B 良好", Decimal("81.3"))
    services.project_summary_update(project=project, health="green")
    project.refresh_from_db()
    assert project.evaluation_grade == "B 良好"
    with pytest.raises(ValidationError):
        services.project_summary_update(project=project, evaluation_score=101)


def test_member_add_is_an_upsert_and_key_roles_cannot_be_removed():
    project = ProjectFactory()
    person = PersonFactory()
    services.project_member_add(project=project, person=person, allocation_percent=50)
    services.project_member_add(project=project, person=person, allocation_percent=20)
    member = project.members.get(person=person)
    assert member.allocation_percent == 20
    with pytest.raises(ValidationError):
        services.project_member_remove(member=project.members.get(project_role="manager"))


def test_member_allocation_over_100_is_refused():
    with pytest.raises(ValidationError):
        services.project_member_add(
            project=ProjectFactory(), person=PersonFactory(), allocation_percent=120
        )


def test_demand_set_normalises_the_month_and_replaces():
    project, role = ProjectFactory(), RoleFactory()
    services.resource_demand_set(project=project, role=role, month=dt.date(2026, 3, 17), hours=10)
    services.resource_demand_set(project=project, role=role, month=dt.date(2026, 3, 1), hours=30)
    demand = ResourceDemand.objects.get(project=project)
    assert (demand.month, demand.hours) == (dt.date(2026, 3, 1), Decimal("30"))
    count = services.resource_demand_replace(
        project=project,
        source="manual",
        rows=[(role, dt.date(2026, 4, 1), Decimal(5)), (role, dt.date(2026, 5, 1), Decimal(6))],
    )
    assert count == 2 and ResourceDemand.objects.filter(project=project).count() == 2


def test_orgunit_paths_follow_moves():
    root = OrgUnitFactory(code="HQ")
    division = OrgUnitFactory(code="DIV", parent=root)
    dept = OrgUnitFactory(code="DEPT", parent=division)
    assert dept.path == f"/{root.pk}/{division.pk}/{dept.pk}/" and dept.depth == 2
    other = OrgUnitFactory(code="OTHER")
    services.orgunit_save(
        unit=division, code="DIV", name=division.name, parent=other, kind=division.kind
    )
    dept = OrgUnit.objects.get(pk=dept.pk)
    assert dept.path == f"/{other.pk}/{division.pk}/{dept.pk}/" and dept.depth == 2


def test_orgunit_cannot_move_under_itself():
    root = OrgUnitFactory(code="HQ")
    child = OrgUnitFactory(code="C", parent=root)
    with pytest.raises(ValidationError):
        services.orgunit_save(unit=root, code="HQ", name=root.name, parent=child)


def test_notifications_are_emailed_once(settings, mailoutbox, pm_user):
    from pmo.core.tasks import notification_email

    (note,) = services.notification_send(
        recipients=[pm_user], title="状态报告逾期", url="/projects/", email=True
    )
    notification_email(note.pk)  # a second delivery of the same task
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "状态报告逾期"


def test_project_metrics_are_listed_in_order_and_computed_through_their_path():
    from pmo.core.registry import ProjectMetric, Registry

    registry = Registry()
    registry.add_metric(ProjectMetric(key="b", label="B", compute="builtins.dict", order=2))
    registry.add_metric(
        ProjectMetric(key="a", label="A", compute="tests.core.test_services._metric", order=1)
    )
    assert [m.key for m in registry.metric_list()] == ["a", "b"]
    start, end = dt.date(2026, 7, 1), dt.date(2026, 12, 31)
    assert registry.metrics["a"].values([3, 4], start, end) == {3: 3.0, 4: None}


def _metric(project_ids, start, end):
    return {pk: (float(pk) if pk % 2 else None) for pk in project_ids}
