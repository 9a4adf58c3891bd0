"""Goals and responsibilities: frameworks, SMART goals, the RACI matrix, the responsibility
agreement and its sign-offs, and the communication log."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import (
    STEP_ORDER,
    AgreementSignoff,
    CommunicationLog,
    Goal,
    GoalFramework,
    GoalFrameworkItem,
    RaciActivity,
    RaciAssignment,
    ResponsibilityAgreement,
)
from delivery.services.common import (
    pmo_users,
    require_manage,
    require_pmo,
    set_history_user,
    user_of,
    user_or_none,
)
from pmo.core import roles
from pmo.core.services import notification_send

GOAL_FIELDS = (
    "dimension",
    "title",
    "kpi",
    "unit",
    "baseline_value",
    "target_value",
    "direction",
    "due_date",
    "measurement",
    "owner",
    "sort_order",
    "benefit_review_date",
)


# --- the goal-setting framework ---------------------------------------------------------


def framework_for(project_type) -> GoalFramework | None:
    """The framework of a project type, else the one for all types (or None)."""
    frameworks = GoalFramework.objects.prefetch_related("items").filter(
        project_type__in=[project_type] if project_type else []
    )
    found = next(iter(frameworks), None)
    if found is None:
        found = GoalFramework.objects.prefetch_related("items").filter(project_type=None).first()
    return found


@transaction.atomic
def framework_save(*, actor, project_type, process: str, items: list[dict]) -> GoalFramework:
    """Create or replace the framework of a project type (None: the default for all)."""
    require_pmo(actor)
    framework = GoalFramework.objects.filter(project_type=project_type).first()
    framework = framework or GoalFramework(project_type=project_type)
    framework.process = process
    framework.full_clean(validate_unique=False)
    set_history_user(framework, actor)
    framework.save()
    framework.items.all().delete()
    seen = set()
    for item in items:
        row = GoalFrameworkItem(framework=framework, **item)
        if row.dimension in seen:
            raise ValidationError(_("Each goal dimension appears once in a framework."))
        seen.add(row.dimension)
        row.full_clean(exclude=["framework"], validate_unique=False)
        row.save()
    return framework


def framework_gaps(project, goals=None) -> list[str]:
    """Labels of the required goal dimensions the project has no goal for."""
    framework = framework_for(project.project_type)
    if framework is None:
        return []
    goals = goals if goals is not None else list(Goal.objects.filter(project=project))
    have = {g.dimension for g in goals}
    return [
        str(item.get_dimension_display())
        for item in framework.items.all()
        if item.required and item.dimension not in have
    ]


# --- goals ---------------------------------------------------------------------------


def _check_smart(goal: Goal) -> None:
    errors = {}
    if goal.baseline_value is not None and goal.baseline_value == goal.target_value:
        errors["target_value"] = _("The target must differ from the baseline.")
    if (
        goal.baseline_value is not None
        and goal.direction == Goal.Direction.INCREASE
        and goal.target_value < goal.baseline_value
    ):
        errors["direction"] = _("The target is below the baseline; choose “Lower is better”.")
    if (
        goal.baseline_value is not None
        and goal.direction == Goal.Direction.DECREASE
        and goal.target_value > goal.baseline_value
    ):
        errors["direction"] = _("The target is above the baseline; choose “Higher is better”.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_save(*, project, actor, goal: Goal | None = None, **fields) -> Goal:
    """Create or change a SMART goal; a signed agreement is then re-issued for signing."""
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")
    require_manage(actor, project)
    goal = goal or Goal(project=project)
    if goal.project_id != project.pk:
        raise PermissionDenied
    for key, value in fields.items():
        setattr(goal, key, value)
    goal.full_clean()
    _check_smart(goal)
    set_history_user(goal, actor)
    goal.save()
    agreement_follow_change(project=project, actor=actor)
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, actor) -> None:
    project = goal.project
    require_manage(actor, project)
    set_history_user(goal, actor)
    goal.delete()
    agreement_follow_change(project=project, actor=actor)


# --- RACI ------------------------------------------------------------------------------


@transaction.atomic
def raci_activity_add(*, project, actor, name: str) -> RaciActivity:
    require_manage(actor, project)
    last = RaciActivity.objects.filter(project=project).order_by("-sort_order").first()
    activity = RaciActivity(
        project=project, name=name.strip(), sort_order=(last.sort_order + 1) if last else 1
    )
    activity.full_clean()
    set_history_user(activity, actor)
    activity.save()
    agreement_follow_change(project=project, actor=actor)
    return activity


@transaction.atomic
def raci_activity_delete(*, activity: RaciActivity, actor) -> None:
    project = activity.project
    require_manage(actor, project)
    set_history_user(activity, actor)
    activity.delete()
    agreement_follow_change(project=project, actor=actor)


def raci_problems(activities, assignments) -> dict[int, str]:
    """Activity id → what is wrong with it: every activity needs exactly one Accountable."""
    accountable = defaultdict(int)
    for a in assignments:
        if a.letter == RaciAssignment.Letter.ACCOUNTABLE:
            accountable[a.activity_id] += 1
    problems = {}
    for activity in activities:
        count = accountable.get(activity.pk, 0)
        if count == 0:
            problems[activity.pk] = _("No one is Accountable.")
        elif count > 1:
            problems[activity.pk] = _("%(count)d people are Accountable; one must be.") % {
                "count": count
            }
    return problems


@transaction.atomic
def raci_matrix_save(*, project, actor, cells: dict[int, dict[int, str]]) -> int:
    """Replace the RACI matrix: ``cells[activity_id][person_id] = "R" | "A" | "C" | "I"``.

    Every activity of the project must end up with exactly one Accountable, or nothing
    is written. Returns the number of assignments.
    """
    require_manage(actor, project)
    activities = list(RaciActivity.objects.filter(project=project))
    known = {a.pk for a in activities}
    if set(cells) - known:
        raise ValidationError(_("The matrix names an activity of another project."))
    rows = []
    for activity_id, people in cells.items():
        for person_id, letter in people.items():
            if not letter:
                continue
            if letter not in RaciAssignment.Letter.values:
                raise ValidationError(_("Use R, A, C or I."))
            rows.append(RaciAssignment(activity_id=activity_id, person_id=person_id, letter=letter))
    problems = raci_problems(activities, rows)
    if problems:
        names = {a.pk: a.name for a in activities}
        raise ValidationError(
            [
                _("%(activity)s: %(problem)s") % {"activity": names[pk], "problem": text}
                for pk, text in problems.items()
            ]
        )
    RaciAssignment.objects.filter(activity__project=project).delete()
    RaciAssignment.objects.bulk_create(rows)
    agreement_follow_change(project=project, actor=actor)
    return len(rows)


# --- the responsibility agreement ---------------------------------------------------------


def _person(person) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "name_en": person.name_en}


def agreement_snapshot(project) -> dict:
    """The goals and the RACI matrix as they stand, in the form an agreement freezes."""
    goals = Goal.objects.filter(project=project).select_related("owner")
    activities = list(RaciActivity.objects.filter(project=project))
    assignments = RaciAssignment.objects.filter(activity__project=project).select_related("person")
    people: dict[int, dict] = {}
    cells: dict[int, dict[str, str]] = defaultdict(dict)
    for a in assignments.order_by("person__name", "pk"):
        people.setdefault(a.person_id, _person(a.person))
        cells[a.activity_id][str(a.person_id)] = a.letter
    return {
        "goals": [
            {
                "dimension": g.dimension,
                "title": g.title,
                "kpi": g.kpi,
                "unit": g.unit,
                "baseline": None if g.baseline_value is None else str(g.baseline_value),
                "target": str(g.target_value),
                "direction": g.direction,
                "due_date": g.due_date.isoformat(),
                "measurement": g.measurement,
                "owner": _person(g.owner),
            }
            for g in goals
        ],
        "people": list(people.values()),
        "activities": [{"name": a.name, "cells": cells.get(a.pk, {})} for a in activities],
    }


def snapshot_hash(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def agreement_problems(project, snapshot: dict | None = None) -> list[str]:
    """What keeps the goals and RACI from being issued for signing."""
    snapshot = snapshot or agreement_snapshot(project)
    problems = []
    if not snapshot["goals"]:
        problems.append(_("The project has no goals yet."))
    gaps = framework_gaps(project, [Goal(dimension=g["dimension"]) for g in snapshot["goals"]])
    if gaps:
        problems.append(
            _("The framework requires goals for: %(dimensions)s.") % {"dimensions": "、".join(gaps)}
        )
    if not snapshot["activities"]:
        problems.append(_("The RACI matrix has no key activities yet."))
    for activity in snapshot["activities"]:
        accountable = sum(1 for letter in activity["cells"].values() if letter == "A")
        if accountable != 1:
            problems.append(
                _("%(activity)s needs exactly one Accountable.") % {"activity": activity["name"]}
            )
    if project.manager_id is None or project.sponsor_id is None:
        problems.append(_("The project needs a manager and a sponsor to sign."))
    return problems


def latest_agreement(project) -> ResponsibilityAgreement | None:
    return (
        ResponsibilityAgreement.objects.filter(project=project)
        .prefetch_related("signoffs")
        .order_by("-version")
        .first()
    )


def _supersede(agreement: ResponsibilityAgreement, actor) -> None:
    agreement.status = ResponsibilityAgreement.Status.SUPERSEDED
    agreement.superseded_at = timezone.now()
    set_history_user(agreement, actor)
    agreement.save(update_fields=["status", "superseded_at"])


def _notify_signer(agreement: ResponsibilityAgreement) -> None:
    step = next_signoff_step(agreement)
    if step is None:
        return
    project = agreement.project
    if step == AgreementSignoff.Step.MANAGER:
        recipients = [user_of(project.manager)]
    elif step == AgreementSignoff.Step.SPONSOR:
        recipients = [user_of(project.sponsor)]
    else:
        recipients = pmo_users()
    notification_send(
        recipients=recipients,
        title=_("Responsibility agreement v%(version)d of %(code)s awaits your signature")
        % {"version": agreement.version, "code": project.code},
        url=reverse("delivery:agreement_detail", args=[agreement.pk]),
        level="action",
    )


@transaction.atomic
def agreement_issue(*, project, actor, change_note: str = "") -> ResponsibilityAgreement:
    """Freeze the goals and RACI as a new agreement version and start the sign-off."""
    require_manage(actor, project)
    snapshot = agreement_snapshot(project)
    problems = agreement_problems(project, snapshot)
    if problems:
        raise ValidationError(problems)
    latest = latest_agreement(project)
    digest = snapshot_hash(snapshot)
    if latest is not None and latest.status != "superseded" and latest.content_hash == digest:
        raise ValidationError(
            _("Version %(version)d already holds these goals and this RACI.")
            % {"version": latest.version}
        )
    if latest is not None and latest.status != "superseded":
        _supersede(latest, actor)
    agreement = ResponsibilityAgreement(
        project=project,
        version=(latest.version + 1) if latest else 1,
        snapshot=snapshot,
        content_hash=digest,
        change_note=change_note.strip()[:300],
        issued_by=user_or_none(actor),
        issued_at=timezone.now(),
    )
    agreement.full_clean()
    set_history_user(agreement, actor)
    agreement.save()
    _notify_signer(agreement)
    return agreement


def agreement_follow_change(*, project, actor) -> ResponsibilityAgreement | None:
    """Called after goals or RACI change: an issued agreement no longer says what is agreed.

    Before anyone signed, the version in signing takes the new content. After a
    signature, a new version is issued for signing again (when the content is
    complete; otherwise the old one is only superseded).
    """
    latest = latest_agreement(project)
    if latest is None or latest.status == ResponsibilityAgreement.Status.SUPERSEDED:
        return None
    snapshot = agreement_snapshot(project)
    digest = snapshot_hash(snapshot)
    if digest == latest.content_hash:
        return latest
    complete = not agreement_problems(project, snapshot)
    unsigned = latest.status == "signing" and not latest.signoffs.all()
    if unsigned and complete:
        latest.snapshot, latest.content_hash = snapshot, digest
        set_history_user(latest, actor)
        latest.save(update_fields=["snapshot", "content_hash"])
        return latest
    _supersede(latest, actor)
    if not complete:
        return None
    agreement = ResponsibilityAgreement.objects.create(
        project=project,
        version=latest.version + 1,
        snapshot=snapshot,
        content_hash=digest,
        change_note=_("Goals or RACI changed after version %(version)d was issued.")
        % {"version": latest.version},
        issued_by=user_or_none(actor),
        issued_at=timezone.now(),
    )
    _notify_signer(agreement)
    return agreement


def next_signoff_step(agreement: ResponsibilityAgreement) -> str | None:
    """The step that signs next (PM, then sponsor, then PMO), or None when done."""
    if agreement.status != ResponsibilityAgreement.Status.SIGNING:
        return None
    done = {s.step for s in agreement.signoffs.all()}
    return next((step for step in STEP_ORDER if step not in done), None)


def signer_allowed(user, project, step: str) -> bool:
    """May this user sign as ``step`` for the project?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if step == AgreementSignoff.Step.PMO:
        return roles.is_pmo(user)
    pid = roles.person_id_of(user)
    if step == AgreementSignoff.Step.MANAGER:
        return pid is not None and pid == project.manager_id
    return pid is not None and pid == project.sponsor_id


@transaction.atomic
def agreement_sign(*, agreement: ResponsibilityAgreement, actor, comment: str = ""):
    """Sign the next step of an agreement in turn; the last signature completes it."""
    agreement = (
        ResponsibilityAgreement.objects.select_for_update()
        .select_related("project")
        .get(pk=agreement.pk)
    )
    step = next_signoff_step(agreement)
    if step is None:
        raise ValidationError(_("This version is not waiting for a signature."))
    if not signer_allowed(actor, agreement.project, step):
        raise PermissionDenied(_("It is not your turn to sign this agreement."))
    person = getattr(actor, "person", None)
    signoff = AgreementSignoff(
        agreement=agreement,
        step=step,
        signer=actor,
        signer_name=person.name if person else actor.get_username(),
        signed_at=timezone.now(),
        comment=comment.strip()[:300],
    )
    signoff.full_clean()
    signoff.save()
    agreement = ResponsibilityAgreement.objects.prefetch_related("signoffs").get(pk=agreement.pk)
    if next_signoff_step(agreement) is None:
        agreement.status = ResponsibilityAgreement.Status.SIGNED
        agreement.signed_at = signoff.signed_at
        set_history_user(agreement, actor)
        agreement.save(update_fields=["status", "signed_at"])
        manager = user_of(agreement.project.manager)
        notification_send(
            recipients=[manager],
            title=_("Responsibility agreement v%(version)d of %(code)s is signed")
            % {"version": agreement.version, "code": agreement.project.code},
            url=reverse("delivery:agreement_detail", args=[agreement.pk]),
        )
    else:
        _notify_signer(agreement)
    return agreement


# --- communication log ------------------------------------------------------------------


@transaction.atomic
def communication_record(*, project, actor, **fields) -> CommunicationLog:
    """Record a meeting, workshop, call … about the goals and what came out of it."""
    require_manage(actor, project)
    entry = CommunicationLog(project=project, recorded_by=user_or_none(actor), **fields)
    if entry.agreement_id and entry.agreement.project_id != project.pk:
        raise ValidationError({"agreement": _("Choose a version of this project's agreement.")})
    entry.full_clean()
    set_history_user(entry, actor)
    entry.save()
    return entry
