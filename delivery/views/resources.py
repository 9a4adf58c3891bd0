"""Resource adjustments: a manager's request, the PMO's list and decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery.forms import DecisionForm, ResourceRequestForm
from delivery.models import ResourceRequest
from delivery.services import resources as services
from delivery.views.common import form_page, project_object, tab_url, to_tab
from pmo.core.forms import add_service_errors
from pmo.core.permissions import get_project_for_user, require_perm

PAGE_SIZE = 50


@login_required
def request_create(request, pk: int):
    project = get_project_for_user(request, pk, "delivery.manage_delivery")
    form = ResourceRequestForm(
        request.POST or None,
        project=project,
        initial={"start": project.planned_start, "end": project.planned_finish},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_request_create(
                project=project, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request was sent to the PMO."))
            return to_tab(project, "plan")
    return form_page(
        request,
        form,
        title=_("Request a resource adjustment"),
        intro=_(
            "Once the PMO approves, the person joins the team and the hours are added to "
            "the project's resource demand (and taken off the project they come from)."
        ),
        project=project,
        back=tab_url(project, "plan"),
        status=422 if form.errors else 200,
    )


@require_perm("delivery.decide_resource_request")
def request_list(request):
    status = request.GET.get("status", "pending")
    requests = ResourceRequest.objects.with_people()
    if status in ResourceRequest.Status.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": ResourceRequest.Status.choices,
        "form": DecisionForm(),
    }
    return TemplateResponse(request, "delivery/resource_requests.html", context)


@require_POST
@login_required
def request_decide(request, pk: int):
    resource_request, project = project_object(
        request, ResourceRequest.objects.all(), pk, "delivery.decide_resource_request"
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.resource_request_decide(
                request=resource_request,
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
    return redirect("delivery:resource_requests")
