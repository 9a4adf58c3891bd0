"""The PMO's recommendation, the decision pack, the decision record and its conditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.models import Action, Decision, Recommendation, Study
from decisions.services.common import audit, clean_text
from decisions.services.studies import submission_problems
from pmo.core import services as core
from pmo.core.models import Notification, Person, Stage
from pmo.reports import services as reports
from pmo.reports.models import ReportRun
from pmo.reports.periods import period_containing

DECISION_PACK = "decision_pack"
APPROVED_STAGES = (Stage.APPROVED, Stage.ACTIVE)


@transaction.atomic
def study_recommend(*, study: Study, actor, recommendation: str, reasoning: str) -> Study:
    """The PMO's investment recommendation to the decision makers, with its reasoning."""
    if study.status != Study.Status.IN_REVIEW:
        raise ValidationError(_("A recommendation is made while the study is in review."))
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": _("Choose a recommendation.")})
    if not clean_text(reasoning):
        raise ValidationError({"reasoning": _("Give the reasons for the recommendation.")})
    study.recommendation = recommendation
    study.recommendation_reasoning = clean_text(reasoning)
    study.recommended_by = actor if getattr(actor, "is_authenticated", False) else None
    study.recommended_at = timezone.now()
    study.full_clean()
    audit(study, actor)
    study.save()
    return study


def decision_pack_request(*, study: Study, actor, language: str) -> ReportRun:
    """Ask for the decision pack PDF of a study; a Celery task renders it.

    The pack is a run of the ``decision_pack`` report kind with the study as its
    parameter, so it lands in the report archive too. Asking again the same day renders
    it anew with the latest figures.
    """
    if study.status not in (Study.Status.IN_REVIEW, Study.Status.DECIDED):
        raise ValidationError(_("The decision pack is made once the study is in review."))
    run = reports.report_run_request(
        kind=DECISION_PACK,
        period=period_containing("daily", timezone.localdate()),
        language=language,
        params={"study": study.pk},
        actor=actor,
        refresh=True,
    )
    Study.objects.filter(pk=study.pk).update(pack_run=run)
    study.pack_run = run
    return run


@dataclass(frozen=True)
class Condition:
    """A condition of a decision as entered: what, who, by when."""

    title: str
    owner: Person | None = None
    due_date: dt.date | None = None


@transaction.atomic
def decision_record(
    *,
    study: Study,
    actor,
    meeting: str,
    meeting_date: dt.date,
    outcome: str,
    rationale: str,
    decision_makers: Iterable[Person],
    conditions: Iterable[Condition] = (),
    portfolio=None,
) -> Decision:
    """Record the decision meeting's decision on a study in review.

    Approving moves the project to approved, rejecting to rejected and "revise and
    resubmit" back to proposed until the revised study is reviewed (core lifecycle,
    audited, with the executive or PMO as actor); an approved project is handed to the
    chosen portfolio as a candidate. Each condition becomes a tracked action of its
    owner. A study without an alternative cannot be decided.
    """
    study = Study.objects.select_for_update().select_related("project").get(pk=study.pk)
    if study.status != Study.Status.IN_REVIEW:
        raise ValidationError(_("A decision is recorded on a study that is in review."))
    problems = submission_problems(study)
    if problems:
        raise ValidationError(problems)
    decision_makers = list(decision_makers)
    conditions = [c for c in conditions if clean_text(c.title)]
    errors = {}
    if not decision_makers:
        errors["decision_makers"] = _("Name the decision makers.")
    if outcome == Decision.Outcome.APPROVE_WITH_CONDITIONS and not conditions:
        errors["conditions"] = _("A decision with conditions needs at least one condition.")
    if outcome == Decision.Outcome.REJECT and conditions:
        errors["conditions"] = _("A rejection has no conditions.")
    if portfolio is not None and outcome not in (
        Decision.Outcome.APPROVE,
        Decision.Outcome.APPROVE_WITH_CONDITIONS,
    ):
        errors["portfolio"] = _("Only an approved project is handed to a portfolio.")
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        study=study,
        meeting=clean_text(meeting),
        meeting_date=meeting_date,
        outcome=outcome,
        rationale=clean_text(rationale),
        portfolio=portfolio,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    decision.full_clean(validate_unique=False)
    _move_project(study, decision, actor)
    audit(decision, actor)
    decision.save()
    decision.decision_makers.set(decision_makers)
    for condition in conditions:
        action = Action(
            decision=decision,
            title=clean_text(condition.title)[:300],
            owner=condition.owner or study.project.manager,
            due_date=condition.due_date,
        )
        action.full_clean()
        audit(action, actor)
        action.save()
    study.status = Study.Status.DECIDED
    audit(study, actor, "decided")
    study.save()
    if portfolio is not None:
        _hand_to_portfolio(study.project, portfolio, actor)
    _notify(study, decision)
    return decision


def _move_project(study: Study, decision: Decision, actor) -> None:
    project = study.project
    if decision.approves:
        if project.stage == Stage.UNDER_REVIEW:
            core.project_stage_change(
                project=project,
                to_stage=Stage.APPROVED,
                actor=actor,
                reason=_("Investment decision: %(meeting)s") % {"meeting": decision.meeting},
            )
        elif project.stage not in APPROVED_STAGES:
            raise ValidationError(
                _("%(code)s is %(stage)s; only a project under review can be approved.")
                % {"code": project.code, "stage": project.get_stage_display()}
            )
    elif decision.outcome == Decision.Outcome.REJECT:
        core.project_stage_change(
            project=project, to_stage=Stage.REJECTED, actor=actor, reason=decision.rationale
        )
    elif decision.outcome == Decision.Outcome.REVISE and project.stage == Stage.UNDER_REVIEW:
        core.project_stage_change(
            project=project,
            to_stage=Stage.PROPOSED,
            actor=actor,
            reason=_("Sent back for revision: %(rationale)s") % {"rationale": decision.rationale},
        )


def _hand_to_portfolio(project, portfolio, actor) -> None:
    from portfolio.models import PortfolioItem
    from portfolio.services.strategy import portfolio_candidates_add

    if not PortfolioItem.objects.filter(portfolio=portfolio, project=project).exists():
        project.refresh_from_db()
        portfolio_candidates_add(portfolio=portfolio, projects=[project], actor=actor)


def _notify(study: Study, decision: Decision) -> None:
    recipients = {
        person.user
        for person in [study.project.manager, study.project.sponsor]
        + [a.owner for a in decision.actions.select_related("owner__user")]
        if person is not None and person.user_id
    }
    core.notification_send(
        recipients=recipients,
        title=_("Investment decision on %(code)s: %(outcome)s")
        % {"code": study.project.code, "outcome": decision.get_outcome_display()},
        body=decision.rationale,
        url=study.get_absolute_url() + "decision/",
        level=Notification.Level.ACTION if decision.actions.exists() else Notification.Level.INFO,
    )


@transaction.atomic
def action_update(*, action: Action, actor, done: bool, note: str = "") -> Action:
    """Mark a decision condition met (with how) or open again."""
    if done and not clean_text(note):
        raise ValidationError({"note": _("Say how the condition was met.")})
    action.status = Action.Status.DONE if done else Action.Status.OPEN
    action.done_note = clean_text(note) if done else ""
    action.done_at = timezone.now() if done else None
    action.full_clean()
    audit(action, actor)
    action.save()
    return action
