"""Issues and escalation, PMO interventions, gates with evidence, resource adjustments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from delivery.models import (
    Gate,
    GateCondition,
    GateEvidence,
    Intervention,
    Issue,
    Level,
    Phase,
    ResourceRequest,
)
from delivery.selectors import escalations_past_target, response_kpis
from delivery.services import gates, issues, plan, resources
from pmo.core.models import Notification, ProjectMember, ResourceDemand
from tests.core.factories import PersonFactory, ProjectMemberFactory, RoleFactory
from tests.delivery.factories import GateFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _issue(project, actor, **extra):
    fields = {"kind": "issue", "title": "核心供应商交付延迟", "severity": "high"}
    fields.update(extra)
    return issues.issue_raise(project=project, actor=actor, **fields)


# --- issues and escalation --------------------------------------------------------------


def test_escalation_ladder_and_response_times(project, pm_user, pmo_user, member_user):
    issue = _issue(project, pm_user)
    assert issue.level == Level.MANAGER and issue.status == "open"
    # The raiser's own action is not a response.
    issues.issue_act(issue=issue, actor=pm_user, text="已联系供应商")
    assert issue.first_response_at is None and issue.level_response_at is not None
    issues.issue_escalate(issue=issue, actor=pm_user, text="供应商无法在两周内恢复供货")
    assert issue.level == Level.PMO and issue.pmo_escalated_at is not None
    assert issue.level_response_at is None
    assert Notification.objects.filter(recipient=pmo_user, title__contains="核心供应商").exists()
    # The project manager may not take it further; the PMO may.
    with pytest.raises(PermissionDenied):
        issues.issue_escalate(issue=issue, actor=pm_user, text="再升级")
    with pytest.raises(PermissionDenied):
        issues.issue_act(issue=issue, actor=member_user, text="我来处理")
    intervention = issues.intervention_record(
        project=project,
        actor=pmo_user,
        issue=issue,
        kind="supervision",
        finding="供应链风险未提前识别",
        actions="启用备选供应商；每周向PMO汇报",
        follow_up_date=dt.date(2026, 5, 15),
        follow_up_owner=pm_user.person,
    )
    issue.refresh_from_db()
    assert issue.pmo_response_at is not None and issue.first_response_at is not None
    assert issue.status == "in_progress"
    assert issue.actions.filter(kind="intervention").exists()
    kpis = response_kpis(Issue.objects.filter(pk=issue.pk))
    assert kpis["escalated"] == 1 and kpis["pmo_response"] is not None
    with pytest.raises(PermissionDenied):
        issues.intervention_close(
            intervention=intervention, actor=pm_user, outcome="x", effective=True
        )
    issues.intervention_close(
        intervention=intervention, actor=pmo_user, outcome="备选供应商已供货", effective=True
    )
    assert Intervention.objects.get().status == "closed"


def test_only_the_pmo_records_interventions(project, pm_user, executive_user):
    for actor in (pm_user, executive_user):
        with pytest.raises(PermissionDenied):
            issues.intervention_record(
                project=project,
                actor=actor,
                kind="directive",
                finding="x",
                actions="y",
                follow_up_date=dt.date(2026, 5, 1),
            )
    assert not Intervention.objects.exists()


def test_issues_past_their_target_go_up_a_level(project, pm_user, pmo_user):
    issue = _issue(project, pm_user, severity="critical")
    later = timezone.now() + dt.timedelta(hours=25)
    assert issues.issues_escalate_overdue(now=later) == 1
    issue.refresh_from_db()
    assert issue.level == Level.PMO
    assert issue.actions.get(kind="escalation").actor is None
    # At the PMO's level the clock restarts; past it, the issue shows as late.
    assert escalations_past_target(Issue.objects.all(), now=later) == []
    late = escalations_past_target(Issue.objects.all(), now=later + dt.timedelta(hours=25))
    assert [i.pk for i in late] == [issue.pk]
    assert late[0].target_hours == 24
    issues.issue_act(issue=issue, actor=pmo_user, text="已召开协调会")
    assert escalations_past_target(Issue.objects.all(), now=later + dt.timedelta(days=9)) == []


def test_configured_targets_replace_the_defaults(project, pm_user, pmo_user):
    issues.response_target_set(actor=pmo_user, severity="high", response_hours=8)
    issue = _issue(project, pm_user)
    assert issues.issues_escalate_overdue(now=timezone.now() + dt.timedelta(hours=7)) == 0
    assert issues.issues_escalate_overdue(now=timezone.now() + dt.timedelta(hours=9)) == 1
    issue.refresh_from_db()
    assert issue.level == Level.PMO


def test_change_requests_are_decided_by_the_pmo(project, pm_user, pmo_user):
    change = _issue(
        project,
        pm_user,
        kind="change",
        title="增加移动端功能",
        cost_impact=Decimal("150000"),
        schedule_impact_days=20,
    )
    assert change.decision == "pending"
    with pytest.raises(ValidationError):
        issues.issue_resolve(issue=change, actor=pm_user, resolution="自行决定")
    with pytest.raises(PermissionDenied):
        issues.change_decide(issue=change, actor=pm_user, approve=True)
    issues.change_decide(issue=change, actor=pmo_user, approve=True, note="纳入二期范围")
    change.refresh_from_db()
    assert change.decision == "approved" and change.status == "resolved"
    assert change.decided_by == pmo_user


def test_a_crafted_update_cannot_set_decision_fields(project, pm_user):
    change = _issue(project, pm_user, kind="change")
    with pytest.raises(TypeError):
        issues.issue_update(issue=change, actor=pm_user, decision="approved")
    with pytest.raises(TypeError):
        issues.issue_raise(project=project, actor=pm_user, title="x", decision="approved")


# --- gates -------------------------------------------------------------------------------


@pytest.fixture
def gate(planned):
    return Gate.objects.get(project=planned)


def test_a_gate_needs_criteria_and_reviewers_before_review(gate, pm_user, reviewer_user):
    with pytest.raises(ValidationError):
        gates.gate_submit(gate=gate, actor=pm_user)
    gates.gate_save(
        project=gate.project,
        actor=pm_user,
        gate=gate,
        criteria=["设计文档齐全", "评审意见已关闭", ""],
        reviewers=[reviewer_user.person],
    )
    assert gate.criteria.count() == 2
    gates.gate_submit(gate=gate, actor=pm_user)
    assert gate.status == Gate.Status.IN_REVIEW
    assert Notification.objects.filter(recipient=reviewer_user).exists()


def _in_review(gate, pm_user, reviewer):
    gates.gate_save(
        project=gate.project,
        actor=pm_user,
        gate=gate,
        criteria=["设计文档齐全", "评审意见已关闭"],
        reviewers=[reviewer.person],
    )
    return gates.gate_submit(gate=gate, actor=pm_user)


def test_only_assigned_reviewers_or_the_pmo_decide(gate, pm_user, reviewer_user, other_pm_user):
    _in_review(gate, pm_user, reviewer_user)
    for actor in (pm_user, other_pm_user):
        with pytest.raises(PermissionDenied):
            gates.gate_decide(gate=gate, actor=actor, decision="passed")
    with pytest.raises(ValidationError):
        gates.gate_decide(gate=gate, actor=reviewer_user, decision="conditional")
    with pytest.raises(ValidationError):
        gates.gate_decide(gate=gate, actor=reviewer_user, decision="failed")
    gate.refresh_from_db()
    assert gate.status == Gate.Status.IN_REVIEW and not GateCondition.objects.exists()


def test_a_conditional_pass_closes_the_phase_and_opens_the_next(gate, pm_user, reviewer_user):
    _in_review(gate, pm_user, reviewer_user)
    criterion = gate.criteria.first()
    gates.gate_decide(
        gate=gate,
        actor=reviewer_user,
        decision="conditional",
        note="整体通过",
        criteria_met={criterion.pk: False},
        conditions=[{"text": "补充性能测试方案", "owner": pm_user.person, "due_date": None}],
        today=dt.date(2026, 4, 1),
    )
    gate.refresh_from_db()
    assert gate.status == Gate.Status.CONDITIONAL and gate.decided_by == reviewer_user
    criterion.refresh_from_db()
    assert criterion.met is False
    condition = gate.conditions.get()
    assert condition.due_date == dt.date(2026, 5, 1)
    first, second = Phase.objects.filter(project=gate.project).order_by("sort_order")
    assert first.status == Phase.Status.DONE
    plan.phase_start(phase=second, actor=pm_user)
    gates.gate_condition_close(condition=condition, actor=pm_user, status="met", note="已补充")
    with pytest.raises(ValidationError):
        gates.gate_condition_close(condition=condition, actor=pm_user, status="met")


def test_only_the_pmo_waives_a_condition(gate, pm_user, pmo_user):
    condition = GateCondition.objects.create(gate=gate, text="x", due_date=dt.date(2026, 5, 1))
    with pytest.raises(PermissionDenied):
        gates.gate_condition_close(condition=condition, actor=pm_user, status="waived", note="y")
    gates.gate_condition_close(
        condition=condition, actor=pmo_user, status="waived", note="不再需要"
    )


def test_evidence_is_checked_by_content_and_stored_privately(gate, pm_user, private_files):
    fake = SimpleUploadedFile(
        "评审纪要.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        gates.gate_evidence_add(gate=gate, actor=pm_user, upload=fake)
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        gates.gate_evidence_add(gate=gate, actor=pm_user, upload=script)
    assert not GateEvidence.objects.exists()
    good = SimpleUploadedFile("评审纪要.pdf", PDF, content_type="application/pdf")
    evidence = gates.gate_evidence_add(gate=gate, actor=pm_user, upload=good, description="纪要")
    assert evidence.size == len(PDF) and len(evidence.checksum) == 64
    assert str(private_files) in evidence.file.path


def test_acceptance_of_a_milestone_marks_it_reached(planned, pm_user, pmo_user):
    milestone = planned.milestones.get(name="需求评审通过")
    acceptance = gates.gate_save(
        project=planned,
        actor=pm_user,
        kind="acceptance",
        name="需求阶段验收",
        milestone=milestone,
        planned_date=dt.date(2026, 3, 20),
        criteria=["需求规格说明书已签字"],
        reviewers=[pmo_user.person],
    )
    gates.gate_submit(gate=acceptance, actor=pm_user)
    gates.gate_decide(
        gate=acceptance, actor=pmo_user, decision="passed", today=dt.date(2026, 3, 21)
    )
    milestone.refresh_from_db()
    assert milestone.actual_date == dt.date(2026, 3, 21)


def test_an_acceptance_must_name_a_milestone_of_the_project(planned, other_project, pm_user):
    foreign = GateFactory(project=other_project)
    with pytest.raises(ValidationError):
        gates.gate_save(
            project=planned,
            actor=pm_user,
            kind="acceptance",
            name="x",
            planned_date=dt.date(2026, 3, 20),
            criteria=["y"],
        )
    assert Gate.objects.filter(project=planned).count() == 1
    assert foreign.project == other_project


# --- resource adjustments ------------------------------------------------------------------


def _move(project, other_project, pm_user, person, role):
    return resources.resource_request_create(
        project=project,
        actor=pm_user,
        kind="move",
        person=person,
        from_project=other_project,
        role=role,
        allocation_percent=50,
        monthly_hours=Decimal("80"),
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 6, 30),
        reason="测试资源不足",
    )


def test_approving_a_move_updates_memberships_and_demand(project, other_project, pm_user, pmo_user):
    role = RoleFactory(code="tester")
    person = PersonFactory(role=role)
    ProjectMemberFactory(project=other_project, person=person)
    resources._add_demand(other_project, role, [dt.date(2026, 5, 1)], Decimal(100), None)
    request = _move(project, other_project, pm_user, person, role)
    assert Notification.objects.filter(recipient=pmo_user).exists()
    with pytest.raises(PermissionDenied):
        resources.resource_request_decide(request=request, actor=pm_user, approve=True)
    resources.resource_request_decide(request=request, actor=pmo_user, approve=True)
    assert ProjectMember.objects.filter(project=project, person=person).exists()
    assert not ProjectMember.objects.filter(project=other_project, person=person).exists()
    demand = dict(
        ResourceDemand.objects.filter(project=project, role=role).values_list("month", "hours")
    )
    assert demand == {dt.date(2026, 5, 1): Decimal(80), dt.date(2026, 6, 1): Decimal(80)}
    source = ResourceDemand.objects.get(project=other_project, role=role, month=dt.date(2026, 5, 1))
    assert source.hours == Decimal(20)


def test_a_failed_approval_changes_nothing(project, other_project, pm_user, pmo_user):
    role = RoleFactory(code="dev")
    person = PersonFactory(role=role)
    member = ProjectMemberFactory(project=other_project, person=person)
    request = _move(project, other_project, pm_user, person, role)
    member.delete()  # the person left the other project meanwhile
    with pytest.raises(ValidationError):
        resources.resource_request_decide(request=request, actor=pmo_user, approve=True)
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.PENDING
    assert not ProjectMember.objects.filter(project=project, person=person).exists()
    assert not ResourceDemand.objects.filter(project=project).exists()


def test_a_move_needs_a_member_of_another_project(project, pm_user):
    role = RoleFactory(code="ops")
    with pytest.raises(ValidationError) as error:
        resources.resource_request_create(
            project=project,
            actor=pm_user,
            kind="move",
            role=role,
            monthly_hours=Decimal(40),
            start=dt.date(2026, 5, 1),
            end=dt.date(2026, 5, 31),
            reason="x",
        )
    assert {"person", "from_project"} <= set(error.value.message_dict)
