"""Studies and their versions, sections, and the rows of the sections."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from decisions.models import (
    Alternative,
    AppraisalSettings,
    CashFlow,
    CostLine,
    Criterion,
    CriterionScore,
    Decision,
    Milestone,
    ReadinessAnswer,
    ReadinessQuestion,
    ResourceLine,
    Risk,
    ScopeItem,
    SectionKind,
    SocialCriterion,
    SocialScore,
    Study,
    StudySection,
)
from decisions.services.appraisal import study_metrics_refresh, validate_rate
from decisions.services.common import audit, clean_text, ensure_editable, pmo_users
from pmo.core import services as core
from pmo.core.models import Notification, Person, Project, ResourceDemand, Stage

# Projects a study can be started for: not yet decided.
STUDY_STAGES = (Stage.IDEA, Stage.PROPOSED, Stage.UNDER_REVIEW)


def default_criteria() -> list[tuple[str, str, Decimal]]:
    """The criteria a new study compares its alternatives on (name, meaning, weight)."""
    return [
        (_("Strategic fit"), _("Serves key strategic objectives"), Decimal(25)),
        (_("Economic return"), _("NPV, IRR and payback"), Decimal(25)),
        (_("Delivery risk"), _("A high score means a low risk"), Decimal(20)),
        (_("Technical feasibility"), _("Proven technology and skills at hand"), Decimal(15)),
        (_("Social benefit"), _("Employment, environment, safety, service"), Decimal(15)),
    ]


def current_study(project: Project) -> Study | None:
    """The latest version of the project's study, if any."""
    return project.studies.order_by("-version").first()


# --- studies -----------------------------------------------------------------------------


@transaction.atomic
def study_create(*, project: Project, actor) -> Study:
    """Start a feasibility study for a project that is not yet decided.

    The study gets its sections, the proposal as its first alternative, the default
    criteria and the PMO's default discount rate and horizon.
    """
    if project.stage not in STUDY_STAGES:
        raise ValidationError(
            _("A study is made before the decision: %(code)s is %(stage)s already.")
            % {"code": project.code, "stage": project.get_stage_display()}
        )
    if project.studies.exists():
        raise ValidationError(
            _("%(code)s has a feasibility study already; revise it instead.")
            % {"code": project.code}
        )
    defaults = AppraisalSettings.current()
    start = project.planned_start or timezone.localdate()
    study = Study(
        project=project,
        version=1,
        base_year=start.year,
        horizon_years=defaults.default_horizon_years,
        discount_rate=defaults.default_discount_rate,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    study.full_clean()
    audit(study, actor)
    study.save()
    manager_id = project.manager_id
    bulk_create_with_history(
        [StudySection(study=study, kind=kind, owner_id=manager_id) for kind in SectionKind.values],
        StudySection,
        default_user=_user(actor),
    )
    proposal = Alternative(
        study=study,
        kind=Alternative.Kind.PROPOSAL,
        name=(_("The proposal: %(name)s") % {"name": project.label})[:200],
        description=project.description,
    )
    proposal.full_clean()
    audit(proposal, actor)
    proposal.save()
    bulk_create_with_history(
        [
            Criterion(study=study, name=name, description=meaning, weight=weight, sort_order=i)
            for i, (name, meaning, weight) in enumerate(default_criteria())
        ],
        Criterion,
        default_user=_user(actor),
    )
    return study


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


STUDY_FIELDS = ("base_year", "horizon_years", "discount_rate", "contingency_percent")


@transaction.atomic
def study_update(*, study: Study, actor, **fields) -> Study:
    """Change the study's figures: base year, horizon, discount rate, contingency."""
    unknown = set(fields) - set(STUDY_FIELDS)
    if unknown:
        raise TypeError(f"unknown study fields: {sorted(unknown)}")
    ensure_editable(study)
    if "discount_rate" in fields:
        validate_rate(fields["discount_rate"])
    before = (study.discount_rate, study.horizon_years)
    for key, value in fields.items():
        setattr(study, key, value)
    study.full_clean()
    audit(study, actor)
    study.save()
    if (study.discount_rate, study.horizon_years) != before:
        study_metrics_refresh(study=study)
    return study


@transaction.atomic
def study_analysis_update(*, study: Study, actor, competitive_advantage: str) -> Study:
    """The study team's statement of the proposal's competitive advantage."""
    ensure_editable(study)
    study.competitive_advantage = clean_text(competitive_advantage)
    study.full_clean()
    audit(study, actor)
    study.save()
    return study


def submission_problems(study: Study) -> list[str]:
    """What keeps a study from going to review or decision (empty when complete)."""
    problems = []
    alternatives = list(study.alternatives.all())
    proposal = next((a for a in alternatives if a.is_proposal), None)
    if not any(not a.is_proposal for a in alternatives):
        problems.append(
            _(
                "The study has no alternative to compare the proposal with. Add at least "
                "one, such as doing nothing."
            )
        )
    if proposal is None or not proposal.cash_flows.exists():
        problems.append(_("The proposal has no cash flows yet (section Economic benefits)."))
    return problems


@transaction.atomic
def study_submit(*, study: Study, actor) -> Study:
    """Hand a finished draft to the PMO for expert review and decision.

    An idea becomes a proposal (core lifecycle, audited). The PMO is notified.
    """
    study = Study.objects.select_for_update().select_related("project").get(pk=study.pk)
    ensure_editable(study)
    problems = submission_problems(study)
    if problems:
        raise ValidationError(problems)
    if study.project.stage == Stage.IDEA:
        core.project_stage_change(project=study.project, to_stage=Stage.PROPOSED, actor=actor)
    study.status = Study.Status.SUBMITTED
    study.submitted_at = timezone.now()
    audit(study, actor, "submitted")
    study.save()
    core.notification_send(
        recipients=pmo_users(),
        title=_("Feasibility study submitted: %(code)s %(name)s")
        % {"code": study.project.code, "name": study.project.label},
        body=_("Assign expert reviewers to start the review."),
        url=reverse("decisions:study_reviews", args=[study.pk]),
        level=Notification.Level.ACTION,
    )
    return study


@transaction.atomic
def study_return(*, study: Study, actor, reason: str) -> Study:
    """Send a submitted study back to its team as a draft, with the reason."""
    if study.status != Study.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted study that is not in review can be returned."))
    if not clean_text(reason):
        raise ValidationError({"reason": _("Say what the team should change.")})
    study.status = Study.Status.DRAFT
    audit(study, actor, clean_text(reason))
    study.save()
    manager = study.project.manager
    if manager is not None and manager.user_id:
        core.notification_send(
            recipients=[manager.user],
            title=_("Feasibility study returned: %(code)s") % {"code": study.project.code},
            body=clean_text(reason),
            url=study.get_absolute_url(),
            level=Notification.Level.ACTION,
        )
    return study


REVISABLE = (Study.Status.SUBMITTED, Study.Status.IN_REVIEW, Study.Status.DECIDED)


@transaction.atomic
def study_revise(*, study: Study, actor, note: str) -> Study:
    """Start the next version of a submitted, reviewed or sent-back study.

    Everything the team wrote is copied into a new draft; reviews and the decision stay
    with the version they were about. A version that was not decided is superseded.
    """
    study = Study.objects.select_for_update().select_related("project").get(pk=study.pk)
    latest = current_study(study.project)
    if latest is None or latest.pk != study.pk:
        raise ValidationError(_("Only the latest version of a study can be revised."))
    if study.status not in REVISABLE:
        raise ValidationError(_("A draft is changed directly; submit it first."))
    decision = Decision.objects.filter(study=study).first()
    if decision is not None and decision.outcome != Decision.Outcome.REVISE:
        raise ValidationError(
            _("The decision on this study was “%(outcome)s”; it is not revised any more.")
            % {"outcome": decision.get_outcome_display()}
        )
    if not clean_text(note):
        raise ValidationError({"note": _("Say what the new version changes.")})
    new = _copy_study(study, actor, clean_text(note))
    if study.status != Study.Status.DECIDED:
        study.status = Study.Status.SUPERSEDED
        audit(study, actor, "superseded")
        study.save()
    resource_demand_sync(study=new, actor=actor)
    return new


def _copy_study(study: Study, actor, note: str) -> Study:
    user = _user(actor)
    new = Study(
        project=study.project,
        version=study.version + 1,
        revision_note=note[:500],
        base_year=study.base_year,
        horizon_years=study.horizon_years,
        discount_rate=study.discount_rate,
        contingency_percent=study.contingency_percent,
        competitive_advantage=study.competitive_advantage,
        created_by=user,
    )
    new.full_clean()
    audit(new, actor)
    new.save()

    def clone(rows, **changes):
        copies = []
        for row in rows:
            row.pk = None
            row.id = None
            for key, value in changes.items():
                setattr(row, key, value(row) if callable(value) else value)
            copies.append(row)
        return copies

    sections = clone(study.sections.all(), study=new, status="draft", review_comment="")
    for section in sections:
        section.reviewed_by, section.reviewed_at = None, None
    bulk_create_with_history(sections, StudySection, default_user=user)
    criteria = list(study.criteria.all())
    old_criteria = [c.pk for c in criteria]
    new_criteria = []
    for criterion, old_pk in zip(clone(criteria, study=new), old_criteria, strict=True):
        audit(criterion, actor)
        criterion.save()
        new_criteria.append((old_pk, criterion.pk))
    criterion_map = dict(new_criteria)
    for alternative in study.alternatives.prefetch_related("cash_flows", "scores", "risks"):
        flows = list(alternative.cash_flows.all())
        scores = list(alternative.scores.all())
        risks = list(alternative.risks.all())
        alternative.pk = alternative.id = None
        alternative.study = new
        audit(alternative, actor)
        alternative.save()
        bulk_create_with_history(clone(flows, alternative=alternative), CashFlow, default_user=user)
        bulk_create_with_history(
            clone(
                scores,
                alternative=alternative,
                criterion_id=lambda s: criterion_map[s.criterion_id],
            ),
            CriterionScore,
            default_user=user,
        )
        bulk_create_with_history(clone(risks, alternative=alternative), Risk, default_user=user)
    for model, related in (
        (SocialScore, "social_scores"),
        (ScopeItem, "scope_items"),
        (CostLine, "cost_lines"),
        (Milestone, "milestones"),
        (ResourceLine, "resource_lines"),
        (ReadinessAnswer, "readiness"),
    ):
        bulk_create_with_history(
            clone(getattr(study, related).all(), study=new), model, default_user=user
        )
    return new


# --- sections ------------------------------------------------------------------------------


@transaction.atomic
def section_update(*, section: StudySection, actor, content: str) -> StudySection:
    """Write a section's text; a section that was accepted goes back to being written."""
    ensure_editable(section.study)
    section.content = clean_text(content)
    if section.status == StudySection.Status.ACCEPTED:
        section.status = StudySection.Status.DRAFT
    section.full_clean()
    audit(section, actor)
    section.save()
    return section


@transaction.atomic
def section_assign(*, section: StudySection, actor, owner: Person | None) -> StudySection:
    """Make a person responsible for a section; they may then edit it."""
    ensure_editable(section.study)
    section.owner = owner
    section.full_clean()
    audit(section, actor)
    section.save()
    if owner is not None and owner.user_id and owner.user_id != getattr(actor, "pk", None):
        core.notification_send(
            recipients=[owner.user],
            title=_("You own the section “%(section)s” of the study of %(code)s")
            % {"section": section.get_kind_display(), "code": section.study.project.code},
            url=reverse("decisions:study_section", args=[section.study_id, section.kind]),
            level=Notification.Level.ACTION,
        )
    return section


@transaction.atomic
def section_mark_ready(*, section: StudySection, actor) -> StudySection:
    """The owner says the section is ready to be reviewed."""
    ensure_editable(section.study)
    section.status = StudySection.Status.READY
    audit(section, actor)
    section.save()
    return section


@transaction.atomic
def section_review(*, section: StudySection, actor, accept: bool, comment: str) -> StudySection:
    """Accept a section or ask its owner for rework (with a comment)."""
    ensure_editable(section.study)
    comment = clean_text(comment)
    if not accept and not comment:
        raise ValidationError({"comment": _("Say what has to be reworked.")})
    section.status = StudySection.Status.ACCEPTED if accept else StudySection.Status.REWORK
    section.review_comment = comment
    section.reviewed_by = _user(actor)
    section.reviewed_at = timezone.now()
    audit(section, actor)
    section.save()
    owner = section.owner
    if not accept and owner is not None and owner.user_id:
        core.notification_send(
            recipients=[owner.user],
            title=_("Rework requested: %(section)s (%(code)s)")
            % {"section": section.get_kind_display(), "code": section.study.project.code},
            body=comment,
            url=reverse("decisions:study_section", args=[section.study_id, section.kind]),
            level=Notification.Level.ACTION,
        )
    return section


# --- rows of the sections -------------------------------------------------------------------


def _save_row(row, study: Study, actor, fields: dict):
    ensure_editable(study)
    for key, value in fields.items():
        setattr(row, key, clean_text(value) if isinstance(value, str) else value)
    row.full_clean()
    audit(row, actor)
    row.save()
    return row


def _delete_row(row, study: Study, actor) -> None:
    ensure_editable(study)
    audit(row, actor)
    row.delete()


@transaction.atomic
def scope_item_save(*, study: Study, actor, item: ScopeItem | None = None, **fields) -> ScopeItem:
    """Add or change a scope statement (in, out, assumption, constraint)."""
    return _save_row(item or ScopeItem(study=study), study, actor, fields)


@transaction.atomic
def scope_item_delete(*, item: ScopeItem, actor) -> None:
    _delete_row(item, item.study, actor)


@transaction.atomic
def cost_line_save(*, study: Study, actor, line: CostLine | None = None, **fields) -> CostLine:
    """Add or change the amount of a cost item in a year."""
    line = line or CostLine(study=study)
    year = fields.get("year", line.year)
    if year is not None and year > study.horizon_years:
        raise ValidationError(
            {
                "year": _("The appraisal runs to year %(horizon)s.")
                % {"horizon": study.horizon_years}
            }
        )
    return _save_row(line, study, actor, fields)


@transaction.atomic
def cost_line_delete(*, line: CostLine, actor) -> None:
    _delete_row(line, line.study, actor)


@transaction.atomic
def milestone_save(
    *, study: Study, actor, milestone: Milestone | None = None, **fields
) -> Milestone:
    """Add or change a milestone or roadmap point of the proposed schedule."""
    return _save_row(milestone or Milestone(study=study), study, actor, fields)


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor) -> None:
    _delete_row(milestone, milestone.study, actor)


@transaction.atomic
def risk_save(*, alternative: Alternative, actor, risk: Risk | None = None, **fields) -> Risk:
    """Add or change a risk of an alternative (the proposal's risks are the register)."""
    return _save_row(risk or Risk(alternative=alternative), alternative.study, actor, fields)


@transaction.atomic
def risk_delete(*, risk: Risk, actor) -> None:
    _delete_row(risk, risk.alternative.study, actor)


@transaction.atomic
def resource_line_save(
    *, study: Study, actor, line: ResourceLine | None = None, **fields
) -> ResourceLine:
    """Add or change a resource need; the project's business-case demand follows."""
    for key in ("start_month", "end_month"):
        if isinstance(fields.get(key), dt.date):
            fields[key] = fields[key].replace(day=1)
    line = _save_row(line or ResourceLine(study=study), study, actor, fields)
    resource_demand_sync(study=study, actor=actor)
    return line


@transaction.atomic
def resource_line_delete(*, line: ResourceLine, actor) -> None:
    study = line.study
    _delete_row(line, study, actor)
    resource_demand_sync(study=study, actor=actor)


def demand_rows(study: Study) -> list[tuple]:
    """The study's resource lines as (role, month, hours) summed per role and month."""
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    roles = {}
    for line in study.resource_lines.select_related("role"):
        roles[line.role_id] = line.role
        for month in line.months():
            totals[(line.role_id, month)] += line.hours_per_month
    return [(roles[role_id], month, hours) for (role_id, month), hours in sorted(totals.items())]


def resource_demand_sync(*, study: Study, actor) -> int:
    """Write the latest version's resource needs to the core as business-case demand, so
    that portfolio capacity planning sees them."""
    latest = current_study(study.project)
    if latest is None or latest.pk != study.pk:
        return 0
    return core.resource_demand_replace(
        project=study.project,
        source=ResourceDemand.Source.BUSINESS_CASE,
        rows=demand_rows(study),
        actor=actor,
    )


@transaction.atomic
def social_score_set(
    *, study: Study, criterion: SocialCriterion, actor, score: int | None, evidence: str = ""
) -> SocialScore | None:
    """Score the study on a social-benefit criterion; the evidence is required."""
    ensure_editable(study)
    row = SocialScore.objects.filter(study=study, criterion=criterion).first()
    if score is None:
        if row is not None:
            audit(row, actor)
            row.delete()
        return None
    if not clean_text(evidence):
        raise ValidationError(
            {"evidence": _("Give the evidence for the score of “%(name)s”.") % {"name": criterion}}
        )
    row = row or SocialScore(study=study, criterion=criterion)
    row.score, row.evidence = score, clean_text(evidence)
    row.full_clean(validate_unique=False)
    audit(row, actor)
    row.save()
    return row


@transaction.atomic
def readiness_answer_set(
    *, study: Study, question: str, answer: str, actor
) -> ReadinessAnswer | None:
    """The team's answer to a readiness question (an empty answer removes it)."""
    ensure_editable(study)
    if question not in ReadinessQuestion.values:
        raise ValidationError({"question": _("Unknown readiness question.")})
    row = ReadinessAnswer.objects.filter(study=study, question=question).first()
    if not clean_text(answer):
        if row is not None:
            audit(row, actor)
            row.delete()
        return None
    row = row or ReadinessAnswer(study=study, question=question)
    row.answer = clean_text(answer)
    row.full_clean(validate_unique=False)
    audit(row, actor)
    row.save()
    return row


@transaction.atomic
def strategy_link_save(*, study: Study, objective, contribution: int, justification: str, actor):
    """Link the project to a strategic objective with a justification (portfolio's
    objective links are the one record of alignment)."""
    from portfolio.services.strategy import objective_link_save

    ensure_editable(study)
    if not clean_text(justification):
        raise ValidationError({"justification": _("Say how the project serves the objective.")})
    return objective_link_save(
        objective=objective,
        project=study.project,
        contribution=contribution,
        justification=clean_text(justification),
        actor=actor,
    )


@transaction.atomic
def strategy_link_delete(*, study: Study, link, actor) -> None:
    from portfolio.services.strategy import objective_link_delete

    ensure_editable(study)
    if link.project_id != study.project_id:
        raise ValidationError(_("This link belongs to another project."))
    objective_link_delete(link=link, actor=actor)
