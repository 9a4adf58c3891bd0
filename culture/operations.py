"""Culture's part of the monthly PMO operations report: participation in sharing
sessions, campaigns and surveys (registered in ``culture.wiring``)."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from culture.models import Attendance, CampaignRecipient, SharingSession, SurveyResponse
from pmo.reports.operations import period_bounds, rate


def section(params: dict, language: str) -> dict:
    """Sessions held and attended, campaign acknowledgements and survey answers of the
    month (four queries)."""
    start, end, lower, upper = period_bounds(params)
    held = SharingSession.objects.filter(
        status=SharingSession.Status.HELD, starts_at__gte=lower, starts_at__lt=upper
    ).count()
    attendance = Attendance.objects.filter(
        session__starts_at__gte=lower, session__starts_at__lt=upper, attended=True
    ).aggregate(n=Count("pk"), rating=Avg("rating"))
    reached = CampaignRecipient.objects.filter(
        campaign__launched_at__gte=lower, campaign__launched_at__lt=upper
    ).aggregate(n=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))
    answers = SurveyResponse.objects.filter(answered_on__gte=start, answered_on__lte=end).count()
    return {
        "figures": [
            (
                _("Sharing sessions held"),
                str(held),
                _("%(n)s attendances, average rating %(rating)s")
                % {
                    "n": attendance["n"],
                    "rating": "—"
                    if attendance["rating"] is None
                    else f"{attendance['rating']:.1f}",
                },
            ),
            (
                _("Campaign acknowledgement"),
                rate(reached["acknowledged"], reached["n"]),
                _("of %(n)s people reached by campaigns launched in the month")
                % {"n": reached["n"]},
            ),
            (_("Survey answers"), str(answers), ""),
        ],
        "table": None,
    }
