"""Improvement: weakness analysis, the maturity trend, and improvement actions with
their quantified target, follow-up and links to standards and training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import analysis, charts, scoring, services
from evaluation.forms import ActionForm, CheckForm, RaiseChangeForm, StatusForm
from evaluation.models import ImprovementAction
from evaluation.views.common import PAGE_SIZE, action_for, form_page, run_service
from pmo.core.models import OrgUnit, ProjectType
from pmo.core.permissions import require_perm
from pmo.core.registry import registry

RESULTS, MANAGE, ACTIONS, FOLLOW = (
    "evaluation.view_results",
    "evaluation.manage",
    "evaluation.view_actions",
    "evaluation.follow_up",
)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_perm(RESULTS)
def weakness(request):
    scheme_id = _int(request.GET.get("scheme"))
    unit = OrgUnit.objects.filter(pk=_int(request.GET.get("unit"))).first()
    project_type = _int(request.GET.get("type"))
    group_by = "type" if request.GET.get("by") == "type" else "unit"
    found = analysis.weakness(
        scheme_id=scheme_id, unit=unit, project_type_id=project_type, group_by=group_by
    )
    latest = found.cycles[-1] if found.cycles else None
    before = found.cycles[-2] if len(found.cycles) > 1 else None
    context = {
        "found": found,
        "latest": latest,
        "before": before,
        "schemes": analysis.schemes_with_cycles(),
        "units": OrgUnit.objects.filter(is_active=True, depth__lte=2),
        "types": ProjectType.objects.all(),
        "unit": unit,
        "type_id": project_type,
        "group_by": group_by,
        "open_actions": ImprovementAction.objects.open().with_links()[:20],
    }
    if found.criteria:
        context["lowest_chart"] = charts.lowest_criteria(
            found.criteria, _("Lowest criteria"), latest.label, before.label if before else ""
        )
        context["group_chart"] = charts.groups(
            found.by_group,
            found.dimension_labels,
            _("Mean by dimension and unit")
            if group_by == "unit"
            else _("Mean by dimension and project type"),
        )
    return TemplateResponse(request, "evaluation/weakness.html", context)


@require_perm(RESULTS)
def maturity(request):
    schemes = list(analysis.schemes_with_cycles())
    scheme_id = _int(request.GET.get("scheme"))
    if scheme_id is None:
        preferred = [s for s in schemes if s.kind == "maturity"] or schemes
        scheme_id = preferred[0].pk if preferred else None
    trend = analysis.maturity_trend(scheme_id=scheme_id)
    rows = [(label, values, scoring.trend(values)) for label, values in trend.series.items()]
    context = {"schemes": schemes, "scheme_id": scheme_id, "trend": trend, "rows": rows}
    if trend.cycles:
        context["chart"] = charts.trend(
            [c.label for c in trend.cycles],
            trend.series,
            _("Mean level per perspective across cycles"),
        )
    return TemplateResponse(request, "evaluation/maturity.html", context)


@require_perm(ACTIONS)
def action_list(request):
    status = request.GET.get("status", "open")
    actions = ImprovementAction.objects.visible_to(request.user).with_links()
    if status == "open":
        actions = actions.open()
    elif status in ImprovementAction.Status.values:
        actions = actions.filter(status=status)
    actions = actions.prefetch_related("checks")
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    for action in page:
        checks = list(action.checks.all())
        action.last_check = checks[-1] if checks else None
        action.progress = scoring.progress(
            float(action.baseline),
            float(action.target),
            float(checks[-1].value) if checks else None,
        )
    context = {
        "page": page,
        "status": status,
        "statuses": ImprovementAction.Status.choices,
        "can_manage": request.user.has_perm(MANAGE),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "evaluation/action_list.html", context)


@require_perm(MANAGE)
def action_edit(request, pk: int | None = None):
    action = action_for(request, pk, MANAGE) if pk else None
    initial = {
        k: request.GET.get(k)
        for k in ("cycle", "dimension", "criterion", "org_unit")
        if request.GET.get(k)
    }
    form = ActionForm(request.POST or None, instance=action, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = run_service(
            form, lambda: services.action_save(actor=request.user, action=action, **data)
        )
        if saved:
            messages.success(request, _("The improvement action was saved."))
            return redirect(saved)
    context = {
        "title": _("Improvement action"),
        "object": action,
        "back": action.get_absolute_url() if action else "",
    }
    return form_page(request, "evaluation/form.html", context, form)


def _action_context(request, action: ImprovementAction) -> dict:
    checks = list(action.checks.select_related("checked_by"))
    latest = checks[-1] if checks else None
    return {
        "action": action,
        "checks": checks,
        "metric": registry.metrics.get(action.metric_key),
        "progress": scoring.progress(
            float(action.baseline), float(action.target), float(latest.value) if latest else None
        ),
        "moved": latest is not None and latest.value != action.baseline,
        "can_follow": request.user.has_perm(FOLLOW, action),
        "can_manage": request.user.has_perm(MANAGE),
        "check_form": CheckForm(initial={"checked_on": timezone.localdate()}),
        "status_form": StatusForm(initial={"status": action.status}),
        "change_form": RaiseChangeForm(),
        "today": timezone.localdate(),
    }


@require_perm(ACTIONS)
def action_detail(request, pk: int):
    action = action_for(request, pk)
    return TemplateResponse(
        request, "evaluation/action_detail.html", _action_context(request, action)
    )


def _follow(request, pk: int, call, success: str, perm: str = FOLLOW):
    action = action_for(request, pk, perm)
    try:
        call(action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(action)


@require_POST
@login_required
def action_check(request, pk: int):
    """Record a follow-up check; with htmx, answer the follow-up panel only."""
    action = action_for(request, pk, FOLLOW)
    form = CheckForm(request.POST)
    if form.is_valid():
        run_service(
            form,
            lambda: services.action_check_record(
                action=action, actor=request.user, **form.cleaned_data
            ),
        )
    if not request.htmx:
        if form.errors:
            messages.error(request, _("Give the date and the value of the check."))
        else:
            messages.success(request, _("The follow-up check was recorded."))
        return redirect(action)
    context = _action_context(request, action)
    if form.errors:
        context["check_form"] = form
    status = 422 if form.errors else 200
    return TemplateResponse(
        request, "evaluation/action_detail.html#follow-up", context, status=status
    )


@require_POST
@login_required
def action_measure(request, pk: int):
    return _follow(
        request,
        pk,
        lambda a: services.action_measure(action=a, actor=request.user),
        _("The metric was measured from the data."),
    )


@require_POST
@login_required
def action_status(request, pk: int):
    form = StatusForm(request.POST)

    def change(action):
        if not form.is_valid():
            raise ValidationError(_("Unknown status."))
        services.action_status_set(
            action=action, status=form.cleaned_data["status"], actor=request.user
        )

    return _follow(request, pk, change, _("The status was changed."))


@require_POST
@login_required
def action_change_request(request, pk: int):
    form = RaiseChangeForm(request.POST)

    def raise_change(action):
        if not form.is_valid():
            raise ValidationError(_("Choose the methodology to change."))
        services.action_raise_change(
            action=action, methodology=form.cleaned_data["methodology"], actor=request.user
        )

    return _follow(
        request, pk, raise_change, _("A change request was raised with the standards."), perm=MANAGE
    )
