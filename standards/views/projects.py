"""The project side: the "Methodology & deliverables" tab of a project, choosing the
version it follows, tailoring requests and the PMO's decision, deliverable evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core.forms import add_service_errors
from pmo.core.models import Project
from pmo.core.permissions import get_project_for_user
from standards import compliance as rules
from standards import services
from standards.forms import AssignForm, DecisionForm, EvidenceForm, TailoringForm
from standards.models import DeliverableRecord, RequiredDeliverable, TailoringRequest
from standards.selectors.compliance import assignment_of, project_compliance
from standards.views.common import PAGE_SIZE, check, form_page, private_file

TAB = "standards"
ASSIGN, MANAGE, TAILOR, DECIDE = (
    "standards.assign_methodology",
    "standards.manage_deliverables",
    "standards.request_tailoring",
    "standards.decide_tailoring",
)


def tab_url(project) -> str:
    return f"{reverse('core:project_detail', args=[project.pk])}?tab={TAB}"


def project_tab(request, project):
    """The tab: the version followed, the due rule, each gate's deliverables with their
    status and evidence, and the tailoring requests."""
    result = project_compliance(project, timezone.localdate())
    tailoring = (
        TailoringRequest.objects.filter(project=project)
        .select_related("version", "requested_by__person", "decided_by__person")
        .prefetch_related("deliverables")
    )
    context = {
        "project": project,
        "result": result,
        "tailoring": tailoring,
        "can_assign": request.user.has_perm(ASSIGN, project),
        "can_manage": request.user.has_perm(MANAGE, project),
        "can_tailor": request.user.has_perm(TAILOR, project),
        "can_decide": request.user.has_perm(DECIDE),
        "statuses": rules.STATUSES,
    }
    return render(request, "standards/project_tab.html", context)


@login_required
def methodology_assign(request, pk: int):
    project = get_project_for_user(request, pk, ASSIGN)
    current = assignment_of(project)
    form = AssignForm(
        request.POST or None,
        project=project,
        initial={"version": current.version_id if current else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_methodology_assign(
                project=project, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project now follows this methodology version."))
            return redirect(tab_url(project))
    context = {
        "title": _("Methodology the project follows"),
        "object": project,
        "project": project,
        "current": current,
        "back": tab_url(project),
    }
    return form_page(request, "standards/project_form.html", context, form)


@login_required
def tailoring_create(request, pk: int):
    project = get_project_for_user(request, pk, TAILOR)
    assignment = assignment_of(project)
    if assignment is None:
        messages.error(request, _("Choose the methodology the project follows first."))
        return redirect(tab_url(project))
    pending = TailoringRequest.objects.filter(
        project=project, status__in=["pending", "approved"]
    ).values_list("deliverables__code", flat=True)
    form = TailoringForm(
        request.POST or None, version=assignment.version, exclude_codes=[c for c in pending if c]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tailoring_request_submit(
                project=project, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The tailoring request was sent to the PMO."))
            return redirect(tab_url(project))
    context = {
        "title": _("Request tailoring"),
        "object": project,
        "project": project,
        "current": assignment,
        "back": tab_url(project),
    }
    return form_page(request, "standards/project_form.html", context, form)


def _request_for(request, pk: int) -> TailoringRequest:
    """A tailoring request of a project the user may see (else 404)."""
    tailoring = get_object_or_404(
        TailoringRequest.objects.visible_to(request.user)
        .with_project()
        .prefetch_related("deliverables__gate"),
        pk=pk,
    )
    return tailoring


@login_required
def tailoring_list(request):
    """Tailoring requests: the PMO's queue, or the requests of the user's projects."""
    status = request.GET.get("status", "pending")
    requests = TailoringRequest.objects.visible_to(request.user).with_project()
    if status in TailoringRequest.Status.values:
        requests = requests.filter(status=status)
    requests = requests.prefetch_related("deliverables")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": TailoringRequest.Status.choices,
        "can_decide": request.user.has_perm(DECIDE),
    }
    return TemplateResponse(request, "standards/tailoring_list.html", context)


@login_required
def tailoring_detail(request, pk: int):
    tailoring = _request_for(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        check(request, DECIDE)
        if form.is_valid():
            try:
                services.tailoring_request_decide(
                    request=tailoring,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("standards:tailoring_list")
    context = {
        "tailoring": tailoring,
        "project": tailoring.project,
        "can_decide": request.user.has_perm(DECIDE)
        and tailoring.status == TailoringRequest.Status.PENDING,
        "can_withdraw": request.user.has_perm(TAILOR, tailoring.project)
        and tailoring.status == TailoringRequest.Status.PENDING,
    }
    return form_page(request, "standards/tailoring_detail.html", context, form)


@require_POST
@login_required
def tailoring_withdraw(request, pk: int):
    tailoring = _request_for(request, pk)
    check(request, TAILOR, tailoring.project)
    try:
        services.tailoring_request_withdraw(request=tailoring, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The tailoring request was withdrawn."))
    return redirect(tab_url(tailoring.project))


@login_required
def evidence_submit(request, pk: int, deliverable_pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    assignment = assignment_of(project)
    if assignment is None:
        raise Http404
    deliverable = get_object_or_404(
        RequiredDeliverable.objects.with_parts(), pk=deliverable_pk, version=assignment.version
    )
    record = DeliverableRecord.objects.filter(project=project, deliverable=deliverable).first()
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial={"link": record.link, "note": record.note} if record else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deliverable_record_submit(
                project=project,
                deliverable=deliverable,
                upload=form.cleaned_data["file"],
                link=form.cleaned_data["link"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The evidence of %(name)s was recorded.") % {"name": deliverable.label}
            )
            return redirect(tab_url(project))
    context = {
        "project": project,
        "deliverable": deliverable,
        "record": record,
        "back": tab_url(project),
    }
    return form_page(request, "standards/evidence_form.html", context, form)


def _record_for(request, pk: int, perm: str = "core.view_project") -> DeliverableRecord:
    record = get_object_or_404(
        DeliverableRecord.objects.select_related("deliverable"),
        pk=pk,
        project__in=Project.objects.visible_to(request.user),
    )
    record.project = get_project_for_user(request, record.project_id, perm)
    return record


@require_POST
@login_required
def record_withdraw(request, pk: int):
    record = _record_for(request, pk, MANAGE)
    services.deliverable_record_withdraw(record=record, actor=request.user)
    messages.success(request, _("The evidence was withdrawn."))
    return redirect(tab_url(record.project))


@login_required
def record_download(request, pk: int):
    record = _record_for(request, pk)
    return private_file(
        request,
        record.file,
        record.original_name,
        f"evidence {record.project.code} {record.deliverable.code}",
    )


urlpatterns = [
    path("projects/<int:pk>/methodology/", methodology_assign, name="methodology_assign"),
    path("projects/<int:pk>/tailoring/new/", tailoring_create, name="tailoring_create"),
    path(
        "projects/<int:pk>/deliverables/<int:deliverable_pk>/evidence/",
        evidence_submit,
        name="evidence_submit",
    ),
    path("tailoring/", tailoring_list, name="tailoring_list"),
    path("tailoring/<int:pk>/", tailoring_detail, name="tailoring_detail"),
    path("tailoring/<int:pk>/withdraw/", tailoring_withdraw, name="tailoring_withdraw"),
    path("evidence/<int:pk>/withdraw/", record_withdraw, name="record_withdraw"),
    path("evidence/<int:pk>/download/", record_download, name="record_download"),
]
