"""The talent tile on the standards adoption page (slot ``standards_adoption``, filter
``unit``): PM-system training of the pool's PMs in the last twelve months — coverage,
hours per PM and feedback — per organisational unit. It answers "培训力度是否足以推进
规范化?". The page renders a placeholder; htmx loads the tile so the page pays no query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

from pmo.core.models import OrgUnit
from pmo.core.permissions import require_perm
from talent.models import Course, Enrolment, TalentProfile
from talent.selectors.pool import training_hours

WINDOW_DAYS = 365


def adoption(request, filters: dict) -> str:
    unit = filters.get("unit")
    return render_to_string("talent/widget_adoption_lazy.html", {"unit": unit}, request=request)


def adoption_rows(unit: OrgUnit | None, today: dt.date) -> tuple[list[dict], dict]:
    """Per unit below ``unit`` (or per top unit): PMs, PMs trained in the PM system,
    coverage and hours per PM; with the total row."""
    start = today - dt.timedelta(days=WINDOW_DAYS)
    hours = training_hours(start=start, end=today, category=Course.Category.PM_SYSTEM)
    profiles = TalentProfile.objects.in_pool(today).select_related("person__org_unit")
    if unit is not None:
        profiles = profiles.filter(person__org_unit__path__startswith=unit.path)
        groups = list(OrgUnit.objects.filter(parent=unit).order_by("path")) or [unit]
    else:
        groups = list(OrgUnit.objects.filter(depth__lte=1).order_by("path"))
        groups = [g for g in groups if g.depth == 1] or groups
    rows = []
    profiles = list(profiles)
    for group in groups:
        mine = [p for p in profiles if p.person.org_unit.path.startswith(group.path)]
        if mine:
            rows.append(_row(group.label, [p.person_id for p in mine], hours))
    total = _row("", [p.person_id for p in profiles], hours)
    return rows, total


def _row(label: str, ids: list[int], hours: dict) -> dict:
    trained = [i for i in ids if hours.get(i)]
    total = sum((hours.get(i, 0) for i in ids), 0)
    return {
        "label": label,
        "pms": len(ids),
        "trained": len(trained),
        "coverage": round(100 * len(trained) / len(ids), 1) if ids else None,
        "hours": total,
        "per_pm": round(total / len(ids), 1) if ids else None,
    }


@require_perm("talent.view_gap")
def adoption_tile(request):
    today = timezone.localdate()
    unit_id = request.GET.get("unit", "")
    unit = OrgUnit.objects.filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
    rows, total = adoption_rows(unit, today)
    feedback = Enrolment.objects.filter(
        attended=True,
        session__course__category=Course.Category.PM_SYSTEM,
        session__ends_on__gte=today - dt.timedelta(days=WINDOW_DAYS),
    ).aggregate(avg=Avg("feedback_rating"))["avg"]
    context = {"rows": rows, "total": total, "feedback": feedback, "unit": unit}
    return TemplateResponse(request, "talent/widget_adoption.html", context)
