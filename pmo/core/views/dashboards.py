"""Landing pages: the role-based home, the executive dashboard, the PMO cockpit, my work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from pmo.core import charts, formatting, roles, selectors
from pmo.core.models import ImportJob, OrgUnit, Project, ProjectMember, Stage
from pmo.core.permissions import require_perm
from pmo.core.registry import registry


@login_required
def home(request):
    """Send each user to the page their role works from."""
    user = request.user
    if roles.is_pmo(user):
        return redirect("core:cockpit")
    if roles.is_executive(user):
        return redirect("core:dashboard")
    return redirect("core:my_work")


def _unit_filter(request, projects):
    unit = None
    unit_id = request.GET.get("unit")
    if unit_id and unit_id.isdigit():
        unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    return unit, projects


def _widgets(request, dashboard: str, filters: dict) -> list[tuple]:
    # Widgets render their own templates (escaped there), so their HTML is trusted here.
    return [
        (w, mark_safe(w.html(request, filters)))  # noqa: S308
        for w in registry.widgets_for(dashboard, request.user)
    ]


@require_perm("core.view_executive_dashboard")
def executive(request):
    unit, projects = _unit_filter(request, Project.objects.visible_to(request.user))
    totals = selectors.portfolio_totals(projects)
    by_unit = selectors.money_by_unit(projects)
    lang_en = (request.LANGUAGE_CODE or "").startswith("en")
    unit_names = [
        (r["org_unit__name_en"] if lang_en and r["org_unit__name_en"] else r["org_unit__name"])
        for r in by_unit
    ]
    stages = selectors.stage_counts(projects)
    divisor, money_unit = formatting.chart_unit(request.LANGUAGE_CODE or "")
    context = {
        "unit": unit,
        "units": OrgUnit.objects.filter(depth__lte=1, is_active=True),
        "totals": totals,
        "health_chart": charts.health_pie(selectors.health_counts(projects)),
        "stage_chart": charts.bar(
            [label for _code, label, _n in stages],
            {_("Projects"): [n for _code, _label, n in stages]},
            keys=[code for code, _label, _n in stages],
        ),
        "money_chart": charts.bar(
            unit_names,
            {
                _("Budget"): [round(float((r["budget"] or 0) / divisor), 1) for r in by_unit],
                _("Spend to date"): [round(float((r["spend"] or 0) / divisor), 1) for r in by_unit],
                _("Forecast"): [round(float((r["forecast"] or 0) / divisor), 1) for r in by_unit],
            },
            keys=[r["org_unit_id"] for r in by_unit],
            value_name=money_unit,
        ),
        "attention": projects.filter(stage=Stage.ACTIVE, health__in=["red", "amber"])
        .with_people()
        .order_by("-classification", "health", "code")[:10],
        "widgets": _widgets(request, "executive", {"unit": unit}),
    }
    return render(request, "core/dashboard_executive.html", context)


@require_perm("core.view_pmo_cockpit")
def cockpit(request):
    projects = Project.objects.all()
    context = {
        "stale": selectors.stale_projects(projects).with_people().order_by("last_status_date")[:15],
        "stale_count": selectors.stale_projects(projects).count(),
        "red": projects.filter(stage=Stage.ACTIVE, health="red").with_people()[:15],
        "waiting": projects.filter(stage__in=[Stage.PROPOSED, Stage.UNDER_REVIEW])
        .with_people()
        .order_by("updated_at")[:15],
        "quality": selectors.data_quality_problems(projects),
        "imports": ImportJob.objects.select_related("created_by")[:5],
        "widgets": _widgets(request, "pmo", {}),
    }
    return render(request, "core/dashboard_cockpit.html", context)


@login_required
def my_work(request):
    pid = roles.person_id_of(request.user)
    managed = Project.objects.none()
    memberships = ProjectMember.objects.none()
    if pid is not None:
        managed = Project.objects.filter(manager_id=pid).open().with_people()
        memberships = (
            ProjectMember.objects.filter(person_id=pid)
            .exclude(project__manager_id=pid)
            .exclude(project__stage__in=[Stage.CLOSED, Stage.CANCELLED, Stage.REJECTED])
            .select_related("project", "project__org_unit", "project__manager")
        )
    context = {
        "managed": managed,
        "memberships": memberships,
        "notifications": request.user.notifications.filter(read_at__isnull=True)[:8],
        "widgets": _widgets(request, "my", {}),
    }
    return render(request, "core/dashboard_my.html", context)
