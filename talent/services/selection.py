"""Selection rounds for a level, and the periodic appraisal (PMO; line managers rate)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.models import Person, Project
from pmo.core.registry import registry
from talent import analysis
from talent.models import (
    Appraisal,
    AppraisalKpi,
    AppraisalRound,
    AppraisalScheme,
    CareerLevel,
    SelectionCandidate,
    SelectionRound,
    TalentProfile,
)
from talent.selectors import facts
from talent.services.common import require_pmo, save, set_history_user, user_or_none

EVALUATION_SCORE = "evaluation_score"


@transaction.atomic
def selection_round_open(
    *, title: str, level: CareerLevel, opened_on: dt.date | None = None, actor=None
) -> SelectionRound:
    require_pmo(actor)
    return save(
        SelectionRound(created_by=user_or_none(actor)),
        actor,
        title=title,
        level=level,
        opened_on=opened_on or timezone.localdate(),
    )


@transaction.atomic
def selection_candidate_add(
    *, round: SelectionRound, person: Person, actor=None
) -> SelectionCandidate:
    """Add a candidate and check them against the level's criteria as of today (the
    check is kept with the candidate, so the record shows what the panel saw)."""
    require_pmo(actor)
    if round.status != SelectionRound.Status.OPEN:
        raise ValidationError(_("The selection round is decided."))
    if SelectionCandidate.objects.filter(round=round, person=person).exists():
        raise ValidationError(_("%(person)s is already a candidate.") % {"person": person.label})
    today = timezone.localdate()
    profile = TalentProfile.objects.filter(person=person).first() or TalentProfile(
        person=person, pool_since=today
    )
    level = next(lv for lv in facts.ladder() if lv.pk == round.level_id)
    fact = facts.facts_for([profile], today, levels=[level])[person.pk]
    result = analysis.readiness(fact.record, facts.criteria_for(level))
    return save(
        SelectionCandidate(round=round, person=person),
        actor,
        criteria_met=result.met,
        criteria_total=result.total,
        gaps=[g.as_dict() for g in result.gaps],
    )


@transaction.atomic
def selection_candidate_decide(
    *,
    candidate: SelectionCandidate,
    decision: str,
    panel_score: Decimal | None = None,
    assessment: str = "",
    decision_note: str = "",
    actor=None,
) -> SelectionCandidate:
    """Record the panel's score and the decision; a selected candidate moves to the
    round's level in the talent pool."""
    require_pmo(actor)
    if candidate.round.status != SelectionRound.Status.OPEN:
        raise ValidationError(_("The selection round is decided."))
    if decision not in SelectionCandidate.Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    if decision == SelectionCandidate.Decision.NOT_SELECTED and not decision_note.strip():
        raise ValidationError({"decision_note": _("Give the reason for not selecting.")})
    decided = decision != SelectionCandidate.Decision.PENDING
    save(
        candidate,
        actor,
        decision=decision,
        panel_score=panel_score,
        assessment=assessment,
        decision_note=decision_note,
        decided_by=user_or_none(actor) if decided else None,
        decided_at=timezone.now() if decided else None,
    )
    if decision == SelectionCandidate.Decision.SELECTED:
        today = timezone.localdate()
        profile = TalentProfile.objects.filter(person=candidate.person).first() or TalentProfile(
            person=candidate.person, pool_since=today, pm_since=today
        )
        if profile.level_id != candidate.round.level_id:
            save(profile, actor, level=candidate.round.level, level_since=today, in_pool=True)
    return candidate


@transaction.atomic
def selection_round_close(*, round: SelectionRound, actor=None) -> SelectionRound:
    require_pmo(actor)
    if round.candidates.filter(decision=SelectionCandidate.Decision.PENDING).exists():
        raise ValidationError(_("Decide on every candidate first."))
    return save(round, actor, status=SelectionRound.Status.DECIDED)


# --- appraisal -------------------------------------------------------------------------


def kpi_choices() -> list[tuple[str, str]]:
    """The measures a KPI may use: the evaluation score and every registered metric."""
    return [(EVALUATION_SCORE, _("Evaluation score (0–100)"))] + [
        (m.key, str(m.label)) for m in registry.metric_list()
    ]


@transaction.atomic
def appraisal_scheme_save(
    *,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    manager_weight: Decimal = Decimal(30),
    kpis: dict[str, tuple[Decimal, Decimal]] | None = None,
    scheme: AppraisalScheme | None = None,
    actor=None,
) -> AppraisalScheme:
    """A scheme with its KPIs: ``kpis`` maps a measure key to (weight %, full-marks value);
    the KPI weights sum to 100 %."""
    require_pmo(actor)
    kpis = kpis or {}
    known = dict(kpi_choices())
    unknown = [k for k in kpis if k not in known]
    if unknown:
        raise ValidationError(_("Unknown measure: %(keys)s") % {"keys": ", ".join(unknown)})
    if not kpis:
        raise ValidationError(_("Choose at least one KPI."))
    if sum(w for w, _t in kpis.values()) != Decimal(100):
        raise ValidationError(_("The KPI weights must add up to 100%."))
    scheme = save(
        scheme or AppraisalScheme(),
        actor,
        code=code.strip(),
        name=name,
        name_en=name_en,
        description=description,
        manager_weight=manager_weight,
    )
    for old in scheme.kpis.exclude(metric_key__in=list(kpis)):
        set_history_user(old, actor)
        old.delete()
    for key, (weight, target) in kpis.items():
        row = AppraisalKpi.objects.filter(scheme=scheme, metric_key=key).first()
        save(
            row or AppraisalKpi(scheme=scheme, metric_key=key), actor, weight=weight, target=target
        )
    return scheme


@transaction.atomic
def appraisal_round_open(
    *,
    scheme: AppraisalScheme,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    actor=None,
) -> AppraisalRound:
    """Open a round for every PM in the pool at the end of the period, KPIs computed."""
    require_pmo(actor)
    round = save(
        AppraisalRound(scheme=scheme),
        actor,
        title=title,
        period_start=period_start,
        period_end=period_end,
    )
    people = TalentProfile.objects.in_pool(period_end).values_list("person_id", flat=True)
    Appraisal.objects.bulk_create([Appraisal(round=round, person_id=pid) for pid in people])
    appraisal_kpis_compute(round=round, actor=actor)
    return round


def _metric_values(key: str, project_ids: list[int], start, end) -> dict[int, float | None]:
    if key == EVALUATION_SCORE:
        return {
            pid: float(score) if score is not None else None
            for pid, score in Project.objects.filter(pk__in=project_ids).values_list(
                "pk", "evaluation_score"
            )
        }
    metric = registry.metrics.get(key)
    return metric.values(project_ids, start, end) if metric else {}


def _higher_is_better(key: str) -> bool:
    metric = registry.metrics.get(key)
    return True if metric is None else metric.higher_is_better


@transaction.atomic
def appraisal_kpis_compute(*, round: AppraisalRound, actor=None) -> AppraisalRound:
    """KPI values of each PM: the mean over the projects they managed in the period (from
    the registry's metrics and the evaluation score), points against the full-marks
    value, the weighted KPI score, and the total and grade with the manager's rating."""
    require_pmo(actor)
    if round.status == AppraisalRound.Status.CLOSED:
        raise ValidationError(_("The appraisal round is closed."))
    appraisals = list(round.appraisals.all())
    people = [a.person_id for a in appraisals]
    projects = list(
        Project.objects.filter(manager_id__in=people, stage__in=facts.MANAGED_STAGES)
        .exclude(planned_start__gt=round.period_end)
        .exclude(actual_finish__lt=round.period_start)
        .values_list("pk", "manager_id")
    )
    by_person: dict[int, list[int]] = {}
    for pid, manager_id in projects:
        by_person.setdefault(manager_id, []).append(pid)
    all_ids = [pid for pid, _m in projects]
    kpis = list(round.scheme.kpis.all())
    labels = dict(kpi_choices())
    values = {
        k.metric_key: _metric_values(k.metric_key, all_ids, round.period_start, round.period_end)
        for k in kpis
    }
    weight = float(round.scheme.manager_weight)
    for appraisal in appraisals:
        mine = by_person.get(appraisal.person_id, [])
        detail, parts = [], []
        for k in kpis:
            got = [v for p in mine if (v := values[k.metric_key].get(p)) is not None]
            mean = round_or_none(sum(got) / len(got)) if got else None
            points = analysis.kpi_points(mean, float(k.target), _higher_is_better(k.metric_key))
            parts.append((points, float(k.weight)))
            detail.append(
                {
                    "key": k.metric_key,
                    "label": labels.get(k.metric_key, k.metric_key),
                    "value": mean,
                    "target": float(k.target),
                    "points": points,
                    "weight": float(k.weight),
                    "projects": len(got),
                }
            )
        kpi = analysis.weighted_score(parts)
        total = analysis.total_score(kpi, appraisal.manager_rating, weight)
        appraisal.kpi_score = _decimal(kpi)
        appraisal.kpi_detail = detail
        appraisal.total_score = _decimal(total)
        appraisal.grade = analysis.grade_for(total)
        set_history_user(appraisal, actor)
        appraisal.save()
    return round


def round_or_none(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def may_rate(actor, appraisal: Appraisal) -> bool:
    if roles.is_pmo(actor):
        return True
    pid = roles.person_id_of(actor)
    return (
        pid is not None
        and TalentProfile.objects.filter(
            person_id=appraisal.person_id, line_manager_id=pid
        ).exists()
    )


@transaction.atomic
def appraisal_rate(
    *, appraisal: Appraisal, manager_rating: int, manager_comment: str = "", actor=None
) -> Appraisal:
    """The line manager's (or the PMO's) rating; the total and grade follow."""
    if actor is not None and not may_rate(actor, appraisal):
        raise PermissionDenied(_("Only the line manager or the PMO rates this PM."))
    if appraisal.round.status != AppraisalRound.Status.OPEN:
        raise ValidationError(_("Ratings are closed in this round."))
    total = analysis.total_score(
        float(appraisal.kpi_score) if appraisal.kpi_score is not None else None,
        manager_rating,
        float(appraisal.round.scheme.manager_weight),
    )
    return save(
        appraisal,
        actor,
        manager_rating=manager_rating,
        manager_comment=manager_comment,
        total_score=_decimal(total),
        grade=analysis.grade_for(total),
    )


@transaction.atomic
def appraisal_calibrate(
    *,
    appraisal: Appraisal,
    calibrated_grade: str = "",
    calibration_note: str = "",
    consequence: str = Appraisal.Consequence.NONE,
    consequence_note: str = "",
    actor=None,
) -> Appraisal:
    """Calibration by the PMO: a changed grade needs a reason; the incentive or constraint
    that follows is recorded."""
    require_pmo(actor)
    if appraisal.round.status == AppraisalRound.Status.CLOSED:
        raise ValidationError(_("The appraisal round is closed."))
    if calibrated_grade and calibrated_grade != appraisal.grade and not calibration_note.strip():
        raise ValidationError({"calibration_note": _("Give the reason for changing the grade.")})
    if consequence != Appraisal.Consequence.NONE and not consequence_note.strip():
        raise ValidationError({"consequence_note": _("Say what was decided.")})
    return save(
        appraisal,
        actor,
        calibrated_grade=calibrated_grade if calibrated_grade != appraisal.grade else "",
        calibration_note=calibration_note,
        consequence=consequence,
        consequence_note=consequence_note,
    )


NEXT_STATUS = {
    AppraisalRound.Status.OPEN: AppraisalRound.Status.CALIBRATION,
    AppraisalRound.Status.CALIBRATION: AppraisalRound.Status.CLOSED,
}


@transaction.atomic
def appraisal_round_advance(*, round: AppraisalRound, actor=None) -> AppraisalRound:
    """Rating → calibration → closed; calibration needs every PM rated."""
    require_pmo(actor)
    target = NEXT_STATUS.get(round.status)
    if target is None:
        raise ValidationError(_("The appraisal round is closed."))
    if (
        target == AppraisalRound.Status.CALIBRATION
        and round.appraisals.filter(manager_rating__isnull=True).exists()
    ):
        raise ValidationError(_("Every PM needs a manager rating before calibration."))
    return save(round, actor, status=target)


def appraisal_delete(*, appraisal: Appraisal, actor=None) -> None:
    require_pmo(actor)
    set_history_user(appraisal, actor)
    appraisal.delete()
