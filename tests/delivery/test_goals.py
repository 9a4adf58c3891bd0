"""Goals, RACI and the responsibility agreement: validation, sign-off in turn, re-versioning."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from delivery.models import (
    AgreementSignoff,
    Goal,
    GoalFramework,
    RaciActivity,
    RaciAssignment,
    ResponsibilityAgreement,
)
from delivery.services import goals as services
from pmo.core.models import Notification

pytestmark = pytest.mark.django_db


def _goal_fields(**extra):
    fields = {
        "dimension": "cost",
        "title": "控制总投资",
        "kpi": "决算金额",
        "unit": "万元",
        "baseline_value": None,
        "target_value": Decimal("1200"),
        "direction": Goal.Direction.DECREASE,
        "due_date": dt.date(2026, 12, 31),
        "measurement": "财务决算报告",
    }
    fields.update(extra)
    return fields


def test_a_goal_needs_a_coherent_direction(project, pm_user):
    with pytest.raises(ValidationError) as error:
        services.goal_save(
            project=project,
            actor=pm_user,
            **_goal_fields(baseline_value=Decimal("1000"), direction="decrease"),
        )
    assert "direction" in error.value.message_dict
    assert not Goal.objects.filter(project=project).exists()


def test_only_the_manager_or_the_pmo_sets_goals(project, other_pm_user, pmo_user):
    with pytest.raises(PermissionDenied):
        services.goal_save(project=project, actor=other_pm_user, **_goal_fields())
    goal = services.goal_save(project=project, actor=pmo_user, **_goal_fields())
    assert goal.history.first().history_user == pmo_user


def test_raci_matrix_needs_exactly_one_accountable_or_nothing_is_written(planned, pm_user):
    activities = list(RaciActivity.objects.filter(project=planned))
    before = set(RaciAssignment.objects.values_list("activity_id", "person_id", "letter"))
    pm, member = planned.manager_id, planned.members.get(project_role="member").person_id
    with pytest.raises(ValidationError) as error:
        services.raci_matrix_save(
            project=planned,
            actor=pm_user,
            cells={
                activities[0].pk: {pm: "A", member: "A"},
                activities[1].pk: {pm: "R"},
            },
        )
    assert len(error.value.messages) == 2
    assert set(RaciAssignment.objects.values_list("activity_id", "person_id", "letter")) == before
    services.raci_matrix_save(
        project=planned,
        actor=pm_user,
        cells={activities[0].pk: {pm: "A", member: "R"}, activities[1].pk: {member: "A"}},
    )
    assert RaciAssignment.objects.filter(activity__project=planned).count() == 3


def test_framework_gaps_block_issuing(planned, pm_user, pmo_user):
    services.framework_save(
        actor=pmo_user,
        project_type=None,
        process="立项后两周内由项目经理起草目标，发起人确认，PMO备案。",
        items=[
            {
                "dimension": "benefits",
                "required": True,
                "proposed_by": "business",
                "agreed_by": "sponsor",
                "consulted": "财务部",
                "guidance": "",
            }
        ],
    )
    Goal.objects.filter(project=planned, dimension="benefits").delete()
    with pytest.raises(ValidationError) as error:
        services.agreement_issue(project=planned, actor=pm_user)
    assert any("Benefits" in m or "效益" in m for m in error.value.messages)
    assert not ResponsibilityAgreement.objects.exists()
    assert GoalFramework.objects.get().items.get().consulted == "财务部"


def test_agreement_is_signed_in_turn(planned, pm_user, sponsor_user, pmo_user):
    agreement = services.agreement_issue(project=planned, actor=pm_user)
    assert agreement.version == 1 and agreement.status == "signing"
    assert len(agreement.snapshot["goals"]) == 5
    # The sponsor cannot sign before the project manager.
    with pytest.raises(PermissionDenied):
        services.agreement_sign(agreement=agreement, actor=sponsor_user)
    services.agreement_sign(agreement=agreement, actor=pm_user, comment="确认")
    assert Notification.objects.filter(recipient=sponsor_user).exists()
    with pytest.raises(PermissionDenied):
        services.agreement_sign(agreement=agreement, actor=pmo_user)
    services.agreement_sign(agreement=agreement, actor=sponsor_user)
    agreement = services.agreement_sign(agreement=agreement, actor=pmo_user)
    assert agreement.status == "signed" and agreement.signed_at is not None
    steps = list(agreement.signoffs.order_by("signed_at").values_list("step", flat=True))
    assert steps == [AgreementSignoff.Step.MANAGER, AgreementSignoff.Step.SPONSOR, "pmo"]
    with pytest.raises(ValidationError):
        services.agreement_sign(agreement=agreement, actor=pmo_user)


def test_a_change_after_sign_off_creates_a_new_version_to_sign(planned, pm_user):
    agreement = services.agreement_issue(project=planned, actor=pm_user)
    goal = Goal.objects.filter(project=planned).first()
    # Before anyone signed, the version in signing follows the change.
    services.goal_save(project=planned, actor=pm_user, goal=goal, title="提前一个月上线")
    agreement.refresh_from_db()
    assert agreement.version == 1 and "提前一个月上线" in str(agreement.snapshot)
    services.agreement_sign(agreement=agreement, actor=pm_user)
    services.goal_save(project=planned, actor=pm_user, goal=goal, title="提前两个月上线")
    agreement.refresh_from_db()
    assert agreement.status == "superseded"
    latest = services.latest_agreement(planned)
    assert latest.version == 2 and latest.status == "signing"
    assert not latest.signoffs.exists()
    assert "提前两个月上线" in str(latest.snapshot)


def test_issuing_again_without_change_is_refused(planned, pm_user):
    services.agreement_issue(project=planned, actor=pm_user)
    with pytest.raises(ValidationError):
        services.agreement_issue(project=planned, actor=pm_user)
    assert ResponsibilityAgreement.objects.count() == 1


def test_communication_must_name_an_agreement_of_the_project(planned, other_project, pm_user):
    other = services.agreement_snapshot(other_project)
    assert other["goals"] == []
    agreement = services.agreement_issue(project=planned, actor=pm_user)
    entry = services.communication_record(
        project=planned,
        actor=pm_user,
        occurred_on=dt.date(2026, 2, 3),
        kind="meeting",
        topic="目标确认会",
        participants="项目经理、发起人、PMO",
        summary="逐项确认了五项目标。",
        outcome="目标达成一致",
        agreement=agreement,
    )
    assert entry.recorded_by == pm_user
