"""Pages of the strategy part: themes and objectives, their measurements and links to
projects, the alignment matrix, portfolios and their candidates, and the project's
"Strategy" tab."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import formatting, locking
from pmo.core.forms import add_service_errors
from pmo.core.models import OrgUnit, Project, SecurityEvent
from pmo.core.permissions import require_perm
from pmo.core.resources import export_rows, to_csv, to_xlsx
from pmo.core.services import security_event_record
from portfolio.forms.strategy import (
    CandidateForm,
    IntakeForm,
    LinkForm,
    MeasureForm,
    ObjectiveForm,
    PortfolioForm,
    ThemeForm,
)
from portfolio.models import Objective, ObjectiveLink, Portfolio, PortfolioItem, StrategicTheme
from portfolio.resources import ObjectiveResource
from portfolio.selectors import strategy as selectors
from portfolio.selectors.prioritisation import get_portfolio_for_user
from portfolio.services import strategy as services

PAGE_SIZE = 50
INTAKE_PAGE_SIZE = 100
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
VIEW_PORTFOLIO, CHANGE_PORTFOLIO = "portfolio.view_portfolio", "portfolio.change_portfolio"
CHANGE_STRATEGY = "portfolio.change_strategy"


# --- helpers ------------------------------------------------------------------------------


def _item_for(request, pk: int, item_pk: int) -> PortfolioItem:
    portfolio = get_portfolio_for_user(request, pk, CHANGE_PORTFOLIO)
    item = get_object_or_404(
        PortfolioItem.objects.select_related("project"), pk=item_pk, portfolio=portfolio
    )
    item.portfolio = portfolio
    return item


def _data(request):
    """The submitted data of a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path: redirect() would take a bare word as the name of a URL pattern.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _form_page(request, template: str, context: dict, form) -> TemplateResponse:
    """A form page; 422 when a submitted form is re-shown with its errors."""
    status = 422 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, template, {"form": form, **context}, status=status)


def _download(request, content: bytes, fmt: str, stem: str, detail: str) -> HttpResponse:
    security_event_record(
        kind=SecurityEvent.Kind.EXPORT, user=request.user, request=request, detail=detail[:500]
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{stem}-{timezone.localdate():%Y%m%d}.{fmt}"'
    )
    return response


def _unit_from(request) -> OrgUnit | None:
    unit_id = _int(request.GET.get("unit"))
    return OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None


def _units():
    return OrgUnit.objects.filter(is_active=True, depth__lte=2).order_by("path")


# --- themes and objectives --------------------------------------------------------------


@require_perm("portfolio.view_strategy")
def strategy(request):
    theme_id = _int(request.GET.get("theme"))
    theme = StrategicTheme.objects.filter(pk=theme_id).first() if theme_id else None
    status = request.GET.get("status", "")
    status = status if status in Objective.Status.values else ""
    overview = selectors.strategy_overview(
        today=timezone.localdate(),
        theme=theme,
        status=status,
        unserved_only=request.GET.get("unserved") == "1",
        key_only=request.GET.get("key") == "1",
        include_inactive=request.GET.get("inactive") == "1",
    )
    context = {
        **overview,
        "themes": StrategicTheme.objects.order_by("sort_order", "code"),
        "theme": theme,
        "status": status,
        "statuses": Objective.Status.choices,
        "can_change": request.user.has_perm(CHANGE_STRATEGY),
        "can_import": request.user.has_perm("portfolio.import_objectives")
        and request.user.has_perm("core.import_data"),
    }
    return TemplateResponse(request, "portfolio/strategy_overview.html", context)


@require_perm("portfolio.view_strategy")
def objective_export(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404
    objectives = Objective.objects.with_people().order_by(
        "theme__sort_order", "theme__code", "code"
    )
    headers, rows = export_rows(ObjectiveResource(), objectives)
    rows = list(rows)
    if fmt == "csv":
        content = to_csv(headers, rows)
    else:
        content = to_xlsx(headers, rows, sheet_title=str(_("Strategic objectives")))
    return _download(request, content, fmt, "objectives", f"objectives {fmt} {len(rows)} rows")


def _theme_form(request, theme: StrategicTheme | None):
    form = ThemeForm(_data(request), instance=theme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.theme_save(theme=theme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The strategic theme %(code)s was saved.") % {"code": saved.code}
            )
            return redirect(f"{reverse('portfolio:strategy')}?theme={saved.pk}")
    return _form_page(request, "portfolio/strategy_theme_form.html", {"theme": theme}, form)


@require_perm(CHANGE_STRATEGY)
def theme_create(request):
    return _theme_form(request, None)


@require_perm(CHANGE_STRATEGY)
def theme_edit(request, pk: int):
    return _theme_form(request, get_object_or_404(StrategicTheme, pk=pk))


def _objective_form(request, objective: Objective | None):
    form = ObjectiveForm(_data(request), instance=objective)
    locking.attach_token(form, objective)
    if objective is None and request.method == "GET":
        parent = Objective.objects.filter(pk=_int(request.GET.get("parent"))).first()
        form.initial.update(
            theme=parent.theme_id if parent else _int(request.GET.get("theme")),
            parent=parent.pk if parent else None,
            period_start=parent.period_start if parent else None,
            period_end=parent.period_end if parent else None,
        )
    if request.method == "POST" and form.is_valid():
        try:
            with locking.guard(form):
                saved = services.objective_save(
                    objective=objective, actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The objective %(code)s was saved.") % {"code": saved.code})
            return redirect(saved)
    return _form_page(request, "portfolio/objective_form.html", {"objective": objective}, form)


@require_perm(CHANGE_STRATEGY)
def objective_create(request):
    return _objective_form(request, None)


@require_perm(CHANGE_STRATEGY)
def objective_edit(request, pk: int):
    return _objective_form(request, get_object_or_404(Objective, pk=pk))


@require_perm("portfolio.view_strategy")
def objective_detail(request, pk: int):
    objective = get_object_or_404(Objective.objects.with_people().with_link_totals(), pk=pk)
    links, hidden = selectors.objective_links(objective, request.user)
    measurements = selectors.objective_measurements(objective)
    today = timezone.localdate()
    expected = selectors.expected_share(objective.period_start, objective.period_end, today)
    children = (
        Objective.objects.with_link_totals().filter(parent=objective).order_by("sort_order", "code")
    )
    context = {
        "objective": objective,
        "links": links,
        "hidden_links": hidden,
        "measurements": measurements,
        "trend_chart": selectors.objective_trend_chart(
            objective,
            measurements,
            title=str(_("Measured values against baseline and target")),
            baseline=str(_("Baseline")),
            target=str(_("Target")),
        )
        if measurements
        else None,
        "expected": expected * 100,
        "suggested": Objective.Status(selectors.suggested_status(objective.progress, expected)),
        "children": children,
        "coverage": objective.contribution_total or 0,
        "can_change": request.user.has_perm(CHANGE_STRATEGY),
        "link_form": LinkForm(initial={"objective": objective.pk}),
    }
    return TemplateResponse(request, "portfolio/objective_detail.html", context)


@require_perm(CHANGE_STRATEGY)
def objective_measure(request, pk: int):
    objective = get_object_or_404(Objective.objects.with_people(), pk=pk)
    form = MeasureForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_measure(objective=objective, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The measurement was recorded."))
            return redirect(objective)
    expected = selectors.expected_share(
        objective.period_start, objective.period_end, timezone.localdate()
    )
    context = {"objective": objective, "expected": expected * 100}
    return _form_page(request, "portfolio/objective_measure.html", context, form)


@require_perm(CHANGE_STRATEGY)
def objective_link_add(request):
    form = LinkForm(
        _data(request),
        initial={
            "objective": _int(request.GET.get("objective")),
            "project": _int(request.GET.get("project")),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = services.objective_link_save(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(project)s contributes %(share)s %% to %(objective)s.")
                % {
                    "project": link.project.code,
                    "share": link.contribution,
                    "objective": link.objective.code,
                },
            )
            return redirect(_safe_next(request, link.objective.get_absolute_url()))
    context = {"next": _safe_next(request, "")}
    return _form_page(request, "portfolio/objective_link_form.html", context, form)


@require_POST
@require_perm(CHANGE_STRATEGY)
def objective_link_delete(request, pk: int):
    link = get_object_or_404(ObjectiveLink.objects.select_related("objective", "project"), pk=pk)
    target = _safe_next(request, link.objective.get_absolute_url())
    services.objective_link_delete(link=link, actor=request.user)
    messages.success(
        request,
        _("%(project)s no longer serves %(objective)s.")
        % {"project": link.project.code, "objective": link.objective.code},
    )
    return redirect(target)


# --- alignment ------------------------------------------------------------------------------


def _alignment_inputs(request) -> dict:
    theme_id = _int(request.GET.get("theme"))
    sort = request.GET.get("sort", "impact")
    return {
        "theme": StrategicTheme.objects.filter(pk=theme_id).first() if theme_id else None,
        "unit": _unit_from(request),
        "key_only": request.GET.get("key") == "1",
        "aligned_only": request.GET.get("scope") != "all",
        "sort": sort if sort in selectors.ALIGNMENT_SORTS else "impact",
    }


@require_perm("portfolio.view_strategy")
def alignment(request):
    inputs = _alignment_inputs(request)
    objectives = selectors.alignment_objectives(theme=inputs["theme"], key_only=inputs["key_only"])
    projects = selectors.alignment_projects(
        request.user,
        objectives,
        unit=inputs["unit"],
        aligned_only=inputs["aligned_only"],
        sort=inputs["sort"],
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    top = selectors.top_impact(projects, inputs["sort"])
    context = {
        **inputs,
        "objectives": objectives,
        "page": page,
        "rows": selectors.alignment_cells(list(page.object_list), objectives),
        "summary": selectors.alignment_summary(request.user, objectives, inputs["unit"]),
        "impact_chart": selectors.impact_chart(
            top,
            key_label=str(_("Impact on key objectives")),
            other_label=str(_("Impact on other objectives")),
            title=str(_("Projects with the highest strategic impact")),
        )
        if top
        else None,
        "themes": StrategicTheme.objects.filter(is_active=True),
        "units": _units(),
        "sees_all": request.user.has_perm(VIEW_PORTFOLIO),
    }
    template = "portfolio/alignment.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_perm("portfolio.view_strategy")
def alignment_export(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404
    inputs = _alignment_inputs(request)
    objectives = selectors.alignment_objectives(theme=inputs["theme"], key_only=inputs["key_only"])
    projects = list(
        selectors.alignment_projects(
            request.user,
            objectives,
            unit=inputs["unit"],
            aligned_only=inputs["aligned_only"],
            sort=inputs["sort"],
        )
    )
    headers = [
        _("Project code"),
        _("Project"),
        _("Organisational unit"),
        _("Stage"),
        _("Budget (CNY)"),
        _("Strategic impact"),
        _("Impact on key objectives"),
    ]
    headers += [
        f"{o.code} {o.label} ({_('weight')} {formatting.decimal(o.weight)}{', ' + str(_('key')) if o.is_key else ''})"
        for o in objectives
    ]
    rows = [
        [
            row["project"].code,
            row["project"].label,
            row["project"].org_unit.label,
            str(row["project"].get_stage_display()),
            row["project"].budget,
            row["project"].impact,
            row["project"].key_impact,
            *[cell["contribution"] for cell in row["cells"]],
        ]
        for row in selectors.alignment_cells(projects, objectives)
    ]
    headers = [str(h) for h in headers]
    if fmt == "csv":
        content = to_csv(headers, rows)
    else:
        content = to_xlsx(headers, rows, sheet_title=str(_("Strategic alignment")))
    return _download(
        request,
        content,
        fmt,
        "alignment",
        f"alignment {fmt} {len(rows)} rows {request.GET.urlencode()}",
    )


# --- portfolios --------------------------------------------------------------------------------


@require_perm(VIEW_PORTFOLIO)
def portfolio_list(request):
    page = Paginator(selectors.portfolio_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "can_change": request.user.has_perm(CHANGE_PORTFOLIO)}
    return TemplateResponse(request, "portfolio/portfolio_list.html", context)


def _portfolio_form(request, portfolio: Portfolio | None):
    form = PortfolioForm(_data(request), instance=portfolio)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.portfolio_save(
                portfolio=portfolio, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The portfolio %(code)s was saved.") % {"code": saved.code})
            return redirect(saved)
    return _form_page(request, "portfolio/portfolio_form.html", {"portfolio": portfolio}, form)


@require_perm(CHANGE_PORTFOLIO)
def portfolio_create(request):
    return _portfolio_form(request, None)


@login_required
def portfolio_edit(request, pk: int):
    return _portfolio_form(request, get_portfolio_for_user(request, pk, CHANGE_PORTFOLIO))


@login_required
def portfolio_detail(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk)
    decision = request.GET.get("decision", "")
    decision = decision if decision in PortfolioItem.Decision.values else ""
    sort = request.GET.get("sort", "rank")
    sort = sort if sort in selectors.CANDIDATE_SORTS else "rank"
    items = selectors.portfolio_candidates(portfolio, decision=decision, sort=sort)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = selectors.portfolio_summary(portfolio)
    divisor, unit = formatting.chart_unit(request.LANGUAGE_CODE or "")
    labels = {
        "budget": _("Budget"),
        "cost": _("All candidates"),
        "mandatory_cost": _("Mandatory candidates"),
        "selected_cost": _("Selected"),
    }
    context = {
        "portfolio": portfolio,
        "active": "detail",
        "page": page,
        "summary": summary,
        "decision": decision,
        "decisions": PortfolioItem.Decision.choices,
        "sort": sort,
        "budget_chart": selectors.budget_chart(
            summary, labels, str(_("Cost against budget")), divisor, unit
        )
        if summary["count"]
        else None,
        "can_change": request.user.has_perm(CHANGE_PORTFOLIO),
    }
    return TemplateResponse(request, "portfolio/portfolio_detail.html", context)


@login_required
def candidate_add(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk, CHANGE_PORTFOLIO)
    stage = request.GET.get("stage", "")
    unit = _unit_from(request)
    query = request.GET.get("q", "").strip()
    eligible = selectors.intake_projects(
        portfolio, request.user, stage=stage, unit=unit, query=query
    )
    form = IntakeForm(_data(request), projects=selectors.intake_projects(portfolio, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            items = services.portfolio_candidates_add(
                portfolio=portfolio, projects=form.cleaned_data["projects"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s candidates were added to the portfolio.") % {"count": len(items)},
            )
            return redirect(portfolio)
    page = Paginator(eligible, INTAKE_PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = {str(v) for v in (form["projects"].value() or [])}
    context = {
        "portfolio": portfolio,
        "active": "detail",
        "page": page,
        "chosen": chosen,
        "stage": stage,
        "stages": [(s.value, s.label) for s in selectors.INTAKE_STAGES],
        "unit": unit,
        "units": _units(),
        "q": query,
    }
    return _form_page(request, "portfolio/portfolio_intake.html", context, form)


@login_required
def candidate_edit(request, pk: int, item_pk: int):
    item = _item_for(request, pk, item_pk)
    form = CandidateForm(_data(request), instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The candidate %(code)s was saved.") % {"code": item.project.code}
            )
            return redirect(item.portfolio)
    context = {"portfolio": item.portfolio, "item": item, "active": "detail"}
    return _form_page(request, "portfolio/portfolio_candidate_form.html", context, form)


@require_POST
@login_required
def candidate_remove(request, pk: int, item_pk: int):
    item = _item_for(request, pk, item_pk)
    try:
        services.candidate_remove(item=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(code)s was taken out of the portfolio.") % {"code": item.project.code}
        )
    return redirect(item.portfolio)


# --- the project's Strategy tab (registered in portfolio.wiring) -------------------------


def tab_strategy(request, project: Project):
    with_portfolios = request.user.has_perm(VIEW_PORTFOLIO)
    context = {
        "project": project,
        **selectors.project_strategy(project, with_portfolios=with_portfolios),
        "with_portfolios": with_portfolios,
        "can_change": request.user.has_perm(CHANGE_STRATEGY),
        "next": f"{project.get_absolute_url()}?tab=strategy",
    }
    return render(request, "portfolio/project_tab_strategy.html", context)


urlpatterns = [
    path("strategy/", strategy, name="strategy"),
    path("strategy/themes/new/", theme_create, name="theme_create"),
    path("strategy/themes/<int:pk>/edit/", theme_edit, name="theme_edit"),
    path("strategy/objectives/new/", objective_create, name="objective_create"),
    path("strategy/objectives/export/", objective_export, name="objective_export"),
    path("strategy/objectives/<int:pk>/", objective_detail, name="objective_detail"),
    path("strategy/objectives/<int:pk>/edit/", objective_edit, name="objective_edit"),
    path("strategy/objectives/<int:pk>/measure/", objective_measure, name="objective_measure"),
    path("strategy/links/add/", objective_link_add, name="objective_link_add"),
    path("strategy/links/<int:pk>/delete/", objective_link_delete, name="objective_link_delete"),
    path("alignment/", alignment, name="alignment"),
    path("alignment/export/", alignment_export, name="alignment_export"),
    path("portfolios/", portfolio_list, name="portfolio_list"),
    path("portfolios/new/", portfolio_create, name="portfolio_create"),
    path("portfolios/<int:pk>/", portfolio_detail, name="portfolio_detail"),
    path("portfolios/<int:pk>/edit/", portfolio_edit, name="portfolio_edit"),
    path("portfolios/<int:pk>/candidates/add/", candidate_add, name="candidate_add"),
    path(
        "portfolios/<int:pk>/candidates/<int:item_pk>/edit/", candidate_edit, name="candidate_edit"
    ),
    path(
        "portfolios/<int:pk>/candidates/<int:item_pk>/remove/",
        candidate_remove,
        name="candidate_remove",
    ),
]
