"""Project metrics of the core's own data, read through the metrics registry."""

from __future__ import annotations

import datetime as dt

from pmo.core.models import Project


def _summary(field: str, project_ids: list[int]) -> dict[int, float | None]:
    rows = Project.objects.filter(pk__in=project_ids).values_list("pk", field)
    found = {pk: (float(value) if value is not None else None) for pk, value in rows}
    return {pk: found.get(pk) for pk in project_ids}


def spi(project_ids: list[int], start: dt.date, end: dt.date) -> dict[int, float | None]:
    """SPI of the project summary (the latest status report's EV / PV)."""
    return _summary("spi", project_ids)


def cpi(project_ids: list[int], start: dt.date, end: dt.date) -> dict[int, float | None]:
    """CPI of the project summary (the latest status report's EV / AC)."""
    return _summary("cpi", project_ids)
