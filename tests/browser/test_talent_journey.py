"""The PMO defines a level of the ladder and a course; a PM's profile shows the project
history, a certificate expiring soon and the gaps to the next level; the training plan
is generated from the gaps; a new project gets PM suggestions; a candidate moves
through the recruitment pipeline to hired — in Chinese, and the profile in English."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pmo.core import roles
from pmo.core.services import project_summary_update
from talent import services
from talent.models import TalentProfile
from tests.browser.conftest import login
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory
from tests.talent.factories import (
    CertificationFactory,
    CompetencyFactory,
    DimensionFactory,
    LevelFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting():
    today = timezone.localdate()
    pmo = UserFactory(username="pmo.zhou", groups=[roles.PMO_STAFF])
    PersonFactory(user=pmo, name="周敏", name_en="Zhou Min")
    pm_login = UserFactory(username="pm.wang", groups=[roles.PROJECT_MANAGER])
    pm = PersonFactory(user=pm_login, name="王建华", name_en="Wang Jianhua")
    pmp = CertificationFactory(code="PMP", name="项目管理专业人士", name_en="PMP")
    dimension = DimensionFactory(code="WOW", name="工作方式", name_en="Ways of working")
    CompetencyFactory(dimension=dimension, code="RISK", name="风险管理", name_en="Risk management")
    coordinator = LevelFactory(code="PC", rank=1, name="项目协调员", name_en="Project coordinator")
    TalentProfile.objects.create(
        person=pm,
        level=coordinator,
        pool_since=today - dt.timedelta(days=400),
        pm_since=today - dt.timedelta(days=400),
    )
    services.certificate_add(
        person=pm,
        certification=pmp,
        issued_on=today - dt.timedelta(days=1000),
        expires_on=today + dt.timedelta(days=20),
        number="PMP-2093",
    )
    done = ProjectFactory(
        code="IT-2024-007",
        name="数据中台",
        name_en="Data platform",
        manager=pm,
        stage="closed",
        budget=Decimal(3_000_000),
    )
    project_summary_update(project=done, evaluation_grade="良好", evaluation_score=Decimal(84))
    new = ProjectFactory(
        code="IT-2026-040",
        name="供应链协同平台",
        name_en="Supply chain platform",
        stage="proposed",
        budget=Decimal(8_000_000),
        org_unit=done.org_unit,
    )
    plan = services.recruitment_plan_save(title="2026 招聘计划", year=today.year, actor=None)
    vacancy = services.vacancy_save(plan=plan, title="项目经理", level=coordinator, actor=None)
    candidate = services.candidate_add(vacancy=vacancy, name="赵磊", applied_on=today, actor=None)
    for stage in ("screened", "interviewed", "offer"):
        services.candidate_move(candidate=candidate, stage=stage, actor=None)
    return pmo, pm, new, plan


def test_ladder_profile_plan_matching_and_hiring(browser, live_server, setting, shoot):
    pmo, pm, new_project, plan = setting
    page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
    login(page, live_server, pmo.username)

    # 1. The PMO adds the PM level: 1 project, a PMP, risk management at 3.
    page.goto(f"{live_server.url}/talent/ladder/new/")
    page.fill("#id_code", "PM")
    page.fill("#id_rank", "2")
    page.fill("#id_name", "项目经理")
    page.fill("#id_min_projects_managed", "2")
    page.check("input[name=required_certifications]")
    page.locator("select[name^=req_]").first.select_option("3")
    page.get_by_test_id("talent-form").locator("button.btn-primary").click()
    expect(page.get_by_test_id("ladder")).to_contain_text("项目经理")

    # 2. … and a PM-system course that develops risk management.
    page.goto(f"{live_server.url}/talent/training/courses/new/")
    page.fill("#id_code", "PMS-101")
    page.fill("#id_name", "项目管理体系导入")
    page.select_option("#id_category", "pm_system")
    page.fill("#id_hours", "8")
    page.check("input[name=competencies]")
    page.get_by_test_id("talent-form").locator("button.btn-primary").click()
    expect(page.locator("h1")).to_contain_text("项目管理体系导入")

    # 3. The PM's profile: project history, the PMP expiring soon, the gaps to PM.
    page.goto(f"{live_server.url}/talent/people/{pm.pk}/")
    expect(page.get_by_test_id("history")).to_contain_text("IT-2024-007")
    expect(page.get_by_test_id("history")).to_contain_text("良好")
    expect(page.get_by_test_id("expiring-soon")).to_be_visible()
    expect(page.get_by_test_id("gaps").locator("li")).to_have_count(2)
    expect(page.get_by_test_id("gaps")).to_contain_text("风险管理")
    shoot("talent-profile-zh")

    # 4. The training plan of the year is generated from the gaps.
    page.goto(f"{live_server.url}/talent/training/plans/")
    page.get_by_test_id("generate-plan").click()
    expect(page.get_by_test_id("plan-items")).to_contain_text("风险管理")
    expect(page.get_by_test_id("plan-items")).to_contain_text("项目管理体系导入")

    # 5. The new project gets PM suggestions, each part of the score explained.
    page.goto(f"{live_server.url}/talent/matching/")
    page.select_option("#id_project", str(new_project.pk))
    page.get_by_test_id("match").click()
    expect(page.get_by_test_id("suggestion").first).to_contain_text("王建华")
    expect(page.get_by_test_id("suggestion").first.locator("li")).to_have_count(4)

    # 6. The candidate with an offer is hired.
    page.goto(f"{live_server.url}/talent/recruitment/plans/{plan.pk}/")
    row = page.get_by_test_id("applicant").filter(has_text="赵磊")
    row.locator("select[name=stage]").select_option("hired")
    row.locator("button").click()
    expect(page.locator("[data-stage=hired]")).to_be_visible()
    expect(page.get_by_test_id("count-hired")).to_contain_text("1")

    # 7. The profile in English.
    page.goto(f"{live_server.url}/talent/people/{pm.pk}/")
    page.get_by_test_id("language-en").click()
    expect(page.get_by_text("Project history (from the portfolio)")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("Data platform")
    expect(page.get_by_test_id("gaps")).to_contain_text("Risk management")
