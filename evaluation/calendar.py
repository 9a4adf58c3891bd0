"""Evaluation's dates in a user's calendar: the self-assessments a project manager owes
and the expert scores a reviewer owes, on their cycle's deadlines (registered in
``evaluation.wiring``)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from evaluation.models import Cycle, Evaluation, PanelAssignment
from pmo.core import roles
from pmo.core.registry import CalendarEvent

LIVE = (Cycle.Status.OPEN, Cycle.Status.PUBLISHED)


def events(user, start, end):
    """Self-assessment and expert-score deadlines between ``start`` and ``end`` (two
    queries)."""
    pid = roles.person_id_of(user)
    if pid is not None:
        own = (
            Evaluation.objects.filter(
                Q(manager_id=pid) | Q(project__manager_id=pid),
                cycle__status__in=LIVE,
                cycle__self_assessment_due__range=(start, end),
            )
            .select_related("cycle", "project")
            .order_by("cycle__self_assessment_due", "pk")
        )
        for e in own:
            state = _("Submitted") if e.self_submitted_at else _("Not submitted yet")
            yield CalendarEvent(
                uid=f"evaluation-self-{e.pk}@evaluation",
                title=_("Self-assessment due: %(code)s") % {"code": e.project.code},
                start=e.cycle.self_assessment_due,
                url=e.get_absolute_url(),
                description="\n".join([e.cycle.label, e.project.label, state]),
                category=_("Evaluation deadline"),
            )
    panel = (
        PanelAssignment.objects.filter(
            reviewer=user,
            evaluation__cycle__status__in=LIVE,
            evaluation__cycle__review_due__range=(start, end),
        )
        .select_related("evaluation__cycle", "evaluation__project")
        .order_by("evaluation__cycle__review_due", "pk")
    )
    for a in panel:
        e = a.evaluation
        state = _("Submitted") if a.submitted_at else _("Not submitted yet")
        yield CalendarEvent(
            uid=f"evaluation-review-{a.pk}@evaluation",
            title=_("Expert scores due: %(code)s") % {"code": e.project.code},
            start=e.cycle.review_due,
            url=e.get_absolute_url(),
            description="\n".join([e.cycle.label, e.project.label, state]),
            category=_("Evaluation deadline"),
        )
