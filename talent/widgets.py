"""The talent tile on the standards adoption page (slot ``standards_adoption``, filter
``unit``): PM-system training of the pool's PMs in the last twelve months — coverage,
hours per PM and feedback — per organisational unit. It answers "培训力度是否足以推进
规范化?". The page renders a placeholder; htmx loads the tile so the page pays no query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import charts
from pmo.core.models import OrgUnit
from pmo.core.permissions import require_perm
from talent.models import Course, Enrolment, TalentProfile
from talent.selectors.facts import loads
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


OVERLOADED = 100
BUSY = 80


def capacity(request, filters: dict) -> str:
    """Executive dashboard: the pool's project managers per career level and how loaded
    they are (allocations and PM hours planned this month against capacity), with the
    overloaded ones named (five queries)."""
    today = timezone.localdate()
    profiles = TalentProfile.objects.in_pool(today).select_related("person", "level")
    unit = filters.get("unit")
    if unit is not None:
        profiles = profiles.filter(person__org_unit__path__startswith=unit.path)
    profiles = list(profiles.order_by("person__name"))
    load = loads([p.person_id for p in profiles], today)
    levels: dict = {}
    for profile in profiles:
        level = profile.level
        key = (level.rank if level else 999, level.label if level else str(_("No level")))
        row = levels.setdefault(key, {"free": 0, "busy": 0, "over": 0})
        percent = load[profile.person_id]["percent"]
        band = "over" if percent > OVERLOADED else "busy" if percent >= BUSY else "free"
        row[band] += 1
    keys = sorted(levels)
    chart = charts.bar(
        [label for _rank, label in keys],
        {
            _("Available"): [levels[k]["free"] for k in keys],
            _("Busy"): [levels[k]["busy"] for k in keys],
            _("Overloaded"): [levels[k]["over"] for k in keys],
        },
    )
    for series, colour in zip(chart["series"], ("#198754", "#ffc107", "#dc3545"), strict=True):
        series["stack"] = "load"
        series["itemStyle"] = {"color": colour}
    over = sorted(
        (p for p in profiles if load[p.person_id]["percent"] > OVERLOADED),
        key=lambda p: -load[p.person_id]["percent"],
    )
    context = {
        "chart": chart,
        "total": len(profiles),
        "over": [(p, load[p.person_id]["percent"]) for p in over[:8]],
        "over_count": len(over),
        "gap_url": reverse("talent:gap"),
    }
    return render_to_string("talent/widgets/capacity.html", context, request=request)
