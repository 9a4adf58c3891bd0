"""Issues, risks and change requests: raising, acting, escalating up the ladder (PM → PMO
→ sponsor → executive) against response-time targets, change decisions, and the PMO's
interventions (督导) with their follow-up."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Intervention, Issue, IssueAction, Level, ResponseTarget, Severity
from delivery.services.common import (
    executive_users,
    pmo_users,
    require_manage,
    require_pmo,
    set_history_user,
    user_of,
    user_or_none,
)
from pmo.core import roles
from pmo.core.services import notification_send

ISSUE_FIELDS = (
    "kind",
    "title",
    "description",
    "severity",
    "probability",
    "owner",
    "due_date",
    "cost_impact",
    "schedule_impact_days",
)
INTERVENTION_FIELDS = ("kind", "finding", "actions", "follow_up_date", "follow_up_owner")
DEFAULT_TARGET_HOURS = {
    Severity.CRITICAL: 24,
    Severity.HIGH: 72,
    Severity.MEDIUM: 120,
    Severity.LOW: 240,
}


def response_targets() -> dict[str, int]:
    """Hours per severity that each level has to act, the configured ones over defaults."""
    targets = dict(DEFAULT_TARGET_HOURS)
    targets.update(ResponseTarget.objects.values_list("severity", "response_hours"))
    return {str(k): v for k, v in targets.items()}


@transaction.atomic
def response_target_set(*, actor, severity: str, response_hours: int) -> ResponseTarget:
    require_pmo(actor)
    target = ResponseTarget.objects.filter(severity=severity).first() or ResponseTarget(
        severity=severity
    )
    target.response_hours = response_hours
    target.full_clean(validate_unique=False)
    set_history_user(target, actor)
    target.save()
    return target


def level_deadline(issue: Issue, targets: dict[str, int] | None = None) -> dt.datetime:
    """When the current level must have acted before the issue goes up."""
    targets = targets or response_targets()
    return issue.level_since + dt.timedelta(hours=targets.get(issue.severity, 120))


def acts_at_level(user, issue: Issue, level: int) -> bool:
    """Whether a user is the party the ladder expects to act at ``level``."""
    if level == Level.PMO:
        return roles.is_pmo(user)
    if level == Level.EXECUTIVE:
        return roles.is_executive(user)
    pid = roles.person_id_of(user)
    if level == Level.SPONSOR:
        return pid is not None and pid == issue.project.sponsor_id
    return pid is not None and pid == issue.project.manager_id


def _recipients(issue: Issue, level: int) -> list:
    project = issue.project
    if level == Level.PMO:
        return pmo_users()
    if level == Level.SPONSOR:
        return [user_of(project.sponsor)]
    if level == Level.EXECUTIVE:
        return executive_users()
    return [user_of(project.manager)]


def issue_url(issue: Issue) -> str:
    return reverse("delivery:issue_detail", args=[issue.pk])


@transaction.atomic
def issue_raise(*, project, actor, **fields) -> Issue:
    """Record an issue, risk or change request at the project manager's level."""
    unknown = set(fields) - set(ISSUE_FIELDS)
    if unknown:
        raise TypeError(f"unknown issue fields: {sorted(unknown)}")
    require_manage(actor, project)
    now = timezone.now()
    issue = Issue(
        project=project, raised_by=user_or_none(actor), raised_at=now, level_since=now, **fields
    )
    if issue.kind == Issue.Kind.CHANGE:
        issue.decision = Issue.Decision.PENDING
    if issue.kind != Issue.Kind.RISK:
        issue.probability = ""
    issue.full_clean()
    set_history_user(issue, actor)
    issue.save()
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, actor, **fields) -> Issue:
    """Correct what an issue says; its ladder, timings and decision have services of their own."""
    unknown = set(fields) - set(ISSUE_FIELDS) - {"status"}
    if unknown:
        raise TypeError(f"unknown issue fields: {sorted(unknown)}")
    require_manage(actor, issue.project)
    if "kind" in fields and fields["kind"] != issue.kind:
        raise ValidationError({"kind": _("The kind of an issue cannot change; raise a new one.")})
    for key, value in fields.items():
        setattr(issue, key, value)
    if issue.kind != Issue.Kind.RISK:
        issue.probability = ""
    issue.full_clean()
    set_history_user(issue, actor)
    issue.save()
    return issue


def _record_action(issue: Issue, actor, kind: str, text: str, to_level=None, at=None):
    """Add an action and stamp the response times it answers."""
    at = at or timezone.now()
    action = IssueAction(
        issue=issue,
        kind=kind,
        text=text.strip(),
        actor=user_or_none(actor),
        to_level=to_level,
        created_at=at,
    )
    action.full_clean()
    action.save()
    responding = kind != IssueAction.Kind.ESCALATION and actor is not None
    if responding:
        if issue.first_response_at is None and actor.pk != issue.raised_by_id:
            issue.first_response_at = at
        if issue.level_response_at is None and acts_at_level(actor, issue, issue.level):
            issue.level_response_at = at
        if (
            issue.pmo_escalated_at is not None
            and issue.pmo_response_at is None
            and roles.is_pmo(actor)
        ):
            issue.pmo_response_at = at
        if issue.status == Issue.Status.OPEN:
            issue.status = Issue.Status.IN_PROGRESS
    return action


def may_act(actor, issue: Issue) -> bool:
    """The PMO and the project manager always; the sponsor and executives once the issue
    has reached them."""
    if actor is None or roles.is_pmo(actor) or acts_at_level(actor, issue, Level.MANAGER):
        return True
    return any(acts_at_level(actor, issue, lvl) for lvl in range(Level.SPONSOR, issue.level + 1))


@transaction.atomic
def issue_act(*, issue: Issue, actor, text: str, kind: str = IssueAction.Kind.ACTION) -> Issue:
    """Record an action or comment; the first one measures the response time."""
    if kind not in (IssueAction.Kind.ACTION, IssueAction.Kind.COMMENT):
        raise ValidationError(_("Use the dedicated step for escalations and decisions."))
    if not may_act(actor, issue):
        raise PermissionDenied(_("You are not the one this issue waits for."))
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    if not issue.is_open:
        raise ValidationError(_("This issue is resolved."))
    _record_action(issue, actor, kind, text)
    set_history_user(issue, actor)
    issue.save()
    return issue


@transaction.atomic
def issue_escalate(
    *, issue: Issue, actor, text: str, auto: bool = False, at: dt.datetime | None = None
) -> Issue:
    """Move an open issue one level up the ladder and notify that level.

    The project manager escalates to the PMO; higher steps are the PMO's (or the
    automatic escalation when a level misses its response target).
    """
    if not issue.is_open:
        raise ValidationError(_("A resolved issue is not escalated."))
    if issue.level >= Level.EXECUTIVE:
        raise ValidationError(_("The issue is already with the executives."))
    if not auto:
        if issue.level == Level.MANAGER:
            require_manage(actor, issue.project)
        else:
            require_pmo(actor)
    if not text.strip():
        raise ValidationError({"text": _("Say why the issue is escalated.")})
    now = at or timezone.now()
    issue.level = issue.level + 1
    issue.level_since, issue.level_response_at = now, None
    if issue.level == Level.PMO and issue.pmo_escalated_at is None:
        issue.pmo_escalated_at = now
    _record_action(issue, actor, IssueAction.Kind.ESCALATION, text, to_level=issue.level, at=now)
    set_history_user(issue, actor)
    issue.save()
    notification_send(
        recipients=_recipients(issue, issue.level),
        title=_("Escalated to %(level)s: %(code)s %(title)s")
        % {
            "level": Level(issue.level).label,
            "code": issue.project.code,
            "title": issue.title,
        },
        body=text.strip(),
        url=issue_url(issue),
        level="action",
        email=True,
        event="escalation_overdue" if auto else "escalation_raised",
    )
    return issue


@transaction.atomic
def issue_resolve(*, issue: Issue, actor, resolution: str) -> Issue:
    """Close an issue with how it was resolved."""
    if not may_act(actor, issue):
        raise PermissionDenied(_("You are not the one this issue waits for."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the issue was resolved.")})
    if not issue.is_open:
        raise ValidationError(_("This issue is resolved."))
    if issue.kind == Issue.Kind.CHANGE and issue.decision == Issue.Decision.PENDING:
        raise ValidationError(_("A change request is closed by its decision."))
    _record_action(issue, actor, IssueAction.Kind.RESOLUTION, resolution)
    issue.status, issue.resolution = Issue.Status.RESOLVED, resolution.strip()
    issue.resolved_at = timezone.now()
    set_history_user(issue, actor)
    issue.save()
    return issue


@transaction.atomic
def change_decide(*, issue: Issue, actor, approve: bool, note: str = "") -> Issue:
    """The PMO approves or rejects a change request."""
    require_pmo(actor)
    if issue.kind != Issue.Kind.CHANGE:
        raise ValidationError(_("Only change requests are decided."))
    if issue.decision != Issue.Decision.PENDING:
        raise ValidationError(_("This change request has been decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the change is rejected.")})
    now = timezone.now()
    issue.decision = Issue.Decision.APPROVED if approve else Issue.Decision.REJECTED
    issue.decided_by, issue.decided_at, issue.decision_note = actor, now, note.strip()[:300]
    _record_action(issue, actor, IssueAction.Kind.DECISION, issue.get_decision_display(), at=now)
    issue.status, issue.resolved_at = Issue.Status.RESOLVED, now
    issue.resolution = note.strip() or issue.get_decision_display()
    set_history_user(issue, actor)
    issue.save()
    notification_send(
        recipients=[issue.raised_by, user_of(issue.project.manager)],
        title=_("Change request %(title)s: %(decision)s")
        % {"title": issue.title, "decision": issue.get_decision_display()},
        url=issue_url(issue),
    )
    return issue


def issues_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every open issue whose level has not acted within its response target."""
    now = now or timezone.now()
    targets = response_targets()
    count = 0
    candidates = Issue.objects.filter(
        status__in=[Issue.Status.OPEN, Issue.Status.IN_PROGRESS],
        level__lt=Level.EXECUTIVE,
        level_response_at__isnull=True,
    ).select_related("project", "project__sponsor__user", "project__manager__user")
    for issue in candidates:
        if level_deadline(issue, targets) > now:
            continue
        hours = targets.get(issue.severity, 120)
        issue_escalate(
            issue=issue,
            actor=None,
            auto=True,
            at=now,
            text=_("No action within the %(hours)d-hour response target.") % {"hours": hours},
        )
        count += 1
    return count


# --- interventions (督导) ---------------------------------------------------------------------


@transaction.atomic
def intervention_record(*, project, actor, issue: Issue | None = None, **fields) -> Intervention:
    """The PMO records an intervention with the actions it requires and a follow-up date."""
    unknown = set(fields) - set(INTERVENTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown intervention fields: {sorted(unknown)}")
    require_pmo(actor)
    if issue is not None and issue.project_id != project.pk:
        raise ValidationError({"issue": _("Choose an issue of this project.")})
    now = timezone.now()
    intervention = Intervention(
        project=project, issue=issue, recorded_by=user_or_none(actor), recorded_at=now, **fields
    )
    intervention.full_clean()
    set_history_user(intervention, actor)
    intervention.save()
    if issue is not None and issue.is_open:
        _record_action(issue, actor, IssueAction.Kind.INTERVENTION, intervention.actions, at=now)
        set_history_user(issue, actor)
        issue.save()
    notification_send(
        recipients=[user_of(project.manager), user_of(intervention.follow_up_owner)],
        title=_("PMO intervention in %(code)s: follow-up on %(date)s")
        % {"code": project.code, "date": intervention.follow_up_date.isoformat()},
        body=intervention.actions,
        url=reverse("delivery:intervention_detail", args=[intervention.pk]),
        level="action",
    )
    return intervention


@transaction.atomic
def intervention_close(
    *, intervention: Intervention, actor, outcome: str, effective: bool
) -> Intervention:
    """The PMO closes the follow-up, recording the outcome and whether it worked."""
    require_pmo(actor)
    if intervention.status == Intervention.Status.CLOSED:
        raise ValidationError(_("This follow-up is closed."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Record the outcome of the follow-up.")})
    intervention.status = Intervention.Status.CLOSED
    intervention.outcome, intervention.effective = outcome.strip(), effective
    intervention.closed_by, intervention.closed_at = user_or_none(actor), timezone.now()
    intervention.full_clean()
    set_history_user(intervention, actor)
    intervention.save()
    return intervention
