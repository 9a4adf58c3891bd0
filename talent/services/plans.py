"""The yearly training plan, generated from competency gaps and evaluation's training needs."""

from __future__ import annotations

import importlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent import analysis
from talent.models import Competency, Course, TalentProfile, TrainingPlan, TrainingPlanItem
from talent.selectors import facts
from talent.services.common import require_pmo, save, set_history_user, user_or_none


def evaluation_training_needs(year: int) -> list[dict]:
    """Improvement actions of the performance evaluation that ask for training, when the
    evaluation app offers them (``evaluation.selectors.training_needs``)."""
    try:
        module = importlib.import_module("evaluation.selectors")
    except ImportError:
        return []
    needs = getattr(module, "training_needs", None)
    return list(needs(year=year)) if callable(needs) else []


@transaction.atomic
def training_plan_generate(*, year: int, actor=None) -> TrainingPlan:
    """(Re)build the draft plan of ``year``: one line per competency in which PMs of the
    pool fall short of their next level (with the people and a course that develops it,
    the largest groups in the first quarters), one line per training need of the
    evaluation. Lines the PMO added by hand are kept."""
    require_pmo(actor)
    plan = TrainingPlan.objects.filter(year=year).first() or TrainingPlan(year=year)
    if plan.status == TrainingPlan.Status.APPROVED:
        raise ValidationError(_("The plan of this year is approved; it is not generated again."))
    plan = save(plan, actor, generated_at=timezone.now())
    for item in plan.items.exclude(source=TrainingPlanItem.Source.MANUAL):
        set_history_user(item, actor)
        item.delete()
    levels = facts.ladder()
    profiles = list(TalentProfile.objects.in_pool().with_people())
    found = facts.facts_for(profiles, timezone.localdate(), levels=levels)
    required = {
        pid: {code: req for code, _label, req in facts.criteria_for(f.next_level).competencies}
        for pid, f in found.items()
        if f.next_level is not None
    }
    gaps = analysis.competency_gaps(
        {pid: f.record.proficiency for pid, f in found.items()}, required
    )
    competencies = {c.code: c for c in Competency.objects.filter(code__in=list(gaps))}
    courses = {}
    for course in (
        Course.objects.filter(is_active=True, competencies__code__in=list(gaps))
        .order_by("code")
        .prefetch_related("competencies")
    ):
        for comp in course.competencies.all():
            courses.setdefault(comp.code, course)
    codes = sorted(gaps, key=lambda c: (-len(gaps[c]), c))
    quarters = analysis.spread_quarters([len(gaps[c]) for c in codes])
    for code, quarter in zip(codes, quarters, strict=True):
        comp = competencies[code]
        item = save(
            TrainingPlanItem(plan=plan, source=TrainingPlanItem.Source.GAP, competency=comp),
            actor,
            topic=comp.name if not comp.name_en else f"{comp.name} / {comp.name_en}",
            course=courses.get(code),
            people_count=len(gaps[code]),
            quarter=quarter,
        )
        item.people.set(gaps[code])
    for need in evaluation_training_needs(year):
        topic = str(need.get("topic") or need.get("competency") or "").strip()
        title = str(need.get("title") or "").strip()
        text = " · ".join(t for t in (topic, title) if t) or str(need.get("id", ""))
        save(
            TrainingPlanItem(plan=plan, source=TrainingPlanItem.Source.EVALUATION),
            actor,
            topic=text[:300],
            people_count=0,
            quarter=2,
            source_url=str(need.get("url") or "")[:300],
        )
    return plan


@transaction.atomic
def training_plan_item_add(
    *, plan: TrainingPlan, topic: str, course: Course | None = None, quarter: int = 1, actor=None
) -> TrainingPlanItem:
    require_pmo(actor)
    if plan.status == TrainingPlan.Status.APPROVED:
        raise ValidationError(_("The plan is approved."))
    return save(
        TrainingPlanItem(plan=plan, source=TrainingPlanItem.Source.MANUAL),
        actor,
        topic=topic,
        course=course,
        quarter=quarter,
    )


@transaction.atomic
def training_plan_approve(*, plan: TrainingPlan, note: str = "", actor=None) -> TrainingPlan:
    require_pmo(actor)
    if not plan.items.exists():
        raise ValidationError(_("An empty plan cannot be approved."))
    return save(
        plan, actor, status=TrainingPlan.Status.APPROVED, approved_by=user_or_none(actor), note=note
    )
