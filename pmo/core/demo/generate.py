"""Pure generators of the demo: names, dates, summaries and demand that fit a stage.

Nothing here touches the database; the same functions shape the core demo and the
generated projects of ``--scale``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from pmo.core.demo.catalogue import (
    GIVEN_NAMES,
    KEY,
    MAJOR,
    NOT_STARTED,
    SEED,
    STATUS_NOTES,
    SURNAMES,
    TYPE_ROLES,
)
from pmo.core.models import Health, ResourceDemand, Stage


@dataclass
class PersonSpec:
    employee_no: str
    name: str
    name_en: str
    unit: str
    role: str
    title: str
    email: str
    phone: str
    capacity: Decimal
    cost_rate: Decimal
    login: str = ""


@dataclass
class SummarySpec:
    health: str
    percent_complete: Decimal
    spend_to_date: Decimal
    forecast_cost: Decimal | None
    last_status_date: dt.date | None
    note: str


@dataclass
class ProjectSpec:
    code: str
    name: str
    name_en: str
    project_type: str
    unit: str
    classification: str
    stage: str
    budget: Decimal
    planned_start: dt.date
    planned_finish: dt.date
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    program: str = ""
    is_program: bool = False
    manager: str = ""
    sponsor: str = ""
    description: str = ""
    summary: SummarySpec | None = None
    # (employee number or Person, project role, allocation %)
    members: list[tuple] = field(default_factory=list)
    # (role code, month, hours, source)
    demand: list[tuple[str, dt.date, Decimal, str]] = field(default_factory=list)


@dataclass
class NotificationSpec:
    username: str
    title: str
    level: str
    project: str = ""
    url: str = ""
    body: str = ""


@dataclass
class Plan:
    today: dt.date
    people: list[PersonSpec]
    heads: dict[str, str]
    projects: list[ProjectSpec]
    notifications: list[NotificationSpec]


def stream(name: str) -> random.Random:
    """An independent generator per part, so that one part's draws never shift another's."""
    return random.Random(f"{SEED}:{name}")


def person_name(rng: random.Random, used: set[str]) -> tuple[str, str, str]:
    """An unused Chinese name, its pinyin (surname first) and an e-mail stem."""
    while True:
        surname = rng.choice(SURNAMES)
        parts = [rng.choice(GIVEN_NAMES) for _ in range(1 if rng.random() < 0.3 else 2)]
        name = surname[0] + "".join(p[0] for p in parts)
        given = "".join(p[1:].lower() for p in parts)
        if name not in used and len(set(parts)) == len(parts):
            used.add(name)
            return name, f"{surname[1:]} {given.capitalize()}", f"{given}.{surname[1:].lower()}"


def email_stem(name_en: str) -> str:
    surname, given = name_en.lower().split(" ", 1)
    return f"{given.replace(' ', '')}.{surname}"


def money(value: float, step: int = 100) -> Decimal:
    return Decimal(int(round(value / step)) * step).quantize(Decimal("0.01"))


def budget_for(rng: random.Random, classification: str) -> Decimal:
    low, high = {MAJOR: (20e6, 80e6), KEY: (5e6, 20e6)}.get(classification, (0.5e6, 5e6))
    return money(rng.uniform(low, high), 10_000)


def last_friday(day: dt.date) -> dt.date:
    """Weekly status reports are due on Fridays."""
    return day - dt.timedelta(days=(day.weekday() - 4) % 7)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)


def plan_dates(
    rng: random.Random, stage: str, classification: str, today: dt.date
) -> tuple[dt.date, dt.date, dt.date | None, dt.date | None]:
    """Planned start and finish and actual start and finish that fit the stage.

    Every branch draws the same values, so that the stream stays aligned.
    """
    days = dt.timedelta
    low, high = {MAJOR: (365, 900), KEY: (240, 540)}.get(classification, (120, 360))
    duration = rng.randint(low, high)
    a, b, c = rng.random(), rng.random(), rng.random()
    actual_start = actual_finish = None
    if stage in NOT_STARTED:
        start = today + days(20 + int(a * 240))
    elif stage == Stage.APPROVED:
        start = today + days(-20 + int(a * 95))
    elif stage in (Stage.ACTIVE, Stage.ON_HOLD, Stage.CANCELLED):
        # Mostly mid-flight; about one active project in ten is past its planned finish.
        late = stage == Stage.ACTIVE and c < 0.1
        elapsed = 1.0 + b * 0.1 if late else 0.1 + b * 0.75
        start = today - days(int(duration * elapsed))
        actual_start = min(start + days(int(a * 20) - 5), today - days(7))
    elif stage == Stage.CLOSING:
        start = today - days(duration) + days(-30 + int(a * 50))
        actual_start = start + days(int(b * 15))
    else:  # closed
        start = today - days(duration) - days(30 + int(a * 390))
        actual_start = start + days(int(b * 15))
        actual_finish = min(start + days(duration + int(c * 70) - 10), today - days(7))
    return start, start + days(duration), actual_start, actual_finish


def plan_summary(
    rng: random.Random,
    *,
    stage: str,
    budget: Decimal,
    planned_finish: dt.date,
    actual_start: dt.date | None,
    actual_finish: dt.date | None,
    today: dt.date,
) -> SummarySpec | None:
    """A summary that fits the stage: none before approval, 100 % once closed.

    Health follows the cost and schedule variance; about one running project in five
    has a stale last status date.
    """
    draws = [rng.random() for _ in range(7)]
    if stage in NOT_STARTED:
        return None
    if stage == Stage.APPROVED:
        return SummarySpec(Health.GREY, Decimal(0), Decimal(0), budget, None, "已批准，等待启动")
    budget_f = float(budget)
    if stage == Stage.CLOSED:
        spend = money(budget_f * (0.85 + draws[0] * 0.3))
        health = Health.GREEN if spend <= budget * Decimal("1.05") else Health.AMBER
        return SummarySpec(health, Decimal(100), spend, spend, actual_finish, "项目已关闭")
    start = actual_start or today
    elapsed = max(0.02, (today - start).days / max((planned_finish - start).days, 1))
    progress = min(0.97, max(0.02, min(elapsed, 1.0) * (0.75 + draws[1] * 0.35)))
    if stage == Stage.CLOSING:
        progress = 0.95 + draws[1] * 0.05
    overrun = draws[2] * 0.18 - 0.1 if draws[3] < 0.75 else 0.1 + draws[2] * 0.25
    # A closing project is past its finish by nature: judge it on cost alone.
    lag = 0.0 if stage == Stage.CLOSING else min(elapsed, 1.0) - progress
    late = stage != Stage.CLOSING and elapsed > 1.0
    driver = "cost" if overrun - 0.08 >= lag - 0.1 and not late else "schedule"
    if overrun > 0.2 or lag > 0.2 or late:
        health = Health.RED
    elif overrun > 0.08 or lag > 0.1:
        health = Health.AMBER
    else:
        health, driver = Health.GREEN, ""
    if draws[4] < 0.2 or stage in (Stage.ON_HOLD, Stage.CANCELLED):
        last = today - dt.timedelta(days=18 + int(draws[5] * 45))
    else:
        last = last_friday(today) - dt.timedelta(days=7 if draws[5] < 0.25 else 0)
    last = max(last, start)
    spend = money(budget_f * progress * (1 + overrun))
    forecast = money(budget_f * (1 + overrun * 0.9), 1000)
    notes = STATUS_NOTES[health, driver]
    note = notes[int(draws[6] * len(notes))]
    if stage == Stage.ON_HOLD:
        health, note = Health.AMBER, "暂停：等待预算重新审批"
    elif stage == Stage.CANCELLED:
        health, forecast, note = Health.GREY, spend, "项目已取消"
    percent = Decimal(str(round(progress * 100, 1)))
    return SummarySpec(health, percent, spend, forecast, last, note)


def plan_demand(
    rng: random.Random,
    *,
    project_type: str,
    classification: str,
    start: dt.date,
    finish: dt.date,
    today: dt.date,
    max_roles: int | None = None,
) -> list[tuple[str, dt.date, Decimal]]:
    """Hours per role and month over the next twelve months, inside the project's window."""
    base = {MAJOR: 240, KEY: 120}.get(classification, 60)
    weights = list(TYPE_ROLES[project_type].items())
    if max_roles is not None:  # the project manager plus a few of the other roles
        weights = weights[:1] + rng.sample(weights[1:], min(max_roles - 1, len(weights) - 1))
    if finish < today:  # overdue, the team stays on until the work is done
        finish = add_months(today, 3)
    months = [add_months(today, offset) for offset in range(12)]
    months = [m for m in months if m <= finish and add_months(m, 1) > start]
    rows = []
    for index, month in enumerate(months):
        # Teams ramp up in the first months and down in the last ones.
        ramp = min(1.0, 0.5 + 0.25 * index, 0.5 + 0.25 * (len(months) - 1 - index))
        for role, weight in weights:
            hours = base * weight * ramp * (0.8 + rng.random() * 0.4)
            rows.append((role, month, Decimal(max(8, int(hours / 4) * 4))))
    return rows


def with_source(stage: str, rows: list[tuple]) -> list[tuple]:
    """An approved project's demand comes from its business case, an active one's from its plan."""
    source = (
        ResourceDemand.Source.PLAN if stage == Stage.ACTIVE else ResourceDemand.Source.BUSINESS_CASE
    )
    return [(role, month, hours, source) for role, month, hours in rows]
