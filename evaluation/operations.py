"""Evaluation's part of the monthly PMO operations report: how far each running cycle
has come (registered in ``evaluation.wiring``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from evaluation.models import Cycle, Evaluation, PanelAssignment
from pmo.reports.operations import period_bounds, rate


def section(params: dict, language: str) -> dict | None:
    """Open cycles and those published in the month, with their progress (two queries)."""
    _start, _end, lower, upper = period_bounds(params)
    cycles = list(
        Cycle.objects.filter(
            Q(status=Cycle.Status.OPEN) | Q(published_at__gte=lower, published_at__lt=upper)
        )
        .annotate(
            total=Count("evaluations", distinct=True),
            self_done=Count(
                "evaluations",
                filter=Q(evaluations__self_submitted_at__isnull=False),
                distinct=True,
            ),
            final=Count(
                "evaluations",
                filter=Q(
                    evaluations__status__in=[
                        Evaluation.Status.FINALISED,
                        Evaluation.Status.PUBLISHED,
                    ]
                ),
                distinct=True,
            ),
        )
        .order_by("self_assessment_due", "pk")
    )
    panel = {
        cycle: (assigned, done)
        for cycle, assigned, done in PanelAssignment.objects.filter(
            evaluation__cycle__in=[c.pk for c in cycles]
        )
        .values_list("evaluation__cycle")
        .annotate(assigned=Count("pk"), done=Count("pk", filter=Q(submitted_at__isnull=False)))
        .values_list("evaluation__cycle", "assigned", "done")
    }
    return {
        "figures": [
            (_("Evaluation cycles running"), str(sum(1 for c in cycles if c.status == "open")), ""),
            (
                _("Self-assessments submitted"),
                rate(sum(c.self_done for c in cycles), sum(c.total for c in cycles)),
                _("across the running cycles"),
            ),
        ],
        "table": {
            "title": _("Progress of the cycles"),
            "headers": [
                _("Cycle"),
                _("Status"),
                _("Projects"),
                _("Self-assessments"),
                _("Expert scores"),
                _("Results final"),
                _("Expert scores due"),
            ],
            "numeric": [2, 3, 4, 5],
            "rows": [
                [
                    c.label,
                    c.get_status_display(),
                    c.total,
                    f"{c.self_done} / {c.total}",
                    "{1} / {0}".format(*panel.get(c.pk, (0, 0))),
                    f"{c.final} / {c.total}",
                    c.review_due.isoformat(),
                ]
                for c in cycles
            ],
            "empty": _("No evaluation cycle is running."),
        },
    }
