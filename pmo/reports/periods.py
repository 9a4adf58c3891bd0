"""Reporting periods: the day, ISO week, month or quarter a report covers.

Pure date arithmetic with no Django import, so that the archive, the subscriptions and
the tests agree on what "the current period" is.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
FREQUENCIES = (DAILY, WEEKLY, MONTHLY, QUARTERLY)
# The months a quarter starts in, as cron writes them for a quarterly schedule.
QUARTER_FIRST_MONTHS = (1, 4, 7, 10)


@dataclass(frozen=True)
class Period:
    """A closed date range with a stable, language-neutral label (2026-W07, 2026-03,
    2026-Q4)."""

    frequency: str
    start: dt.date
    end: dt.date
    label: str


def period_containing(frequency: str, day: dt.date) -> Period:
    """The period of ``frequency`` that contains ``day``."""
    if frequency == DAILY:
        return Period(DAILY, day, day, day.isoformat())
    if frequency == WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        year, week, _weekday = day.isocalendar()
        return Period(WEEKLY, start, start + dt.timedelta(days=6), f"{year}-W{week:02d}")
    if frequency == MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(
            MONTHLY, day.replace(day=1), day.replace(day=last), f"{day.year}-{day.month:02d}"
        )
    if frequency == QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        first_month = 3 * quarter - 2
        last_month = first_month + 2
        last = calendar.monthrange(day.year, last_month)[1]
        return Period(
            QUARTERLY,
            dt.date(day.year, first_month, 1),
            dt.date(day.year, last_month, last),
            f"{day.year}-Q{quarter}",
        )
    raise ValueError(f"Unknown reporting frequency: {frequency!r}")
