"""Cycles: preparing, opening, following, publishing and closing an evaluation round;
results with charts, meta-evaluation and the cycle report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import analysis, charts, services
from evaluation.forms import CycleForm
from evaluation.models import Cycle
from evaluation.services import reports
from evaluation.views.common import check, cycle_for, download_response, form_page, run_service
from pmo.core.permissions import require_perm

VIEW, MANAGE, RESULTS = "evaluation.view_schemes", "evaluation.manage", "evaluation.view_results"


@require_perm(VIEW)
def cycle_list(request):
    cycles = Cycle.objects.visible_to(request.user).with_version()
    context = {"cycles": cycles, "can_manage": request.user.has_perm(MANAGE)}
    return TemplateResponse(request, "evaluation/cycle_list.html", context)


@require_perm(MANAGE)
def cycle_create(request):
    initial = {"version": request.GET.get("version")}
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cycle = run_service(
            form, lambda: services.cycle_create(actor=request.user, **form.cleaned_data)
        )
        if cycle:
            messages.success(request, _("The cycle is being prepared; open it when ready."))
            return redirect(cycle)
    return form_page(request, "evaluation/form.html", {"title": _("New evaluation cycle")}, form)


@require_perm(VIEW)
def cycle_detail(request, pk: int):
    cycle = cycle_for(request, pk)
    sees_results = request.user.has_perm(RESULTS)
    context = {
        "cycle": cycle,
        "version": cycle.version,
        "can_manage": request.user.has_perm(MANAGE),
        "sees_results": sees_results,
    }
    if cycle.status == Cycle.Status.DRAFT:
        context["in_scope"] = services.scope_projects(cycle.version).select_related(
            "org_unit", "manager"
        )[:200]
    if sees_results:
        results = analysis.cycle_results(cycle)
        context["results"] = results
        context["meta"] = analysis.meta_evaluation(cycle)
        context["pdf_run"] = reports.cycle_run(cycle)
        if results.mean_score is not None:
            now, before = cycle.label, results.previous.label if results.previous else ""
            context["charts"] = {
                "grades": charts.grades(results.grades, _("Grade distribution"), _("Projects")),
                "units": charts.by_unit(
                    results.by_unit, _("Mean score by organisational unit"), _("Mean score")
                ),
                "dimensions": charts.dimensions(
                    results.dimensions, _("Mean score by dimension"), now, before
                ),
            }
    return TemplateResponse(request, "evaluation/cycle_detail.html", context)


def _cycle_action(request, pk: int, call, success: str):
    cycle = cycle_for(request, pk, MANAGE)
    try:
        call(cycle)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(cycle)


@require_POST
@require_perm(MANAGE)
def cycle_open(request, pk: int):
    return _cycle_action(
        request,
        pk,
        lambda c: services.cycle_open(cycle=c, actor=request.user),
        _("The cycle is open; project managers were asked for their self-assessment."),
    )


@require_POST
@require_perm(MANAGE)
def cycle_publish(request, pk: int):
    return _cycle_action(
        request,
        pk,
        lambda c: services.cycle_publish(cycle=c, actor=request.user),
        _("The results are published with their rationale; the appeal window is open."),
    )


@require_POST
@require_perm(MANAGE)
def cycle_close(request, pk: int):
    return _cycle_action(
        request,
        pk,
        lambda c: services.cycle_close(cycle=c, actor=request.user),
        _("The cycle is closed."),
    )


@require_POST
@require_perm(RESULTS)
def cycle_pdf(request, pk: int):
    cycle = cycle_for(request, pk)
    reports.cycle_pdf_request(cycle=cycle, actor=request.user, language=request.LANGUAGE_CODE)
    messages.success(request, _("The PDF is being prepared; it appears here when it is ready."))
    return redirect(cycle)


@login_required
def cycle_pdf_download(request, pk: int):
    cycle = cycle_for(request, pk)
    check(request, RESULTS)
    run = reports.cycle_run(cycle)
    if run is None or not run.is_downloadable:
        raise Http404
    return download_response(request, run)
