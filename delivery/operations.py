"""Delivery's part of the monthly PMO operations report: status timeliness, overdue
reports, escalations and their response times, gates decided (registered in
``delivery.wiring``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery import selectors
from delivery.models import Gate, Issue, StatusReport
from pmo.reports.operations import period_bounds, rate

GATE_LIMIT = 20


def _hours(value) -> str:
    return "—" if value is None else f"{value:.1f} h"


def section(params: dict, language: str) -> dict:
    """The month's reporting discipline, escalations and gate decisions (six queries)."""
    start, end, lower, upper = period_bounds(params)
    today = timezone.localdate()
    reports = StatusReport.objects.filter(due_date__gte=start, due_date__lte=end).aggregate(
        due=Count("pk"),
        submitted_on_time=Count("pk", filter=Q(status=StatusReport.Status.SUBMITTED, on_time=True)),
        submitted_late=Count("pk", filter=Q(status=StatusReport.Status.SUBMITTED, on_time=False)),
    )
    overdue = StatusReport.objects.filter(
        status=StatusReport.Status.DRAFT, due_date__lt=min(today, end)
    ).count()
    escalated = Issue.objects.filter(pmo_escalated_at__gte=lower, pmo_escalated_at__lt=upper)
    kpis = selectors.response_kpis(escalated)
    late = selectors.escalations_past_target(Issue.objects.all())
    gates = list(
        Gate.objects.filter(decided_at__gte=lower, decided_at__lt=upper)
        .select_related("project")
        .order_by("decided_at", "pk")
    )
    passed = sum(1 for g in gates if g.is_passed)
    return {
        "figures": [
            (
                _("Status reports submitted on time"),
                rate(reports["submitted_on_time"], reports["due"]),
                _("%(on_time)s of %(due)s due in the month; %(late)s late")
                % {
                    "on_time": reports["submitted_on_time"],
                    "due": reports["due"],
                    "late": reports["submitted_late"],
                },
            ),
            (_("Status reports overdue"), str(overdue), _("drafts past their due date")),
            (
                _("Issues escalated to the PMO"),
                str(kpis["escalated"]),
                _("median time to the PMO's first action: %(hours)s")
                % {"hours": _hours(kpis["pmo_response"])},
            ),
            (
                _("Escalations past their response target"),
                str(len(late)),
                _("open now, the current level has not acted in time"),
            ),
            (
                _("Gates decided"),
                str(len(gates)),
                _("%(passed)s passed, %(failed)s failed")
                % {"passed": passed, "failed": len(gates) - passed},
            ),
        ],
        "table": {
            "title": _("Gates decided in the month"),
            "headers": [_("Decided"), _("Project"), _("Gate"), _("Outcome")],
            "numeric": [],
            "rows": [
                [
                    timezone.localtime(g.decided_at).date().isoformat(),
                    g.project.code,
                    g.name,
                    g.get_status_display(),
                ]
                for g in gates[:GATE_LIMIT]
            ],
            "empty": _("No gate was decided in the month."),
        },
    }
