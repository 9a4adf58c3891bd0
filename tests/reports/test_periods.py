"""Reporting periods."""

import datetime as dt

import pytest

from pmo.reports.periods import period_containing


def test_weekly_period_is_the_iso_week():
    period = period_containing("weekly", dt.date(2026, 3, 4))  # a Wednesday
    assert (period.start, period.end, period.label) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 8),
        "2026-W10",
    )


def test_week_across_the_new_year_takes_the_iso_year():
    period = period_containing("weekly", dt.date(2027, 1, 1))
    assert period.start == dt.date(2026, 12, 28)
    assert period.label == "2026-W53"


def test_monthly_period_ends_on_the_last_day():
    period = period_containing("monthly", dt.date(2028, 2, 10))
    assert (period.start, period.end, period.label) == (
        dt.date(2028, 2, 1),
        dt.date(2028, 2, 29),
        "2028-02",
    )


def test_daily_period_is_the_day():
    period = period_containing("daily", dt.date(2026, 5, 1))
    assert period.start == period.end == dt.date(2026, 5, 1)


def test_unknown_frequency_is_an_error():
    with pytest.raises(ValueError):
        period_containing("hourly", dt.date(2026, 5, 1))


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026-Q1"),
        (dt.date(2026, 3, 31), dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026-Q1"),
        (dt.date(2026, 5, 17), dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026-Q2"),
        (dt.date(2026, 7, 1), dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026-Q3"),
        (dt.date(2026, 12, 31), dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-Q4"),
    ],
)
def test_quarterly_period_is_the_calendar_quarter(day, start, end, label):
    period = period_containing("quarterly", day)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_every_day_of_a_year_falls_in_exactly_one_quarter():
    day, seen = dt.date(2028, 1, 1), {}
    while day.year == 2028:
        period = period_containing("quarterly", day)
        assert period.start <= day <= period.end
        seen.setdefault(period.label, []).append(day)
        day += dt.timedelta(days=1)
    assert sorted(seen) == ["2028-Q1", "2028-Q2", "2028-Q3", "2028-Q4"]
    assert sum(len(days) for days in seen.values()) == 366
