"""The compliance rules, as plain functions (no Django import).

**When a deliverable is due.** A gate's deliverables fall due when either

* the project's lifecycle stage has reached the gate's *due stage* (a gate due at
  "approved" is due for a project that is approved, active, closing or closed), or
* the gate's planned date has passed: planned start + position % × (planned finish −
  planned start), when the project has planned dates.

**Status of a required deliverable for a project**, in this order: *tailored out*
(an approved tailoring request covers it), *present* (evidence is recorded), *missing*
(due without evidence), *not yet due*.

**Compliance rate** = deliverables present ÷ deliverables due, where tailored-out
deliverables do not count and a deliverable counts only once it is due. Rates of a unit
or a process pool the counts of their projects (Σ present ÷ Σ due), so a large project
weighs more than a small one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Lifecycle stages in the order a project passes them; "on hold" ranks with "active"
# (a project goes on hold from approved or active), rejected and cancelled with "idea".
STAGE_RANK = {
    "idea": 0,
    "rejected": 0,
    "cancelled": 0,
    "proposed": 1,
    "under_review": 2,
    "approved": 3,
    "active": 4,
    "on_hold": 4,
    "closing": 5,
    "closed": 6,
}

TAILORED, PRESENT, MISSING, NOT_DUE = "tailored", "present", "missing", "not_due"
STATUSES = (PRESENT, MISSING, TAILORED, NOT_DUE)


def gate_planned_date(
    planned_start: dt.date | None, planned_finish: dt.date | None, position_percent: int
) -> dt.date | None:
    """The date a gate falls on: planned start + position % of the planned duration."""
    if planned_start is None or planned_finish is None or planned_finish < planned_start:
        return None
    days = (planned_finish - planned_start).days
    return planned_start + dt.timedelta(days=round(days * position_percent / 100))


def gate_is_due(
    *, project_stage: str, due_stage: str, planned_date: dt.date | None, today: dt.date
) -> bool:
    """Whether a gate's deliverables are due (see the module's rule)."""
    if STAGE_RANK.get(project_stage, 0) >= STAGE_RANK.get(due_stage, 99):
        return True
    return planned_date is not None and planned_date < today


def deliverable_status(*, tailored: bool, present: bool, due: bool) -> str:
    if tailored:
        return TAILORED
    if present:
        return PRESENT
    return MISSING if due else NOT_DUE


@dataclass
class Tally:
    """Counts of deliverable statuses; ``due`` counts present-and-due plus missing."""

    present: int = 0
    missing: int = 0
    tailored: int = 0
    not_due: int = 0
    present_early: int = 0

    def add(self, status: str, due: bool) -> None:
        if status == PRESENT:
            if due:
                self.present += 1
            else:
                self.present_early += 1
        elif status == MISSING:
            self.missing += 1
        elif status == TAILORED:
            self.tailored += 1
        else:
            self.not_due += 1

    def merge(self, other: Tally) -> None:
        self.present += other.present
        self.missing += other.missing
        self.tailored += other.tailored
        self.not_due += other.not_due
        self.present_early += other.present_early

    @property
    def due(self) -> int:
        return self.present + self.missing

    @property
    def rate(self) -> float | None:
        """Present ÷ due in per cent, ``None`` when nothing is due yet."""
        return rate(self.present, self.due)


def rate(present: int, due: int) -> float | None:
    if due <= 0:
        return None
    return 100.0 * present / due
