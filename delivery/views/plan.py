"""The plan tab, phase/milestone/deliverable forms, phase start behind gates, baselines."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery import measures
from delivery.forms import (
    BaselineProposeForm,
    DecisionForm,
    DeliverableForm,
    MilestoneForm,
    PhaseForm,
)
from delivery.models import Baseline, Deliverable, Gate, Milestone, Phase, ResourceRequest
from delivery.services import plan as services
from delivery.views.common import deny, form_page, project_object, tab_url, to_tab
from pmo.core import locking
from pmo.core.forms import add_service_errors
from pmo.core.permissions import get_project_for_user

MANAGE = "delivery.manage_delivery"
ITEMS = {
    "phase": (Phase, PhaseForm, services.phase_save, "phase"),
    "milestone": (Milestone, MilestoneForm, services.milestone_save, "milestone"),
    "deliverable": (Deliverable, DeliverableForm, services.deliverable_save, "deliverable"),
}


def milestone_kpi(milestones, baseline_dates: dict[int, str], today: dt.date) -> dict:
    """On-time milestone % = reached by their baseline date ÷ milestones due by now."""
    due = on_time = 0
    for m in milestones:
        planned = dt.date.fromisoformat(baseline_dates[m.pk]) if m.pk in baseline_dates else None
        planned = planned or m.planned_date
        if m.actual_date is None and planned >= today:
            continue
        due += 1
        if m.actual_date is not None and m.actual_date <= planned:
            on_time += 1
    return {"due": due, "on_time": on_time, "rate": measures.share(on_time, due)}


def tab_plan(request, project):
    today = timezone.localdate()
    phases = list(Phase.objects.filter(project=project))
    gates = list(
        Gate.objects.filter(
            project=project, kind=Gate.Kind.GATE, phase__isnull=False
        ).select_related("phase")
    )
    gates_by_phase: dict[int, list] = {}
    for gate in gates:
        gates_by_phase.setdefault(gate.phase_id, []).append(gate)
    open_gates = [g for g in gates if not g.is_passed]
    phase_rows = []
    for phase in phases:
        earlier = [
            g
            for g in open_gates
            if (g.phase.sort_order, g.phase.planned_start) < (phase.sort_order, phase.planned_start)
        ]
        phase_rows.append((phase, gates_by_phase.get(phase.pk, []), earlier))
    baselines = list(Baseline.objects.filter(project=project).with_people())
    current = next((b for b in baselines if b.status == Baseline.Status.APPROVED), None)
    snapshot = current.snapshot if current else {}
    baseline_dates = {m["id"]: m["planned_date"] for m in snapshot.get("milestones", [])}
    milestones = list(Milestone.objects.filter(project=project).select_related("phase"))
    deliverables = list(Deliverable.objects.filter(project=project).select_related("phase"))
    total_weight = sum((d.weight for d in deliverables), 0) or 1
    context = {
        "project": project,
        "phase_rows": phase_rows,
        "milestones": [
            (m, dt.date.fromisoformat(baseline_dates[m.pk]) if m.pk in baseline_dates else None)
            for m in milestones
        ],
        "deliverables": [(d, d.weight * 100 / total_weight) for d in deliverables],
        "baselines": baselines,
        "current": current,
        "proposed": next((b for b in baselines if b.status == Baseline.Status.PROPOSED), None),
        "milestone_kpi": milestone_kpi(milestones, baseline_dates, today),
        "requests": ResourceRequest.objects.filter(project=project).with_people()[:10],
        "can_manage": request.user.has_perm(MANAGE, project),
        "today": today,
    }
    return render(request, "delivery/tab_plan.html", context)


def _item_kind(kind: str):
    if kind not in ITEMS:
        raise Http404
    return ITEMS[kind]


@login_required
def plan_item_create(request, pk: int, kind: str):
    model, form_class, save, _name = _item_kind(kind)
    project = get_project_for_user(request, pk, MANAGE)
    return _item_form(request, project, kind, None)


@login_required
def plan_item_edit(request, kind: str, item_pk: int):
    model, _form, _save, _name = _item_kind(kind)
    item, project = project_object(request, model.objects.all(), item_pk, MANAGE)
    return _item_form(request, project, kind, item)


def _item_form(request, project, kind, item):
    model, form_class, save, name = ITEMS[kind]
    kwargs = {} if model is Phase else {"project": project}
    form = form_class(request.POST or None, instance=item, **kwargs)
    locking.attach_token(form, item)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            with locking.guard(form):
                save(project=project, actor=request.user, **{name: item}, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return to_tab(project, "plan")
    return form_page(
        request,
        form,
        title=str(model._meta.verbose_name).capitalize(),
        project=project,
        back=tab_url(project, "plan"),
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def plan_item_delete(request, kind: str, item_pk: int):
    model, _form, _save, _name = _item_kind(kind)
    item, project = project_object(request, model.objects.all(), item_pk, MANAGE)
    services.plan_item_delete(item=item, actor=request.user)
    messages.success(request, _("Removed from the plan."))
    return to_tab(project, "plan")


@require_POST
@login_required
def phase_start(request, item_pk: int):
    phase, project = project_object(request, Phase.objects.all(), item_pk, MANAGE)
    try:
        services.phase_start(phase=phase, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(phase)s has started.") % {"phase": phase.name})
    return to_tab(project, "plan")


@login_required
def baseline_propose(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    current = services.current_baseline(project)
    form = BaselineProposeForm(request.POST or None, initial={"bac": project.budget})
    if request.method == "POST" and form.is_valid():
        try:
            baseline = services.baseline_propose(
                project=project,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                bac=form.cleaned_data["bac"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if baseline.status == Baseline.Status.APPROVED:
                messages.success(request, _("The baseline was set."))
            else:
                messages.success(request, _("The re-baseline was sent to the PMO for approval."))
            return redirect("delivery:baseline_detail", pk=baseline.pk)
    if current is None:
        title, intro = (
            _("Set the baseline"),
            _(
                "The first baseline freezes today's plan and takes effect at once; "
                "planned value is measured against it."
            ),
        )
    else:
        title, intro = (
            _("Propose a re-baseline"),
            _(
                "A new baseline replaces version %(version)d once the PMO approves it; "
                "the history of every version is kept."
            )
            % {"version": current.version},
        )
    return form_page(
        request,
        form,
        title=title,
        intro=intro,
        project=project,
        back=tab_url(project, "plan"),
        status=422 if form.errors else 200,
    )


@login_required
def baseline_detail(request, pk: int):
    baseline, project = project_object(request, Baseline.objects.with_people(), pk)
    current = services.current_baseline(project)
    compare = current if current and current.pk != baseline.pk else None
    before = {d["id"]: d for d in compare.snapshot.get("deliverables", [])} if compare else {}
    rows = [(d, before.get(d["id"])) for d in baseline.snapshot.get("deliverables", [])]
    context = {
        "project": project,
        "baseline": baseline,
        "compare": compare,
        "rows": rows,
        "can_decide": baseline.status == Baseline.Status.PROPOSED
        and request.user.has_perm("delivery.approve_baseline", project),
        "form": DecisionForm(),
    }
    return TemplateResponse(request, "delivery/baseline_detail.html", context)


@require_POST
@login_required
def baseline_decide(request, pk: int):
    baseline, project = project_object(request, Baseline.objects.all(), pk)
    if not request.user.has_perm("delivery.approve_baseline", project):
        deny(request, "delivery.approve_baseline")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.baseline_decide(
                baseline=baseline,
                actor=request.user,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The decision was recorded."))
    else:
        messages.error(request, _("Choose approve or reject."))
    return redirect("delivery:baseline_detail", pk=baseline.pk)
