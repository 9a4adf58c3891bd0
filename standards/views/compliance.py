"""Compliance: for every project in scope, the required deliverables present or missing
per gate, and the rate per project, org unit, process and methodology — the answer to
"流程执行是否规范化?" with numbers and charts."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import charts
from pmo.core.models import Project
from pmo.core.permissions import require_perm
from standards.models import Methodology, TailoringRequest
from standards.selectors.compliance import compliance_overview
from standards.views.common import PAGE_SIZE, filter_units, int_param, unit_from

VIEW = "standards.view_compliance"


def _rate(value) -> float:
    return round(value, 1) if value is not None else 0


@require_perm(VIEW)
def compliance(request):
    unit = unit_from(request)
    methodology_id = int_param(request.GET.get("methodology"))
    projects = Project.objects.visible_to(request.user)
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    overview = compliance_overview(projects, timezone.localdate())
    rows = overview.rows
    if methodology_id:
        rows = [r for r in rows if r.assignment.version.methodology_id == methodology_id]
    only = request.GET.get("only", "")
    if only == "missing":
        rows = [r for r in rows if r.tally.missing]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    units = overview.by_unit
    processes = [g for g in overview.by_process if g.rate is not None][:15]
    context = {
        "overview": overview,
        "page": page,
        "unit": unit,
        "units": filter_units(),
        "methodologies": Methodology.objects.order_by("code"),
        "methodology_id": methodology_id,
        "only": only,
        "pending_tailoring": TailoringRequest.objects.visible_to(request.user).pending().count(),
        "unit_chart": charts.bar(
            [g.label for g in units],
            {_("Compliance rate (%)"): [_rate(g.rate) for g in units]},
            keys=[g.key.pk for g in units],
            value_name="%",
        ),
        "process_chart": charts.bar(
            [g.label for g in reversed(processes)],
            {_("Compliance rate (%)"): [_rate(g.rate) for g in reversed(processes)]},
            horizontal=True,
            value_name="%",
        ),
        "status_chart": _status_pie(overview.tally),
    }
    return TemplateResponse(request, "standards/compliance.html", context)


def _status_pie(tally) -> dict:
    rows = [
        ("green", _("Present"), tally.present),
        ("red", _("Missing"), tally.missing),
        ("grey", _("Tailored out"), tally.tailored),
    ]
    return charts.health_pie(rows)


urlpatterns = [path("compliance/", compliance, name="compliance")]
