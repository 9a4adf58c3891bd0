"""The PMO launches a campaign to one org unit and its members acknowledge it; a sharing
session is held with attendance and its materials land in the knowledge base; an
anonymous survey is answered and its results are shown without identities."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pmo.core import roles
from tests.browser.conftest import login
from tests.core.factories import OrgUnitFactory, PersonFactory, UserFactory
from tests.culture.factories import QuestionFactory, RoundFactory, SessionFactory, SurveyFactory

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def setting(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    pmo = UserFactory(username="pmo.zhou", groups=[roles.PMO_STAFF])
    PersonFactory(user=pmo, name="周敏", name_en="Zhou Min")
    unit = OrgUnitFactory(code="HC-RD", name="研发中心", name_en="R&D Centre")
    members = []
    for i, (name, name_en) in enumerate(
        (("李雷", "Li Lei"), ("韩梅", "Han Mei"), ("王芳", "Wang Fang"))
    ):
        user = UserFactory(username=f"rd{i}", groups=[roles.MEMBER])
        PersonFactory(user=user, org_unit=unit, name=name, name_en=name_en)
        members.append(user)
    return pmo, unit, members


def _page(browser, live_server, username):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
    login(page, live_server, username)
    return page


def test_campaign_sharing_session_and_anonymous_survey(browser, live_server, setting, shoot):
    pmo, unit, members = setting
    pmo_page = _page(browser, live_server, pmo.username)

    # 1. The PMO writes a campaign for the R&D Centre with a quiz and launches it.
    pmo_page.goto(f"{live_server.url}/culture/campaigns/new/")
    pmo_page.fill("#id_title", "宣贯:风险前移")
    pmo_page.fill("#id_message", "每周例会先评审风险。")
    pmo_page.select_option("#id_target_units", value=str(unit.pk))
    pmo_page.fill("#id_quiz_question", "例会先评审什么?")
    pmo_page.fill("#id_quiz_options", "风险\n进度")
    pmo_page.fill("#id_quiz_answer", "1")
    pmo_page.get_by_test_id("save").click()
    expect(pmo_page.get_by_test_id("campaign-status")).to_be_visible()
    pmo_page.once("dialog", lambda dialog: dialog.accept())
    pmo_page.get_by_test_id("launch").click()
    expect(pmo_page.get_by_test_id("recipients")).to_have_text("3")
    campaign_url = pmo_page.url

    # 2. Two members read it, answer the quiz and acknowledge it.
    for member in members[:2]:
        page = _page(browser, live_server, member.username)
        page.goto(campaign_url)
        expect(page.get_by_test_id("message")).to_contain_text("每周例会先评审风险")
        page.get_by_label("风险", exact=True).check()
        page.get_by_test_id("acknowledge").click()
        expect(page.get_by_test_id("acknowledged")).to_be_visible()
        page.context.close()
    pmo_page.reload()
    expect(pmo_page.get_by_test_id("ack-rate")).to_have_text("66.7%")
    expect(pmo_page.get_by_test_id("coverage")).to_contain_text("研发中心")
    shoot("culture-campaign-zh")

    # 3. A member registers for a session; the PMO records attendance and files materials.
    session = SessionFactory(
        speaker=members[2].person,
        title="看板在研发中的实践",
        org_unit=unit,
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    member_page = _page(browser, live_server, members[0].username)
    member_page.goto(f"{live_server.url}{session.get_absolute_url()}")
    member_page.get_by_test_id("register").click()
    expect(member_page.get_by_test_id("registered")).to_be_visible()
    pmo_page.goto(f"{live_server.url}{session.get_absolute_url()}")
    pmo_page.get_by_test_id("attendance-link").click()
    expect(pmo_page.get_by_test_id("attendance-form")).to_be_visible()
    pmo_page.get_by_label("李雷", exact=True).check()
    pmo_page.get_by_test_id("save-attendance").click()
    expect(pmo_page.get_by_test_id("session-status")).to_contain_text("已举办")
    pmo_page.get_by_test_id("materials-link").click()
    pmo_page.set_input_files(
        "#id_files", files=[{"name": "kanban.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    pmo_page.get_by_test_id("save").click()
    materials = pmo_page.get_by_test_id("materials").get_by_role("link")
    expect(materials).to_contain_text("看板在研发中的实践")
    materials.click()
    expect(pmo_page.locator("h1")).to_contain_text("看板在研发中的实践")
    assert "/knowledge/" in pmo_page.url

    # 4. Three members answer an anonymous survey; the results show the unit, no names.
    survey = SurveyFactory(title="文化脉搏", anonymous=True, min_group_size=3)
    question = QuestionFactory(survey=survey, text="团队主动分享经验")
    survey_round = RoundFactory(survey=survey, label="2026 Q1")
    for member, value in zip(members, ("4", "5", "3"), strict=True):
        page = member_page if member == members[0] else _page(browser, live_server, member.username)
        page.goto(f"{live_server.url}/culture/surveys/")
        page.get_by_test_id(f"answer-{survey_round.pk}").click()
        expect(page.get_by_test_id("anonymous-note")).to_be_visible()
        page.locator(f"input[name=q{question.pk}][value='{value}']").check()
        page.get_by_test_id("submit-survey").click()
        expect(page.get_by_test_id("open-rounds")).to_be_visible()
    pmo_page.goto(f"{live_server.url}/culture/surveys/{survey.pk}/results/")
    results = pmo_page.get_by_test_id("round-2026 Q1")
    expect(results).to_contain_text("研发中心")
    expect(results).to_contain_text("4.0")
    for name in ("李雷", "韩梅", "王芳"):
        expect(pmo_page.locator("main")).not_to_contain_text(name)
    shoot("culture-survey-results-zh")

    # 5. In English, the results and the culture dashboard with its outcome questions.
    pmo_page.get_by_test_id("language-en").click()
    expect(pmo_page.locator("h1")).to_contain_text("Results")
    expect(pmo_page.get_by_test_id("privacy")).to_contain_text("no answer is linked to a person")
    pmo_page.goto(f"{live_server.url}/culture/")
    expect(pmo_page.get_by_test_id("outcome-risks")).to_contain_text(
        "Are project risks managed more proactively?"
    )
    expect(pmo_page.get_by_test_id("sessions-held")).to_have_text("1")
    shoot("culture-dashboard-en")
