"""A lesson from a closeout is curated and published, found by a Chinese substring in
the top-bar search, shown on a similar new project and marked applied there; the
archivist files the closed project's record and a member borrows it and returns it."""

import pytest
from playwright.sync_api import expect

from knowledge import services
from knowledge.models import ArchiveRecord, Lesson, Loan, Usage
from pmo.core import roles
from tests.browser.conftest import login
from tests.core.factories import (
    PersonFactory,
    ProjectFactory,
    ProjectMemberFactory,
    ProjectTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    pmo = UserFactory(username="pmo.zhou", groups=[roles.PMO_STAFF])
    PersonFactory(user=pmo, name="周敏", name_en="Zhou Min")
    pm = UserFactory(username="pm.wang", groups=[roles.PROJECT_MANAGER])
    manager = PersonFactory(user=pm, name="王建华", name_en="Wang Jianhua")
    member = UserFactory(username="member.zhang", groups=[roles.MEMBER])
    person = PersonFactory(user=member, name="张浩", name_en="Zhang Hao")
    ptype = ProjectTypeFactory(code="it", name="信息化", name_en="IT")
    old = ProjectFactory(
        code="IT-2025-007",
        name="ERP二期",
        name_en="ERP phase II",
        project_type=ptype,
        manager=manager,
        stage="closing",
    )
    new = ProjectFactory(
        code="IT-2026-040",
        name="MES接口改造",
        name_en="MES interfaces",
        project_type=ptype,
        manager=manager,
        stage="active",
    )
    ProjectMemberFactory(project=new, person=person)
    lesson = services.lesson_create(
        actor=pm,
        project=old,
        source="closeout",
        title="接口联调前冻结接口规范",
        description="ERP与MES接口在联调阶段反复变更，联调延期三周。",
        recommendation="详细设计评审时冻结接口规范。",
        phase="execution",
        knowledge_area="integration",
        polarity="negative",
        root_cause="process",
        impact="schedule",
        tags="接口,联调",
    )
    return pmo, pm, member, old, new, lesson


def test_lesson_curated_found_applied_and_a_record_filed_borrowed_returned(
    browser, live_server, setting, tmp_path
):
    pmo, pm, member, old, new, lesson = setting
    url = live_server.url
    pmo_page = browser.new_context(locale="zh-CN").new_page()
    login(pmo_page, live_server, pmo.username)

    # 1. The PMO reviews, then publishes the lesson captured at the closeout.
    pmo_page.goto(f"{url}/knowledge/curation/")
    pmo_page.get_by_test_id("curation-lessons").get_by_role(
        "link", name="接口联调前冻结接口规范"
    ).click()
    expect(pmo_page.get_by_test_id("lesson-title")).to_have_text("接口联调前冻结接口规范")
    pmo_page.get_by_test_id("review").click()
    expect(pmo_page.get_by_test_id("publish")).to_be_visible()
    pmo_page.get_by_test_id("publish").click()
    expect(pmo_page.get_by_test_id("reuse-box")).to_be_visible()
    assert Lesson.objects.get(pk=lesson.pk).status == "published"

    # 2. A member finds it with a Chinese substring from the top-bar search.
    page = browser.new_context(locale="zh-CN").new_page()
    login(page, live_server, member.username)
    page.fill(".topbar-search input[name=q]", "联调前冻")
    page.press(".topbar-search input[name=q]", "Enter")
    hits = page.get_by_test_id("hits-lessons")
    expect(hits).to_contain_text("接口联调前冻结接口规范")
    expect(hits.locator("mark").first).to_have_text("联调前冻")

    # 3. The new project of the same type suggests it; the member marks it applied.
    page.goto(f"{url}/projects/{new.pk}/?tab=knowledge_reuse")
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text("接口联调前冻结接口规范")
    form = suggestions.get_by_test_id("apply-suggestion").first
    form.locator("select[name=result]").select_option("helped")
    form.locator("input[name=note]").fill("设计评审时冻结了接口")
    form.get_by_test_id("apply").click()
    expect(page.get_by_test_id("applied")).to_contain_text("设计评审时冻结了接口")
    assert Usage.objects.filter(kind="applied", project=new, lesson=lesson).exists()

    # 4. The archivist describes the closed project's acceptance report and files it.
    upload = tmp_path / "验收报告.txt"
    upload.write_text("ERP二期验收报告", encoding="utf-8")
    pmo_page.goto(f"{url}/projects/{old.pk}/?tab=knowledge_archive")
    pmo_page.get_by_test_id("file-record").click()
    expect(pmo_page.get_by_test_id("knowledge-form")).to_be_visible()
    pmo_page.fill("#id_title", "ERP二期验收报告")
    pmo_page.fill("#id_responsible", "信息中心")
    pmo_page.select_option("#id_security_level", "internal")
    pmo_page.fill("#id_pages", "22")
    pmo_page.set_input_files("#id_upload", str(upload))
    pmo_page.get_by_test_id("save-submit").click()
    check = pmo_page.get_by_test_id("check-form")
    expect(check).to_be_visible()
    for name in ("complete", "legible", "metadata"):
        check.locator(f"#check-{name}").check()
    check.locator("#check-location").fill("档案室A-01-03")
    pmo_page.get_by_test_id("accept-record").click()
    expect(pmo_page.get_by_test_id("archive-number")).to_contain_text("-D30-0001")
    record = ArchiveRecord.objects.get(title="ERP二期验收报告")
    assert record.status == "accepted"

    # 5. The member borrows it (electronic view); the archivist approves and lends.
    page.goto(f"{url}/knowledge/archives/{record.pk}/")
    page.fill("#id_purpose", "编写MES接口方案")
    page.get_by_test_id("borrow").click()
    expect(page.get_by_test_id("loan")).to_be_visible()
    loan = Loan.objects.get(record=record, borrower=member)
    pmo_page.goto(f"{url}/knowledge/loans/{loan.pk}/")
    pmo_page.get_by_test_id("approve-loan").click()
    expect(pmo_page.get_by_test_id("lend-form")).to_be_visible()
    pmo_page.get_by_test_id("lend").click()
    expect(pmo_page.get_by_test_id("return-form")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("open-loaned-file")).to_be_visible()
    response = page.request.get(f"{url}/knowledge/archives/{record.pk}/file/?view=1")
    assert response.status == 200 and "验收报告" in response.text()

    # 6. The archivist takes it back after checking its condition.
    pmo_page.get_by_test_id("take-back").click()
    expect(pmo_page.get_by_test_id("return-form")).to_have_count(0)
    assert Loan.objects.get(pk=loan.pk).status == "returned"
    page.reload()
    expect(page.get_by_test_id("open-loaned-file")).to_have_count(0)
