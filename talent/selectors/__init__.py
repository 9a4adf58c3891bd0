"""Reads of the talent area, and the API other apps call.

API for culture (and any app allowed to import talent)
------------------------------------------------------
* ``pm_pool(*, on: date) -> set[int]`` — ids of the people who count as project
  managers of the talent pool on that day (an active person with a talent profile in
  the pool since that day or earlier).
* ``certificate_holders(*, on: date, codes=None) -> dict[int, set[str]]`` — the codes
  of the certificates valid on that day, per person id (only ``codes`` when given).
* ``training_hours(*, start: date, end: date, category=None) -> dict[int, Decimal]`` —
  hours of attended training per person id, for sessions that ended in the period
  (only courses of ``category`` when given, e.g. ``"pm_system"``).
"""

from talent.selectors.pool import certificate_holders, pm_pool, training_hours

__all__ = ["certificate_holders", "pm_pool", "training_hours"]
