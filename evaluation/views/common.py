"""Helpers shared by the evaluation views: fetch-with-permission and form pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse

from evaluation.models import Cycle, Evaluation, ImprovementAction, SchemeVersion
from pmo.core.forms import add_service_errors
from pmo.core.models import SecurityEvent
from pmo.core.permissions import deny
from pmo.core.services import security_event_record

PAGE_SIZE = 50


def check(request, perm: str, obj=None) -> None:
    allowed = request.user.has_perm(perm, obj) if obj is not None else request.user.has_perm(perm)
    if not allowed:
        deny(request, perm)


def form_page(request, template: str, context: dict, form) -> TemplateResponse:
    """A form page; 422 when a submitted form comes back with its errors."""
    status = 422 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, template, {"form": form, **context}, status=status)


def run_service(form, call) -> object | None:
    """Call a service; on ValidationError show it on the form and return ``None``."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def version_for(request, pk: int, perm: str | None = None) -> SchemeVersion:
    try:
        version = SchemeVersion.objects.visible_to(request.user).with_scheme().get(pk=pk)
    except SchemeVersion.DoesNotExist:
        raise Http404 from None
    if perm:
        check(request, perm)
    return version


def cycle_for(request, pk: int, perm: str | None = None) -> Cycle:
    try:
        cycle = Cycle.objects.visible_to(request.user).with_version().get(pk=pk)
    except Cycle.DoesNotExist:
        raise Http404 from None
    if perm:
        check(request, perm)
    return cycle


def evaluation_for(request, pk: int, perm: str | None = None) -> Evaluation:
    """An evaluation the user may see (else 404), with ``perm`` on it (else 403)."""
    try:
        evaluation = (
            Evaluation.objects.visible_to(request.user)
            .with_project()
            .select_related("cycle__chair", "cycle__version__scheme", "project__sponsor")
            .get(pk=pk)
        )
    except Evaluation.DoesNotExist:
        raise Http404 from None
    if perm:
        check(request, perm, evaluation)
    return evaluation


def action_for(request, pk: int, perm: str | None = None) -> ImprovementAction:
    try:
        action = ImprovementAction.objects.visible_to(request.user).with_links().get(pk=pk)
    except ImprovementAction.DoesNotExist:
        raise Http404 from None
    if perm:
        check(request, perm, action)
    return action


def download_response(request, run) -> FileResponse:
    """Hand out a rendered report run after the caller's permission check; logged."""
    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD,
        user=request.user,
        request=request,
        detail=f"report run {run.pk} {run.kind} {run.params}",
    )
    return FileResponse(
        run.file.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=f"{run.kind_label}-{run.period_label}.pdf",
        content_type="application/pdf",
    )
