"""Talent's part of the monthly PMO operations report: training delivered and the
certificates about to expire (registered in ``talent.wiring``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from pmo.reports.operations import period_bounds
from talent.models import Enrolment, PersonCertificate, TrainingSession

EXPIRY_WINDOW_DAYS = 90


def section(params: dict, language: str) -> dict:
    """Training sessions and hours of the month; certificates expiring in the next 90
    days after it (three queries)."""
    start, end, _lower, _upper = period_bounds(params)
    sessions = TrainingSession.objects.filter(starts_on__gte=start, starts_on__lte=end).aggregate(
        held=Count("pk", filter=Q(status=TrainingSession.Status.HELD)),
        planned=Count("pk", filter=Q(status=TrainingSession.Status.PLANNED)),
    )
    attended = Enrolment.objects.filter(
        session__starts_on__gte=start, session__starts_on__lte=end, attended=True
    ).aggregate(people=Count("person", distinct=True), hours=Sum("hours"))
    expiring = PersonCertificate.objects.filter(
        expires_on__gt=end, expires_on__lte=end + dt.timedelta(days=EXPIRY_WINDOW_DAYS)
    ).count()
    hours = attended["hours"] or Decimal(0)
    return {
        "figures": [
            (
                _("Training hours"),
                f"{hours:,.1f}",
                _("%(people)s people attended") % {"people": attended["people"]},
            ),
            (
                _("Training sessions held"),
                str(sessions["held"]),
                _("%(planned)s still planned") % {"planned": sessions["planned"]},
            ),
            (
                _("Certificates expiring"),
                str(expiring),
                _("in the %(days)s days after the month") % {"days": EXPIRY_WINDOW_DAYS},
            ),
        ],
        "table": None,
    }
