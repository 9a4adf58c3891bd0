"""Helpers shared by the standards views: fetch-with-permission, form pages, files."""

from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from pmo.core.documents import content_type_for
from pmo.core.models import OrgUnit, SecurityEvent
from pmo.core.registry import registry
from pmo.core.services import security_event_record
from standards.models import MethodologyVersion

PAGE_SIZE = 50


def deny(request, perm: str):
    """Log the refusal and answer 403."""
    security_event_record(
        kind=SecurityEvent.Kind.PERMISSION_DENIED,
        user=request.user,
        request=request,
        success=False,
        detail=f"{perm} {request.method} {request.path}",
    )
    raise PermissionDenied


def check(request, perm: str, obj=None) -> None:
    allowed = request.user.has_perm(perm, obj) if obj is not None else request.user.has_perm(perm)
    if not allowed:
        deny(request, perm)


def version_for(request, pk: int, perm: str | None = None) -> MethodologyVersion:
    """A version the user may see (else 404), optionally with ``perm`` (else 403)."""
    try:
        version = (
            MethodologyVersion.objects.visible_to(request.user)
            .with_methodology()
            .select_related("based_on", "created_by", "reviewed_by__person")
            .get(pk=pk)
        )
    except MethodologyVersion.DoesNotExist:
        raise Http404 from None
    if perm:
        check(request, perm)
    return version


def form_page(request, template: str, context: dict, form) -> TemplateResponse:
    """A form page; 422 when a submitted form comes back with its errors."""
    status = 422 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, template, {"form": form, **context}, status=status)


def int_param(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def unit_from(request) -> OrgUnit | None:
    unit_id = int_param(request.GET.get("unit"))
    return OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None


def filter_units():
    return OrgUnit.objects.filter(is_active=True, depth__lte=2).order_by("path")


def widgets(request, slot: str, filters: dict) -> list[tuple]:
    """The tiles other apps add to a standards page through the registry."""
    # Widgets render their own templates (escaped there), so their HTML is trusted here.
    return [
        (w, mark_safe(w.html(request, filters)))  # noqa: S308
        for w in registry.widgets_for(slot, request.user)
    ]


def private_file(request, field, name: str, detail: str) -> FileResponse:
    """Hand out a file of the private storage as a download, and log it."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD, user=request.user, request=request, detail=detail[:500]
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(name) or "file",
        content_type=content_type_for(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
