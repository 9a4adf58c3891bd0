"""Pages of the monitoring of strategic projects: the watch list, monitoring plans with
their KPIs, attention flags, PMO recommendations, the executive portfolio dashboard and
the project tab "Monitoring"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import charts, formatting
from pmo.core.forms import add_service_errors
from pmo.core.models import Project
from pmo.core.permissions import get_project_for_user, require_perm
from portfolio.forms.monitoring import (
    DashboardFilterForm,
    FlagResolveForm,
    KpiActualForm,
    KpiForm,
    MonitoringPlanForm,
    RecommendationDecideForm,
    RecommendationDoneForm,
    RecommendationFilter,
    RecommendationForm,
    WatchlistFilter,
)
from portfolio.models import AttentionFlag, MonitoringKpi, Recommendation
from portfolio.selectors import monitoring as selectors
from portfolio.services import monitoring as services

PAGE_SIZE = 50
VIEW, CHANGE = "portfolio.view_monitoring", "portfolio.change_monitoring"
PROPOSE, DECIDE = "portfolio.propose_recommendation", "portfolio.decide_recommendation"


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path: redirect() would take a bare word as the name of a URL pattern.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def _partial(request, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx and not request.htmx.boosted else template


# --- the watch list -----------------------------------------------------------------------


@require_perm(VIEW)
def watchlist(request):
    today = timezone.localdate()
    base = selectors.watchlist(request.user, today)
    watch_filter = WatchlistFilter(request.GET or None, queryset=base, today=today)
    projects = watch_filter.qs if watch_filter.is_bound else base
    sort = request.GET.get("sort", "attention")
    page = Paginator(selectors.watchlist_order(projects, sort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "filter": watch_filter,
        "page": page,
        "sort": sort,
        "totals": selectors.watchlist_totals(projects, today),
        "today": today,
        "can_change": request.user.has_perm(CHANGE),
        "can_propose": request.user.has_perm(PROPOSE),
    }
    return TemplateResponse(
        request, _partial(request, "portfolio/watchlist.html", "results"), context
    )


@require_POST
@require_perm(CHANGE)
def flags_refresh(request):
    result = services.attention_flags_refresh()
    messages.success(
        request,
        _("The rules checked %(checked)s projects: %(raised)s flags raised, %(cleared)s cleared.")
        % {
            "checked": result.checked,
            "raised": len(result.raised),
            "cleared": len(result.cleared),
        },
    )
    return redirect(_next_or(request, reverse("portfolio:watchlist")))


# --- one project's monitoring plan and KPIs --------------------------------------------------


def _plan_page(request, project, *, plan_form=None, kpi_form=None, record_forms=None, status=200):
    plan = selectors.plan_of(project)
    kpis = list(plan.kpis.all()) if plan else []
    series = selectors.kpi_series(kpis)
    record_forms = record_forms or {}
    rows = [
        {
            "kpi": kpi,
            "points": series.get(kpi.pk, []),
            "chart": selectors.kpi_chart(kpi, series.get(kpi.pk, [])),
            "chart_id": f"kpi-chart-{kpi.pk}",
            "form": record_forms.get(kpi.pk) or KpiActualForm(prefix=f"kpi{kpi.pk}"),
        }
        for kpi in kpis
    ]
    open_flags, closed_flags = selectors.project_flags(project)
    context = {
        "project": project,
        "plan": plan,
        "plan_form": plan_form or MonitoringPlanForm(instance=plan, initial=_plan_initial(request)),
        "kpi_form": kpi_form or KpiForm(),
        "rows": rows,
        "open_flags": open_flags,
        "closed_flags": closed_flags,
        "recommendations": list(selectors.recommendations().filter(project=project)),
        "is_strategic": selectors.is_strategic(project),
        "can_change": request.user.has_perm(CHANGE),
        "can_propose": request.user.has_perm(PROPOSE),
    }
    return TemplateResponse(request, "portfolio/monitoring_plan.html", context, status=status)


def _plan_initial(request) -> dict:
    person = getattr(request.user, "person", None)
    return {"owner": person.pk} if person else {}


@login_required
def monitoring_plan(request, pk: int):
    project = get_project_for_user(request, pk, VIEW)
    if request.method != "POST":
        return _plan_page(request, project)
    project = get_project_for_user(request, pk, CHANGE)
    plan = selectors.plan_of(project)
    form = MonitoringPlanForm(request.POST, instance=plan)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.monitoring_plan_save(project=project, plan=plan, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The monitoring plan was saved."))
            return redirect("portfolio:monitoring_plan", pk=project.pk)
    return _plan_page(request, project, plan_form=form, status=422)


@require_POST
@login_required
def monitoring_kpi_add(request, pk: int):
    project = get_project_for_user(request, pk, CHANGE)
    plan = selectors.plan_of(project)
    if plan is None:
        messages.error(request, _("Save the monitoring plan before adding KPIs."))
        return redirect("portfolio:monitoring_plan", pk=project.pk)
    form = KpiForm(request.POST)
    if form.is_valid():
        try:
            services.monitoring_kpi_save(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The KPI was added."))
            return redirect("portfolio:monitoring_plan", pk=project.pk)
    return _plan_page(request, project, kpi_form=form, status=422)


def _kpi_for(request, pk: int, perm: str):
    kpi = get_object_or_404(MonitoringKpi.objects.select_related("plan"), pk=pk)
    project = get_project_for_user(request, kpi.plan.project_id, perm)
    return kpi, project


@login_required
def monitoring_kpi_edit(request, pk: int):
    kpi, project = _kpi_for(request, pk, CHANGE)
    form = KpiForm(request.POST or None, instance=kpi)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_kpi_save(
                plan=kpi.plan, kpi=kpi, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The KPI was saved."))
            return redirect("portfolio:monitoring_plan", pk=project.pk)
    status = 422 if request.method == "POST" else 200
    context = {"project": project, "kpi": kpi, "form": form}
    return render(request, "portfolio/monitoring_kpi_form.html", context, status=status)


@require_POST
@login_required
def monitoring_kpi_delete(request, pk: int):
    kpi, project = _kpi_for(request, pk, CHANGE)
    services.monitoring_kpi_delete(kpi=kpi, actor=request.user)
    messages.success(request, _("The KPI was removed."))
    return redirect("portfolio:monitoring_plan", pk=project.pk)


@require_POST
@login_required
def monitoring_kpi_record(request, pk: int):
    kpi, project = _kpi_for(request, pk, CHANGE)
    form = KpiActualForm(request.POST, prefix=f"kpi{kpi.pk}")
    if form.is_valid():
        try:
            services.monitoring_kpi_record(kpi=kpi, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The actual of %(kpi)s was recorded.") % {"kpi": kpi.name})
            return redirect("portfolio:monitoring_plan", pk=project.pk)
    return _plan_page(request, project, record_forms={kpi.pk: form}, status=422)


# --- flags ----------------------------------------------------------------------------------


@login_required
def flag_resolve(request, pk: int):
    flag = get_object_or_404(AttentionFlag, pk=pk)
    project = get_project_for_user(request, flag.project_id, CHANGE)
    form = FlagResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attention_flag_resolve(
                flag=flag, actor=request.user, note=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The flag was closed."))
            return redirect(_next_or(request, services.monitoring_url(project)))
    context = {
        "flag": flag,
        "project": project,
        "form": form,
        "cycle_days": services.review_cycle_days(selectors.plan_of(project)),
        "next": _next_or(request, ""),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "portfolio/monitoring_flag_resolve.html", context, status=status)


# --- recommendations ----------------------------------------------------------------------


@require_perm(VIEW)
def recommendation_list(request):
    base = selectors.recommendations(Project.objects.visible_to(request.user))
    rec_filter = RecommendationFilter(request.GET or None, queryset=base)
    recs = rec_filter.qs if rec_filter.is_bound else base
    page = Paginator(recs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": rec_filter,
        "page": page,
        "counts": selectors.recommendation_counts(base),
        "status": request.GET.get("status", ""),
        "today": timezone.localdate(),
        "can_decide": request.user.has_perm(DECIDE),
        "can_change": request.user.has_perm(CHANGE),
    }
    template = _partial(request, "portfolio/recommendation_list.html", "results")
    return TemplateResponse(request, template, context)


@login_required
def recommendation_create(request, pk: int):
    project = get_project_for_user(request, pk, PROPOSE)
    flag_id = request.GET.get("flag", "")
    initial = {"flag": int(flag_id)} if flag_id.isdigit() else {}
    form = RecommendationForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_create(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The recommendation was sent for decision."))
            return redirect(services.monitoring_url(project))
    status = 422 if request.method == "POST" else 200
    context = {"project": project, "form": form}
    return render(request, "portfolio/recommendation_form.html", context, status=status)


def _recommendation_for(request, pk: int, perm: str) -> Recommendation:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    recommendation.project = get_project_for_user(request, recommendation.project_id, perm)
    return recommendation


@login_required
def recommendation_decide(request, pk: int):
    recommendation = _recommendation_for(request, pk, DECIDE)
    form = RecommendationDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == RecommendationDecideForm.ACCEPT
        try:
            services.recommendation_decide(
                recommendation=recommendation,
                actor=request.user,
                accept=accept,
                note=form.cleaned_data["decision_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(_next_or(request, reverse("portfolio:recommendation_list")))
    status = 422 if request.method == "POST" else 200
    context = {"recommendation": recommendation, "project": recommendation.project, "form": form}
    return render(request, "portfolio/recommendation_decide.html", context, status=status)


@login_required
def recommendation_done(request, pk: int):
    recommendation = _recommendation_for(request, pk, CHANGE)
    form = RecommendationDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_done(
                recommendation=recommendation, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The recommendation is recorded as implemented."))
            return redirect(_next_or(request, reverse("portfolio:recommendation_list")))
    status = 422 if request.method == "POST" else 200
    context = {"recommendation": recommendation, "project": recommendation.project, "form": form}
    return render(request, "portfolio/recommendation_done.html", context, status=status)


# --- the executive portfolio dashboard ------------------------------------------------------


def dashboard_context(request) -> dict:
    """Everything the dashboard shows for the user's filters (unit, period)."""
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None)
    unit = period_key = None
    if form.is_valid():
        unit, period_key = form.cleaned_data["unit"], form.cleaned_data["period"]
    period = selectors.dashboard_period(period_key or "quarter", today)
    scope = selectors.in_unit(
        selectors.strategic_projects(Project.objects.visible_to(request.user)), unit
    )
    objectives = selectors.objective_rows(scope, period)
    if unit is not None:  # a unit sees the objectives its projects serve
        objectives = [row for row in objectives if row.project_count]
    health = selectors.health_distribution(scope)
    biggest = selectors.money_by_project(scope)
    divisor, money_unit = formatting.chart_unit(request.LANGUAGE_CODE or "")
    counts = selectors.flag_counts(scope)
    recs = selectors.recommendations(scope)
    return {
        "form": form,
        "unit": unit,
        "unit_query": f"org_unit={unit.pk}&" if unit else "",
        "period": period,
        "today": today,
        "objectives": objectives,
        "objectives_chart": selectors.objectives_chart(objectives[:15]),
        "health": health,
        "health_chart": charts.health_pie(health),
        "money": selectors.money_totals(scope),
        "money_chart": charts.bar(
            [p.code for p in biggest],
            {
                _("Budget"): [round(float(p.budget / divisor), 1) for p in biggest],
                _("Spend to date"): [round(float(p.spend_to_date / divisor), 1) for p in biggest],
                _("Forecast"): [
                    round(float((p.forecast_cost or p.budget) / divisor), 1) for p in biggest
                ],
            },
            keys=[p.code for p in biggest],
            value_name=money_unit,
        ),
        "biggest": biggest,
        "flags": selectors.top_flags(scope),
        "flag_counts": counts,
        "flag_chart": selectors.flag_rule_chart(counts),
        "open_flag_total": sum(n for _rule, _label, n in counts),
        "milestones": selectors.milestones_due(scope, period),
        "overdue": selectors.overdue_count(scope, today),
        "rec_counts": selectors.recommendation_counts(recs),
        "awaiting": list(recs.filter(status=Recommendation.Status.PROPOSED)[:8]),
        "can_decide": request.user.has_perm(DECIDE),
        "strategic_count": scope.count(),
    }


@require_perm(VIEW)
def dashboard(request):
    return render(request, "portfolio/dashboard.html", dashboard_context(request))


# --- the project tab "Monitoring" (registered in portfolio.wiring) --------------------------


def project_tab(request, project):
    plan = selectors.plan_of(project)
    open_flags, closed_flags = selectors.project_flags(project, resolved_limit=5)
    context = {
        "project": project,
        "plan": plan,
        "kpis": list(plan.kpis.all()) if plan else [],
        "open_flags": open_flags,
        "closed_flags": closed_flags,
        "recommendations": list(selectors.recommendations().filter(project=project)),
        "is_strategic": selectors.is_strategic(project),
        "can_change": request.user.has_perm(CHANGE),
        "can_propose": request.user.has_perm(PROPOSE),
        "can_decide": request.user.has_perm(DECIDE),
    }
    return render(request, "portfolio/project_tab_monitoring.html", context)


urlpatterns = [
    path("watchlist/", watchlist, name="watchlist"),
    path("flags/refresh/", flags_refresh, name="flags_refresh"),
    path("flags/<int:pk>/resolve/", flag_resolve, name="flag_resolve"),
    path("monitoring/<int:pk>/", monitoring_plan, name="monitoring_plan"),
    path("monitoring/<int:pk>/kpis/add/", monitoring_kpi_add, name="monitoring_kpi_add"),
    path("monitoring/kpis/<int:pk>/edit/", monitoring_kpi_edit, name="monitoring_kpi_edit"),
    path("monitoring/kpis/<int:pk>/delete/", monitoring_kpi_delete, name="monitoring_kpi_delete"),
    path("monitoring/kpis/<int:pk>/record/", monitoring_kpi_record, name="monitoring_kpi_record"),
    path("recommendations/", recommendation_list, name="recommendation_list"),
    path("recommendations/new/<int:pk>/", recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/decide/", recommendation_decide, name="recommendation_decide"),
    path("recommendations/<int:pk>/done/", recommendation_done, name="recommendation_done"),
    path("dashboard/", dashboard, name="dashboard"),
]
