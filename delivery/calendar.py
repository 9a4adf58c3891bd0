"""Delivery's dates in a user's calendar: milestones and gate reviews of the projects
the user works on (registered in ``delivery.wiring``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from delivery.models import Gate, Milestone
from pmo.core.calendar import involved_projects
from pmo.core.registry import CalendarEvent


def _project_url(project, tab: str) -> str:
    return f"{reverse('core:project_detail', args=[project.pk])}?tab={tab}"


def events(user, start, end):
    """Milestones and gates planned between ``start`` and ``end`` (two queries)."""
    projects = involved_projects(user).values("pk")
    milestones = (
        Milestone.objects.filter(project__in=projects, planned_date__range=(start, end))
        .select_related("project")
        .order_by("planned_date", "pk")
    )
    for m in milestones:
        state = (
            _("reached on %(date)s") % {"date": m.actual_date.isoformat()} if m.actual_date else ""
        )
        yield CalendarEvent(
            uid=f"milestone-{m.pk}@delivery",
            title=_("Milestone: %(name)s (%(code)s)") % {"name": m.name, "code": m.project.code},
            start=m.planned_date,
            url=_project_url(m.project, "plan"),
            description="\n".join(filter(None, [m.project.label, state])),
            category=_("Milestone"),
        )
    gates = (
        Gate.objects.filter(project__in=projects, planned_date__range=(start, end))
        .select_related("project")
        .order_by("planned_date", "pk")
    )
    for g in gates:
        yield CalendarEvent(
            uid=f"gate-{g.pk}@delivery",
            title=_("Gate review: %(name)s (%(code)s)") % {"name": g.name, "code": g.project.code},
            start=g.planned_date,
            url=reverse("delivery:gate_detail", args=[g.pk]),
            description="\n".join([g.project.label, g.get_status_display()]),
            category=_("Gate review"),
        )
