"""Resource adjustments: a project asks for a person or a role's hours; the PMO decides,
and an approval writes the memberships and the resource demand through the core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import ResourceRequest
from delivery.services.common import (
    pmo_users,
    require_manage,
    require_pmo,
    set_history_user,
    user_of,
    user_or_none,
)
from pmo.core import services as core
from pmo.core.models import ProjectMember, ResourceDemand

REQUEST_FIELDS = (
    "kind",
    "person",
    "from_project",
    "role",
    "allocation_percent",
    "monthly_hours",
    "start",
    "end",
    "reason",
)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from ``start``'s to ``end``'s, inclusive."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _validate(request: ResourceRequest) -> None:
    errors = {}
    if request.kind == ResourceRequest.Kind.MOVE:
        if request.person is None:
            errors["person"] = _("Choose the person to move.")
        if request.from_project is None:
            errors["from_project"] = _("Choose the project the person comes from.")
        elif request.from_project_id == request.project_id:
            errors["from_project"] = _("A person is moved from another project.")
        elif (
            request.person is not None
            and not ProjectMember.objects.filter(
                project=request.from_project,
                person=request.person,
                project_role=ProjectMember.ProjectRole.MEMBER,
            ).exists()
        ):
            errors["person"] = _("The person is not a team member of that project.")
    elif request.from_project is not None:
        errors["from_project"] = _("Only a move names the project a person comes from.")
    if len(months_between(request.start, request.end)) > 36:
        errors["end"] = _("Ask for at most three years at a time.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def resource_request_create(*, project, actor, **fields) -> ResourceRequest:
    """The project manager asks the PMO for people or hours."""
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown request fields: {sorted(unknown)}")
    require_manage(actor, project)
    request = ResourceRequest(
        project=project, requested_by=user_or_none(actor), requested_at=timezone.now(), **fields
    )
    request.full_clean()
    _validate(request)
    set_history_user(request, actor)
    request.save()
    core.notification_send(
        recipients=pmo_users(),
        title=_("%(code)s asks for resources: %(role)s, %(hours)s h/month")
        % {"code": project.code, "role": request.role.label, "hours": request.monthly_hours},
        body=request.reason,
        url=reverse("delivery:resource_requests"),
        level="action",
    )
    return request


def _add_demand(project, role, months, hours: Decimal, actor) -> None:
    existing = {
        d.month: d
        for d in ResourceDemand.objects.filter(
            project=project, role=role, month__in=months, source=ResourceDemand.Source.PLAN
        )
    }
    for month in months:
        current = existing[month].hours if month in existing else Decimal(0)
        core.resource_demand_set(
            project=project,
            role=role,
            month=month,
            hours=max(current + hours, Decimal(0)),
            source=ResourceDemand.Source.PLAN,
            note=_("Resource adjustment"),
            actor=actor,
        )


@transaction.atomic
def resource_request_decide(
    *, request: ResourceRequest, actor, approve: bool, note: str = ""
) -> ResourceRequest:
    """The PMO approves (memberships and demand are updated at once) or rejects a request."""
    require_pmo(actor)
    request = ResourceRequest.objects.select_for_update().get(pk=request.pk)
    if request.is_decided:
        raise ValidationError(_("This request has been decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the request is rejected.")})
    if approve:
        _validate(request)
        months = months_between(request.start, request.end)
        if request.person is not None:
            core.project_member_add(
                project=request.project,
                person=request.person,
                allocation_percent=request.allocation_percent,
                start=request.start,
                end=request.end,
                actor=actor,
            )
        if request.kind == ResourceRequest.Kind.MOVE:
            member = ProjectMember.objects.get(
                project=request.from_project,
                person=request.person,
                project_role=ProjectMember.ProjectRole.MEMBER,
            )
            core.project_member_remove(member=member, actor=actor)
            _add_demand(request.from_project, request.role, months, -request.monthly_hours, actor)
        _add_demand(request.project, request.role, months, request.monthly_hours, actor)
    request.status = ResourceRequest.Status.APPROVED if approve else ResourceRequest.Status.REJECTED
    request.decided_by, request.decided_at = user_or_none(actor), timezone.now()
    request.decision_note = note.strip()[:300]
    set_history_user(request, actor)
    request.save()
    core.notification_send(
        recipients=[request.requested_by, user_of(request.project.manager)],
        title=_("Resource request of %(code)s: %(status)s")
        % {"code": request.project.code, "status": request.get_status_display()},
        body=request.decision_note,
        url=reverse("delivery:resource_requests"),
    )
    return request
