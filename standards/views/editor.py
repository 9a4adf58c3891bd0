"""Editing a draft version's content: phases, gates, processes, their steps and the
required deliverables. One form page serves each kind of part; a published version
cannot be edited (404 on its edit pages)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pmo.core import locking
from pmo.core.forms import add_service_errors
from standards import services
from standards.forms import DeliverableForm, GateForm, PhaseForm, ProcessForm, StepForm
from standards.models import (
    LifecycleGate,
    LifecyclePhase,
    Process,
    ProcessStep,
    RequiredDeliverable,
)
from standards.views.common import form_page, int_param, version_for

CHANGE = "standards.change_library"


@dataclass(frozen=True)
class PartKind:
    model: type
    form: type
    save: object
    field: str  # the service's keyword for the part
    title: object


KINDS = {
    "phase": PartKind(
        LifecyclePhase, PhaseForm, services.phase_save, "phase", gettext_lazy("Lifecycle phase")
    ),
    "gate": PartKind(LifecycleGate, GateForm, services.gate_save, "gate", gettext_lazy("Gate")),
    "process": PartKind(
        Process, ProcessForm, services.process_save, "process", gettext_lazy("Process")
    ),
    "step": PartKind(
        ProcessStep, StepForm, services.process_step_save, "step", gettext_lazy("Process step")
    ),
    "deliverable": PartKind(
        RequiredDeliverable,
        DeliverableForm,
        services.deliverable_save,
        "deliverable",
        gettext_lazy("Required deliverable"),
    ),
}


def _draft(request, pk: int, kind: str):
    if kind not in KINDS:
        raise Http404
    version = version_for(request, pk, CHANGE)
    if not version.is_editable:
        raise Http404
    return version, KINDS[kind]


def _part(version, spec: PartKind, item_pk: int):
    if spec.model is ProcessStep:
        return get_object_or_404(ProcessStep, pk=item_pk, process__version=version)
    return get_object_or_404(spec.model, pk=item_pk, version=version)


def _anchor(version, kind: str, part) -> str:
    return f"{version.get_absolute_url()}#{kind}-{part.pk}" if part else version.get_absolute_url()


@login_required
def part_edit(request, pk: int, kind: str, item_pk: int | None = None):
    version, spec = _draft(request, pk, kind)
    part = _part(version, spec, item_pk) if item_pk else None
    process = None
    if kind == "step":
        process = (
            part.process
            if part
            else get_object_or_404(
                Process,
                pk=int_param(request.GET.get("process") or request.POST.get("process")),
                version=version,
            )
        )
    initial = {}
    if part is None and kind in ("gate", "process") and request.GET.get("phase"):
        initial["phase"] = int_param(request.GET["phase"])
    if part is None and kind == "deliverable" and request.GET.get("gate"):
        initial["gate"] = int_param(request.GET["gate"])
    form = spec.form(request.POST or None, instance=part, version=version, initial=initial)
    locking.attach_token(form, part)
    if request.method == "POST" and form.is_valid():
        owner = {"process": process} if kind == "step" else {"version": version}
        try:
            with locking.guard(form):
                saved = spec.save(
                    **owner, **{spec.field: part}, actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(part)s was saved.") % {"part": spec.title})
            return redirect(
                _anchor(version, "process" if kind == "step" else kind, process or saved)
            )
    context = {
        "title": spec.title,
        "object": part,
        "version": version,
        "process": process,
        "back": version.get_absolute_url(),
    }
    return form_page(request, "standards/part_form.html", context, form)


@require_POST
@login_required
def part_delete(request, pk: int, kind: str, item_pk: int):
    version, spec = _draft(request, pk, kind)
    part = _part(version, spec, item_pk)
    try:
        services.version_part_delete(part=part, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(part)s was deleted.") % {"part": spec.title})
    return redirect(version)


urlpatterns = [
    path("versions/<int:pk>/parts/<str:kind>/new/", part_edit, name="part_create"),
    path("versions/<int:pk>/parts/<str:kind>/<int:item_pk>/", part_edit, name="part_edit"),
    path(
        "versions/<int:pk>/parts/<str:kind>/<int:item_pk>/delete/",
        part_delete,
        name="part_delete",
    ),
]
