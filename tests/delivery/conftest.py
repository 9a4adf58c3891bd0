"""Fixtures of the delivery tests: private files in a temporary folder, a planned project
whose sponsor has a login, and English for text assertions where asked."""

import pytest

from pmo.core.services import project_update
from tests.delivery.factories import planned_project


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    return settings.PMO_PRIVATE_ROOT


@pytest.fixture
def sponsor_user(executive_user):
    """The executive sponsors ``project``."""
    return executive_user


@pytest.fixture
def planned(project, sponsor_user):
    """``project`` with sponsor, phases, milestones, deliverables, goals and RACI."""
    project_update(project=project, actor=None, sponsor=sponsor_user.person)
    project.refresh_from_db()
    planned_project(project, sponsor=sponsor_user.person)
    return project


@pytest.fixture
def world(planned, pm_user, pmo_user, reviewer_user, other_project):
    """One of everything on ``project``: baseline and a re-baseline waiting, a submitted
    status report, an escalated issue with an intervention, a gate in review with
    evidence and a condition, a resource request, an agreement, a closeout started.
    Returns the URL kwargs of each object by name."""
    import datetime as dt
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from delivery.models import Gate, GateCondition, Goal, Milestone, Phase, RaciActivity
    from delivery.services import closeout, gates, goals, issues, plan, resources, status
    from tests.core.factories import RoleFactory

    plan.baseline_propose(project=planned, actor=pm_user)
    proposed = plan.baseline_propose(project=planned, actor=pm_user, reason="范围调整")
    start = status.open_periods(planned)[0].start
    report = status.status_report_save(
        project=planned,
        actor=pm_user,
        period_start=start,
        submit=True,
        **{f"{d}_rag": "green" for d in ("schedule", "cost", "scope", "quality", "risk")},
        resources_rag="amber",
        resources_reason="测试人员不足",
        actual_cost=Decimal("200000"),
    )
    issue = issues.issue_raise(project=planned, actor=pm_user, title="接口延期", severity="high")
    issues.issue_escalate(issue=issue, actor=pm_user, text="需要PMO协调")
    intervention = issues.intervention_record(
        project=planned,
        actor=pmo_user,
        issue=issue,
        kind="supervision",
        finding="接口方响应慢",
        actions="每日站会",
        follow_up_date=dt.date(2026, 6, 1),
    )
    gate = Gate.objects.get(project=planned)
    gates.gate_save(
        project=planned,
        actor=pm_user,
        gate=gate,
        criteria=["设计文档齐全"],
        reviewers=[reviewer_user.person],
    )
    evidence = gates.gate_evidence_add(
        gate=gate,
        actor=pm_user,
        upload=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    gates.gate_submit(gate=gate, actor=pm_user)
    condition = GateCondition.objects.create(
        gate=gate, text="补充测试", due_date=dt.date(2026, 7, 1)
    )
    request = resources.resource_request_create(
        project=planned,
        actor=pm_user,
        kind="add",
        role=RoleFactory(code="tester"),
        monthly_hours=Decimal(80),
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 6, 30),
        reason="测试人员不足",
    )
    agreement = goals.agreement_issue(project=planned, actor=pm_user)
    co = closeout.closeout_start(project=planned, actor=pm_user)
    item = co.items.first()
    closeout.closure_item_update(
        item=item,
        actor=pm_user,
        done=True,
        evidence_note="已归档",
        upload=SimpleUploadedFile("清单.txt", "归档清单".encode()),
    )
    return {
        "project": {"pk": planned.pk},
        "goal": {"pk": Goal.objects.filter(project=planned).first().pk},
        "activity": {"pk": RaciActivity.objects.filter(project=planned).first().pk},
        "agreement": {"pk": agreement.pk},
        "phase_kind": {"pk": planned.pk, "kind": "phase"},
        "phase": {"kind": "phase", "item_pk": Phase.objects.filter(project=planned).first().pk},
        "milestone": {
            "kind": "milestone",
            "item_pk": Milestone.objects.filter(project=planned).first().pk,
        },
        "phase_start": {"item_pk": Phase.objects.filter(project=planned).last().pk},
        "baseline": {"pk": proposed.pk},
        "report": {"pk": report.pk},
        "issue": {"pk": issue.pk},
        "intervention": {"pk": intervention.pk},
        "gate": {"pk": gate.pk},
        "evidence": {"pk": evidence.pk},
        "condition": {"pk": condition.pk},
        "request": {"pk": request.pk},
        "item": {"pk": item.pk},
        "type": {"type_pk": planned.project_type_id},
        "widget": {"key": "delivery_overdue"},
        "template": {"pk": _closure_template().pk},
    }


def _closure_template():
    from delivery.models import ClosureItemTemplate

    return ClosureItemTemplate.objects.create(code="handover", name="系统已移交运维")
