"""The main pages on the demo organisation, in both languages, as their users see them.

With PMO_SCREENSHOTS=1 each page is saved to docs/screenshots/ for the README.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    # (login, path, name of the screenshot, a heading in zh-hans, the same in English)
    ("pmo", "/cockpit/", "cockpit", "PMO 驾驶舱", "PMO cockpit"),
    ("exec", "/dashboard/", "executive-dashboard", "高管仪表盘", "Executive dashboard"),
    ("pmo", "/projects/", "project-list", "项目", "Projects"),
    ("pmo", "/org/", "organisation", "组织", "Organisation"),
    ("pmo", "/people/", "people", "人员", "People"),
    ("pmo", "/reports/catalogue/", "report-catalogue", "报告目录", "Report catalogue"),
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--core-only", verbosity=0)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_render_with_demo_data(page, live_server, demo, shoot, language):
    from django.contrib.auth import get_user_model

    from pmo.core.services import user_language_set

    for user in get_user_model().objects.filter(username__in={p[0] for p in PAGES}):
        user_language_set(user=user, language=language)
    current = None
    for username, path, name, heading_zh, heading_en in PAGES:
        if username != current:
            page.context.clear_cookies()
            login(page, live_server, username, "demo12345")
            current = username
        page.goto(f"{live_server.url}{path}")
        heading = heading_zh if language == "zh-hans" else heading_en
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.wait_for_timeout(800)  # let the charts finish drawing
        shoot(f"{name}-{'zh' if language == 'zh-hans' else 'en'}")
    page.goto(f"{live_server.url}/projects/?stage=active&sort=-budget")
    page.locator("#project-table tbody tr a").first.click()
    expect(page.get_by_test_id("project-title")).to_be_visible()
    shoot(f"project-detail-demo-{'zh' if language == 'zh-hans' else 'en'}")
