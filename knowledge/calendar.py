"""Knowledge's dates in a user's calendar: when the archive records they borrowed are
due back (registered in ``knowledge.wiring``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from knowledge.models import Loan
from pmo.core.registry import CalendarEvent


def events(user, start, end):
    """The user's approved or lent loans due between ``start`` and ``end`` (one query)."""
    loans = (
        Loan.objects.filter(
            borrower=user,
            status__in=[Loan.Status.APPROVED, Loan.Status.LENT],
            due_date__range=(start, end),
        )
        .select_related("record")
        .order_by("due_date", "pk")
    )
    for loan in loans:
        yield CalendarEvent(
            uid=f"loan-{loan.pk}@knowledge",
            title=_("Return archive record %(number)s")
            % {"number": loan.record.number or loan.record.title},
            start=loan.due_date,
            url=reverse("knowledge:loan_detail", args=[loan.pk]),
            description="\n".join([loan.record.title, loan.purpose]),
            category=_("Archive loan"),
        )
