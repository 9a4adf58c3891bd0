"""Helpers of the delivery views: fetching with permission, form pages, redirects."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from pmo.core.models import SecurityEvent
from pmo.core.permissions import get_project_for_user
from pmo.core.services import security_event_record


def deny(request, perm: str):
    """Refuse with 403 and record it, as the core's permission helpers do."""
    security_event_record(
        kind=SecurityEvent.Kind.PERMISSION_DENIED,
        user=request.user,
        request=request,
        success=False,
        detail=f"{perm} {request.method} {request.path}",
    )
    raise PermissionDenied


def project_object(request, queryset, pk: int, perm: str = "core.view_project"):
    """An object of a project, and the project: 404 when the user may not see the
    project, 403 when they lack ``perm`` on it."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    project = get_project_for_user(request, obj.project_id, perm)
    obj.project = project
    return obj, project


def tab_url(project, key: str) -> str:
    return f"{reverse('core:project_detail', args=[project.pk])}?tab={key}"


def to_tab(project, key: str):
    return redirect(tab_url(project, key))


def form_page(
    request,
    form,
    *,
    title: str,
    project=None,
    back: str = "",
    submit_label: str = "",
    intro: str = "",
    multipart: bool = False,
    status: int = 200,
):
    """A page with one form: the common layout of the simple create/edit pages."""
    return TemplateResponse(
        request,
        "delivery/form_page.html",
        {
            "form": form,
            "title": title,
            "project": project,
            "back": back,
            "submit_label": submit_label,
            "intro": intro,
            "multipart": multipart,
        },
        status=status,
    )


def download_response(request, run):
    """Hand out a rendered report run after the caller's permission check; logged."""
    from django.http import FileResponse

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


def file_response(request, field, name: str, content_type: str, detail: str):
    """Hand out a private file (evidence) after the caller's permission check; logged."""
    from django.http import FileResponse

    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD, user=request.user, request=request, detail=detail
    )
    return FileResponse(
        field.open("rb"),
        as_attachment=not content_type.startswith(("application/pdf", "image/")),
        filename=name,
        content_type=content_type,
    )
