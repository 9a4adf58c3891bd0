"""Import and export pages: upload, preview and commit an import; export the register."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import importing, resources
from pmo.core.models import ImportJob, SecurityEvent
from pmo.core.permissions import require_perm
from pmo.core.registry import registry
from pmo.core.services import security_event_record
from pmo.core.uploads import ImportUploadForm
from pmo.core.views.projects import filtered_projects

PREVIEW_PAGE_SIZE = 100
RECENT_JOBS = 20
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def project_export(request):
    """The project register as CSV or XLSX, with the list's filters and visibility."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404
    _filter, queryset, _sort = filtered_projects(request)
    headers, rows = resources.export_rows(resources.ProjectExportResource(), queryset)
    rows = list(rows)
    if fmt == "csv":
        content = resources.to_csv(headers, rows)
    else:
        content = resources.to_xlsx(headers, rows, sheet_title=str(_("Projects")))
    security_event_record(
        kind=SecurityEvent.Kind.EXPORT,
        user=request.user,
        request=request,
        detail=f"projects {fmt} {len(rows)} rows {request.GET.urlencode()}"[:500],
    )
    return _download(content, fmt, f"projects-{timezone.localdate():%Y%m%d}")


def _kind_guides(user):
    """The columns of each kind the user may import, for the help on the import page."""
    return [
        {
            "kind": kind.code,
            "label": kind.label,
            "columns": importing.resource_for(kind.code).import_columns(),
        }
        for kind in registry.import_kinds_for(user)
    ]


@require_perm("core.import_data")
def import_start(request):
    bound = request.method == "POST"
    form = ImportUploadForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        kinds=registry.import_kinds_for(request.user),
    )
    if bound and form.is_valid():
        try:
            job = importing.import_job_create(
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("core:import_preview", pk=job.pk)
    jobs = (
        ImportJob.objects.select_related("created_by")
        .defer("summary")
        .annotate(counts=F("summary__counts"))[:RECENT_JOBS]
    )
    context = {
        "form": form,
        "jobs": jobs,
        "guides": _kind_guides(request.user),
        "max_bytes": settings.PMO_IMPORT_MAX_BYTES,
        "max_rows": settings.PMO_IMPORT_MAX_ROWS,
    }
    return render(request, "core/import_start.html", context, status=422 if form.errors else 200)


RUNNING = (ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING)


@require_perm("core.import_data")
def import_preview(request, pk: int):
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    if request.method == "POST":
        try:
            job = importing.import_job_commit(job=job, actor=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            counts = job.summary.get("counts", {})
            if job.status == ImportJob.Status.PREVIEWED:
                pass  # the background service did not take it; pmo.core.queue says so
            elif job.status == ImportJob.Status.IMPORTING:
                messages.info(
                    request,
                    _(
                        "The file is being imported in the background; this page shows how far it is."
                    ),
                )
            elif job.status == ImportJob.Status.COMMITTED:
                messages.success(
                    request,
                    _("Imported: %(new)s new, %(update)s updated, %(skip)s unchanged.")
                    % {k: counts.get(k, 0) for k in ("new", "update", "skip")},
                )
            else:
                messages.error(
                    request,
                    _("Nothing was imported: the rows marked below have errors now."),
                )
        return redirect("core:import_preview", pk=job.pk)
    if request.htmx and request.GET.get("progress"):
        if job.status not in RUNNING:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        context = {"job": job, "progress": importing.progress_of(job)}
        return render(request, "core/import_preview.html#progress", context)
    summary = job.summary or {}
    rows = summary.get("rows", [])
    problems_only = request.GET.get("problems") == "1"
    if problems_only:
        rows = [r for r in rows if r["action"] == importing.INVALID or r["warnings"]]
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    found = set(summary.get("columns", []))
    columns = [c for c in importing.resource_for(job.kind).import_columns() if c.key in found]
    page.object_list = [_preview_row(row, columns) for row in page.object_list]
    context = {
        "job": job,
        "summary": summary,
        "counts": summary.get("counts", {}),
        "columns": columns,
        "page": page,
        "problems_only": problems_only,
        "can_commit": job.status == ImportJob.Status.PREVIEWED,
        "progress": importing.progress_of(job) if job.status in RUNNING else None,
    }
    return render(request, "core/import_preview.html", context)


def _preview_row(row: dict, columns) -> dict:
    """A stored preview row with its cells in column order, for the template."""
    changes = set(row.get("changes", []))
    cells = [
        {
            "value": row["values"].get(column.key, ""),
            "errors": row["errors"].get(column.key, []),
            "changed": column.key in changes,
        }
        for column in columns
    ]
    return {**row, "cells": cells}


@require_perm("core.import_data")
def import_template(request, kind: str):
    entry = registry.import_kinds.get(kind)
    if entry is None or not entry.visible_to(request.user):
        raise Http404
    label = entry.label
    content = resources.template_xlsx(importing.resource_for(kind), title=str(label))
    return _download(content, "xlsx", f"template-{kind}")
