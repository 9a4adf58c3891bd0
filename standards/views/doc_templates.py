"""Document templates: the list, a template with its revisions, upload of a new
revision (checked by content and size) and the permission-checked download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from pmo.core import locking
from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm
from standards import services
from standards.forms import TemplateForm, TemplateUploadForm
from standards.models import DocumentTemplate, MethodologyVersion, TemplateRevision
from standards.views.common import PAGE_SIZE, form_page, private_file

VIEW, CHANGE = "standards.view_library", "standards.change_library"


@require_perm(VIEW)
def template_list(request):
    query = (request.GET.get("q") or "").strip()
    templates = (
        DocumentTemplate.objects.with_current()
        .annotate(
            n_revisions=Count("revisions", distinct=True),
            n_uses=Count(
                "deliverables",
                filter=Q(deliverables__version__status="published"),
                distinct=True,
            ),
        )
        .order_by("status", "code")
    )
    if query:
        templates = templates.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(name_en__icontains=query)
        )
    page = Paginator(templates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "can_change": request.user.has_perm(CHANGE)}
    return TemplateResponse(request, "standards/template_list.html", context)


@require_perm(VIEW)
def template_detail(request, pk: int):
    template = get_object_or_404(DocumentTemplate.objects.with_current(), pk=pk)
    context = {
        "template": template,
        "revisions": template.revisions.select_related("uploaded_by__person"),
        "uses": template.deliverables.filter(
            version__in=MethodologyVersion.objects.visible_to(request.user).exclude(
                status=MethodologyVersion.Status.RETIRED
            )
        )
        .select_related("version", "version__methodology", "gate")
        .order_by("version__methodology__code", "-version__number"),
        "can_change": request.user.has_perm(CHANGE),
        "upload_form": TemplateUploadForm(),
    }
    return TemplateResponse(request, "standards/template_detail.html", context)


@require_perm(CHANGE)
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(DocumentTemplate, pk=pk) if pk else None
    form = TemplateForm(request.POST or None, instance=template)
    locking.attach_token(form, template)
    upload = TemplateUploadForm(request.POST or None, request.FILES or None) if not pk else None
    if request.method == "POST" and form.is_valid() and (upload is None or upload.is_valid()):
        try:
            with locking.guard(form):
                template = _save_with_file(request, template, form, upload)
        except ValidationError as error:
            file_error = hasattr(error, "error_dict") and "file" in error.error_dict
            add_service_errors(upload if file_error else form, error)
        else:
            messages.success(request, _("The template was saved."))
            return redirect(template)
    context = {
        "title": _("Document template"),
        "object": template,
        "upload": upload,
        "back": reverse("standards:template_list"),
    }
    return form_page(request, "standards/template_form.html", context, form)


def _save_with_file(request, template, form, upload):
    from django.db import transaction

    with transaction.atomic():
        template = services.template_save(
            template=template, actor=request.user, **form.cleaned_data
        )
        if upload is not None:
            try:
                services.template_revision_upload(
                    template=template,
                    upload=upload.cleaned_data["file"],
                    change_note=upload.cleaned_data["change_note"],
                    actor=request.user,
                )
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None
    return template


@require_perm(CHANGE)
def template_upload(request, pk: int):
    template = get_object_or_404(DocumentTemplate, pk=pk)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.template_revision_upload(
                template=template,
                upload=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Revision %(n)s was uploaded.") % {"n": revision.number})
            return redirect(template)
    context = {"title": _("New revision"), "object": template, "back": template.get_absolute_url()}
    return form_page(request, "standards/form.html", context, form)


@require_perm(VIEW)
def revision_download(request, pk: int):
    revision = get_object_or_404(TemplateRevision.objects.select_related("template"), pk=pk)
    return private_file(
        request,
        revision.file,
        revision.original_name,
        f"template {revision.template.code} r{revision.number}",
    )


urlpatterns = [
    path("templates/", template_list, name="template_list"),
    path("templates/new/", template_edit, name="template_create"),
    path("templates/<int:pk>/", template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", template_edit, name="template_edit"),
    path("templates/<int:pk>/upload/", template_upload, name="template_upload"),
    path("templates/revisions/<int:pk>/download/", revision_download, name="revision_download"),
]
