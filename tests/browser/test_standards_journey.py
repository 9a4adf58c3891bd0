"""The PMO publishes a methodology version with a template; a project follows it and
tailors an optional deliverable out with the PMO's approval; the project's gate shows
the deliverable still missing; the compliance page shows the rate — in Chinese, and
the compliance page again in English."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pmo.core import roles
from tests.browser.conftest import login
from tests.core.factories import PersonFactory, ProjectFactory, ProjectTypeFactory, UserFactory
from tests.standards.factories import docx_bytes, published_methodology

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def setting(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    pmo = UserFactory(username="pmo.zhou", groups=[roles.PMO_STAFF])
    PersonFactory(user=pmo, name="周敏", name_en="Zhou Min")
    pm = UserFactory(username="pm.wang", groups=[roles.PROJECT_MANAGER])
    manager = PersonFactory(user=pm, name="王建华", name_en="Wang Jianhua")
    ptype = ProjectTypeFactory(code="it", name="信息化", name_en="IT")
    today = timezone.localdate()
    project = ProjectFactory(
        code="IT-2026-031",
        name="移动办公平台",
        name_en="Mobile workplace app",
        project_type=ptype,
        manager=manager,
        planned_start=today - dt.timedelta(days=30),
        planned_finish=today + dt.timedelta(days=300),
    )
    # The draft the PMO finishes: gate G1 requires D1-0 and D1-1, and the optional D1-2.
    version = published_methodology(ptype, status="draft")
    return pmo, pm, project, version


def test_pmo_publishes_a_project_follows_tailors_and_compliance_shows(
    browser, live_server, setting, shoot
):
    pmo, pm, project, version = setting
    charter = version.deliverables.get(code="D1-0")
    pmo_page = browser.new_context(
        locale="zh-CN", viewport={"width": 1400, "height": 900}
    ).new_page()
    login(pmo_page, live_server, pmo.username)

    # 1. The PMO uploads a template and links it to the charter in the draft.
    pmo_page.goto(f"{live_server.url}/standards/templates/new/")
    pmo_page.fill("#id_code", "T-CHARTER")
    pmo_page.fill("#id_name", "项目章程模板")
    pmo_page.set_input_files(
        "#id_file",
        files=[
            {"name": "charter.docx", "mimeType": "application/octet-stream", "buffer": docx_bytes()}
        ],
    )
    pmo_page.locator("form.card button.btn-primary").click()
    expect(pmo_page.get_by_test_id("revisions")).to_contain_text("charter.docx")
    pmo_page.goto(
        f"{live_server.url}/standards/versions/{version.pk}/parts/deliverable/{charter.pk}/"
    )
    pmo_page.select_option("#id_template", label="T-CHARTER 项目章程模板")
    pmo_page.locator("form.card button.btn-primary").click()

    # 2. … submits the version for review and publishes it.
    expect(pmo_page.get_by_test_id("version-title")).to_be_visible()
    pmo_page.get_by_test_id("submit-version").click()
    pmo_page.get_by_test_id("publish-version").click()
    expect(pmo_page.locator("[data-version-status=published]").first).to_be_visible()
    expect(pmo_page.get_by_test_id("gate-G1")).to_contain_text("项目章程模板")
    shoot("standards-version-zh")

    # 3. The project manager makes the project follow it and asks to tailor D1-2 out.
    pm_page = browser.new_context(
        locale="zh-CN", viewport={"width": 1400, "height": 900}
    ).new_page()
    login(pm_page, live_server, pm.username)
    pm_page.goto(f"{live_server.url}/projects/{project.pk}/?tab=standards")
    pm_page.get_by_test_id("assign-methodology").click()
    pm_page.select_option("#id_version", index=1)
    pm_page.locator("form.card button.btn-primary").click()
    expect(pm_page.get_by_test_id("project-gate-G1")).to_be_visible()
    pm_page.get_by_test_id("request-tailoring").click()
    pm_page.get_by_label("D1-2 立项文件2").check()
    pm_page.fill("#id_reason", "标准SaaS产品，无需单独的可研。")
    pm_page.locator("form.card button.btn-primary").click()
    expect(pm_page.get_by_test_id("tailoring-requests")).to_contain_text("立项文件2")

    # 4. The PMO approves the tailoring from its queue.
    pmo_page.goto(f"{live_server.url}/standards/tailoring/")
    pmo_page.get_by_test_id("tailoring-list").get_by_role("link", name=project.code).wait_for()
    pmo_page.get_by_test_id("tailoring-list").locator("a.badge").first.click()
    pmo_page.locator("#id_decision_0").check()
    pmo_page.get_by_test_id("decision-form").locator("button").click()

    # 5. The PM records the charter; the gate still shows D1-1 missing.
    pm_page.reload()
    pm_page.get_by_test_id("evidence-D1-0").click()
    pm_page.set_input_files(
        "#id_file", files=[{"name": "章程.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    pm_page.get_by_test_id("save-evidence").click()
    gate = pm_page.get_by_test_id("project-gate-G1")
    expect(gate.get_by_test_id("requirement-D1-0")).to_have_attribute("data-status", "present")
    expect(gate.get_by_test_id("requirement-D1-1")).to_have_attribute("data-status", "missing")
    expect(gate.get_by_test_id("requirement-D1-2")).to_have_attribute("data-status", "tailored")
    expect(gate.get_by_test_id("gate-missing")).to_be_visible()
    expect(pm_page.get_by_test_id("project-compliance-rate")).to_contain_text("50%")
    shoot("standards-project-tab-zh")

    # 6. The compliance page shows the rate: 1 present ÷ 2 due.
    pmo_page.goto(f"{live_server.url}/standards/compliance/")
    expect(pmo_page.get_by_test_id("overall-rate")).to_have_text("50.0%")
    expect(pmo_page.locator(f'tr[data-project="{project.code}"]')).to_contain_text("50%")
    shoot("standards-compliance-zh")
    pmo_page.get_by_test_id("language-en").click()
    expect(pmo_page.get_by_text("Compliance rate").first).to_be_visible()
    expect(pmo_page.get_by_test_id("overall-rate")).to_have_text("50.0%")
