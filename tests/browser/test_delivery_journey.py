"""A week of delivery control in a real browser (English pages).

The project manager fills this week's status from last week's and sees SPI and CPI,
raises an issue and escalates it to the PMO, who records an intervention; an expert
reviewer passes a gate with a condition; a closing project is closed with its lessons.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from delivery.models import Closeout, Gate, Intervention, Issue, StatusReport
from delivery.services import closeout, gates, plan, status
from pmo.core import roles
from pmo.core.models import Stage
from pmo.core.services import project_update, user_language_set
from tests.browser.conftest import login
from tests.core.factories import PersonFactory, ProjectFactory, ProjectMemberFactory, UserFactory
from tests.delivery.factories import planned_project

pytestmark = pytest.mark.django_db(transaction=True)

GREEN = {f"{d}_rag": "green" for d in ("schedule", "cost", "scope", "quality", "risk", "resources")}


def _user(username, group, name, name_en):
    user = UserFactory(username=username, groups=[group])
    PersonFactory(user=user, name=name, name_en=name_en)
    user_language_set(user=user, language="en")
    return user


@pytest.fixture
def scene(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    pm = _user("li.pm", roles.PROJECT_MANAGER, "李经理", "Li Na")
    pmo = _user("zhou.pmo", roles.PMO_STAFF, "周主任", "Zhou Min")
    reviewer = _user("liu.expert", roles.REVIEWER, "刘专家", "Liu Yang")
    sponsor = _user("chen.exec", roles.EXECUTIVE, "陈总", "Chen Gang")
    project = ProjectFactory(
        code="IT-2026-021",
        name="智慧工厂二期",
        name_en="Smart factory II",
        manager=pm.person,
        sponsor=sponsor.person,
        budget=Decimal("1200000"),
    )
    ProjectMemberFactory(project=project, person=PersonFactory(name="张工", name_en="Zhang Hao"))
    planned_project(project, sponsor=sponsor.person)
    plan.baseline_propose(project=project, actor=pm)
    last_week = status.open_periods(project)[1]
    status.status_report_save(
        project=project,
        actor=pm,
        period_start=last_week.start,
        submit=True,
        **{**GREEN, "schedule_rag": "amber", "schedule_reason": "接口联调滞后"},
        actual_cost=Decimal("300000"),
        next_steps="完成接口联调",
    )
    gate = Gate.objects.get(project=project)
    gates.gate_save(
        project=project,
        actor=pm,
        gate=gate,
        criteria=["设计文档齐全", "评审意见已关闭"],
        reviewers=[reviewer.person],
    )
    gates.gate_submit(gate=gate, actor=pm)

    closing = ProjectFactory(
        code="IT-2026-009",
        name="办公网络改造",
        name_en="Office network refresh",
        manager=pm.person,
    )
    project_update(project=closing, actor=None, sponsor=sponsor.person)
    planned_project(closing, sponsor=sponsor.person)
    started = closeout.closeout_start(project=closing, actor=pm)
    for item in started.items.all():
        closeout.closure_item_update(item=item, actor=pm, done=True, evidence_note="档案号 A-17")
    for goal in closing.goals.all():
        closeout.goal_actual_record(goal=goal, actor=pm, actual_value=goal.target_value)
    closeout.closeout_save(closeout=started, actor=pm, summary="网络改造完成，运行稳定。")
    return {"pm": pm, "pmo": pmo, "reviewer": reviewer, "project": project, "closing": closing}


def _logout(page):
    page.context.clear_cookies()


def test_a_week_of_delivery_control(page, live_server, scene, shoot):
    project, closing = scene["project"], scene["closing"]
    base = live_server.url

    # The project manager writes this week's status, pre-filled from last week's.
    login(page, live_server, scene["pm"].username)
    page.goto(f"{base}{project.get_absolute_url()}?tab=status")
    page.get_by_test_id("write-status").click()
    expect(page.get_by_test_id("prefilled")).to_be_visible()
    expect(page.get_by_label("Accomplishments")).to_have_value("完成接口联调")
    expect(page.locator("#id_schedule_reason")).to_have_value("接口联调滞后")
    spec, system = project.deliverables.order_by("planned_finish")
    page.fill(f"#id_progress_{spec.pk}", "100")
    page.fill(f"#id_progress_{system.pk}", "20")
    page.fill("#id_actual_cost", "420000")
    # The earned-value panel follows the figures as they are typed.
    expect(page.locator("#evm-panel")).to_contain_text("40.0% complete")
    expect(page.locator("#evm-panel")).to_contain_text("SPI = EV ÷ PV")
    shoot("delivery-status-form-en")
    page.get_by_test_id("submit-status").click()
    expect(page.get_by_text("The status report was submitted.")).to_be_visible()
    expect(page.locator('[data-measure="spi"]')).to_contain_text("SPI = EV ÷ PV")
    expect(page.locator('[data-measure="cpi"]')).to_contain_text("CPI = EV ÷ AC")
    report = StatusReport.objects.filter(project=project).order_by("-period_start").first()
    assert report.percent_complete == Decimal("40.0") and report.cpi is not None

    # …raises an issue and escalates it to the PMO.
    page.goto(f"{base}{project.get_absolute_url()}?tab=issues")
    page.get_by_test_id("raise-issue").click()
    page.fill("#id_title", "核心交换机到货延迟")
    page.select_option("#id_severity", "high")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("issue-title")).to_have_text("核心交换机到货延迟")
    page.fill("#id_escalate_text", "供应商无法按期交货，需要PMO协调")
    page.get_by_test_id("escalate").click()
    expect(page.get_by_text("The issue was escalated.")).to_be_visible()
    expect(page.get_by_test_id("ladder").locator(".text-bg-primary")).to_have_text("PMO")
    issue_url = page.url
    _logout(page)

    # The PMO records an intervention on it.
    login(page, live_server, scene["pmo"].username)
    page.goto(issue_url)
    page.get_by_test_id("intervene").click()
    page.fill("#id_finding", "供应链风险没有提前识别")
    page.fill("#id_actions", "启用备选供应商，每周汇报进展")
    page.fill("#id_follow_up_date", (dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("intervention-status")).to_have_text("Follow-up open")
    issue = Issue.objects.get(title="核心交换机到货延迟")
    assert issue.pmo_response_at is not None
    assert Intervention.objects.filter(issue=issue).exists()
    page.goto(issue_url)
    expect(page.get_by_test_id("pmo-response")).not_to_have_text("waiting")
    _logout(page)

    # The reviewer passes the gate with a condition.
    login(page, live_server, scene["reviewer"].username)
    page.goto(f"{base}{reverse('delivery:my_reviews')}")
    page.get_by_role("link", name="设计评审关口").click()
    page.get_by_label("Pass with conditions").check()
    page.fill("#id_condition_0", "补充性能测试方案")
    page.fill("#id_condition_0_due", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("gate-status").first).to_have_text("Passed with conditions")
    expect(page.get_by_test_id("conditions")).to_contain_text("补充性能测试方案")
    shoot("delivery-gate-en")
    _logout(page)

    # The manager captures a lesson and hands the closing project's closeout to the PMO…
    login(page, live_server, scene["pm"].username)
    page.goto(f"{base}{closing.get_absolute_url()}?tab=closeout")
    expect(page.get_by_test_id("submit-closeout")).to_be_disabled()
    page.get_by_test_id("add-lesson").click()
    page.fill("#id_title", "设备选型前做兼容性测试")
    page.select_option("#id_polarity", "negative")
    page.select_option("#id_phase", "planning")
    page.select_option("#id_knowledge_area", "quality")
    page.select_option("#id_root_cause", "technology")
    page.select_option("#id_impact", "schedule")
    page.fill("#id_description", "新交换机与旧系统不兼容，返工两周。")
    page.fill("#id_recommendation", "选型阶段安排兼容性测试。")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("lessons")).to_contain_text("设备选型前做兼容性测试")
    page.get_by_test_id("submit-closeout").click()
    expect(page.get_by_test_id("closeout-status")).to_have_text("Awaiting PMO approval")
    _logout(page)

    # …who approves it: the project is closed.
    login(page, live_server, scene["pmo"].username)
    page.goto(f"{base}{closing.get_absolute_url()}?tab=closeout")
    decision = page.get_by_test_id("closeout-decision")
    decision.get_by_label("Approve").check()
    decision.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("closeout-status")).to_have_text("Approved, project closed")
    expect(page.locator('[data-stage="closed"]')).to_be_visible()
    shoot("delivery-closeout-en")
    closing.refresh_from_db()
    assert closing.stage == Stage.CLOSED
    assert Closeout.objects.get(project=closing).status == "approved"
