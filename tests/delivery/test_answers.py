"""The questions of duty area 3 (项目成果实现保障), each answered by a page.

docs/traceability.md names these tests next to the seed's questions.
"""

import datetime as dt

import pytest
from django.urls import reverse

from delivery.services import closeout, goals, issues, resources
from knowledge import services as knowledge

pytestmark = pytest.mark.django_db


def _get(client, url):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _tab(world, key):
    return reverse("core:project_detail", kwargs=world["project"]) + f"?tab={key}"


def test_goal_framework_shows_process_and_required_goals(world, client_for, pmo_user):
    goals.framework_save(
        actor=pmo_user,
        project_type=None,
        process="立项后两周内起草目标，发起人确认，PMO备案。",
        items=[
            {
                "dimension": d,
                "required": True,
                "proposed_by": "manager",
                "agreed_by": "sponsor",
                "consulted": "财务部",
                "guidance": "",
            }
            for d in ("scope", "schedule", "cost")
        ],
    )
    html = _get(client_for("pmo"), reverse("delivery:framework_list"))
    assert "All project types" in html and "Scope" in html
    tab = _get(client_for("pm"), _tab(world, "goals"))
    assert "立项后两周内起草目标，发起人确认，PMO备案。" in tab
    assert "SMART" in tab and "以验收报告日期为准" in tab


def test_raci_and_framework_show_who_proposes_and_who_agrees(world, client_for, pmo_user):
    goals.framework_save(
        actor=pmo_user,
        project_type=None,
        process="流程",
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
    html = _get(client_for("member"), _tab(world, "goals"))
    assert 'data-testid="raci-table"' in html and "需求确认" in html
    assert "<strong>A</strong>" in html  # the one Accountable per activity stands out
    assert "Business owner" in html and "财务部" in html
    assert "Responsibility agreement" in html and "Being signed" in html


def test_status_grid_shows_each_period_and_stale_reports(project, client_for):
    from delivery.services.status import open_periods
    from tests.delivery.factories import StatusReportFactory

    current = open_periods(project)[0]
    StatusReportFactory(project=project, period_start=current.start, overall="amber")
    StatusReportFactory(
        project=project, period_start=current.start - dt.timedelta(weeks=3), overall="red"
    )
    response = client_for("executive").get(reverse("delivery:status_grid"))
    assert response.status_code == 200
    cells = next(c for p, c in response.context["rows"] if p.pk == project.pk)
    states = [cell.state for cell in cells]
    assert states[-1] == "amber" and states[-4] == "red"
    assert states[-2] == states[-3] == "missing"  # due and never submitted: grey, stale
    assert 'data-rag="missing"' in response.content.decode()


def test_plan_tab_shows_milestones_on_time_and_gate_decisions(world, client_for, planned):
    milestone = planned.milestones.get(name="需求评审通过")
    milestone.actual_date = milestone.planned_date - dt.timedelta(days=2)
    milestone.save()
    html = _get(client_for("pm"), _tab(world, "plan"))
    assert "需求评审通过" in html and "on time" in html
    assert 'data-testid="milestone-kpi"' in html and "100%" in html
    assert "设计评审关口" in html and "In review" in html
    assert "Blocked by a gate" in html


def test_control_page_measures_response_times_and_intervention_effect(world, client_for, pmo_user):
    from delivery.models import Intervention

    issues.intervention_close(
        intervention=Intervention.objects.get(pk=world["intervention"]["pk"]),
        actor=pmo_user,
        outcome="接口方已按期交付",
        effective=True,
    )
    response = client_for("pmo").get(reverse("delivery:control"))
    html = response.content.decode()
    assert response.context["kpis"]["pmo_response"] is not None
    assert response.context["summary"]["effective_rate"] == 100
    assert "接口延期" in html


def test_communication_log_records_outcomes_of_goal_confirmation(
    world, client_for, planned, pm_user
):
    goals.communication_record(
        project=planned,
        actor=pm_user,
        occurred_on=dt.date(2026, 2, 3),
        kind="meeting",
        topic="目标确认会",
        participants="发起人、项目经理、PMO",
        summary="逐项确认五项目标。",
        outcome="目标达成一致，提交签署",
    )
    html = _get(client_for("executive"), _tab(world, "goals"))
    assert "目标确认会" in html and "目标达成一致，提交签署" in html


def test_resource_adjustments_show_decisions_and_timing(world, client_for, pmo_user):
    from delivery.models import ResourceRequest

    request = ResourceRequest.objects.get(pk=world["request"]["pk"])
    resources.resource_request_decide(request=request, actor=pmo_user, approve=True, note="同意")
    html = _get(client_for("pmo"), reverse("delivery:resource_requests") + "?status=approved")
    assert "测试人员不足" in html and 'data-testid="decision-time"' in html


def _finish(planned, pm_user):
    co = planned.closeout
    for item in co.items.all():
        closeout.closure_item_update(
            item=item, actor=pm_user, done=True, evidence_note="档案已移交"
        )
    for goal in planned.goals.all():
        closeout.goal_actual_record(goal=goal, actor=pm_user, actual_value=goal.target_value)
    knowledge.lesson_create(
        actor=pm_user,
        project=planned,
        source="closeout",
        title="接口联调提前启动",
        description="接口方响应慢导致延期。",
        recommendation="在设计阶段约定接口里程碑。",
        phase="execution",
        knowledge_area="schedule",
        polarity="negative",
        root_cause="external",
        impact="schedule",
    )
    closeout.closeout_save(closeout=co, actor=pm_user, summary="系统上线，运行稳定。")


def test_closeout_tab_shows_checklist_with_evidence(world, client_for, planned, pm_user):
    _finish(planned, pm_user)
    html = _get(client_for("pm"), _tab(world, "closeout"))
    assert 'data-testid="checklist"' in html and "档案已移交" in html
    assert "Before the closeout goes to the PMO" not in html
    assert 'data-testid="submit-closeout"' in html


def test_closeout_shows_goal_attainment_against_targets(world, client_for, planned, pm_user):
    _finish(planned, pm_user)
    html = _get(client_for("member"), _tab(world, "closeout"))
    assert 'data-testid="attainment"' in html and "100.0%" in html
    assert "Attainment = (actual − baseline)" in html


def test_closeout_lists_lessons_learned(world, client_for, planned, pm_user):
    _finish(planned, pm_user)
    html = _get(client_for("executive"), _tab(world, "closeout"))
    assert "接口联调提前启动" in html and "What to improve" in html
