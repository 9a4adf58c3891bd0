"""Closeout and value: the checklist with its evidence, goal attainment, lessons learned,
and the PMO's approval that closes the project through the core lifecycle."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery import measures
from delivery.models import Closeout, ClosureItem, ClosureItemTemplate, Dimension, Goal
from delivery.services.common import (
    pmo_users,
    require_manage,
    require_pmo,
    set_history_user,
    user_of,
    user_or_none,
)
from knowledge.models import Lesson
from pmo.core import services as core
from pmo.core.documents import check_evidence
from pmo.core.models import Stage

DEFAULT_ITEMS = (
    ("deliverables", "交付物已全部验收", "All deliverables accepted", True),
    ("contracts", "合同已关闭、款项已结清", "Contracts closed and paid", True),
    ("documents", "项目文档已归档", "Project documents archived", True),
    ("resources", "项目资源已释放", "Resources released", False),
    ("lessons", "经验教训已总结", "Lessons learned captured", False),
)


def checklist_templates(project_type) -> list[ClosureItemTemplate]:
    """The items of a project type's checklist: its own, plus those for every type."""
    return list(
        ClosureItemTemplate.objects.filter(Q(project_type=project_type) | Q(project_type=None))
    )


@transaction.atomic
def closeout_start(*, project, actor) -> Closeout:
    """Open the closeout: the checklist of the project type, and the project to closing."""
    require_manage(actor, project)
    if hasattr(project, "closeout"):
        return project.closeout
    if project.stage not in (Stage.ACTIVE, Stage.CLOSING):
        raise ValidationError(_("Only an active project is closed out."))
    closeout = Closeout(project=project)
    closeout.full_clean()
    set_history_user(closeout, actor)
    closeout.save()
    templates = checklist_templates(project.project_type_id)
    rows = [
        ClosureItem(
            closeout=closeout,
            code=t.code,
            name=t.name,
            name_en=t.name_en,
            evidence_required=t.evidence_required,
            sort_order=t.sort_order,
        )
        for t in templates
    ]
    if not rows:
        rows = [
            ClosureItem(
                closeout=closeout,
                code=code,
                name=name,
                name_en=name_en,
                evidence_required=evidence,
                sort_order=i,
            )
            for i, (code, name, name_en, evidence) in enumerate(DEFAULT_ITEMS)
        ]
    seen, unique_rows = set(), []
    for row in rows:
        if row.code not in seen:
            seen.add(row.code)
            unique_rows.append(row)
    ClosureItem.objects.bulk_create(unique_rows)
    if project.stage == Stage.ACTIVE:
        core.project_stage_change(
            project=project, to_stage=Stage.CLOSING, actor=actor, reason=_("Closeout started.")
        )
    return closeout


def _require_open(closeout: Closeout) -> None:
    if closeout.status in (Closeout.Status.SUBMITTED, Closeout.Status.APPROVED):
        raise ValidationError(_("The closeout is with the PMO; it cannot change now."))


@transaction.atomic
def closure_item_update(
    *, item: ClosureItem, actor, done: bool, evidence_note: str = "", upload=None
) -> ClosureItem:
    """Tick an item off with its evidence (a note, a file or both)."""
    closeout = item.closeout
    require_manage(actor, closeout.project)
    _require_open(closeout)
    item.evidence_note = evidence_note.strip()[:300]
    if upload is not None:
        checked = check_evidence(upload)
        if item.evidence_file:
            old = item.evidence_file.name
            storage = item.evidence_file.storage
            transaction.on_commit(lambda: storage.delete(old))
        item.evidence_file.save(checked.name, checked.content(), save=False)
        item.evidence_name = checked.name
    if done and item.evidence_required and not item.has_evidence:
        raise ValidationError({"evidence_note": _("This item needs evidence: a note or a file.")})
    item.done = done
    item.done_by = user_or_none(actor) if done else None
    item.done_at = timezone.now() if done else None
    item.full_clean()
    set_history_user(item, actor)
    item.save()
    return item


@transaction.atomic
def goal_actual_record(
    *,
    goal: Goal,
    actor,
    actual_value,
    actual_note: str = "",
    benefit_review_date: dt.date | None = None,
) -> Goal:
    """Record what a goal reached; its attainment and the overall attainment follow."""
    require_manage(actor, goal.project)
    closeout = Closeout.objects.filter(project=goal.project).first()
    if closeout is not None:
        _require_open(closeout)
    goal.actual_value = actual_value
    goal.actual_note = actual_note.strip()[:300]
    goal.benefit_review_date = benefit_review_date
    goal.attainment = None
    if actual_value is not None:
        goal.attainment = measures.attainment(
            target=goal.target_value,
            actual=actual_value,
            baseline=goal.baseline_value,
            increase=goal.direction == Goal.Direction.INCREASE,
        )
    goal.full_clean()
    set_history_user(goal, actor)
    goal.save()
    if closeout is not None:
        closeout.overall_attainment = measures.overall_attainment(
            Goal.objects.filter(project=goal.project).values_list("attainment", flat=True)
        )
        closeout.save(update_fields=["overall_attainment"])
    return goal


@transaction.atomic
def closeout_save(
    *,
    closeout: Closeout,
    actor,
    summary: str,
    improvements: str = "",
    benefits_review_date: dt.date | None = None,
) -> Closeout:
    require_manage(actor, closeout.project)
    _require_open(closeout)
    closeout.summary, closeout.improvements = summary.strip(), improvements.strip()
    closeout.benefits_review_date = benefits_review_date
    closeout.full_clean()
    set_history_user(closeout, actor)
    closeout.save(update_fields=["summary", "improvements", "benefits_review_date"])
    return closeout


def closeout_problems(closeout: Closeout) -> list[str]:
    """What still keeps the closeout from going to the PMO."""
    problems = []
    for item in closeout.items.all():
        if not item.done:
            problems.append(_("Checklist: %(item)s is not done.") % {"item": item.label})
        elif item.evidence_required and not item.has_evidence:
            problems.append(_("Checklist: %(item)s has no evidence.") % {"item": item.label})
    for goal in Goal.objects.filter(project=closeout.project):
        later = goal.dimension == Dimension.BENEFITS and goal.benefit_review_date
        if goal.actual_value is None and not later:
            problems.append(
                _("Goal %(goal)s has no actual value (or benefit review date).")
                % {"goal": goal.title}
            )
    if not Lesson.objects.filter(project=closeout.project).exists():
        problems.append(_("No lessons learned have been captured."))
    if not closeout.summary.strip():
        problems.append(_("Describe the final result."))
    return problems


@transaction.atomic
def closeout_submit(*, closeout: Closeout, actor) -> Closeout:
    """Hand the complete closeout to the PMO for approval."""
    require_manage(actor, closeout.project)
    _require_open(closeout)
    problems = closeout_problems(closeout)
    if problems:
        raise ValidationError(problems)
    closeout.status = Closeout.Status.SUBMITTED
    closeout.submitted_by, closeout.submitted_at = user_or_none(actor), timezone.now()
    set_history_user(closeout, actor)
    closeout.save(update_fields=["status", "submitted_by", "submitted_at"])
    core.notification_send(
        recipients=pmo_users(),
        title=_("Closeout of %(code)s awaits approval") % {"code": closeout.project.code},
        url=reverse("core:project_detail", args=[closeout.project_id]) + "?tab=closeout",
        level="action",
    )
    return closeout


@transaction.atomic
def closeout_decide(*, closeout: Closeout, actor, approve: bool, note: str = "") -> Closeout:
    """The PMO approves the closeout, which closes the project, or returns it for rework."""
    require_pmo(actor)
    closeout = Closeout.objects.select_for_update().select_related("project").get(pk=closeout.pk)
    if closeout.status != Closeout.Status.SUBMITTED:
        raise ValidationError(_("This closeout is not waiting for a decision."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say what must be reworked.")})
    closeout.status = Closeout.Status.APPROVED if approve else Closeout.Status.RETURNED
    closeout.decided_by, closeout.decided_at = user_or_none(actor), timezone.now()
    closeout.decision_note = note.strip()[:300]
    set_history_user(closeout, actor)
    closeout.save()
    project = closeout.project
    if approve:
        if project.stage == Stage.ACTIVE:
            project = core.project_stage_change(
                project=project, to_stage=Stage.CLOSING, actor=actor, reason=note
            )
        core.project_stage_change(
            project=project,
            to_stage=Stage.CLOSED,
            actor=actor,
            reason=note or _("Closeout approved."),
        )
        core.project_summary_update(project=project, percent_complete=100)
    core.notification_send(
        recipients=[user_of(project.manager), closeout.submitted_by],
        title=_("Closeout of %(code)s: %(status)s")
        % {"code": project.code, "status": closeout.get_status_display()},
        body=closeout.decision_note,
        url=reverse("core:project_detail", args=[project.pk]) + "?tab=closeout",
    )
    return closeout


# --- the checklist per project type (PMO) ----------------------------------------------------

TEMPLATE_FIELDS = ("project_type", "code", "name", "name_en", "evidence_required", "sort_order")


@transaction.atomic
def closure_template_save(
    *, actor, template: ClosureItemTemplate | None = None, **fields
) -> ClosureItemTemplate:
    """Add or change an item of the closure checklist of a project type (or of all)."""
    require_pmo(actor)
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown checklist fields: {sorted(unknown)}")
    template = template or ClosureItemTemplate()
    for key, value in fields.items():
        setattr(template, key, value)
    template.full_clean(validate_unique=False)
    clash = ClosureItemTemplate.objects.filter(
        project_type=template.project_type, code=template.code
    ).exclude(pk=template.pk)
    if clash.exists():
        raise ValidationError({"code": _("This code is already on that checklist.")})
    set_history_user(template, actor)
    template.save()
    return template


@transaction.atomic
def closure_template_delete(*, actor, template: ClosureItemTemplate) -> None:
    """Take an item off a checklist; closeouts already started keep their copy."""
    require_pmo(actor)
    set_history_user(template, actor)
    template.delete()
