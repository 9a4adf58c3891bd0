"""Decision support's part of the monthly PMO operations report: feasibility studies
submitted, in expert review and decided (registered in ``decisions.wiring``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from decisions.models import Decision, Study
from pmo.reports.operations import period_bounds

LIMIT = 20


def section(params: dict, language: str) -> dict:
    """Studies submitted, under review and decided in the month (three queries)."""
    start, end, lower, upper = period_bounds(params)
    studies = Study.objects.aggregate(
        submitted=Count("pk", filter=Q(submitted_at__gte=lower, submitted_at__lt=upper)),
        in_review=Count("pk", filter=Q(status=Study.Status.IN_REVIEW)),
    )
    decisions = list(
        Decision.objects.filter(meeting_date__gte=start, meeting_date__lte=end)
        .select_related("study__project")
        .order_by("meeting_date", "pk")
    )
    approved = sum(
        1
        for d in decisions
        if d.outcome in (Decision.Outcome.APPROVE, Decision.Outcome.APPROVE_WITH_CONDITIONS)
    )
    return {
        "figures": [
            (
                _("Feasibility studies decided"),
                str(len(decisions)),
                _("%(n)s approved") % {"n": approved},
            ),
            (_("Studies submitted"), str(studies["submitted"]), ""),
            (_("Studies in expert review"), str(studies["in_review"]), _("now")),
        ],
        "table": {
            "title": _("Decisions of the month"),
            "headers": [_("Meeting date"), _("Project"), _("Meeting"), _("Decision")],
            "numeric": [],
            "rows": [
                [
                    d.meeting_date.isoformat(),
                    f"{d.study.project.code} {d.study.project.label}",
                    d.meeting,
                    d.get_outcome_display(),
                ]
                for d in decisions[:LIMIT]
            ],
            "empty": _("No feasibility study was decided in the month."),
        },
    }
