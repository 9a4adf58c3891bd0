"""Writes of periodic evaluation: cycles, self-assessment, panels, expert scores,
calibration, results, publication and appeals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import scoring
from evaluation.models import (
    Appeal,
    Criterion,
    CriterionResult,
    Cycle,
    Evaluation,
    ExpertScore,
    PanelAssignment,
    SchemeVersion,
)
from evaluation.services.common import require_pmo, save, set_history_user, user_or_none
from pmo.core import roles
from pmo.core.models import OrgUnit, Project, ProjectMember
from pmo.core.registry import registry
from pmo.core.services import notification_send, project_summary_update


def _dec(value, places: str = "0.01") -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


# --- cycles --------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    version: SchemeVersion,
    code: str,
    name: str,
    name_en: str = "",
    period_start: dt.date,
    period_end: dt.date,
    self_assessment_due: dt.date,
    review_due: dt.date,
    chair=None,
    actor,
) -> Cycle:
    """A cycle on a published version, being prepared until it is opened."""
    require_pmo(actor)
    if version.status != SchemeVersion.Status.PUBLISHED:
        raise ValidationError({"version": _("A cycle uses a published (frozen) version.")})
    if chair is not None and not (
        roles.is_pmo(chair) or roles.REVIEWER in roles.group_names(chair)
    ):
        raise ValidationError({"chair": _("The chair must be PMO staff or an expert reviewer.")})
    return save(
        Cycle(
            version=version,
            code=code.strip(),
            name=name.strip(),
            name_en=name_en.strip(),
            period_start=period_start,
            period_end=period_end,
            self_assessment_due=self_assessment_due,
            review_due=review_due,
            chair=chair,
            created_by=user_or_none(actor),
        ),
        actor,
    )


def scope_projects(version: SchemeVersion):
    """The projects a version's scope covers today."""
    projects = Project.objects.filter(is_program=False)
    if version.scope_stages:
        projects = projects.filter(stage__in=version.scope_stages)
    if version.scope_classifications:
        projects = projects.filter(classification__in=version.scope_classifications)
    if version.scope_project_type_id:
        projects = projects.filter(project_type_id=version.scope_project_type_id)
    if version.scope_unit_id:
        projects = projects.filter(org_unit__path__startswith=version.scope_unit.path)
    return projects.order_by("code")


def _criteria(version: SchemeVersion) -> list[Criterion]:
    return list(Criterion.objects.filter(dimension__version=version).select_related("dimension"))


def metrics_fill(*, cycle: Cycle, evaluations=None) -> int:
    """Fill the computed criteria of the cycle's evaluations from the metrics registry,
    over the cycle's period; returns how many values were found."""
    evaluations = list(evaluations if evaluations is not None else cycle.evaluations.all())
    project_ids = [e.project_id for e in evaluations]
    by_project = {e.project_id: e for e in evaluations}
    found = 0
    for criterion in _criteria(cycle.version):
        if not criterion.is_computed:
            continue
        metric = registry.metrics.get(criterion.metric_key)
        if metric is None:
            continue
        values = metric.values(project_ids, cycle.period_start, cycle.period_end)
        rows = CriterionResult.objects.filter(
            criterion=criterion, evaluation__in=[by_project[p] for p in project_ids]
        ).select_related("evaluation")
        for row in rows:
            value = values.get(row.evaluation.project_id)
            row.metric_value = _dec(value, "0.001")
            row.metric_source = str(metric.source)[:300]
            row.final_score = _dec(
                scoring.metric_score(
                    value, float(criterion.value_at_1), float(criterion.value_at_5)
                )
            )
            found += value is not None
        CriterionResult.objects.bulk_update(rows, ["metric_value", "metric_source", "final_score"])
    return found


@transaction.atomic
def cycle_open(*, cycle: Cycle, actor) -> Cycle:
    """Open a cycle: one evaluation per project in scope, computed criteria filled from
    data, project managers asked for their self-assessment."""
    require_pmo(actor)
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(_("Only a cycle being prepared can be opened."))
    version = cycle.version
    projects = list(scope_projects(version))
    if not projects:
        raise ValidationError(_("No project is in the scope of this scheme version."))
    start = (
        Evaluation.Status.SELF_ASSESSMENT if version.self_assessment else Evaluation.Status.REVIEW
    )
    evaluations = Evaluation.objects.bulk_create(
        [
            Evaluation(
                cycle=cycle,
                project=p,
                manager_id=p.manager_id,
                org_unit_id=p.org_unit_id,
                status=start,
            )
            for p in projects
        ]
    )
    criteria = _criteria(version)
    CriterionResult.objects.bulk_create(
        [CriterionResult(evaluation=e, criterion=c) for e in evaluations for c in criteria]
    )
    metrics_fill(cycle=cycle, evaluations=evaluations)
    cycle.status = Cycle.Status.OPEN
    cycle.opened_at = timezone.now()
    save(cycle, actor)
    managers = (
        get_user_model()
        .objects.filter(person__managed_projects__in=[p.pk for p in projects])
        .distinct()
    )
    notification_send(
        recipients=managers,
        title=_("Self-assessment requested: %(cycle)s") % {"cycle": cycle.label},
        body=_("Please submit your self-assessment by %(date)s.")
        % {"date": cycle.self_assessment_due},
        url=cycle.get_absolute_url(),
        event="evaluation_deadline",
    )
    return cycle


# --- self-assessment -----------------------------------------------------------------------


def _is_manager(actor, evaluation: Evaluation) -> bool:
    pid = roles.person_id_of(actor)
    return pid is not None and pid in (evaluation.manager_id, evaluation.project.manager_id)


@transaction.atomic
def self_assessment_save(
    *,
    evaluation: Evaluation,
    scores: dict[int, tuple[int | None, str]],
    summary: str,
    submit: bool = False,
    actor,
) -> Evaluation:
    """Save the project manager's self-assessment (自评报告): a score and evidence per
    scored criterion and a summary; submitting hands it to the experts."""
    if not (_is_manager(actor, evaluation) or roles.is_pmo(actor)):
        raise PermissionDenied(_("Only the project manager writes the self-assessment."))
    if (
        evaluation.status != Evaluation.Status.SELF_ASSESSMENT
        or evaluation.cycle.status != Cycle.Status.OPEN
    ):
        raise ValidationError(_("The self-assessment can no longer be changed."))
    rows = {r.criterion_id: r for r in evaluation.results.select_related("criterion")}
    missing = []
    for criterion_id, row in rows.items():
        if row.criterion.is_computed:
            continue
        score, evidence = scores.get(criterion_id, (None, ""))
        if score is not None and not scoring.SCALE_MIN <= int(score) <= scoring.SCALE_MAX:
            raise ValidationError(_("Scores are from 1 to 5."))
        row.self_score, row.evidence = score, (evidence or "").strip()
        if score is None:
            missing.append(row.criterion.label)
    CriterionResult.objects.bulk_update(list(rows.values()), ["self_score", "evidence"])
    evaluation.self_summary = summary.strip()
    if submit:
        if missing:
            raise ValidationError(
                _("Score every criterion before submitting: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        if not evaluation.self_summary:
            raise ValidationError({"self_summary": _("Write the summary of your self-assessment.")})
        evaluation.status = Evaluation.Status.REVIEW
        evaluation.self_submitted_at = timezone.now()
    return save(evaluation, actor)


# --- expert panels -------------------------------------------------------------------------


def conflict_reason(*, evaluation: Evaluation, reviewer) -> str | None:
    """Why ``reviewer`` may not score this evaluation, or ``None`` when they may."""
    if roles.REVIEWER not in roles.group_names(reviewer):
        return _("%(name)s is not an expert reviewer.") % {"name": reviewer.get_username()}
    person = getattr(reviewer, "person", None)
    if person is None:
        return None
    project = evaluation.project
    if person.pk in (project.manager_id, project.sponsor_id, evaluation.manager_id):
        return _("%(name)s manages or sponsors the evaluated project.") % {"name": person.label}
    if ProjectMember.objects.filter(project=project, person=person).exists():
        return _("%(name)s is a member of the evaluated project.") % {"name": person.label}
    if evaluation.cycle.version.exclude_same_unit and person.org_unit_id:
        unit = OrgUnit.objects.get(pk=evaluation.org_unit_id)
        if person.org_unit.path.startswith(unit.path) or unit.path.startswith(person.org_unit.path):
            return _(
                "%(name)s works in the evaluated project's unit and this scheme excludes that."
            ) % {"name": person.label}
    return None


@transaction.atomic
def panel_assign(*, evaluation: Evaluation, reviewer, actor) -> PanelAssignment:
    """Assign an expert without a conflict of interest to an evaluation."""
    require_pmo(actor)
    if evaluation.status in (Evaluation.Status.FINALISED, Evaluation.Status.PUBLISHED):
        raise ValidationError(_("The result is final; the panel cannot change."))
    reason = conflict_reason(evaluation=evaluation, reviewer=reviewer)
    if reason:
        raise ValidationError({"reviewer": reason})
    if evaluation.panel.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("This expert is already on the panel.")})
    assignment = save(PanelAssignment(evaluation=evaluation, reviewer=reviewer), actor)
    notification_send(
        recipients=[reviewer],
        title=_("Evaluation to score: %(project)s") % {"project": evaluation.project.label},
        body=_("Expert scores are due by %(date)s.") % {"date": evaluation.cycle.review_due},
        url=evaluation.get_absolute_url(),
        event="evaluation_deadline",
    )
    return assignment


@transaction.atomic
def panel_remove(*, assignment: PanelAssignment, actor) -> None:
    require_pmo(actor)
    if assignment.submitted_at:
        raise ValidationError(_("An expert who submitted scores stays on the panel."))
    assignment.delete()


def _aggregate(evaluation: Evaluation) -> None:
    """The experts' aggregate and spread per scored criterion, from submitted scores."""
    version = evaluation.cycle.version
    scores: dict[int, list[int]] = {}
    for criterion_id, score in ExpertScore.objects.filter(
        assignment__evaluation=evaluation, assignment__submitted_at__isnull=False
    ).values_list("criterion_id", "score"):
        scores.setdefault(criterion_id, []).append(score)
    rows = list(evaluation.results.select_related("criterion"))
    threshold = float(version.disagreement_threshold)
    for row in rows:
        if row.criterion.is_computed:
            continue
        given = scores.get(row.criterion_id, [])
        row.expert_score = _dec(scoring.aggregate(given, version.aggregation, version.trim_percent))
        gap = scoring.spread(given)
        row.spread = _dec(gap, "0.1")
        row.flagged = scoring.disagrees(given, threshold)
        chosen = row.calibrated_score if row.calibrated_score is not None else row.expert_score
        row.final_score = chosen
    CriterionResult.objects.bulk_update(rows, ["expert_score", "spread", "flagged", "final_score"])


@transaction.atomic
def expert_scores_save(
    *,
    assignment: PanelAssignment,
    scores: dict[int, tuple[int | None, str]],
    submit: bool = False,
    actor,
) -> PanelAssignment:
    """An expert's independent scores; once submitted they are final and the expert
    sees the spread of the panel."""
    if actor is None or actor.pk != assignment.reviewer_id:
        raise PermissionDenied(_("Only the assigned expert enters these scores."))
    evaluation = assignment.evaluation
    if assignment.submitted_at or evaluation.status != Evaluation.Status.REVIEW:
        raise ValidationError(_("These scores can no longer be changed."))
    criteria = [c for c in _criteria(evaluation.cycle.version) if not c.is_computed]
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    missing = []
    for criterion in criteria:
        score, comment = scores.get(criterion.pk, (None, ""))
        if score is None:
            missing.append(criterion.label)
            if criterion.pk in existing:
                existing.pop(criterion.pk).delete()
            continue
        if not scoring.SCALE_MIN <= int(score) <= scoring.SCALE_MAX:
            raise ValidationError(_("Scores are from 1 to 5."))
        row = existing.get(criterion.pk) or ExpertScore(assignment=assignment, criterion=criterion)
        row.score, row.comment = int(score), (comment or "").strip()[:500]
        save(row, actor)
    if submit:
        if missing:
            raise ValidationError(
                _("Score every criterion before submitting: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        assignment.submitted_at = timezone.now()
        save(assignment, actor)
        _aggregate(evaluation)
    return assignment


def may_chair(actor, evaluation: Evaluation) -> bool:
    return roles.is_pmo(actor) or (
        actor is not None and evaluation.cycle.chair_id == getattr(actor, "pk", None)
    )


@transaction.atomic
def result_calibrate(*, result: CriterionResult, score, note: str, actor) -> CriterionResult:
    """The chair settles a flagged disagreement with a score and a reason."""
    evaluation = result.evaluation
    if not may_chair(actor, evaluation):
        raise PermissionDenied(_("Only the chair calibrates scores."))
    if evaluation.status != Evaluation.Status.REVIEW:
        raise ValidationError(_("The result is final; scores cannot be calibrated."))
    if not result.flagged:
        raise ValidationError(_("Only flagged disagreements are calibrated."))
    if not (note or "").strip():
        raise ValidationError({"calibration_note": _("Give the reason of the calibration.")})
    result.calibrated_score = score
    result.calibration_note = note.strip()
    result.final_score = _dec(score)
    return save(result, actor)


def compute_result(evaluation: Evaluation) -> tuple[float | None, str, float]:
    """Score (0–100), grade and coverage (%) from the criteria's final scores."""
    version = evaluation.cycle.version
    rows = list(evaluation.results.select_related("criterion__dimension"))
    by_dimension: dict[int, list] = {}
    weights: dict[int, float] = {}
    for row in rows:
        dimension = row.criterion.dimension
        weights[dimension.pk] = float(dimension.weight)
        score = float(row.final_score) if row.final_score is not None else None
        by_dimension.setdefault(dimension.pk, []).append((float(row.criterion.weight), score))
    dimension_scores = []
    covered = 0.0
    for pk, items in by_dimension.items():
        result = scoring.weighted_mean(items)
        dimension_scores.append((weights[pk], result.value))
        covered += weights[pk] * result.coverage
    overall = scoring.weighted_mean(dimension_scores)
    score = scoring.to_hundred(overall.value)
    bands = [(b.code, float(b.min_score)) for b in version.bands.all()]
    grade = scoring.grade_for(score, bands) or ""
    total = sum(weights.values()) or 1
    return score, grade, 100.0 * covered / total


@transaction.atomic
def evaluation_finalise(*, evaluation: Evaluation, rationale: str, actor) -> Evaluation:
    """The chair reviews the result: every expert has submitted, every disagreement is
    calibrated; the score, grade and rationale are fixed for publication."""
    if not may_chair(actor, evaluation):
        raise PermissionDenied(_("Only the chair finalises results."))
    if evaluation.status != Evaluation.Status.REVIEW:
        raise ValidationError(_("Only an evaluation in expert review can be finalised."))
    panel = list(evaluation.panel.all())
    if not panel:
        raise ValidationError(_("No expert is assigned yet."))
    if any(a.submitted_at is None for a in panel):
        raise ValidationError(_("Not every expert has submitted scores."))
    _aggregate(evaluation)
    if evaluation.results.filter(flagged=True, calibrated_score__isnull=True).exists():
        raise ValidationError(_("Calibrate the flagged disagreements first."))
    if not (rationale or "").strip():
        raise ValidationError(
            {"rationale": _("Write the rationale the evaluated party will read.")}
        )
    score, grade, coverage = compute_result(evaluation)
    evaluation.score = _dec(score, "0.1")
    evaluation.grade = grade
    evaluation.coverage = _dec(coverage, "0.1")
    evaluation.rationale = rationale.strip()
    evaluation.status = Evaluation.Status.FINALISED
    evaluation.finalised_at = timezone.now()
    return save(evaluation, actor)


@transaction.atomic
def cycle_publish(*, cycle: Cycle, actor, today: dt.date | None = None) -> Cycle:
    """Publish every finalised result with its rationale (公开透明), open the appeal
    window and write each project's summary grade and score."""
    require_pmo(actor)
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("Only an open cycle can be published."))
    pending = cycle.evaluations.exclude(status=Evaluation.Status.FINALISED).count()
    if pending:
        raise ValidationError(_("%(n)s evaluations are not finalised yet.") % {"n": pending})
    today = today or timezone.localdate()
    now = timezone.now()
    until = today + dt.timedelta(days=cycle.version.appeal_days)
    evaluations = list(cycle.evaluations.select_related("project"))
    for evaluation in evaluations:
        evaluation.status = Evaluation.Status.PUBLISHED
        evaluation.published_at = now
        evaluation.appeal_until = until
        set_history_user(evaluation, actor)
        evaluation.save(update_fields=["status", "published_at", "appeal_until"])
        project_summary_update(
            project=evaluation.project,
            evaluation_grade=evaluation.grade,
            evaluation_score=evaluation.score,
        )
    cycle.status = Cycle.Status.PUBLISHED
    cycle.published_at = now
    save(cycle, actor)
    managers = get_user_model().objects.filter(
        person__pk__in=[e.manager_id for e in evaluations if e.manager_id]
    )
    notification_send(
        recipients=managers,
        title=_("Evaluation results published: %(cycle)s") % {"cycle": cycle.label},
        body=_("You may appeal once until %(date)s.") % {"date": until},
        url=cycle.get_absolute_url(),
    )
    return cycle


@transaction.atomic
def cycle_close(*, cycle: Cycle, actor) -> Cycle:
    require_pmo(actor)
    if cycle.status != Cycle.Status.PUBLISHED:
        raise ValidationError(_("Only a published cycle can be closed."))
    if Appeal.objects.filter(evaluation__cycle=cycle, status=Appeal.Status.PENDING).exists():
        raise ValidationError(_("Decide the pending appeals first."))
    cycle.status = Cycle.Status.CLOSED
    return save(cycle, actor)


# --- appeals -------------------------------------------------------------------------------


@transaction.atomic
def appeal_submit(
    *, evaluation: Evaluation, reason: str, actor, today: dt.date | None = None
) -> Appeal:
    """The evaluated project manager appeals once, within the window."""
    if not _is_manager(actor, evaluation):
        raise PermissionDenied(_("Only the evaluated project manager may appeal."))
    today = today or timezone.localdate()
    if evaluation.status != Evaluation.Status.PUBLISHED:
        raise ValidationError(_("Only a published result can be appealed."))
    if Appeal.objects.filter(evaluation=evaluation).exists():
        raise ValidationError(_("This result was appealed already; an appeal is possible once."))
    if evaluation.appeal_until is None or today > evaluation.appeal_until:
        raise ValidationError(_("The appeal window has closed."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason of the appeal.")})
    appeal = save(
        Appeal(
            evaluation=evaluation,
            reason=reason.strip(),
            submitted_by=user_or_none(actor),
            previous_score=evaluation.score,
            previous_grade=evaluation.grade,
        ),
        actor,
    )
    chair = evaluation.cycle.chair
    notification_send(
        recipients=[chair] if chair else [],
        title=_("Appeal against an evaluation: %(project)s")
        % {"project": evaluation.project.label},
        url=evaluation.get_absolute_url(),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, upheld: bool, note: str, actor, new_score=None) -> Appeal:
    """Decide an appeal and record it; an upheld appeal sets a new score, graded by the
    version's bands, and updates the project summary."""
    evaluation = appeal.evaluation
    if not may_chair(actor, evaluation):
        raise PermissionDenied(_("Only the chair or the PMO decides appeals."))
    if appeal.status != Appeal.Status.PENDING:
        raise ValidationError(_("This appeal was decided already."))
    if not (note or "").strip():
        raise ValidationError({"decision_note": _("Record the reasons of the decision.")})
    if upheld:
        if new_score is None or not 0 <= float(new_score) <= 100:
            raise ValidationError(
                {"new_score": _("An upheld appeal sets a new score from 0 to 100.")}
            )
        bands = [(b.code, float(b.min_score)) for b in evaluation.cycle.version.bands.all()]
        evaluation.score = _dec(new_score, "0.1")
        evaluation.grade = scoring.grade_for(float(new_score), bands) or ""
        evaluation.rationale = f"{evaluation.rationale}\n\n{note.strip()}".strip()
        save(evaluation, actor)
        project_summary_update(
            project=evaluation.project,
            evaluation_grade=evaluation.grade,
            evaluation_score=evaluation.score,
        )
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REJECTED
    appeal.decision_note = note.strip()
    appeal.decided_by = user_or_none(actor)
    appeal.decided_at = timezone.now()
    save(appeal, actor)
    manager_users = get_user_model().objects.filter(
        Q(person__pk=evaluation.manager_id) | Q(pk=appeal.submitted_by_id)
    )
    notification_send(
        recipients=manager_users,
        title=_("Your appeal was decided: %(status)s") % {"status": appeal.get_status_display()},
        url=evaluation.get_absolute_url(),
    )
    return appeal
