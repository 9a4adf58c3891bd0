"""A project manager finds and opens a project in Chinese, then switches to English."""

import pytest
from playwright.sync_api import expect

from pmo.core import roles
from pmo.core.models import Health
from pmo.core.services import project_summary_update
from tests.browser.conftest import login
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pm_with_projects(db):
    user = UserFactory(username="wang.pm", groups=[roles.PROJECT_MANAGER])
    person = PersonFactory(user=user, name="王经理", name_en="Wang Li")
    target = ProjectFactory(
        code="IT-2026-007",
        name="智慧工厂一期",
        name_en="Smart factory phase I",
        manager=person,
        description="建设制造执行系统与设备联网平台。",
    )
    project_summary_update(project=target, health=Health.AMBER, percent_complete=45)
    for i in range(3):
        ProjectFactory(name=f"其他项目{i}", name_en=f"Other project {i}", manager=person)
    ProjectFactory(name="别人的项目", name_en="Someone else's project")
    return user, target


def test_pm_finds_opens_and_switches_language(page, live_server, pm_with_projects, shoot):
    user, target = pm_with_projects
    login(page, live_server, user.username)
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    shoot("my-work-zh")

    page.get_by_role("link", name="项目", exact=True).click()
    expect(page.get_by_role("heading", name="项目", exact=True)).to_be_visible()
    # The PM sees their own four projects, not someone else's.
    expect(page.locator("#project-table tbody tr")).to_have_count(4)
    expect(page.get_by_text("别人的项目")).to_have_count(0)
    page.fill("#id_q", "智慧工厂")
    expect(page.locator("#project-table tbody tr")).to_have_count(1)
    shoot("project-list-zh")

    page.get_by_role("link", name="IT-2026-007").click()
    expect(page.get_by_test_id("project-title")).to_have_text("智慧工厂一期")
    expect(page.get_by_text("建设制造执行系统与设备联网平台。")).to_be_visible()
    page.get_by_test_id("tab-members").click()
    expect(page.get_by_role("cell", name="王经理")).to_be_visible()
    shoot("project-detail-zh")

    page.get_by_test_id("language-en").click()
    expect(page.get_by_test_id("project-title")).to_have_text("Smart factory phase I")
    expect(page.get_by_role("link", name="Projects", exact=True).first).to_be_visible()
    expect(page.get_by_text("At risk").first).to_be_visible()
    shoot("project-detail-en")
    # The choice is remembered for the next visit.
    page.goto(f"{live_server.url}/projects/")
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
