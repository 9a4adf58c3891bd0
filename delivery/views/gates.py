"""Gate reviews and milestone acceptance: the tab, the gate page with its evidence,
the reviewers' decision, conditions, and the reviewer's own list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery.forms import (
    ConditionCloseForm,
    EvidenceForm,
    GateDecisionForm,
    GateForm,
    project_people,
)
from delivery.models import Gate, GateCondition, GateEvidence
from delivery.services import gates as services
from delivery.views.common import deny, file_response, form_page, tab_url
from pmo.core import locking
from pmo.core.documents import content_type_for
from pmo.core.forms import add_service_errors
from pmo.core.permissions import get_project_for_user
from standards.compliance import PRESENT, TAILORED

MANAGE = "delivery.manage_delivery"
PASSING = (PRESENT, TAILORED)


def tab_gates(request, project):
    gates = (
        Gate.objects.filter(project=project)
        .select_related("phase", "milestone")
        .prefetch_related("reviewers", "conditions__owner")
    )
    context = {
        "project": project,
        "gates": gates,
        "can_manage": request.user.has_perm(MANAGE, project),
    }
    return render(request, "delivery/tab_gates.html", context)


def get_gate_for_user(request, pk: int, perm: str = "delivery.view_gate") -> Gate:
    """The gate if the user sees its project or reviews it (else 404), holding ``perm``
    on it (else 403)."""
    gate = (
        Gate.objects.visible_to(request.user)
        .select_related(
            "project",
            "project__manager",
            "project__sponsor",
            "phase",
            "milestone",
            "standard_gate__phase",
        )
        .filter(pk=pk)
        .first()
    )
    if gate is None:
        raise Http404
    if perm != "delivery.view_gate" and not request.user.has_perm(perm, gate):
        deny(request, perm)
    return gate


@login_required
def gate_create(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    return _gate_form(request, project, None)


@login_required
def gate_edit(request, pk: int):
    gate = get_gate_for_user(request, pk, "delivery.manage_gate")
    return _gate_form(request, gate.project, gate)


def _gate_form(request, project, gate):
    initial = {"kind": request.GET.get("kind")} if gate is None else None
    form = GateForm(request.POST or None, instance=gate, project=project, initial=initial)
    locking.attach_token(form, gate, form.Meta.fields)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            with locking.guard(form):
                gate = services.gate_save(
                    project=project,
                    actor=request.user,
                    gate=gate,
                    criteria=form.criteria(),
                    reviewers=form.cleaned_data["reviewer_people"],
                    **fields,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The gate was saved."))
            return redirect("delivery:gate_detail", pk=gate.pk)
    return form_page(
        request,
        form,
        title=_("Edit gate") if gate else _("Plan a gate review or acceptance"),
        project=project,
        back=tab_url(project, "gates"),
        status=422 if form.errors else 200,
    )


@login_required
def gate_detail(request, pk: int):
    gate = get_gate_for_user(request, pk)
    project = gate.project
    user = request.user
    requirements = services.standard_requirements(gate)
    context = {
        "project": project,
        "gate": gate,
        "requirements": requirements,
        "requirements_missing": [r for r in requirements or [] if r.status not in PASSING],
        "criteria": gate.criteria.all(),
        "evidence": gate.evidence.select_related("uploaded_by__person"),
        "conditions": gate.conditions.select_related("owner", "closed_by__person"),
        "reviewers": gate.reviewers.all(),
        "sees_project": user.has_perm("core.view_project", project),
        "can_manage": user.has_perm("delivery.manage_gate", gate),
        "can_decide": gate.status == Gate.Status.IN_REVIEW
        and user.has_perm("delivery.decide_gate", gate),
        "can_waive": user.has_perm("delivery.intervene", project),
        "evidence_form": EvidenceForm(),
        "decision_form": GateDecisionForm(gate=gate, project_people_qs=project_people(project)),
        "condition_form": ConditionCloseForm(),
    }
    return TemplateResponse(request, "delivery/gate_detail.html", context)


@require_POST
@login_required
def evidence_upload(request, pk: int):
    gate = get_gate_for_user(request, pk, "delivery.manage_gate")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.gate_evidence_add(
                gate=gate,
                actor=request.user,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The evidence was uploaded."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("delivery:gate_detail", pk=gate.pk)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(GateEvidence.objects.select_related("gate"), pk=pk)
    get_gate_for_user(request, evidence.gate_id)
    return file_response(
        request,
        evidence.file,
        evidence.original_name,
        content_type_for(evidence.original_name),
        f"gate evidence {evidence.pk} {evidence.original_name}",
    )


@require_POST
@login_required
def evidence_delete(request, pk: int):
    evidence = get_object_or_404(GateEvidence, pk=pk)
    gate = get_gate_for_user(request, evidence.gate_id, "delivery.manage_gate")
    try:
        services.gate_evidence_delete(evidence=evidence, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("delivery:gate_detail", pk=gate.pk)


@require_POST
@login_required
def gate_submit(request, pk: int):
    gate = get_gate_for_user(request, pk, "delivery.manage_gate")
    try:
        services.gate_submit(gate=gate, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reviewers were asked for their decision."))
    return redirect("delivery:gate_detail", pk=gate.pk)


@require_POST
@login_required
def gate_decide(request, pk: int):
    gate = get_gate_for_user(request, pk, "delivery.decide_gate")
    form = GateDecisionForm(request.POST, gate=gate, project_people_qs=project_people(gate.project))
    if form.is_valid():
        try:
            services.gate_decide(
                gate=gate,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                criteria_met=form.criteria_met(),
                conditions=form.conditions(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("delivery:gate_detail", pk=gate.pk)
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("delivery:gate_detail", pk=gate.pk)


@require_POST
@login_required
def condition_close(request, pk: int):
    condition = get_object_or_404(GateCondition.objects.select_related("gate"), pk=pk)
    gate = get_gate_for_user(request, condition.gate_id, "delivery.manage_gate")
    form = ConditionCloseForm(request.POST)
    if form.is_valid():
        try:
            services.gate_condition_close(
                condition=condition,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The condition was closed."))
    return redirect("delivery:gate_detail", pk=gate.pk)


@login_required
def my_reviews(request):
    gates = (
        Gate.objects.reviewed_by(request.user)
        .with_project()
        .prefetch_related("criteria")
        .order_by("status", "planned_date")
    )
    return TemplateResponse(request, "delivery/my_reviews.html", {"gates": gates[:100]})
