"""The talent pool, valid certificates and attended training hours (the public API)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum

from talent.models import Enrolment, PersonCertificate, TalentProfile


def pm_pool(*, on: dt.date) -> set[int]:
    """Person ids of the project managers in the talent pool on ``on``."""
    return set(TalentProfile.objects.in_pool(on).values_list("person_id", flat=True))


def certificate_holders(*, on: dt.date, codes: Iterable[str] | None = None) -> dict[int, set[str]]:
    """Valid certificate codes per person id on ``on``."""
    qs = PersonCertificate.objects.valid_on(on)
    if codes is not None:
        qs = qs.filter(certification__code__in=list(codes))
    found: dict[int, set[str]] = defaultdict(set)
    for person_id, code in qs.values_list("person_id", "certification__code"):
        found[person_id].add(code)
    return dict(found)


def training_hours(
    *, start: dt.date, end: dt.date, category: str | None = None
) -> dict[int, Decimal]:
    """Attended training hours per person id for sessions that ended in ``start..end``."""
    qs = Enrolment.objects.attended_between(start, end)
    if category:
        qs = qs.filter(session__course__category=category)
    rows = qs.values("person_id").annotate(total=Sum("hours")).order_by()
    return {r["person_id"]: r["total"] or Decimal(0) for r in rows}
