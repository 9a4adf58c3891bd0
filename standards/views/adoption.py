"""Adoption and data quality of the PM information system, per org unit and role —
the answer to "项目管理软件使用是否广泛便捷?" and "数据是否精准反映项目实际进展?".
Other apps add tiles (status timeliness, baseline coverage, PM-system training) through
the registry slot ``standards_adoption``."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from pmo.core import charts
from pmo.core.permissions import require_perm
from standards.models import Suggestion
from standards.selectors import adoption as selectors
from standards.views.common import filter_units, unit_from, widgets

VIEW = "standards.view_adoption"


def _rate(value) -> float:
    return round(value, 1) if value is not None else 0


@require_perm(VIEW)
def adoption(request):
    unit = unit_from(request)
    by_role = selectors.usage_by_role()
    by_unit = selectors.usage_by_unit(unit)
    quality, quality_total = selectors.data_quality_by_unit(
        selectors.scoped_projects(request.user, unit)
    )
    people = sum(r.people for r in by_unit)
    accounts = sum(r.accounts for r in by_unit)
    active = sum(r.active for r in by_unit)
    context = {
        "unit": unit,
        "units": filter_units(),
        "by_role": by_role,
        "by_unit": by_unit,
        "quality": quality,
        "quality_total": quality_total,
        "people": people,
        "accounts": accounts,
        "active": active,
        "account_rate": selectors.rules.rate(accounts, people),
        "active_rate": selectors.rules.rate(active, accounts),
        "active_days": selectors.ACTIVE_DAYS,
        "open_suggestions": Suggestion.objects.open().count(),
        "usage_chart": charts.bar(
            [r.label for r in by_unit],
            {
                _("With a login (%)"): [_rate(r.account_rate) for r in by_unit],
                _("Active in 30 days (%)"): [_rate(r.active_rate) for r in by_unit],
            },
            value_name="%",
        ),
        "quality_chart": charts.bar(
            [r.label for r in quality],
            {
                _("Data quality (%)"): [_rate(r.quality_rate) for r in quality],
                _("Status current (%)"): [_rate(r.current_rate) for r in quality],
            },
            value_name="%",
        ),
        "widgets": widgets(request, "standards_adoption", {"unit": unit}),
    }
    return TemplateResponse(request, "standards/adoption.html", context)


urlpatterns = [path("adoption/", adoption, name="adoption")]
