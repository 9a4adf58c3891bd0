"""Standards' project metric for the registry: deliverable compliance."""

from __future__ import annotations

import datetime as dt

from pmo.core.models import Project
from standards.selectors.compliance import compliance_rows, scope


def deliverable_compliance(project_ids: list[int], start: dt.date, end: dt.date):
    """Required deliverables of due gates that are present, in per cent, as on ``end``
    (``None`` for a project that follows no methodology or has nothing due)."""
    rows = compliance_rows(scope(Project.objects.filter(pk__in=project_ids)), end)
    found = {row.project.pk: row.rate for row in rows}
    return {pk: found.get(pk) for pk in project_ids}
