"""Standards' part of the monthly PMO operations report: compliance with the
methodologies and the change requests to them (registered in ``standards.wiring``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from pmo.core.formatting import percent
from pmo.core.models import Project
from pmo.reports.operations import period_bounds
from standards.models import ChangeRequest
from standards.selectors.compliance import compliance_overview

UNIT_LIMIT = 15


def _rate(value) -> str:
    """A rate already in per cent (the compliance rules count that way)."""
    return "—" if value is None else percent(value)


def section(params: dict, language: str) -> dict:
    """Compliance today and change requests of the month (a fixed number of queries)."""
    _start, end, lower, upper = period_bounds(params)
    overview = compliance_overview(Project.objects.all(), end)
    requests = ChangeRequest.objects.aggregate(
        raised=Count("pk", filter=Q(raised_at__gte=lower, raised_at__lt=upper)),
        triaged=Count("pk", filter=Q(triaged_at__gte=lower, triaged_at__lt=upper)),
        waiting=Count("pk", filter=Q(status=ChangeRequest.Status.SUBMITTED)),
    )
    return {
        "figures": [
            (
                _("Compliance with the methodologies"),
                _rate(overview.tally.rate),
                _("required deliverables present or tailored, of those due"),
            ),
            (
                _("Projects with a methodology"),
                f"{overview.assigned} / {overview.in_scope}",
                _rate(overview.coverage),
            ),
            (_("Change requests raised"), str(requests["raised"]), ""),
            (_("Change requests triaged"), str(requests["triaged"]), ""),
            (_("Change requests awaiting triage"), str(requests["waiting"]), _("now")),
        ],
        "table": {
            "title": _("Compliance by unit"),
            "headers": [_("Unit"), _("Projects"), _("Compliance")],
            "numeric": [1, 2],
            "rows": [
                [row.label, row.projects, _rate(row.rate)]
                for row in sorted(overview.by_unit, key=lambda r: (r.rate is None, r.rate or 0))[
                    :UNIT_LIMIT
                ]
            ],
            "empty": _("No project has a methodology yet."),
        },
    }
