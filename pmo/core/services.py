"""Every write to the core model goes through these functions.

They are keyword-only, validate with ``full_clean()``, run in a transaction and
return the object. Duty apps call them (e.g. ``project_summary_update``) instead of
writing core rows themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.models import (
    Channel,
    Delivery,
    EventRoute,
    Health,
    Notification,
    NotificationPreference,
    OrgUnit,
    Person,
    Project,
    ProjectMember,
    ResourceDemand,
    Role,
    SecurityEvent,
    Stage,
    StageChange,
    UserPreference,
)

PROJECT_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "project_type",
    "org_unit",
    "sponsor",
    "manager",
    "program",
    "is_program",
    "classification",
    "planned_start",
    "planned_finish",
    "budget",
)

# Who may make each lifecycle move: "manage" = the project's manager or the PMO,
# "pmo" = PMO only, "approve" = PMO or an executive.
MANAGE, PMO, APPROVE = "manage", "pmo", "approve"
TRANSITIONS: dict[str, dict[str, str]] = {
    Stage.IDEA: {Stage.PROPOSED: MANAGE, Stage.CANCELLED: MANAGE},
    Stage.PROPOSED: {
        Stage.UNDER_REVIEW: PMO,
        Stage.IDEA: MANAGE,
        Stage.REJECTED: APPROVE,
        Stage.CANCELLED: MANAGE,
    },
    # Whoever may approve may also send a proposal back for revision.
    Stage.UNDER_REVIEW: {
        Stage.APPROVED: APPROVE,
        Stage.REJECTED: APPROVE,
        Stage.PROPOSED: APPROVE,
    },
    Stage.APPROVED: {Stage.ACTIVE: MANAGE, Stage.ON_HOLD: PMO, Stage.CANCELLED: APPROVE},
    Stage.ACTIVE: {Stage.CLOSING: MANAGE, Stage.ON_HOLD: PMO, Stage.CANCELLED: APPROVE},
    Stage.ON_HOLD: {Stage.ACTIVE: PMO, Stage.APPROVED: PMO, Stage.CANCELLED: APPROVE},
    Stage.CLOSING: {Stage.CLOSED: PMO, Stage.ACTIVE: PMO},
    Stage.CLOSED: {},
    Stage.REJECTED: {Stage.IDEA: MANAGE},
    Stage.CANCELLED: {},
}
REASON_REQUIRED = frozenset({Stage.REJECTED, Stage.CANCELLED, Stage.ON_HOLD})


def user_or_none(actor):
    """The actor if it is a signed-in user, else ``None`` (system jobs, anonymous)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def set_history_user(obj, actor) -> None:
    """Name the actor on the simple-history record the next save of ``obj`` writes.

    Every app's services call this before saving, so the audit trail names who acted."""
    if user_or_none(actor) is not None:
        obj._history_user = actor


def _may(actor, project: Project, who: str) -> bool:
    if actor is None:  # system jobs (imports run by a PMO user pass the actor)
        return True
    if roles.is_pmo(actor):
        return True
    if who == APPROVE:
        return roles.is_executive(actor)
    if who == MANAGE:
        pid = roles.person_id_of(actor)
        return pid is not None and project.manager_id == pid
    return False


# --- organisation -----------------------------------------------------------------


def _unit_path(unit: OrgUnit) -> tuple[str, int]:
    if unit.parent_id is None:
        return f"/{unit.pk}/", 0
    parent = OrgUnit.objects.only("path", "depth").get(pk=unit.parent_id)
    if parent.path.find(f"/{unit.pk}/") >= 0:
        raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
    return f"{parent.path}{unit.pk}/", parent.depth + 1


@transaction.atomic
def orgunit_save(
    *,
    code: str,
    name: str,
    name_en: str = "",
    kind: str = OrgUnit.Kind.DEPARTMENT,
    parent: OrgUnit | None = None,
    head: Person | None = None,
    sort_order: int = 0,
    unit: OrgUnit | None = None,
    actor=None,
) -> OrgUnit:
    """Create or update a unit and keep the tree paths of its subtree right."""
    unit = unit or OrgUnit()
    old_path = unit.path
    unit.code, unit.name, unit.name_en, unit.kind = code, name, name_en, kind
    unit.parent, unit.head, unit.sort_order = parent, head, sort_order
    unit.path = unit.path or "/"
    unit.full_clean(exclude=["path"])
    set_history_user(unit, actor)
    unit.save()
    unit.path, unit.depth = _unit_path(unit)
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    if old_path and old_path != unit.path:
        for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            new_path = unit.path + child.path[len(old_path) :]
            OrgUnit.objects.filter(pk=child.pk).update(path=new_path, depth=new_path.count("/") - 2)
    return unit


# --- people -------------------------------------------------------------------------


@transaction.atomic
def person_save(*, person: Person | None = None, actor=None, **fields) -> Person:
    """Create or update a person (fields as on the model)."""
    person = person or Person()
    for key, value in fields.items():
        setattr(person, key, value)
    person.full_clean()
    set_history_user(person, actor)
    person.save()
    return person


@transaction.atomic
def role_save(*, code: str, name: str, name_en: str = "", role: Role | None = None) -> Role:
    role = role or Role()
    role.code, role.name, role.name_en = code, name, name_en
    role.full_clean()
    role.save()
    return role


# --- projects -----------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor, **fields) -> Project:
    """Create a project (stage idea unless given) and record its manager and sponsor."""
    unknown = set(fields) - set(PROJECT_FIELDS) - {"stage"}
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    project = Project(**fields)
    project.full_clean()
    set_history_user(project, actor)
    project.save()
    _sync_key_members(project)
    return project


@transaction.atomic
def project_update(*, project: Project, actor, **fields) -> Project:
    """Change a project's master data; the stage and summary have services of their own."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(project, key, value)
    project.full_clean()
    set_history_user(project, actor)
    project.save()
    _sync_key_members(project)
    return project


def _sync_key_members(project: Project) -> None:
    """Keep a member row for the manager and the sponsor so both see the project."""
    for person_id, role in (
        (project.manager_id, ProjectMember.ProjectRole.MANAGER),
        (project.sponsor_id, ProjectMember.ProjectRole.SPONSOR),
    ):
        stale = ProjectMember.objects.filter(project=project, project_role=role)
        if person_id:
            stale = stale.exclude(person_id=person_id)
            ProjectMember.objects.get_or_create(
                project=project,
                person_id=person_id,
                project_role=role,
                defaults={"allocation_percent": 50 if role == "manager" else 5},
            )
        stale.delete()


def project_key_members_sync(*, projects: Iterable[Project], actor=None) -> None:
    """``_sync_key_members`` for many projects at once (a bulk import): a few queries in all.

    Every project gets a member row for its manager and its sponsor; rows of those two
    project roles naming someone else are removed.
    """
    from simple_history.utils import bulk_create_with_history

    roles_of = (ProjectMember.ProjectRole.MANAGER, ProjectMember.ProjectRole.SPONSOR)
    wanted: dict[tuple[int, str], int] = {}
    for project in projects:
        for person_id, role in zip((project.manager_id, project.sponsor_id), roles_of, strict=True):
            if person_id:
                wanted[(project.pk, role)] = person_id
    project_ids = {project.pk for project in projects}
    present: set[tuple[int, str, int]] = set()
    stale: list[int] = []
    members = ProjectMember.objects.filter(
        project_id__in=project_ids, project_role__in=roles_of
    ).values_list("pk", "project_id", "project_role", "person_id")
    for pk, project_id, role, person_id in members:
        if wanted.get((project_id, role)) == person_id:
            present.add((project_id, role, person_id))
        else:
            stale.append(pk)
    if stale:
        ProjectMember.objects.filter(pk__in=stale).delete()
    new = [
        ProjectMember(
            project_id=project_id,
            person_id=person_id,
            project_role=role,
            allocation_percent=50 if role == ProjectMember.ProjectRole.MANAGER else 5,
        )
        for (project_id, role), person_id in wanted.items()
        if (project_id, role, person_id) not in present
    ]
    bulk_create_with_history(new, ProjectMember, batch_size=1000, default_user=user_or_none(actor))


def allowed_transitions(*, project: Project, actor) -> list[str]:
    """The stages this actor may move the project to now."""
    return [
        stage
        for stage, who in TRANSITIONS.get(project.stage, {}).items()
        if _may(actor, project, who)
    ]


@transaction.atomic
def project_stage_change(*, project: Project, to_stage: str, actor, reason: str = "") -> Project:
    """Move a project through its lifecycle along an allowed transition."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    who = TRANSITIONS.get(project.stage, {}).get(to_stage)
    if who is None:
        raise ValidationError(
            _("A project cannot move from %(from)s to %(to)s.")
            % {"from": project.get_stage_display(), "to": Stage(to_stage).label}
        )
    if not _may(actor, project, who):
        raise PermissionDenied(_("You may not make this lifecycle change."))
    if to_stage in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for this change.")})
    today = timezone.localdate()
    if to_stage == Stage.ACTIVE and project.actual_start is None:
        project.actual_start = today
    if to_stage == Stage.CLOSED and project.actual_finish is None:
        project.actual_finish = today
    StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=to_stage,
        reason=reason.strip(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    project.stage = to_stage
    set_history_user(project, actor)
    project._change_reason = reason.strip()[:100]
    project.save()
    return project


@transaction.atomic
def project_summary_update(
    *,
    project: Project,
    health: str | None = None,
    percent_complete: Decimal | float | None = None,
    spend_to_date: Decimal | float | None = None,
    forecast_cost: Decimal | float | None = None,
    last_status_date: dt.date | None = None,
    note: str | None = None,
    spi: Decimal | float | None = None,
    cpi: Decimal | float | None = None,
    evaluation_grade: str | None = None,
    evaluation_score: Decimal | float | None = None,
) -> Project:
    """Write the project summary; the owning duty app calls this after its own writes.

    ``None`` leaves a field as it is; SPI and CPI are written only when given. Evaluation
    writes the grade and score (0–100) of a project's latest published evaluation.
    """
    changes: dict[str, object] = {}
    if health is not None:
        if health not in Health.values:
            raise ValidationError({"health": _("Unknown health value.")})
        changes["health"] = health
    if percent_complete is not None:
        value = Decimal(str(percent_complete))
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError({"percent_complete": _("Percent complete must be 0–100.")})
        changes["percent_complete"] = value
    if spend_to_date is not None:
        changes["spend_to_date"] = Decimal(str(spend_to_date))
    if forecast_cost is not None:
        changes["forecast_cost"] = Decimal(str(forecast_cost))
    if last_status_date is not None:
        changes["last_status_date"] = last_status_date
    if note is not None:
        changes["summary_note"] = note[:300]
    for key, index in (("spi", spi), ("cpi", cpi)):
        if index is not None:
            value = Decimal(str(index)).quantize(Decimal("0.001"))
            if not Decimal(0) <= value < Decimal(1000):
                raise ValidationError({key: _("A performance index must be 0 or more.")})
            changes[key] = value
    if evaluation_grade is not None:
        changes["evaluation_grade"] = evaluation_grade[:40]
    if evaluation_score is not None:
        value = Decimal(str(evaluation_score)).quantize(Decimal("0.1"))
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError({"evaluation_score": _("An evaluation score must be 0–100.")})
        changes["evaluation_score"] = value
    if changes:
        for key, value in changes.items():
            setattr(project, key, value)
        project.save(update_fields=[*changes, "updated_at"])
    return project


@transaction.atomic
def project_member_add(
    *,
    project: Project,
    person: Person,
    project_role: str = ProjectMember.ProjectRole.MEMBER,
    allocation_percent: int = 100,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actor=None,
) -> ProjectMember:
    """Add a person to a project (or update their allocation in that role)."""
    member = ProjectMember.objects.filter(
        project=project, person=person, project_role=project_role
    ).first() or ProjectMember(project=project, person=person, project_role=project_role)
    member.allocation_percent, member.start, member.end = allocation_percent, start, end
    member.full_clean(validate_unique=False)
    set_history_user(member, actor)
    member.save()
    return member


@transaction.atomic
def project_member_remove(*, member: ProjectMember, actor=None) -> None:
    """Remove a membership; the manager and sponsor rows follow the project fields."""
    if member.project_role in (
        ProjectMember.ProjectRole.MANAGER,
        ProjectMember.ProjectRole.SPONSOR,
    ):
        raise ValidationError(
            _("Change the project's manager or sponsor on the project form instead.")
        )
    set_history_user(member, actor)
    member.delete()


@transaction.atomic
def resource_demand_set(
    *,
    project: Project,
    role: Role,
    month: dt.date,
    hours: Decimal | float,
    source: str = ResourceDemand.Source.MANUAL,
    note: str = "",
    actor=None,
) -> ResourceDemand:
    """Set the hours of a role in a month for one source (upsert)."""
    month = month.replace(day=1)
    demand = ResourceDemand.objects.filter(
        project=project, role=role, month=month, source=source
    ).first() or ResourceDemand(project=project, role=role, month=month, source=source)
    demand.hours, demand.note = Decimal(str(hours)), note
    demand.full_clean(validate_unique=False)
    set_history_user(demand, actor)
    demand.save()
    return demand


@transaction.atomic
def resource_demand_replace(
    *, project: Project, source: str, rows: Iterable[tuple[Role, dt.date, Decimal]], actor=None
) -> int:
    """Replace all demand of one source for a project (a plan or business case re-issued)."""
    ResourceDemand.objects.filter(project=project, source=source).delete()
    count = 0
    for role, month, hours in rows:
        resource_demand_set(
            project=project, role=role, month=month, hours=hours, source=source, actor=actor
        )
        count += 1
    return count


@transaction.atomic
def resource_demand_delete(*, demand: ResourceDemand, actor=None) -> None:
    set_history_user(demand, actor)
    demand.delete()


# --- users, notifications, security events ---------------------------------------------


def user_language_set(*, user, language: str) -> UserPreference:
    """Remember the user's interface language."""
    pref, _created = UserPreference.objects.get_or_create(user=user)
    pref.language = language
    pref.full_clean()
    pref.save()
    return pref


def notification_send(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
    email: bool = False,
    event: str = "",
) -> list[Notification]:
    """Notify users in the app, and by e-mail when asked (sent after commit).

    With ``event`` (the code of a registered ``EventKind``) each recipient's preference
    for that kind decides instead of ``email``: in the app only, e-mail at once, or the
    daily digest; and the event is posted once to every chat channel the PMO routed the
    kind to, whatever the number of recipients.
    """
    from pmo.core import notify

    users = list({u.pk: u for u in recipients if u is not None}.values())
    if event:
        deliveries = notify.deliveries_for([u.pk for u in users], event)
    else:
        plain = Delivery.INSTANT if email else Delivery.APP
        deliveries = {u.pk: plain for u in users}
    notes = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                title=title[:200],
                body=body,
                url=url,
                level=level,
                event=event,
                delivery=deliveries[user.pk],
            )
            for user in users
        ]
    )
    instant = [n.pk for n in notes if n.delivery == Delivery.INSTANT]
    if instant:
        from pmo.core import queue
        from pmo.core.tasks import notification_email

        # With the broker down the notifications stay un-e-mailed and the queue sweeper
        # sends them when it is back.
        for pk in instant:
            queue.enqueue(notification_email, pk)
    if event:
        notify.channel_posts_create(
            event=event, title=title, body=body, url=url, recipients=len(notes)
        )
    return notes


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def security_event_record(
    *, kind: str, user=None, username: str = "", request=None, success: bool = True, detail=""
) -> SecurityEvent:
    """Append a security event; there is no service to change or delete one."""
    ip, path, agent = None, "", ""
    if request is not None:
        from pmo.core.auth.lockout import client_ip

        # Behind trusted proxies (PMO_PROXY_COUNT) the address they saw, as for lockouts.
        ip = client_ip(request) or None
        # The path without its query string, which may carry tokens.
        path = str(getattr(request, "path", ""))[:300]
        agent = str(request.META.get("HTTP_USER_AGENT", ""))[:200]
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=ip,
        success=success,
        detail=str(detail)[:500],
        path=path,
        user_agent=agent,
    )


# --- chat channels, event routes, notification preferences ------------------------------

CHANNEL_FIELDS = ("name", "kind", "webhook_url", "secret", "is_active")


def channel_create(
    *, user, name: str, kind: str, webhook_url: str, secret: str = "", is_active: bool = True
) -> Channel:
    """Add a chat-robot channel; its address must be on the platform's hosts."""
    channel = Channel(
        name=name,
        kind=kind,
        webhook_url=webhook_url,
        secret=secret,
        is_active=is_active,
        created_by=user,
    )
    channel.full_clean()
    with transaction.atomic():
        channel.save()
    return channel


def channel_update(*, channel: Channel, keep_secret: bool = True, **fields) -> Channel:
    """Change a channel; a blank ``secret`` keeps the stored one unless ``keep_secret``
    is False (pages never show the secret, so a blank field means "unchanged")."""
    unknown = set(fields) - set(CHANNEL_FIELDS)
    if unknown:
        raise TypeError(f"unknown channel fields: {sorted(unknown)}")
    if keep_secret and not fields.get("secret"):
        fields.pop("secret", None)
    for name, value in fields.items():
        setattr(channel, name, value)
    channel.full_clean()
    with transaction.atomic():
        channel.save()
    return channel


def channel_deactivate(*, channel: Channel) -> Channel:
    """Stop posting to a channel; its routes and history stay."""
    channel.is_active = False
    with transaction.atomic():
        channel.save(update_fields=["is_active", "updated_at"])
    return channel


def channel_activate(*, channel: Channel) -> Channel:
    """Post to a channel again (its address is checked anew)."""
    channel.is_active = True
    channel.full_clean()
    with transaction.atomic():
        channel.save(update_fields=["is_active", "updated_at"])
    return channel


def event_routes_set(*, event: str, channels: Iterable[Channel]) -> list[EventRoute]:
    """Route one kind of event to exactly these channels."""
    from pmo.core.registry import registry

    if event not in registry.event_kinds:
        raise ValidationError(_("Unknown kind of event."))
    wanted = {c.pk: c for c in channels}
    with transaction.atomic():
        for route in EventRoute.objects.filter(event=event).exclude(channel_id__in=list(wanted)):
            route.delete()
        have = set(EventRoute.objects.filter(event=event).values_list("channel_id", flat=True))
        for pk, channel in wanted.items():
            if pk not in have:
                EventRoute.objects.create(event=event, channel=channel)
    return list(EventRoute.objects.filter(event=event).select_related("channel"))


def notification_preferences_set(*, user, choices: dict[str, str]) -> int:
    """Save how ``user`` wants each kind of event; a choice equal to the kind's default
    is stored too, so a later change of the default does not change it. Returns the
    number of kinds saved."""
    from pmo.core.registry import registry

    for code, delivery in choices.items():
        if code not in registry.event_kinds:
            raise ValidationError(_("Unknown kind of event."))
        if delivery not in Delivery.values:
            raise ValidationError(_("Choose how this kind of notification reaches you."))
    with transaction.atomic():
        for code, delivery in choices.items():
            NotificationPreference.objects.update_or_create(
                user=user, event=code, defaults={"delivery": delivery}
            )
    return len(choices)
