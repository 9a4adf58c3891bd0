"""The PMO configures a scheme and opens a cycle; the project manager submits a
self-assessment; two experts score and disagree; the chair calibrates and finalises;
the results are published; the project manager reads the rationale and appeals; the
cycle report PDF is generated — in Chinese, and the cycle page again in English."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pmo.core import roles
from pmo.core.services import project_summary_update
from tests.browser.conftest import login
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    people = {}
    for username, group, name, name_en in (
        ("pmo.zhou", roles.PMO_STAFF, "周敏", "Zhou Min"),
        ("pm.wang", roles.PROJECT_MANAGER, "王建华", "Wang Jianhua"),
        ("expert.liu", roles.REVIEWER, "刘思远", "Liu Siyuan"),
        ("expert.zhao", roles.REVIEWER, "赵磊", "Zhao Lei"),
    ):
        user = UserFactory(username=username, groups=[group])
        people[username] = (user, PersonFactory(user=user, name=name, name_en=name_en))
    project = ProjectFactory(
        code="IT-2026-031",
        name="移动办公平台",
        name_en="Mobile workplace app",
        manager=people["pm.wang"][1],
    )
    project_summary_update(project=project, spi=Decimal("0.95"))
    return people, project


def new_page(browser, username, live_server):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, username)
    return page


def submit(page):
    page.get_by_test_id("save").click()


def test_a_cycle_from_scheme_to_appeal_and_report(browser, live_server, setting, shoot):
    people, project = setting
    base = live_server.url
    today = timezone.localdate()
    pmo = new_page(browser, "pmo.zhou", live_server)

    # 1. The PMO configures a scheme: one dimension, two criteria, two bands; publishes.
    pmo.goto(f"{base}/evaluation/schemes/new/")
    pmo.fill("#id_code", "PM-PERF")
    pmo.fill("#id_name", "项目管理绩效评价")
    submit(pmo)
    expect(pmo.get_by_test_id("version-status")).to_be_visible()
    pmo.get_by_test_id("add-dimension").click()
    pmo.fill("#id_code", "PROC")
    pmo.fill("#id_name", "过程管理")
    pmo.fill("#id_weight", "100")
    submit(pmo)
    for code, name in (("R1", "风险管理"), ("C1", "沟通协调")):
        pmo.get_by_test_id("add-criterion-PROC").click()
        pmo.fill("#id_code", code)
        pmo.fill("#id_name", name)
        pmo.fill("#id_weight", "50")
        pmo.fill("#id_rubric_1", "无计划")
        pmo.fill("#id_rubric_5", "主动预警")
        submit(pmo)
        expect(pmo.get_by_test_id("criteria")).to_contain_text(name)
    for code, name, lower in (("A", "优秀", "80"), ("B", "合格", "0")):
        pmo.get_by_test_id("add-band").click()
        pmo.fill("#id_code", code)
        pmo.fill("#id_name", name)
        pmo.fill("#id_min_score", lower)
        submit(pmo)
        expect(pmo.get_by_test_id("bands")).to_contain_text(name)
    pmo.get_by_test_id("publish-version").click()
    expect(pmo.get_by_test_id("version-status")).to_have_attribute("data-status", "published")

    # 2. … and opens a cycle on it, with himself as chair.
    pmo.get_by_test_id("new-cycle").click()
    pmo.fill("#id_code", "2026H1")
    pmo.fill("#id_name", "2026年上半年绩效评价")
    pmo.fill("#id_period_start", str(today - dt.timedelta(days=180)))
    pmo.fill("#id_period_end", str(today - dt.timedelta(days=1)))
    pmo.fill("#id_self_assessment_due", str(today + dt.timedelta(days=7)))
    pmo.fill("#id_review_due", str(today + dt.timedelta(days=21)))
    pmo.select_option("#id_chair", label="周敏")
    submit(pmo)
    expect(pmo.get_by_test_id("in-scope")).to_contain_text("IT-2026-031")
    pmo.get_by_test_id("open-cycle").click()
    expect(pmo.get_by_test_id("cycle-status")).to_have_attribute("data-status", "open")
    expect(pmo.get_by_test_id("evaluations")).to_contain_text("IT-2026-031")
    cycle_url = pmo.url

    # 3. The project manager submits the self-assessment.
    pm = new_page(browser, "pm.wang", live_server)
    pm.goto(f"{base}/evaluation/my/")
    pm.get_by_test_id("own").get_by_role("link", name="IT-2026-031 移动办公平台").click()
    pm.get_by_test_id("self-assess").click()
    scores = pm.locator("select[name^=score_]")
    expect(scores).to_have_count(2)
    scores.nth(0).select_option("4")
    scores.nth(1).select_option("3")
    pm.fill("#id_summary", "里程碑按期达成，风险登记及时更新。")
    pm.get_by_test_id("submit-self").click()
    expect(pm.get_by_test_id("self-summary")).to_contain_text("里程碑按期达成")
    evaluation_url = pm.url

    # 4. The PMO assigns two experts.
    pmo.goto(evaluation_url)
    pmo.get_by_test_id("panel-link").click()
    for expert in ("刘思远", "赵磊"):
        pmo.select_option("#id_reviewer", label=expert)
        pmo.get_by_test_id("assign").click()
        expect(pmo.get_by_test_id("evaluation-title")).to_be_visible()
        if expert == "刘思远":
            pmo.get_by_test_id("panel-link").click()

    # 5. Two experts score independently and disagree on risk management (2 vs 5).
    for username, risk in (("expert.liu", "2"), ("expert.zhao", "5")):
        expert = new_page(browser, username, live_server)
        expert.goto(evaluation_url)
        expert.get_by_test_id("score").click()
        boxes = expert.locator("select[name^=score_]")
        expect(boxes).to_have_count(2)
        boxes.nth(0).select_option(risk)
        boxes.nth(1).select_option("4")
        expert.get_by_test_id("submit-scores").click()
        expect(expert.get_by_test_id("criteria-results")).to_be_visible()
    expect(expert.get_by_test_id("flagged-R1")).to_be_visible()

    # 6. The chair calibrates the disagreement, finalises and publishes.
    pmo.goto(evaluation_url)
    calibrate = pmo.get_by_test_id("calibrate-R1")
    calibrate.locator("input[name=score]").fill("4")
    calibrate.locator("input[name=calibration_note]").fill("依据风险登记册取4分")
    calibrate.get_by_role("button").click()
    expect(pmo.get_by_test_id("criteria-results")).to_contain_text("依据风险登记册取4分")
    pmo.get_by_test_id("finalise").click()
    pmo.fill("#id_rationale", "风险管理扎实，沟通协调有待加强。")
    submit(pmo)
    expect(pmo.get_by_test_id("grade")).to_have_text("A")  # (4 + 4) / 2 = 4 → 80.0
    pmo.goto(cycle_url)
    pmo.get_by_test_id("publish-cycle").click()
    expect(pmo.get_by_test_id("cycle-status")).to_have_attribute("data-status", "published")
    shoot("evaluation-cycle-zh")

    # 7. The project manager reads the result with its rationale and appeals.
    pm.goto(evaluation_url)
    expect(pm.get_by_test_id("rationale")).to_contain_text("沟通协调有待加强")
    pm.get_by_test_id("appeal").click()
    pm.fill("#id_reason", "沟通评分未考虑周例会纪要。")
    submit(pm)
    expect(pm.get_by_test_id("appeal-status")).to_have_attribute("data-status", "pending")

    # 8. The cycle report PDF is generated.
    pmo.goto(cycle_url)
    expect(pmo.get_by_test_id("appeals")).to_have_text("1")
    pmo.get_by_test_id("cycle-pdf").click()
    expect(pmo.get_by_test_id("pdf-download")).to_be_visible(timeout=60_000)
    pmo.get_by_test_id("language-en").click()
    expect(pmo.get_by_text("Expert consistency").first).to_be_visible()
