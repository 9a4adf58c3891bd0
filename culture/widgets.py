"""Tiles the culture area adds to other pages (registered in ``culture.wiring``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from culture.models import (
    Attendance,
    CampaignRecipient,
    SharingSession,
    Survey,
    SurveyParticipation,
    SurveyRound,
)
from pmo.core import roles
from pmo.core.models import Person


def addressed_to(person_id: int) -> Q:
    """Rounds of surveys for everyone, or for a unit above the person's unit."""
    targets = Survey.target_units.through.objects.filter(survey_id=OuterRef("survey_id"))
    person_under = Person.objects.filter(
        pk=person_id, org_unit__path__startswith=OuterRef("orgunit__path")
    )
    return ~Exists(targets) | Exists(targets.filter(Exists(person_under)))


def my_culture(request, filters: dict) -> str:
    """On "my work": campaigns to acknowledge, open survey rounds not answered yet and
    the sessions the user registered for."""
    pid = roles.person_id_of(request.user)
    today = timezone.localdate()
    context = {"campaigns": [], "rounds": [], "sessions": []}
    if pid is not None:
        context["campaigns"] = list(
            CampaignRecipient.objects.filter(
                person_id=pid, acknowledged_at__isnull=True, campaign__status="launched"
            ).select_related("campaign")[:5]
        )
        answered = SurveyParticipation.objects.filter(person_id=pid).values("round_id")
        context["rounds"] = list(
            SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today)
            .filter(addressed_to(pid))
            .exclude(pk__in=answered)
            .select_related("survey")[:5]
        )
        context["sessions"] = list(
            Attendance.objects.filter(
                person_id=pid, session__starts_at__gte=timezone.now(), session__status="planned"
            ).select_related("session")[:5]
        )
    return render_to_string("culture/widget_my.html", context, request=request)


def upcoming_sessions(request, filters: dict) -> str:
    """On the knowledge home: the next sharing sessions and the latest filed materials."""
    context = {
        "upcoming": list(
            SharingSession.objects.filter(status="planned", starts_at__gte=timezone.now())
            .select_related("speaker")
            .order_by("starts_at")[:5]
        ),
        "materials": list(
            SharingSession.objects.held()
            .filter(materials__isnull=False)
            .select_related("materials")
            .order_by("-starts_at")[:5]
        ),
    }
    return render_to_string("culture/widget_sessions.html", context, request=request)
