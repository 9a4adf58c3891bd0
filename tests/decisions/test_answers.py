"""Each question of the seed's section 2 (重大项目决策支持) answered by a page.

The study of these tests is complete and reviewed; each test opens the page that
``docs/traceability.md`` names for a question and checks that the answer is on it.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from decisions.models import ResourceLine, Risk
from decisions.services import outcome, studies
from tests.core.factories import RoleFactory
from tests.decisions import factories

pytestmark = pytest.mark.django_db


def page(client, study, name, *args):
    return client.get(reverse(f"decisions:{name}", args=[study.pk, *args])).content.decode()


def test_strategy_section_shows_the_objectives_a_project_serves_and_why(en_client, draft, pm_user):
    from tests.portfolio.factories import ObjectiveFactory

    objective = ObjectiveFactory(
        name="海外收入占比达20%", name_en="Overseas revenue at 20%", is_key=True
    )
    studies.strategy_link_save(
        study=draft,
        objective=objective,
        contribution=60,
        justification="东南亚渠道与本地化",
        actor=pm_user,
    )
    html = page(en_client("pmo"), draft, "study_section", "strategy")
    assert "Overseas revenue at 20%" in html and "60%" in html and "东南亚渠道与本地化" in html
    assert "The project serves 1 key objective." in html


def test_economic_and_social_benefits_are_computed_and_explained(
    en_client, complete_draft, pm_user
):
    criterion = factories.SocialCriterionFactory(
        name="就业带动", name_en="Employment", weight=Decimal(20)
    )
    studies.social_score_set(
        study=complete_draft, criterion=criterion, actor=pm_user, score=4, evidence="新增岗位60个"
    )
    client = en_client("executive")
    economics = page(client, complete_draft, "study_section", "economics")
    assert "¥2,133,568" in economics and "22.8%" in economics and "3.00" in economics
    assert "NPV = Σ CF<sub>t</sub> / (1 + r)<sup>t</sup>" in economics
    social = page(client, complete_draft, "study_section", "social")
    assert "Employment" in social and "新增岗位60个" in social
    assert "Weighted social-benefit score" in social and "4.0 / 5" in social


def test_readiness_checklist_shows_answers_and_reviewer_verdicts(
    en_client, reviewed_study, pm_user
):
    html = page(en_client("pmo"), reviewed_study, "readiness")
    for question in (
        "Is the budget adequate and reasonable?",
        "Is the schedule sufficient and feasible?",
        "Are the resources sufficient and is it clear how to obtain them?",
        "Have the risks been fully identified and answered?",
    ):
        assert question in html
    assert html.count('class="badge text-bg-success">Yes</span>') == 6  # one reviewer's verdicts


def test_cost_estimate_compares_with_budget_and_cash_flows(en_client, draft, pm_user):
    for item, category, year, amount in (
        ("服务器与网络", "capex", 0, "900000"),
        ("软件许可", "capex", 0, "300000"),
        ("运维外包", "opex", 1, "200000"),
    ):
        studies.cost_line_save(
            study=draft,
            actor=pm_user,
            item=item,
            category=category,
            year=year,
            amount=Decimal(amount),
        )
    html = page(en_client("pmo"), draft, "study_section", "costs")
    # 1.4M plus 10 % contingency = 1.54M, above the 1.2M budget of the project.
    assert "¥1,540,000" in html and "The estimate exceeds the budget." in html
    assert "服务器与网络" in html and "Contingency" in html


def test_schedule_shows_milestones_roadmap_and_late_ones(en_client, draft, pm_user):
    studies.milestone_save(
        study=draft, actor=pm_user, name="方案评审", due=dt.date(2026, 3, 1), is_roadmap_point=True
    )
    studies.milestone_save(study=draft, actor=pm_user, name="推广上线", due=dt.date(2027, 3, 1))
    html = page(en_client("pmo"), draft, "study_section", "schedule")
    assert "方案评审" in html and 'data-chart="roadmap-chart"' in html
    assert "1 milestone falls after the planned finish of the project." in html


def test_resources_show_hours_by_role_and_month_and_how_obtained(en_client, draft, pm_user):
    role = RoleFactory(code="architect", name="架构师", name_en="Architect")
    studies.resource_line_save(
        study=draft,
        actor=pm_user,
        role=role,
        start_month=dt.date(2026, 4, 1),
        end_month=dt.date(2026, 6, 1),
        hours_per_month=Decimal(120),
        sourcing=ResourceLine.Sourcing.CONTRACTOR,
    )
    html = page(en_client("pmo"), draft, "study_section", "resources")
    assert "2026-04" in html and "2026-06" in html and "Architect" in html
    assert "360 hours in all." in html and "Contractor: 360 h" in html


def test_risk_register_has_heat_map_responses_and_owners(en_client, complete_draft, pm_user):
    studies.risk_save(
        alternative=factories.proposal_of(complete_draft),
        actor=pm_user,
        title="汇率波动",
        probability=3,
        impact=3,
        strategy=Risk.Response.TRANSFER,
        response="",
    )
    html = page(en_client("pmo"), complete_draft, "study_section", "risks")
    assert 'data-testid="heat-4-4"' in html and 'data-testid="heat-3-3"' in html
    assert "4 × 4 = 16" in html and "签订交付违约条款" in html
    assert "1 without response" in html


def test_strengths_and_weaknesses_of_each_alternative(en_client, complete_draft):
    html = page(en_client("executive"), complete_draft, "study_section", "alternatives")
    assert 'data-testid="swot"' in html
    assert (
        "无投入" in html and "收益流失" in html
    )  # the do-nothing option's strengths and weaknesses


def test_comparison_ranks_alternatives_and_states_the_competitive_advantage(
    en_client, complete_draft, pm_user
):
    studies.study_analysis_update(
        study=complete_draft, actor=pm_user, competitive_advantage="自建渠道掌握客户数据"
    )
    html = page(en_client("executive"), complete_draft, "study_section", "alternatives")
    assert "自建渠道掌握客户数据" in html
    assert 'data-testid="ranking"' in html and 'data-testid="sensitivity"' in html
    proposal = complete_draft.alternatives.get(kind="proposal").name
    assert html.index(proposal) < html.index("维持现状")


def test_decision_page_gives_recommendation_with_reasons_and_the_pack(
    en_client, reviewed_study, pmo_user
):
    outcome.study_recommend(
        study=reviewed_study,
        actor=pmo_user,
        recommendation="invest_conditions",
        reasoning="净现值为正且支撑海外战略，建议分期投资。",
    )
    html = page(en_client("executive"), reviewed_study, "study_decision")
    assert "Invest with conditions" in html and "净现值为正且支撑海外战略" in html
    assert 'data-testid="decision-ranking"' in html and 'data-testid="decision-form"' in html
