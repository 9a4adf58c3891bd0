"""Weekly status: the project tab, the report form (pre-filled from last week, with a live
earned-value panel), a report's page, the PMO's override, the portfolio status grid and
the manager's own list of reports due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery import charts, evm
from delivery.forms import GridFilterForm, OverrideForm, PolicyForm, StatusReportForm
from delivery.models import (
    DIMENSIONS,
    Deliverable,
    DeliverableProgress,
    Milestone,
    StatusReport,
)
from delivery.selectors import status_grid
from delivery.services import status as services
from delivery.views.common import deny, form_page, project_object, tab_url
from pmo.core import locking, roles
from pmo.core.formatting import money
from pmo.core.forms import add_service_errors
from pmo.core.models import OrgUnit, Project, Stage
from pmo.core.permissions import get_project_for_user, require_perm

MANAGE = "delivery.manage_delivery"
PAGE_SIZE = 50


def _fmt_index(value) -> str:
    return "—" if value is None else f"{Decimal(value):.2f}"


def evm_rows(result: evm.EvmResult | StatusReport) -> list[tuple[str, str, str, str]]:
    """(key, value, formula, the formula with the figures) for each EVM measure."""
    language = translation.get_language() or "zh-hans"
    m = lambda v: money(v, language)  # noqa: E731
    get = lambda key: getattr(result, key, None)  # noqa: E731
    ac = get("ac")
    if ac is None:
        ac = get("actual_cost")
    bac, pv, ev = get("bac"), get("pv"), get("ev")
    eac = get("eac")
    sv = None if ev is None or pv is None else ev - pv
    cv = None if ev is None or ac is None else ev - ac
    etc = None if eac is None or ac is None else eac - ac
    return [
        ("bac", m(bac), "BAC", _("budget at completion of the current baseline")),
        ("pv", m(pv), evm.FORMULAS["pv"], _("planned value from the baseline")),
        ("ev", m(ev), evm.FORMULAS["ev"], f"{m(bac)} × {get('percent_complete') or 0}%"),
        ("ac", m(ac), "AC", _("actual cost to date")),
        ("sv", m(sv), evm.FORMULAS["sv"], f"{m(ev)} − {m(pv)}"),
        ("cv", m(cv), evm.FORMULAS["cv"], f"{m(ev)} − {m(ac)}"),
        ("spi", _fmt_index(get("spi")), evm.FORMULAS["spi"], f"{m(ev)} ÷ {m(pv)}"),
        ("cpi", _fmt_index(get("cpi")), evm.FORMULAS["cpi"], f"{m(ev)} ÷ {m(ac)}"),
        ("eac", m(eac), evm.FORMULAS["eac"], f"{m(bac)} ÷ {_fmt_index(get('cpi'))}"),
        ("etc", m(etc), evm.FORMULAS["etc"], f"{m(eac)} − {m(ac)}"),
        ("vac", m(get("vac")), evm.FORMULAS["vac"], f"{m(bac)} − {m(eac)}"),
        (
            "tcpi",
            _fmt_index(get("tcpi")),
            evm.FORMULAS["tcpi"],
            f"({m(bac)} − {m(ev)}) ÷ ({m(bac)} − {m(ac)})",
        ),
    ]


def tab_status(request, project):
    reports = list(
        StatusReport.objects.filter(project=project).select_related("submitted_by__person")[:12]
    )
    submitted = [r for r in reports if r.status == StatusReport.Status.SUBMITTED]
    latest = submitted[0] if submitted else None
    on_time = sum(1 for r in submitted if r.on_time)
    context = {
        "project": project,
        "reports": reports,
        "latest": latest,
        "evm": evm_rows(latest) if latest else [],
        "trend": charts.index_trend(submitted[::-1]) if len(submitted) > 1 else None,
        "on_time": on_time,
        "submitted_count": len(submitted),
        "policy": services.policy_for(project),
        "can_manage": request.user.has_perm(MANAGE, project),
        "dimension_labels": [
            StatusReport._meta.get_field(f"{key}_rag").verbose_name for key in DIMENSIONS
        ],
    }
    return render(request, "delivery/tab_status.html", context)


def _prefill(project, period_start: dt.date, deliverables) -> tuple[dict, StatusReport | None]:
    """Initial values: this period's draft if there is one, else last week's report."""
    current = StatusReport.objects.filter(project=project, period_start=period_start).first()
    source = current or services.last_submitted(project, before=period_start)
    initial: dict = {"period": period_start.isoformat()}
    progress = {d.pk: d.percent_complete for d in deliverables}
    if source is not None:
        for key in services.REPORT_FIELDS:
            initial[key] = getattr(source, key)
        if current is None:
            # Last week's next steps are this week's work to report on.
            initial["accomplishments"] = source.next_steps
            initial["next_steps"] = ""
        else:
            initial["milestones_reached"] = list(
                current.milestones_reached.values_list("pk", flat=True)
            )
        progress.update(
            DeliverableProgress.objects.filter(report=source).values_list(
                "deliverable_id", "percent_complete"
            )
        )
    else:
        initial.update({f"{k}_rag": "green" for k in ("schedule", "cost", "scope")})
        initial.update({f"{k}_rag": "green" for k in ("quality", "risk", "resources")})
        initial["actual_cost"] = project.spend_to_date
        initial["percent_complete"] = project.percent_complete
    for pk, value in progress.items():
        initial[f"progress_{pk}"] = value
    return initial, (None if current else source)


def _status_form(request, project, data=None):
    open_periods = services.open_periods(project)
    chosen = (data or request.GET).get("period") or open_periods[0].start.isoformat()
    period = next((p for p in open_periods if p.start.isoformat() == chosen), open_periods[0])
    deliverables = list(Deliverable.objects.filter(project=project))
    initial, source = _prefill(project, period.start, deliverables)
    reached = initial.get("milestones_reached", [])
    milestones = Milestone.objects.filter(project=project).filter(
        Q(actual_date__isnull=True) | Q(pk__in=reached)
    )
    form = StatusReportForm(
        data,
        initial=initial,
        periods=open_periods,
        deliverables=deliverables,
        milestones=milestones.order_by("planned_date"),
    )
    # Two people on the same period's draft: the second save is refused, not merged.
    drafts = StatusReport.objects.filter(project=project, period_start=period.start)
    locking.attach_token(form, drafts.first(), services.REPORT_FIELDS, rows=drafts)
    return form, period, source


def _evm_preview(project, form, period) -> dict:
    """The earned value of what the form says now (for the live panel)."""
    data = form.data or {}
    deliverables = form.deliverables

    def number(key, default):
        try:
            return Decimal(str(data.get(key, default)))
        except ArithmeticError:
            return Decimal(default or 0)

    if deliverables:
        percent = evm.weighted_progress(
            (d.weight, number(f"progress_{d.pk}", form.initial.get(f"progress_{d.pk}", 0)))
            for d in deliverables
        )
    else:
        percent = number("percent_complete", form.initial.get("percent_complete", 0))
    percent = min(max(percent or Decimal(0), Decimal(0)), Decimal(100))
    cost = max(number("actual_cost", form.initial.get("actual_cost", 0)), Decimal(0))
    on = min(period.end, timezone.localdate())
    result = services.status_evm(project=project, on=on, percent_complete=percent, actual_cost=cost)
    policy = services.policy_for(project)
    return {
        "evm": evm_rows(_ResultView(result, percent)),
        "suggested": services.suggested_ratings(result, policy),
        "percent": percent.quantize(Decimal("0.1")),
        "status_date": on,
    }


class _ResultView:
    """An EvmResult with the percent complete, shaped like a report for ``evm_rows``."""

    def __init__(self, result: evm.EvmResult, percent: Decimal):
        self._result, self.percent_complete = result, percent.quantize(Decimal("0.1"))

    def __getattr__(self, name):
        return getattr(self._result, name)


@login_required
def status_edit(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    data = request.POST if request.method == "POST" else None
    form, period, source = _status_form(request, project, data)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                with locking.guard(form):
                    report = services.status_report_save(
                        project=project,
                        actor=request.user,
                        period_start=dt.date.fromisoformat(form.cleaned_data["period"]),
                        submit=submit,
                        progress=form.progress(),
                        milestones_reached=[m.pk for m in form.cleaned_data["milestones_reached"]],
                        **form.report_fields(),
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submit:
                    messages.success(request, _("The status report was submitted."))
                    return redirect("delivery:status_detail", pk=report.pk)
                messages.success(request, _("The draft was saved."))
                return redirect(f"{request.path}?period={report.period_start.isoformat()}")
        status = 422
    context = {
        "project": project,
        "form": form,
        "period": period,
        "source": source,
        "preview": _evm_preview(project, form, period),
    }
    template = "delivery/status_form.html"
    if request.htmx and request.method == "GET":
        template += "#status-form"
    return TemplateResponse(request, template, context, status=status)


@require_POST
@login_required
def status_preview(request, pk: int):
    """The earned-value panel for the figures typed so far (htmx)."""
    project = get_project_for_user(request, pk, MANAGE)
    form, period, _source = _status_form(request, project, request.POST)
    context = {"project": project, "preview": _evm_preview(project, form, period)}
    return TemplateResponse(request, "delivery/status_form.html#evm-panel", context)


@login_required
def status_detail(request, pk: int):
    report, project = project_object(
        request,
        StatusReport.objects.select_related("submitted_by__person", "override_by__person"),
        pk,
    )
    context = {
        "project": project,
        "report": report,
        "evm": evm_rows(report) if report.status == "submitted" else [],
        "progress": DeliverableProgress.objects.filter(report=report).select_related("deliverable"),
        "milestones": report.milestones_reached.all(),
        "can_override": request.user.has_perm("delivery.override_status", project)
        and report.status == "submitted",
        "override_form": OverrideForm(
            initial={"overall": report.override_overall, "reason": report.override_reason}
        ),
        "can_edit": request.user.has_perm(MANAGE, project),
    }
    return TemplateResponse(request, "delivery/status_detail.html", context)


@require_POST
@login_required
def status_override(request, pk: int):
    report, project = project_object(request, StatusReport.objects.all(), pk)
    if not request.user.has_perm("delivery.override_status", project):
        deny(request, "delivery.override_status")
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.status_report_override(
                report=report,
                actor=request.user,
                overall=form.cleaned_data["overall"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The overall rating was set."))
    return redirect("delivery:status_detail", pk=report.pk)


@require_perm("delivery.view_status_grid")
def grid(request):
    form = GridFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    count = data.get("periods") or 8
    unit = None
    projects = (
        Project.objects.visible_to(request.user)
        .filter(stage=Stage.ACTIVE, is_program=False)
        .with_people()
    )
    if data.get("unit"):
        unit = OrgUnit.objects.filter(pk=data["unit"]).first()
        if unit is not None:
            projects = projects.filter(org_unit__path__startswith=unit.path)
    if data.get("health"):
        projects = projects.filter(health=data["health"])
    page = Paginator(projects.order_by("org_unit__path", "code", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    cols, rows = status_grid(list(page.object_list), count)
    context = {
        "form": form,
        "page": page,
        "cols": cols,
        "rows": rows,
        "unit": unit,
        "units": OrgUnit.objects.filter(depth__lte=1, is_active=True),
        "overdue": services.overdue_projects(Project.objects.visible_to(request.user)).count(),
    }
    template = "delivery/status_grid.html"
    if request.htmx and not request.htmx.boosted:
        template += "#grid"
    return TemplateResponse(request, template, context)


@login_required
def my_status(request):
    """The manager's projects with the report due now, and their timeliness KPI."""
    pid = roles.person_id_of(request.user)
    projects = list(
        Project.objects.filter(manager_id=pid, stage=Stage.ACTIVE, is_program=False).with_people()
        if pid
        else Project.objects.none()
    )
    cols, rows = status_grid(projects, 6)
    overdue = set(
        services.overdue_projects(
            Project.objects.filter(pk__in=[p.pk for p in projects])
        ).values_list("pk", flat=True)
    )
    context = {
        "cols": cols,
        "rows": [(p, cells, p.pk in overdue) for p, cells in rows],
        "kpi": services.timeliness(pid) if pid else None,
    }
    return TemplateResponse(request, "delivery/my_status.html", context)


@require_perm("delivery.configure")
def policy_edit(request, pk: int | None = None):
    """The reporting cycle and RAG thresholds: the default, or a project's own (PMO)."""
    project = get_project_for_user(request, pk) if pk else None
    current = services.policy_for(project) if project else services.default_policy()
    form = PolicyForm(request.POST or None, instance=current if current.pk else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_save(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The reporting policy was saved."))
            if project:
                return redirect(tab_url(project, "status"))
            return redirect("delivery:settings")
    title = (
        _("Reporting policy of %(code)s") % {"code": project.code}
        if project
        else _("Default reporting policy")
    )
    return form_page(
        request,
        form,
        title=title,
        project=project,
        back=tab_url(project, "status") if project else "",
        status=422 if form.errors else 200,
    )
