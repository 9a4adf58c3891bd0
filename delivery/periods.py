"""Reporting periods of status reports: pure date arithmetic, no Django import.

Weekly periods run Monday to Sunday and are due on a chosen weekday of the week;
two-weekly periods are pairs of weeks counted from Monday 2024-01-01 and are due on
that weekday of their second week; monthly periods are due on the month's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

WEEKLY, BIWEEKLY, MONTHLY = "weekly", "biweekly", "monthly"
BIWEEKLY_ANCHOR = dt.date(2024, 1, 1)  # a Monday


@dataclass(frozen=True)
class ReportingPeriod:
    start: dt.date
    end: dt.date
    due: dt.date

    @property
    def label(self) -> str:
        if self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1:
            return f"{self.start:%Y-%m}"
        year, week, _day = self.start.isocalendar()
        return f"{year}-W{week:02d}"


def period_for(frequency: str, due_weekday: int, day: dt.date) -> ReportingPeriod:
    """The reporting period that contains ``day``."""
    if not 0 <= due_weekday <= 6:
        raise ValueError("due_weekday is 0 (Monday) to 6 (Sunday)")
    if frequency == WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return ReportingPeriod(
            start, start + dt.timedelta(days=6), start + dt.timedelta(days=due_weekday)
        )
    if frequency == BIWEEKLY:
        monday = day - dt.timedelta(days=day.weekday())
        weeks = (monday - BIWEEKLY_ANCHOR).days // 7
        start = monday - dt.timedelta(weeks=weeks % 2)
        return ReportingPeriod(
            start, start + dt.timedelta(days=13), start + dt.timedelta(days=7 + due_weekday)
        )
    if frequency == MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        end = day.replace(day=last)
        return ReportingPeriod(day.replace(day=1), end, end)
    raise ValueError(f"unknown reporting frequency: {frequency!r}")


def recent_periods(frequency: str, due_weekday: int, day: dt.date, count: int) -> list:
    """The ``count`` periods up to and including the one containing ``day``, oldest first."""
    periods = [period_for(frequency, due_weekday, day)]
    while len(periods) < count:
        periods.append(period_for(frequency, due_weekday, periods[-1].start - dt.timedelta(days=1)))
    return periods[::-1]


def last_due_period(frequency: str, due_weekday: int, day: dt.date) -> ReportingPeriod:
    """The latest period whose report is due on or before ``day``."""
    current = period_for(frequency, due_weekday, day)
    if current.due <= day:
        return current
    return period_for(frequency, due_weekday, current.start - dt.timedelta(days=1))
