"""A major proposal from feasibility study to investment decision, in real Chromium.

A PM drafts the study, types cash flows and sees NPV and IRR follow (htmx), adds two
alternatives and submits; the PMO assigns two experts, who score; the PMO recommends
and generates the decision pack; an executive records the decision and the project
shows as approved in the portfolio. The pages are in English until the zh-hans
catalogue has the decision strings.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from decisions.models import ReadinessQuestion, Study
from pmo.core import roles
from pmo.core.models import Stage
from pmo.core.services import user_language_set
from tests.browser.conftest import login
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def person_user(username, group, name, name_en, unit=None):
    user = UserFactory(username=username, groups=[group])
    person = PersonFactory(
        user=user, name=name, name_en=name_en, **({"org_unit": unit} if unit else {})
    )
    user_language_set(user=user, language="en")
    return user, person


@pytest.fixture
def cast(db):
    from tests.portfolio.factories import PortfolioFactory

    unit = OrgUnitFactory(name="市场营销部", name_en="Marketing")
    _pm, manager = person_user("wang.pm", roles.PROJECT_MANAGER, "王建华", "Wang Jianhua", unit)
    person_user("zhou.pmo", roles.PMO_STAFF, "周敏", "Zhou Min")
    _exec, executive = person_user("chen.exec", roles.EXECUTIVE, "陈志国", "Chen Zhiguo")
    _r1, expert1 = person_user("liu.expert", roles.REVIEWER, "刘思远", "Liu Siyuan")
    _r2, expert2 = person_user("huang.expert", roles.REVIEWER, "黄悦", "Huang Yue")
    project = ProjectFactory(
        code="HC-MKT-2027",
        name="东南亚市场拓展",
        name_en="South-east Asia market entry",
        stage=Stage.PROPOSED,
        classification="major",
        org_unit=unit,
        manager=manager,
        sponsor=executive,
        budget=Decimal("28000000"),
    )
    portfolio = PortfolioFactory(name="2027年投资组合", name_en="2027 investment portfolio")
    return {
        "project": project,
        "portfolio": portfolio,
        "experts": (expert1, expert2),
        "executive": executive,
    }


def as_user(browser, browser_context_args, live_server, username):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, username)
    return page


def test_from_feasibility_study_to_investment_decision(
    page, browser, browser_context_args, live_server, cast
):
    project, portfolio = cast["project"], cast["portfolio"]
    page.on("dialog", lambda dialog: dialog.accept())

    # The PM starts the study from the project's Business case tab.
    login(page, live_server, "wang.pm")
    page.goto(f"{live_server.url}/projects/{project.pk}/?tab=business_case")
    page.get_by_test_id("start-study").click()
    expect(page.get_by_test_id("study-title")).to_have_text("South-east Asia market entry")
    study = Study.objects.get(project=project)

    # Cash flows: the figures follow the typing before anything is saved.
    page.get_by_test_id("nav-economics").click()
    page.fill("#id_inv_0", "4000000")
    page.fill("#id_inv_1", "1000000")
    page.fill("#id_opex_1", "500000")
    page.fill("#id_ben_1", "1500000")
    for year in range(2, 6):
        page.fill(f"#id_opex_{year}", "600000")
        page.fill(f"#id_ben_{year}", "2600000")
    expect(page.get_by_test_id("npv")).to_have_text("¥2,133,568")
    expect(page.get_by_test_id("irr")).to_have_text("22.8%")
    page.fill("#id_discount_rate", "10")
    expect(page.get_by_test_id("npv")).not_to_have_text("¥2,133,568")
    page.fill("#id_discount_rate", "8")
    expect(page.get_by_test_id("npv")).to_have_text("¥2,133,568")
    # A cell that is not a number stops the calculation with a message.
    page.fill("#id_ben_3", "两百万")
    expect(page.get_by_test_id("appraisal-errors")).to_contain_text("Enter a number.")
    page.fill("#id_ben_3", "2600000")
    expect(page.get_by_test_id("npv")).to_have_text("¥2,133,568")
    page.get_by_test_id("save-cash-flows").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("The cash flows were saved.")

    # Submitting without an alternative is refused with a clear message.
    page.goto(f"{live_server.url}/decisions/studies/{study.pk}/")
    page.get_by_role("button", name="Submit for review and decision").click()
    expect(page.locator(".messages .alert-danger").first).to_contain_text(
        "no alternative to compare"
    )

    # Two alternatives, then the study goes to the PMO.
    page.get_by_test_id("nav-alternatives").click()
    for name, kind in (("Do nothing", "do_nothing"), ("Distributor model", "other")):
        page.fill("#alternative-form #id_name", name)
        page.select_option("#alternative-form #id_kind", kind)
        page.get_by_test_id("add-alternative").click()
        expect(page.locator(".messages .alert-success")).to_contain_text(name)
    expect(page.get_by_test_id("alternatives-table").locator("tbody tr")).to_have_count(3)
    page.goto(f"{live_server.url}/decisions/studies/{study.pk}/")
    page.get_by_role("button", name="Submit for review and decision").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("submitted to the PMO")

    # The PMO assigns two experts; the project goes under review.
    pmo = as_user(browser, browser_context_args, live_server, "zhou.pmo")
    pmo.goto(f"{live_server.url}/decisions/studies/{study.pk}/reviews/")
    for expert in cast["experts"]:
        pmo.select_option("#id_reviewer", str(expert.pk))
        pmo.get_by_role("button", name="Assign", exact=True).click()
        expect(pmo.locator(".messages .alert-success")).to_contain_text("was asked to review")
    expect(pmo.get_by_test_id("reviews").locator("tbody tr")).to_have_count(2)

    # Each expert scores the criteria, gives the verdicts and submits.
    for username, score, recommendation in (
        ("liu.expert", "9", "invest"),
        ("huang.expert", "5", "invest_conditions"),
    ):
        expert = as_user(browser, browser_context_args, live_server, username)
        expert.goto(f"{live_server.url}/decisions/my-reviews/")
        expert.get_by_role("link", name="Review", exact=True).click()
        # The review form must have loaded before its score fields are listed.
        scores = expert.locator("select[name^=score_]")
        expect(scores).to_have_count(study.criteria.count())
        for select in scores.all():
            select.select_option(score)
        for question in ReadinessQuestion.values:
            expert.select_option(f"#id_verdict_{question}", "yes")
        expert.select_option("#id_recommendation", recommendation)
        expert.fill("#id_comment", "市场窗口明确，风险可控。")
        expert.get_by_test_id("submit-review").click()
        expect(expert.locator(".messages .alert-success")).to_contain_text("submitted")
        expert.context.close()

    # The PMO sees the disagreement, recommends and generates the decision pack.
    pmo.goto(f"{live_server.url}/decisions/studies/{study.pk}/reviews/")
    expect(pmo.get_by_test_id("disagreement")).to_be_visible()
    pmo.goto(f"{live_server.url}/decisions/studies/{study.pk}/decision/")
    pmo.select_option("#id_recommendation", "invest_conditions")
    pmo.fill("#id_reasoning", "净现值为正，支撑海外收入战略；建议分期投资。")
    pmo.get_by_role("button", name="Record the recommendation").click()
    expect(pmo.get_by_test_id("recommendation")).to_contain_text("Invest with conditions")
    pmo.get_by_test_id("generate-pack").click()
    expect(pmo.get_by_test_id("pack-download")).to_be_visible(timeout=30_000)
    href = pmo.get_by_test_id("pack-download").get_attribute("href")
    pdf = pmo.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # An executive records the decision and hands the project to the portfolio.
    executive = as_user(browser, browser_context_args, live_server, "chen.exec")
    executive.goto(f"{live_server.url}/decisions/studies/{study.pk}/decision/")
    executive.fill("#id_meeting", "投资决策委员会第3次会议")
    executive.fill("#id_meeting_date", "2026-06-15")
    executive.select_option("#id_outcome", "approve_conditions")
    executive.fill("#id_rationale", "同意立项，分期拨付。")
    executive.select_option("#id_decision_makers", [str(cast["executive"].pk)])
    executive.select_option("#id_portfolio", str(portfolio.pk))
    executive.fill("#id_c-0-title", "二期投入以一期经营复盘为前提")
    executive.get_by_test_id("record-decision").click()
    expect(executive.get_by_test_id("decision")).to_contain_text("Approve with conditions")
    expect(executive.get_by_test_id("conditions")).to_contain_text("二期投入以一期经营复盘为前提")

    executive.goto(f"{live_server.url}/portfolio/portfolios/{portfolio.pk}/")
    row = executive.locator("tr", has_text=project.code)
    expect(row.locator('[data-stage="approved"]')).to_be_visible()
    executive.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(executive.locator('[data-stage="approved"]').first).to_have_text(re.compile("Approved"))
