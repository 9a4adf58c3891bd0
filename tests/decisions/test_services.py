"""The decision services: the life of a study, its failure paths, and what they write."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from decisions.models import (
    Action,
    Alternative,
    AppraisalSettings,
    CashFlow,
    Decision,
    ResourceLine,
    Review,
    Study,
)
from decisions.services import appraisal, config, outcome, reviews, studies
from decisions.services.appraisal import FlowRow
from pmo.core.models import Notification, ResourceDemand, Stage, StageChange
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, RoleFactory
from tests.decisions import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- starting and completing a study -------------------------------------------------------


def test_a_new_study_has_its_sections_proposal_criteria_and_defaults(draft):
    assert draft.version == 1 and draft.status == Study.Status.DRAFT
    assert draft.sections.count() == 11
    assert set(draft.sections.values_list("owner", flat=True)) == {draft.project.manager_id}
    assert list(draft.alternatives.values_list("kind", flat=True)) == ["proposal"]
    assert draft.criteria.count() == 5
    assert draft.discount_rate == Decimal("8.00") and draft.horizon_years == 5


def test_a_study_is_made_only_before_the_decision_and_once(draft, pm_user):
    with pytest.raises(ValidationError, match="revise it instead"):
        studies.study_create(project=draft.project, actor=pm_user)
    active = ProjectFactory(stage=Stage.ACTIVE)
    with pytest.raises(ValidationError, match="before the decision"):
        studies.study_create(project=active, actor=pm_user)
    assert Study.objects.count() == 1


def test_cash_flows_give_the_appraisal_figures_of_the_worked_example(draft, pm_user):
    proposal = factories.proposal_of(draft)
    appraisal.cash_flows_save(alternative=proposal, rows=factories.PROPOSAL_FLOWS, actor=pm_user)
    proposal.refresh_from_db()
    # Net flows -4.0M, 0, 2.0M × 4 at 8 % (values from numpy-financial).
    assert proposal.npv == Decimal("2133568.22")
    assert proposal.irr == pytest.approx(0.228190, abs=1e-6)
    assert proposal.payback == pytest.approx(3.0)
    assert proposal.total_cost == Decimal("7900000.00")  # 5.0M invested + 2.9M operating
    assert proposal.cash_flows.count() == 6


def test_changing_the_rate_refreshes_every_alternative(complete_draft, pm_user):
    proposal = factories.proposal_of(complete_draft)
    before = proposal.npv
    studies.study_update(study=complete_draft, actor=pm_user, discount_rate=Decimal("12"))
    proposal.refresh_from_db()
    assert proposal.npv < before
    other = complete_draft.alternatives.exclude(kind="proposal").get()
    assert other.npv == Decimal("-2000358.45")


@pytest.mark.parametrize("rate", [Decimal("-100"), Decimal("-150")])
def test_a_rate_of_minus_100_percent_or_below_is_refused_and_nothing_written(draft, pm_user, rate):
    proposal = factories.proposal_of(draft)
    with pytest.raises(ValidationError, match="−100"):
        appraisal.cash_flows_save(
            alternative=proposal, rows=factories.PROPOSAL_FLOWS, actor=pm_user, discount_rate=rate
        )
    assert not CashFlow.objects.exists()
    draft.refresh_from_db()
    assert draft.discount_rate == Decimal("8.00")


def test_negative_investment_is_refused(draft, pm_user):
    proposal = factories.proposal_of(draft)
    with pytest.raises(ValidationError):
        appraisal.cash_flows_save(
            alternative=proposal,
            rows=[FlowRow(0, Decimal(-5), Decimal(0), Decimal(0))],
            actor=pm_user,
        )
    assert not CashFlow.objects.exists()


def test_a_shorter_horizon_drops_the_later_years(draft, pm_user):
    proposal = factories.proposal_of(draft)
    appraisal.cash_flows_save(alternative=proposal, rows=factories.PROPOSAL_FLOWS, actor=pm_user)
    appraisal.cash_flows_save(
        alternative=proposal, rows=factories.PROPOSAL_FLOWS[:3], actor=pm_user, horizon_years=2
    )
    assert list(proposal.cash_flows.values_list("year", flat=True)) == [0, 1, 2]


def test_the_proposal_cannot_be_added_twice_or_removed(complete_draft, pm_user):
    with pytest.raises(ValidationError, match="proposal already"):
        appraisal.alternative_save(
            study=complete_draft, actor=pm_user, name="再一个", kind=Alternative.Kind.PROPOSAL
        )
    with pytest.raises(ValidationError, match="cannot be removed"):
        appraisal.alternative_delete(
            alternative=factories.proposal_of(complete_draft), actor=pm_user
        )


# --- submission --------------------------------------------------------------------------------


def test_a_study_without_an_alternative_is_not_submitted(draft, pm_user):
    appraisal.cash_flows_save(
        alternative=factories.proposal_of(draft), rows=factories.PROPOSAL_FLOWS, actor=pm_user
    )
    with pytest.raises(ValidationError) as error:
        studies.study_submit(study=draft, actor=pm_user)
    assert "no alternative" in " ".join(error.value.messages)
    draft.refresh_from_db()
    assert draft.status == Study.Status.DRAFT


def test_submitting_locks_the_study_and_tells_the_pmo(complete_draft, pm_user, pmo_user):
    studies.study_submit(study=complete_draft, actor=pm_user)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Study.Status.SUBMITTED
    assert Notification.objects.filter(recipient=pmo_user, title__contains="submitted").exists()
    with pytest.raises(ValidationError, match="can no longer be changed"):
        studies.scope_item_save(study=complete_draft, actor=pm_user, kind="in", text="x")


def test_submitting_an_idea_makes_it_a_proposal(pm_user):
    project = ProjectFactory(stage=Stage.IDEA, manager=pm_user.person)
    study = factories.complete(factories.StudyFactory(project=project, actor=pm_user), pm_user)
    studies.study_submit(study=study, actor=pm_user)
    project.refresh_from_db()
    assert project.stage == Stage.PROPOSED


def test_the_pmo_returns_a_submitted_study_with_a_reason(submitted_study, pmo_user, pm_user):
    with pytest.raises(ValidationError):
        studies.study_return(study=submitted_study, actor=pmo_user, reason=" ")
    studies.study_return(study=submitted_study, actor=pmo_user, reason="补充市场数据")
    submitted_study.refresh_from_db()
    assert submitted_study.status == Study.Status.DRAFT
    assert Notification.objects.filter(recipient=pm_user, body="补充市场数据").exists()


# --- sections ----------------------------------------------------------------------------------


def test_sections_are_assigned_written_and_reviewed(draft, pm_user, pmo_user, member_user):
    section = draft.sections.get(kind="market")
    studies.section_assign(section=section, actor=pm_user, owner=member_user.person)
    assert Notification.objects.filter(recipient=member_user).exists()
    studies.section_update(section=section, actor=member_user, content="市场规模约120亿元")
    studies.section_mark_ready(section=section, actor=member_user)
    with pytest.raises(ValidationError, match="reworked"):
        studies.section_review(section=section, actor=pmo_user, accept=False, comment="")
    studies.section_review(section=section, actor=pmo_user, accept=False, comment="补充数据来源")
    section.refresh_from_db()
    assert section.status == "rework" and section.reviewed_by == pmo_user
    studies.section_review(section=section, actor=pmo_user, accept=True, comment="")
    studies.section_update(section=section, actor=member_user, content="市场规模约130亿元")
    section.refresh_from_db()
    assert section.status == "draft"  # a change after acceptance needs a new review
    assert section.history.count() >= 5


def test_resource_lines_become_business_case_demand_of_the_project(draft, pm_user):
    role = RoleFactory(code="dev")
    studies.resource_line_save(
        study=draft,
        actor=pm_user,
        role=role,
        start_month=dt.date(2026, 5, 20),
        end_month=dt.date(2026, 7, 1),
        hours_per_month=Decimal("160"),
        sourcing=ResourceLine.Sourcing.HIRE,
    )
    studies.resource_line_save(
        study=draft,
        actor=pm_user,
        role=role,
        start_month=dt.date(2026, 7, 1),
        end_month=dt.date(2026, 7, 1),
        hours_per_month=Decimal("40"),
    )
    demand = ResourceDemand.objects.filter(project=draft.project, source="business_case")
    assert dict(demand.values_list("month", "hours")) == {
        dt.date(2026, 5, 1): Decimal("160.0"),
        dt.date(2026, 6, 1): Decimal("160.0"),
        dt.date(2026, 7, 1): Decimal("200.0"),
    }
    studies.resource_line_delete(line=draft.resource_lines.first(), actor=pm_user)
    assert demand.count() == 1


def test_cost_lines_stay_inside_the_horizon(draft, pm_user):
    with pytest.raises(ValidationError, match="runs to year 5"):
        studies.cost_line_save(
            study=draft, actor=pm_user, item="服务器", category="capex", year=6, amount=Decimal(1)
        )


def test_social_scores_need_evidence(draft, pm_user):
    criterion = factories.SocialCriterionFactory()
    with pytest.raises(ValidationError, match="evidence"):
        studies.social_score_set(study=draft, criterion=criterion, actor=pm_user, score=4)
    studies.social_score_set(
        study=draft, criterion=criterion, actor=pm_user, score=4, evidence="新增就业60人"
    )
    assert draft.social_scores.get().score == 4


def test_strategy_links_go_through_the_portfolio(draft, pm_user):
    from tests.portfolio.factories import ObjectiveFactory

    objective = ObjectiveFactory()
    with pytest.raises(ValidationError, match="serves the objective"):
        studies.strategy_link_save(
            study=draft, objective=objective, contribution=30, justification="", actor=pm_user
        )
    link = studies.strategy_link_save(
        study=draft, objective=objective, contribution=30, justification="海外收入", actor=pm_user
    )
    assert link.project == draft.project and link.justification == "海外收入"


# --- expert review -----------------------------------------------------------------------------


def test_conflicted_reviewers_cannot_be_assigned(submitted_study, pmo_user):
    project = submitted_study.project
    for person in (project.sponsor, project.manager):
        with pytest.raises(ValidationError, match="conflict of interest"):
            reviews.review_assign(study=submitted_study, reviewer=person, actor=pmo_user)
    colleague = PersonFactory(org_unit=project.org_unit)
    with pytest.raises(ValidationError, match="organisational unit"):
        reviews.review_assign(study=submitted_study, reviewer=colleague, actor=pmo_user)
    assert not Review.objects.exists()
    config.appraisal_settings_save(actor=pmo_user, exclude_same_unit=False)
    reviews.review_assign(study=submitted_study, reviewer=colleague, actor=pmo_user)
    assert Review.objects.count() == 1


def test_the_first_reviewer_starts_the_review_and_moves_the_project(
    submitted_study, pmo_user, reviewer_user
):
    review = reviews.review_assign(
        study=submitted_study, reviewer=reviewer_user.person, actor=pmo_user
    )
    submitted_study.refresh_from_db()
    assert submitted_study.status == Study.Status.IN_REVIEW
    assert submitted_study.project.stage == Stage.UNDER_REVIEW
    assert StageChange.objects.filter(project=submitted_study.project, actor=pmo_user).exists()
    assert Notification.objects.filter(recipient=reviewer_user, url__contains=str(review.pk))


def test_due_dates_lie_ahead(submitted_study, pmo_user):
    with pytest.raises(ValidationError, match="past"):
        reviews.review_assign(
            study=submitted_study,
            reviewer=PersonFactory(),
            actor=pmo_user,
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )


def test_only_the_assigned_reviewer_scores(review, pm_user):
    with pytest.raises(PermissionDenied):
        reviews.review_save(
            review=review,
            actor=pm_user,
            scores={},
            verdicts={},
            recommendation="invest",
            comment="",
        )


def test_a_review_is_submitted_only_when_complete(review, reviewer_user):
    criterion = review.study.criteria.first()
    with pytest.raises(ValidationError) as error:
        reviews.review_save(
            review=review,
            actor=reviewer_user,
            scores={criterion.pk: (8, "")},
            verdicts={},
            recommendation="",
            comment="",
            submit=True,
        )
    assert "Score every criterion" in str(error.value)
    review.refresh_from_db()
    assert review.status == Review.Status.ASSIGNED
    factories.submit_review(review, reviewer_user)
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED and review.scores.count() == 5
    with pytest.raises(ValidationError, match="submitted"):
        factories.submit_review(review, reviewer_user)


def test_disagreement_is_flagged_on_spread_and_recommendation(
    review, reviewer_user, pmo_user, other_pm_user
):
    from decisions import selectors

    factories.submit_review(review, reviewer_user, score=9, recommendation="invest")
    other = reviews.review_assign(study=review.study, reviewer=other_pm_user.person, actor=pmo_user)
    factories.submit_review(other, other_pm_user, score=5, recommendation="reject")
    summary = selectors.review_summary(review.study)
    assert summary["disagreement"] and summary["recommendations_differ"]
    assert all(row.disagree and row.spread == 4 for row in summary["rows"])
    config.appraisal_settings_save(actor=pmo_user, disagreement_spread=Decimal("5"))
    assert not any(row.disagree for row in selectors.review_summary(review.study)["rows"])


# --- recommendation and decision -----------------------------------------------------------------


def test_the_recommendation_needs_its_reasons(reviewed_study, pmo_user):
    with pytest.raises(ValidationError, match="reasons"):
        outcome.study_recommend(
            study=reviewed_study, actor=pmo_user, recommendation="invest", reasoning=""
        )
    outcome.study_recommend(
        study=reviewed_study, actor=pmo_user, recommendation="invest", reasoning="NPV为正"
    )
    reviewed_study.refresh_from_db()
    assert reviewed_study.recommended_by == pmo_user


def _decide(study, actor, **kwargs):
    values = {
        "meeting": "投资决策委员会",
        "meeting_date": dt.date(2026, 6, 1),
        "outcome": Decision.Outcome.APPROVE,
        "rationale": "同意",
        "decision_makers": [actor.person],
    }
    values.update(kwargs)
    return outcome.decision_record(study=study, actor=actor, **values)


def test_approving_moves_the_project_and_hands_it_to_the_portfolio(reviewed_study, executive_user):
    from tests.portfolio.factories import PortfolioFactory

    portfolio = PortfolioFactory()
    decision = _decide(
        reviewed_study,
        executive_user,
        outcome=Decision.Outcome.APPROVE_WITH_CONDITIONS,
        conditions=[outcome.Condition("分期拨付", None, dt.date(2026, 9, 1))],
        portfolio=portfolio,
    )
    project = reviewed_study.project
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert StageChange.objects.filter(project=project, to_stage="approved", actor=executive_user)
    assert portfolio.items.filter(project=project).exists()
    action = decision.actions.get()
    assert action.owner == project.manager and action.status == Action.Status.OPEN
    reviewed_study.refresh_from_db()
    assert reviewed_study.status == Study.Status.DECIDED
    assert Notification.objects.filter(recipient__person=project.manager).exists()


def test_rejecting_rejects_the_project_with_the_rationale(reviewed_study, executive_user):
    _decide(reviewed_study, executive_user, outcome=Decision.Outcome.REJECT, rationale="收益不足")
    reviewed_study.project.refresh_from_db()
    assert reviewed_study.project.stage == Stage.REJECTED
    assert StageChange.objects.get(to_stage="rejected").reason == "收益不足"


def test_revise_sends_the_project_back_until_the_new_version_is_reviewed(
    reviewed_study, executive_user, pm_user, pmo_user
):
    _decide(
        reviewed_study, executive_user, outcome=Decision.Outcome.REVISE, rationale="补充市场数据"
    )
    project = reviewed_study.project
    project.refresh_from_db()
    assert project.stage == Stage.PROPOSED
    change = StageChange.objects.get(project=project, to_stage="proposed")
    assert change.actor == executive_user and "补充市场数据" in change.reason
    new = studies.study_revise(study=reviewed_study, actor=pm_user, note="补充东南亚市场调研")
    assert new.version == 2 and new.status == Study.Status.DRAFT


def test_decision_failure_paths_write_nothing(reviewed_study, executive_user):
    cases = [
        ({"outcome": Decision.Outcome.APPROVE_WITH_CONDITIONS}, "at least one condition"),
        ({"decision_makers": []}, "decision makers"),
        (
            {"outcome": Decision.Outcome.REJECT, "conditions": [outcome.Condition("x")]},
            "no conditions",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            _decide(reviewed_study, executive_user, **kwargs)
    assert not Decision.objects.exists()
    reviewed_study.project.refresh_from_db()
    assert reviewed_study.project.stage == Stage.UNDER_REVIEW


def test_a_study_whose_alternatives_were_removed_cannot_be_decided(reviewed_study, executive_user):
    # The alternative is gone (e.g. removed from an earlier draft): refused with a message.
    Alternative.objects.filter(study=reviewed_study).exclude(kind="proposal").delete()
    with pytest.raises(ValidationError, match="no alternative"):
        _decide(reviewed_study, executive_user)
    assert not Decision.objects.exists()


def test_conditions_are_met_with_a_note(reviewed_study, executive_user, pm_user):
    decision = _decide(
        reviewed_study,
        executive_user,
        outcome=Decision.Outcome.APPROVE_WITH_CONDITIONS,
        conditions=[outcome.Condition("补充预案")],
    )
    action = decision.actions.get()
    with pytest.raises(ValidationError, match="how the condition was met"):
        outcome.action_update(action=action, actor=pm_user, done=True, note="")
    outcome.action_update(action=action, actor=pm_user, done=True, note="预案已评审")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.done_at is not None


# --- versions ------------------------------------------------------------------------------------


def test_revising_copies_the_study_into_a_new_draft(reviewed_study, pm_user):
    new = studies.study_revise(study=reviewed_study, actor=pm_user, note="更新汇率假设")
    reviewed_study.refresh_from_db()
    assert reviewed_study.status == Study.Status.SUPERSEDED
    assert new.version == 2 and new.status == Study.Status.DRAFT
    assert new.alternatives.count() == reviewed_study.alternatives.count()
    assert CashFlow.objects.filter(alternative__study=new).count() == 12
    assert new.criteria.count() == 5
    assert {s.criterion.study_id for a in new.alternatives.all() for s in a.scores.all()} == {
        new.pk
    }
    assert not new.reviews.exists() and reviewed_study.reviews.count() == 1
    with pytest.raises(ValidationError, match="latest version"):
        studies.study_revise(study=reviewed_study, actor=pm_user, note="再改")


def test_an_approved_study_is_not_revised(reviewed_study, executive_user, pm_user):
    _decide(reviewed_study, executive_user)
    with pytest.raises(ValidationError, match="not revised"):
        studies.study_revise(study=reviewed_study, actor=pm_user, note="x")


def test_the_differences_between_versions_are_listed(reviewed_study, pm_user):
    from decisions import compare, selectors

    new = studies.study_revise(study=reviewed_study, actor=pm_user, note="更新")
    section = new.sections.get(kind="market")
    studies.section_update(section=section, actor=pm_user, content="新的市场分析")
    studies.study_update(study=new, actor=pm_user, discount_rate=Decimal("10"))
    changes = compare.diff(selectors.study_snapshot(reviewed_study), selectors.study_snapshot(new))
    found = {(part.part, change.key) for part in changes for change in part.changes}
    assert ("Figures", "Discount rate (%)") in found
    assert ("Section texts", "Market research and demand") in found


# --- configuration ---------------------------------------------------------------------------------


def test_settings_refuse_a_rate_of_minus_100_percent(pmo_user):
    with pytest.raises(ValidationError, match="−100"):
        config.appraisal_settings_save(actor=pmo_user, default_discount_rate=Decimal("-100"))
    assert not AppraisalSettings.objects.exists()


def test_default_social_criteria_are_installed():
    from decisions.models import SocialCriterion

    assert SocialCriterion.objects.filter(is_active=True).count() == 5


def test_new_studies_use_the_pmo_defaults(pmo_user, pm_user):
    config.appraisal_settings_save(
        actor=pmo_user, default_discount_rate=Decimal("6.5"), default_horizon_years=8
    )
    project = ProjectFactory(stage=Stage.PROPOSED, org_unit=OrgUnitFactory())
    study = studies.study_create(project=project, actor=pm_user)
    assert (study.discount_rate, study.horizon_years) == (Decimal("6.5"), 8)
