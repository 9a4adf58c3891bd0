"""Knowledge's part of the monthly PMO operations report: curation throughput and archive
loans (registered in ``knowledge.wiring``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import Case, CurationStatus, Lesson, Loan
from pmo.reports.operations import period_bounds

WAITING = ("submitted", "reviewed")


def section(params: dict, language: str) -> dict:
    """Lessons and cases captured, published and waiting; loans of the month (three
    queries)."""
    _start, end, lower, upper = period_bounds(params)
    today = timezone.localdate()
    in_month = {"created_at__gte": lower, "created_at__lt": upper}
    published = Q(published_at__gte=lower, published_at__lt=upper)
    lessons = Lesson.objects.aggregate(
        captured=Count("pk", filter=Q(**in_month)),
        published=Count("pk", filter=published),
        waiting=Count("pk", filter=Q(status__in=WAITING)),
    )
    cases = Case.objects.aggregate(
        captured=Count("pk", filter=Q(**in_month)),
        published=Count("pk", filter=published & Q(status=CurationStatus.PUBLISHED)),
        waiting=Count("pk", filter=Q(status__in=WAITING)),
    )
    loans = Loan.objects.aggregate(
        requested=Count("pk", filter=Q(**in_month)),
        lent=Count("pk", filter=Q(lent_at__gte=lower, lent_at__lt=upper)),
        returned=Count("pk", filter=Q(returned_at__gte=lower, returned_at__lt=upper)),
        overdue=Count("pk", filter=Q(status=Loan.Status.LENT, due_date__lt=min(today, end))),
    )
    return {
        "figures": [
            (
                _("Lessons and cases published"),
                str(lessons["published"] + cases["published"]),
                _("%(captured)s captured in the month")
                % {"captured": lessons["captured"] + cases["captured"]},
            ),
            (
                _("Curation queue"),
                str(lessons["waiting"] + cases["waiting"]),
                _("lessons and cases awaiting curation now"),
            ),
            (
                _("Archive loans"),
                str(loans["lent"]),
                _("%(requested)s requested, %(returned)s returned in the month")
                % {"requested": loans["requested"], "returned": loans["returned"]},
            ),
            (_("Loans overdue"), str(loans["overdue"]), _("lent and past their due date")),
        ],
        "table": None,
    }
