"""Pages of the scenarios part: dependencies between projects, scenarios (settings,
what-if capacity, solve, frontier, compare, commit), the capacity heat map and the
balance of a portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pmo.core import formatting, locking
from pmo.core.charts import bar
from pmo.core.forms import add_service_errors
from pmo.core.models import Project, Stage
from pmo.core.permissions import deny, require_perm
from portfolio import charts
from portfolio.forms.scenarios import (
    CapacityFilterForm,
    CompareForm,
    DependencyForm,
    ScenarioCapacityForm,
    ScenarioForm,
    ScenarioSettingForm,
    WhatIfForm,
)
from portfolio.models import (
    Portfolio,
    PortfolioItem,
    ProjectDependency,
    Scenario,
    ScenarioCapacity,
    ScenarioItem,
)
from portfolio.selectors import scenarios as selectors
from portfolio.selectors.prioritisation import get_portfolio_for_user
from portfolio.services import scenarios as services

VIEW_PORTFOLIO = "portfolio.view_portfolio"
CHANGE_PORTFOLIO = "portfolio.change_portfolio"
RUN_SCENARIO = "portfolio.run_scenario"
COMMIT_SCENARIO = "portfolio.commit_scenario"
PAGE_SIZE = 25
DEPENDENCY_PAGE_SIZE = 50
GRAPH_LIMIT = 150  # edges drawn in the dependency graph; the table lists them all


# --- helpers ------------------------------------------------------------------------------


def _scenario_for(request, pk: int, perm: str = VIEW_PORTFOLIO) -> Scenario:
    """The scenario if the user may see it (else 404) and holds ``perm`` (else 403)."""
    try:
        scenario = (
            Scenario.objects.visible_to(request.user)
            .select_related("portfolio", "created_by", "committed_by")
            .get(pk=pk)
        )
    except Scenario.DoesNotExist:
        raise Http404 from None
    if perm != VIEW_PORTFOLIO and not request.user.has_perm(perm):
        deny(request, perm)
    return scenario


def _int(value) -> int | None:
    text = str(value or "").strip()
    if text.startswith("-") and text[1:].isdigit():
        return int(text)
    return int(text) if text.isdigit() else None


def _unit() -> tuple:
    """Divisor and unit name of money on chart axes in the active language."""
    return formatting.chart_unit(_language())


def _language() -> str:
    return translation.get_language() or "zh-hans"


def _money(value) -> str:
    return formatting.money(value, _language())


def _form_page(request, template: str, context: dict, form, status: int | None = None):
    if status is None:
        status = 422 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, template, {"form": form, **context}, status=status)


# --- dependencies -------------------------------------------------------------------------


def _dependency_graph(rows: list[ProjectDependency], candidate_ids: set[int]) -> dict:
    nodes, edges = {}, []
    for dependency in rows[:GRAPH_LIMIT]:
        for project in (dependency.project, dependency.other):
            nodes[project.pk] = {
                "id": str(project.pk),
                "name": project.code,
                "tooltip": f"{project.code} {project.label} · {project.get_stage_display()}",
                "candidate": project.pk in candidate_ids,
            }
        edges.append(
            {
                "source": str(dependency.project_id),
                "target": str(dependency.other_id),
                "kind": dependency.kind,
                "name": dependency.get_kind_display(),
            }
        )
    return charts.dependency_graph(
        list(nodes.values()),
        edges,
        labels={"candidate": _("Candidate of the portfolio"), "other": _("Other project")},
    )


@require_GET
@require_perm(VIEW_PORTFOLIO)
def dependency_list(request):
    portfolios = Portfolio.objects.visible_to(request.user).order_by("-horizon_start", "code")
    portfolio = None
    portfolio_id = _int(request.GET.get("portfolio"))
    if portfolio_id:
        portfolio = get_object_or_404(portfolios, pk=portfolio_id)
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.dependencies(portfolio=portfolio, query=query)
    page = Paginator(rows, DEPENDENCY_PAGE_SIZE).get_page(request.GET.get("page"))
    candidate_ids = (
        set(PortfolioItem.objects.filter(portfolio=portfolio).values_list("project_id", flat=True))
        if portfolio
        else set()
    )
    graph_rows = list(rows[: GRAPH_LIMIT + 1])
    context = {
        "portfolios": portfolios,
        "portfolio": portfolio,
        "query": query,
        "page": page,
        "graph": _dependency_graph(graph_rows, candidate_ids) if graph_rows else None,
        "graph_truncated": len(graph_rows) > GRAPH_LIMIT,
        "can_change": request.user.has_perm(CHANGE_PORTFOLIO),
    }
    return TemplateResponse(request, "portfolio/dependency_list.html", context)


def _dependency_list_url(portfolio_id) -> str:
    url = reverse("portfolio:dependency_list")
    return f"{url}?portfolio={portfolio_id}" if portfolio_id else url


@require_perm(CHANGE_PORTFOLIO)
def dependency_create(request):
    portfolio_id = _int(request.POST.get("portfolio") or request.GET.get("portfolio"))
    form = DependencyForm(
        request.POST or None, initial={"project": _int(request.GET.get("project"))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dependency_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dependency was recorded."))
            return redirect(_dependency_list_url(portfolio_id))
    return _form_page(
        request,
        "portfolio/dependency_form.html",
        {"portfolio_id": portfolio_id, "back": _dependency_list_url(portfolio_id)},
        form,
    )


@require_POST
@require_perm(CHANGE_PORTFOLIO)
def dependency_delete(request, pk: int):
    dependency = get_object_or_404(ProjectDependency, pk=pk)
    services.dependency_delete(dependency=dependency, actor=request.user)
    messages.success(request, _("The dependency was deleted."))
    return redirect(_dependency_list_url(_int(request.POST.get("portfolio"))))


# --- scenarios of a portfolio ---------------------------------------------------------------


@require_GET
@login_required
def scenario_list(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk)
    scenarios = selectors.portfolio_scenarios(portfolio)
    page = Paginator(scenarios, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "portfolio": portfolio,
        "page": page,
        "can_run": request.user.has_perm(RUN_SCENARIO),
        "candidate_count": PortfolioItem.objects.filter(portfolio=portfolio).count(),
    }
    return TemplateResponse(request, "portfolio/scenario_list.html", context)


@login_required
def scenario_create(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk, RUN_SCENARIO)
    form = ScenarioForm(request.POST or None, initial={"budget": portfolio.budget})
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(
                portfolio=portfolio, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scenario was created. Set it up, then solve it."))
            return redirect(scenario)
    return _form_page(
        request, "portfolio/scenario_form.html", {"portfolio": portfolio, "scenario": None}, form
    )


@login_required
def scenario_edit(request, pk: int):
    scenario = _scenario_for(request, pk, RUN_SCENARIO)
    form = ScenarioForm(request.POST or None, instance=scenario)
    locking.attach_token(form, scenario)
    if request.method == "POST" and form.is_valid():
        try:
            with locking.guard(form):
                services.scenario_update(scenario=scenario, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scenario was saved."))
            return redirect(scenario)
    return _form_page(
        request,
        "portfolio/scenario_form.html",
        {"portfolio": scenario.portfolio, "scenario": scenario},
        form,
    )


# --- the scenario page ------------------------------------------------------------------------


def _frontier_chart(scenario: Scenario) -> dict | None:
    result = scenario.result or {}
    frontier = result.get("frontier") or {}
    if frontier.get("status") != "done" or not frontier.get("points"):
        return None
    divisor, unit = _unit()
    div = float(divisor)

    def name(cost, value, count) -> str:
        return _("%(count)s projects · cost %(cost)s · value %(value)s") % {
            "count": count,
            "cost": _money(cost),
            "value": formatting.decimal(value, 1),
        }

    points = [
        {
            "x": round(p["cost"] / div, 2),
            "y": round(p["value"], 2),
            "name": name(p["cost"], p["value"], p["count"]),
        }
        for p in frontier["points"]
    ]
    mine = {
        "x": round(result["cost"] / div, 2),
        "y": round(result["value"], 2),
        "name": _("This scenario: %(detail)s")
        % {"detail": name(result["cost"], result["value"], len(result["chosen"]))},
    }
    return charts.frontier(
        points,
        scenario=mine,
        budget=round(float(scenario.budget) / div, 2),
        labels={
            "frontier": _("Efficient frontier"),
            "scenario": scenario.name,
            "budget": _("Budget limit"),
            "x": _("Cost (%(unit)s)") % {"unit": unit},
            "y": _("Value (priority score)"),
        },
    )


def _risk_rows(mix: dict) -> list[tuple[str, float, int]]:
    divisor, _unit_name = _unit()
    rows = [
        (str(level["level"]), level["cost"] / float(divisor), level["count"])
        for level in mix["levels"]
    ]
    if mix["unrated"]["count"]:
        rows.append((_("Not rated"), mix["unrated"]["cost"] / float(divisor), 0))
    return rows


def _risk_chart(mix: dict) -> dict:
    _divisor, unit = _unit()
    return charts.risk_mix(
        _risk_rows(mix),
        labels={"y": unit, "series": _("Cost by risk rating")},
    )


SHOW_CHOICES = ("", "in", "out", "forced")
ROWS_PER_PAGE = 100


def _shown_rows(rows: list, show: str, page_number):
    """The page of candidate rows the table shows, filtered by their place in the result."""
    if show == "in":
        rows = [row for row in rows if row.chosen]
    elif show == "out":
        rows = [row for row in rows if row.chosen is False]
    elif show == "forced":
        rows = [row for row in rows if row.force or row.shift or row.item.mandate]
    return Paginator(rows, ROWS_PER_PAGE).get_page(page_number)


def _detail_context(request, scenario: Scenario, **extra) -> dict:
    params = request.POST if request.method == "POST" else request.GET
    show = params.get("show", "") if params.get("show", "") in SHOW_CHOICES else ""
    inputs = selectors.scenario_inputs(scenario)
    result = scenario.result or {}
    roles = selectors.role_labels()
    items = inputs.by_id
    rows = selectors.result_rows(inputs, result, roles)
    solved = bool(result.get("items"))
    chosen = [row.item for row in rows if row.chosen]
    stale = bool(result) and result.get("fingerprint") != inputs.fingerprint
    mix = selectors.risk_mix(chosen) if solved else None
    can_run = request.user.has_perm(RUN_SCENARIO)
    is_draft = scenario.status == Scenario.Status.DRAFT
    context = {
        "portfolio": scenario.portfolio,
        "scenario": scenario,
        "inputs": inputs,
        "rows": rows,
        "page": _shown_rows(rows, show, params.get("page")),
        "show": show,
        "show_choices": [
            ("", _("All")),
            ("in", _("In")),
            ("out", _("Out")),
            ("forced", _("Forced, shifted or mandatory")),
        ],
        "result": result,
        "solved": solved,
        "stale": stale,
        "infeasible": selectors.infeasible_text(result["infeasible"], items, roles)
        if result.get("infeasible")
        else "",
        "chosen_count": len(chosen),
        "budget_use": 100 * result.get("cost", 0) / float(scenario.budget)
        if solved and scenario.budget
        else None,
        "peak": 100 * peak if (peak := selectors.peak_use(result)) is not None else None,
        "total_value": sum(float(item.score or 0) for item in inputs.items),
        "gap_pct": 100 * result.get("gap", 0.0),
        "usage": selectors.usage_grid(result, inputs.periods, roles) if solved else [],
        "periods": inputs.periods,
        "frontier_state": services.frontier_state(scenario),
        "frontier_chart": _frontier_chart(scenario),
        "mix": mix,
        "risk_chart": _risk_chart(mix) if mix else None,
        "outside": inputs.outside,
        "changes": ScenarioCapacity.objects.filter(scenario=scenario)
        .select_related("role")
        .order_by("month", "role__code"),
        "capacity_form": extra.pop("capacity_form", None) or ScenarioCapacityForm(),
        "can_run": can_run,
        "can_edit": can_run and is_draft,
        "can_commit": request.user.has_perm(COMMIT_SCENARIO) and is_draft and solved and not stale,
        "force_choices": ScenarioItem.Force.choices,
        "shift_limit": selectors.SHIFT_LIMIT,
        "role_names": roles,
    }
    context.update(extra)
    return context


@require_GET
@login_required
def scenario_detail(request, pk: int):
    scenario = _scenario_for(request, pk)
    return TemplateResponse(
        request, "portfolio/scenario_detail.html", _detail_context(request, scenario)
    )


@require_POST
@login_required
def scenario_solve(request, pk: int):
    scenario = _scenario_for(request, pk, RUN_SCENARIO)
    try:
        scenario = services.scenario_solve(scenario=scenario, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        result = scenario.result
        if result.get("infeasible"):
            messages.warning(request, _("The forced choices conflict; see the explanation."))
        else:
            messages.success(
                request,
                _("Solved in %(seconds)s s: %(count)s of %(total)s candidates chosen.")
                % {
                    "seconds": formatting.decimal(result.get("seconds", 0), 2),
                    "count": len(result["chosen"]),
                    "total": result["candidates"],
                },
            )
    return redirect(f"{scenario.get_absolute_url()}#result")


@require_GET
@login_required
def scenario_frontier(request, pk: int):
    """The frontier card, polled by htmx while a background task computes it."""
    scenario = _scenario_for(request, pk)
    if not request.htmx:
        return redirect(f"{scenario.get_absolute_url()}#frontier")
    context = {
        "scenario": scenario,
        "result": scenario.result or {},
        "solved": bool((scenario.result or {}).get("items")),
        "frontier_state": services.frontier_state(scenario),
        "frontier_chart": _frontier_chart(scenario),
    }
    return TemplateResponse(request, "portfolio/scenario_detail.html#frontier", context)


@require_POST
@login_required
def scenario_setting(request, pk: int, item_pk: int):
    scenario = _scenario_for(request, pk, RUN_SCENARIO)
    item = get_object_or_404(PortfolioItem, pk=item_pk, portfolio_id=scenario.portfolio_id)
    form = ScenarioSettingForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.scenario_setting_set(
                scenario=scenario, item=item, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    scenario.refresh_from_db()
    if request.htmx:
        context = _detail_context(request, scenario, setting_error=error, error_item=item.pk)
        return TemplateResponse(request, "portfolio/scenario_detail.html#main", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The setting was saved. Solve the scenario again."))
    return redirect(f"{scenario.get_absolute_url()}#result")


@require_POST
@login_required
def scenario_capacity_add(request, pk: int):
    scenario = _scenario_for(request, pk, RUN_SCENARIO)
    form = ScenarioCapacityForm(request.POST)
    if form.is_valid():
        try:
            services.scenario_capacity_add(
                scenario=scenario, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        scenario.refresh_from_db()
        context = _detail_context(request, scenario, capacity_form=form)
        return TemplateResponse(request, "portfolio/scenario_detail.html", context, status=422)
    messages.success(request, _("The what-if capacity was saved. Solve the scenario again."))
    return redirect(f"{scenario.get_absolute_url()}#capacity")


@require_POST
@login_required
def scenario_capacity_delete(request, pk: int, change_pk: int):
    scenario = _scenario_for(request, pk, RUN_SCENARIO)
    change = get_object_or_404(ScenarioCapacity, pk=change_pk, scenario=scenario)
    try:
        services.scenario_capacity_delete(change=change, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The what-if capacity was removed."))
    return redirect(f"{scenario.get_absolute_url()}#capacity")


@require_POST
@login_required
def scenario_copy(request, pk: int):
    scenario = _scenario_for(request, pk, RUN_SCENARIO)
    try:
        copy = services.scenario_copy(scenario=scenario, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(scenario)
    messages.success(request, _("A draft copy was made; change it and solve it."))
    return redirect(copy)


@require_POST
@login_required
def scenario_delete(request, pk: int):
    scenario = _scenario_for(request, pk, RUN_SCENARIO)
    try:
        services.scenario_delete(scenario=scenario, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(scenario)
    messages.success(request, _("The scenario was deleted."))
    return redirect("portfolio:scenario_list", scenario.portfolio_id)


def _commit_plan(scenario: Scenario) -> dict:
    """What committing would do, for the confirmation page."""
    result = scenario.result or {}
    chosen = set(result.get("chosen", []))
    items = PortfolioItem.objects.filter(portfolio=scenario.portfolio).with_project().ranked()
    moves, unchanged, released, blocked = [], [], [], []
    for item in items:
        if item.pk in chosen:
            path_ = services.approval_path(item.project.stage)
            if path_ is None:
                blocked.append(item)
            elif path_:
                labels = [Stage(stage).label for stage in path_]
                moves.append((item, [item.project.get_stage_display(), *labels]))
            else:
                unchanged.append(item)
        elif item.decision == PortfolioItem.Decision.SELECTED:
            released.append(item)
    return {
        "moves": moves,
        "unchanged": unchanged,
        "released": released,
        "blocked": blocked,
        "superseded": Scenario.objects.filter(
            portfolio=scenario.portfolio, status=Scenario.Status.COMMITTED
        ),
    }


@login_required
def scenario_commit(request, pk: int):
    """GET: what committing will do; POST: commit (PMO)."""
    scenario = _scenario_for(request, pk, COMMIT_SCENARIO)
    if request.method == "POST":
        try:
            services.scenario_commit(scenario=scenario, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(scenario)
        messages.success(
            request,
            _("The scenario was committed: its projects are approved and selected."),
        )
        return redirect(scenario)
    context = {
        "portfolio": scenario.portfolio,
        "scenario": scenario,
        "plan": _commit_plan(scenario),
        "solved": bool((scenario.result or {}).get("items")),
    }
    return TemplateResponse(request, "portfolio/scenario_commit.html", context)


@require_GET
@login_required
def scenario_compare(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk)
    form = CompareForm(request.GET or None, portfolio=portfolio)
    context = {"portfolio": portfolio, "form": form, "data": None}
    if form.is_bound and form.is_valid():
        scenarios = sorted(form.cleaned_data["s"], key=lambda s: s.created_at)
        for scenario in scenarios:
            scenario.portfolio = portfolio
        data = selectors.comparison(scenarios)
        divisor, unit = _unit()
        solved = [c for c in data["columns"] if c["solved"]]
        context["data"] = data
        context["only_differences"] = request.GET.get("diff") == "1"
        context["chart"] = (
            charts.scenario_bars(
                [c["scenario"].name for c in solved],
                {
                    _("Value (priority score)"): [c["value"] for c in solved],
                    _("Cost (%(unit)s)") % {"unit": unit}: [
                        c["cost"] / float(divisor) for c in solved
                    ],
                },
                labels={"value": _("Value"), "cost": unit},
            )
            if solved
            else None
        )
    return TemplateResponse(request, "portfolio/scenario_compare.html", context)


# --- capacity --------------------------------------------------------------------------------

WHATIF_FIELDS = ("shift_project", "shift_months", "add_role", "add_hours")
MOVABLE_STAGES = (Stage.APPROVED, *selectors.CANDIDATE_STAGES)


def _shifts_from(request) -> list[tuple[str, int, int]]:
    """``shift=<project id>:<months>`` entries of the query: (raw, project id, months)."""
    found = []
    for raw in request.GET.getlist("shift")[:20]:
        project, _sep, months = raw.partition(":")
        project_id, count = _int(project), _int(months)
        if project_id and count and abs(count) <= selectors.SHIFT_LIMIT:
            found.append((raw, project_id, count))
    return found


def _additions_from(request) -> list[tuple[str, str, float]]:
    """``add=<role code>:<hours per month>`` entries of the query: (raw, code, hours)."""
    found = []
    for raw in request.GET.getlist("add")[:20]:
        code, _sep, hours = raw.partition(":")
        try:
            value = float(hours)
        except ValueError:
            continue
        if code and value and abs(value) <= 100_000:
            found.append((raw, code[:40], value))
    return found


def _capacity_url(query) -> str:
    return reverse("portfolio:capacity") + ("?" + query.urlencode() if query else "")


def _query_without(request, key: str, value: str) -> str:
    query = request.GET.copy()
    query.setlist(key, [v for v in query.getlist(key) if v != value])
    return _capacity_url(query)


def _query_with_shift(request, project_id: int, months: int) -> str:
    query = request.GET.copy()
    kept = [v for v in query.getlist("shift") if not v.startswith(f"{project_id}:")]
    query.setlist("shift", [*kept, f"{project_id}:{months}"])
    return _capacity_url(query)


def _apply_whatif(request):
    """Turn the what-if form into ``shift``/``add`` entries of the query and reload."""
    movable = Project.objects.filter(stage__in=MOVABLE_STAGES)
    form = WhatIfForm(request.GET, projects=movable)
    query = request.GET.copy()
    for key in WHATIF_FIELDS:
        query.pop(key, None)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_capacity_url(query))
    data = form.cleaned_data
    if data.get("shift_project") and data.get("shift_months"):
        project_id = data["shift_project"].pk
        kept = [v for v in query.getlist("shift") if not v.startswith(f"{project_id}:")]
        query.setlist("shift", [*kept, f"{project_id}:{data['shift_months']}"])
    if data.get("add_role") and data.get("add_hours"):
        query.appendlist("add", f"{data['add_role'].code}:{data['add_hours']:g}")
    return redirect(_capacity_url(query))


@require_GET
@require_perm("portfolio.view_capacity")
def capacity(request):
    if any(request.GET.get(key) for key in WHATIF_FIELDS):
        return _apply_whatif(request)
    form = CapacityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or timezone.localdate().replace(day=1)
    periods = selectors.periods_from(start, data.get("months") or 12)
    # The filter form marks itself with "filtered"; before it is sent, candidates count.
    include_candidates = "candidates" in request.GET if "filtered" in request.GET else True
    shifts, additions = _shifts_from(request), _additions_from(request)
    added: dict[str, float] = {}
    for _raw, code, hours in additions:
        added[code] = added.get(code, 0.0) + hours
    heat = selectors.capacity_map(
        periods,
        unit=data.get("unit"),
        include_candidates=include_candidates,
        shifts={project_id: months for _raw, project_id, months in shifts},
        additions=added,
    )
    named = Project.objects.in_bulk([project_id for _raw, project_id, _m in shifts])
    roles = selectors.role_labels()
    context = {
        "form": form,
        "whatif": WhatIfForm(
            projects=Project.objects.filter(pk__in=list(heat.projects)).order_by("code")
        ),
        "heat": heat,
        "periods": periods,
        "include_candidates": include_candidates,
        "shift_chips": [
            {
                "project": named.get(pid),
                "months": months,
                "remove": _query_without(request, "shift", raw),
            }
            for raw, pid, months in shifts
        ],
        "add_chips": [
            {
                "role": roles.get(code, code),
                "hours": hours,
                "remove": _query_without(request, "add", raw),
            }
            for raw, code, hours in additions
        ],
        "suggestions": [
            {**s, "apply": _query_with_shift(request, s["project"].pk, s["months"])}
            for s in heat.suggestions
        ],
        "whatif_active": bool(shifts or additions),
        "keep_whatif": [
            (key, value) for key in ("shift", "add") for value in request.GET.getlist(key)
        ],
        "keep_view": [
            (key, value)
            for key, values in request.GET.lists()
            if key not in WHATIF_FIELDS
            for value in values
        ],
        "reset": _capacity_url(_without_keys(request, ("shift", "add"))),
    }
    return TemplateResponse(request, "portfolio/capacity.html", context)


def _without_keys(request, keys: tuple[str, ...]):
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query


# --- balance ---------------------------------------------------------------------------------


def _balance_set(request, portfolio: Portfolio) -> tuple[set[int] | None, str, list]:
    """Which candidates the balance shows: all, those selected, or a scenario's choice."""
    scenarios = [
        s
        for s in Scenario.objects.filter(portfolio=portfolio).order_by("-created_at")
        if (s.result or {}).get("items")
    ]
    choice = request.GET.get("set", "")
    if choice == "selected":
        ids = set(
            PortfolioItem.objects.filter(
                portfolio=portfolio, decision=PortfolioItem.Decision.SELECTED
            ).values_list("pk", flat=True)
        )
        return ids, choice, scenarios
    scenario_id = _int(choice.removeprefix("scenario-")) if choice.startswith("scenario-") else None
    for scenario in scenarios:
        if scenario.pk == scenario_id:
            return set(scenario.result.get("chosen", [])), choice, scenarios
    return None, "", scenarios


@require_GET
@login_required
def balance(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk)
    chosen, choice, scenarios = _balance_set(request, portfolio)
    data = selectors.balance_data(portfolio, chosen)
    divisor, unit = _unit()
    div = float(divisor)
    groups: dict[str, list[dict]] = {}
    colours = {}
    for item in data["items"]:
        if item.risk is None:
            continue
        label = item.get_decision_display()
        colours[label] = {"selected": "#198754", "deferred": "#adb5bd"}.get(
            item.decision, "#0d6efd"
        )
        groups.setdefault(label, []).append(
            {
                "risk": item.risk,
                "value": float(item.score or 0),
                "cost": float(item.cost),
                "label": item.project.code,
                "name": _("%(project)s · value %(value)s · risk %(risk)s · cost %(cost)s")
                % {
                    "project": f"{item.project.code} {item.project.label}",
                    "value": formatting.decimal(item.score or 0, 1),
                    "risk": item.risk,
                    "cost": _money(item.cost),
                },
            }
        )

    def spend(rows):
        option = bar(
            [label for label, _v in rows],
            {_("Cost"): [round(v / div, 1) for _l, v in rows]},
            horizontal=True,
            value_name=unit,
        )
        option["xAxis"]["splitNumber"] = 3  # narrow cards: fewer, readable ticks
        return option

    context = {
        "portfolio": portfolio,
        "data": data,
        "choice": choice,
        "scenario_options": [(f"scenario-{s.pk}", s.name) for s in scenarios],
        "unrated": [i for i in data["items"] if i.risk is None],
        "bubble": charts.bubble(
            groups,
            colours=colours,
            labels={
                "x": _("Delivery risk (1 = low, 5 = very high)"),
                "y": _("Value (priority score)"),
                "risk_line": _("high risk"),
            },
        )
        if groups
        else None,
        "by_type": spend(data["by_type"]) if data["by_type"] else None,
        "by_theme": spend(data["by_theme"]) if data["by_theme"] else None,
        "by_unit": spend(data["by_unit"]) if data["by_unit"] else None,
        "funnel": charts.funnel([(row["label"], row["count"]) for row in data["funnel"]]),
        "risk_chart": _risk_chart(data["risk"]) if data["items"] else None,
        "unit": unit,
    }
    return TemplateResponse(request, "portfolio/balance.html", context)


urlpatterns = [
    path("portfolios/dependencies/", dependency_list, name="dependency_list"),
    path("portfolios/dependencies/new/", dependency_create, name="dependency_create"),
    path("portfolios/dependencies/<int:pk>/delete/", dependency_delete, name="dependency_delete"),
    path("portfolios/<int:pk>/scenarios/", scenario_list, name="scenario_list"),
    path("portfolios/<int:pk>/scenarios/new/", scenario_create, name="scenario_create"),
    path("portfolios/<int:pk>/scenarios/compare/", scenario_compare, name="scenario_compare"),
    path("portfolios/<int:pk>/balance/", balance, name="balance"),
    path("portfolios/scenarios/<int:pk>/", scenario_detail, name="scenario_detail"),
    path("portfolios/scenarios/<int:pk>/edit/", scenario_edit, name="scenario_edit"),
    path("portfolios/scenarios/<int:pk>/solve/", scenario_solve, name="scenario_solve"),
    path("portfolios/scenarios/<int:pk>/frontier/", scenario_frontier, name="scenario_frontier"),
    path(
        "portfolios/scenarios/<int:pk>/items/<int:item_pk>/",
        scenario_setting,
        name="scenario_setting",
    ),
    path(
        "portfolios/scenarios/<int:pk>/capacity/",
        scenario_capacity_add,
        name="scenario_capacity_add",
    ),
    path(
        "portfolios/scenarios/<int:pk>/capacity/<int:change_pk>/delete/",
        scenario_capacity_delete,
        name="scenario_capacity_delete",
    ),
    path("portfolios/scenarios/<int:pk>/commit/", scenario_commit, name="scenario_commit"),
    path("portfolios/scenarios/<int:pk>/copy/", scenario_copy, name="scenario_copy"),
    path("portfolios/scenarios/<int:pk>/delete/", scenario_delete, name="scenario_delete"),
    path("capacity/", capacity, name="capacity"),
]
