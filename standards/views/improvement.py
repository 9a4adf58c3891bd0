"""Continuous improvement: change requests against the standards (raised by anyone,
triaged by the PMO) and suggestions for the project management information system."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm
from standards import services
from standards.forms import (
    ChangeRequestForm,
    SuggestionForm,
    SuggestionResponseForm,
    TriageForm,
)
from standards.models import ChangeRequest, Methodology, Suggestion
from standards.views.common import PAGE_SIZE, check, form_page, int_param

RAISE, TRIAGE = "standards.raise_change", "standards.triage_change"
SUGGEST, RESPOND = "standards.suggest", "standards.respond_suggestion"


@require_perm(RAISE)
def change_list(request):
    status = request.GET.get("status", "open")
    methodology_id = int_param(request.GET.get("methodology"))
    changes = ChangeRequest.objects.with_people()
    if status == "open":
        changes = changes.open()
    elif status in ChangeRequest.Status.values:
        changes = changes.filter(status=status)
    if methodology_id:
        changes = changes.filter(methodology_id=methodology_id)
    counts = dict(
        ChangeRequest.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": ChangeRequest.Status.choices,
        "counts": counts,
        "methodologies": Methodology.objects.order_by("code"),
        "methodology_id": methodology_id,
        "can_triage": request.user.has_perm(TRIAGE),
    }
    return TemplateResponse(request, "standards/change_list.html", context)


@require_perm(RAISE)
def change_create(request):
    initial = {"methodology": int_param(request.GET.get("methodology"))}
    form = ChangeRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_request_raise(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your change request was sent to the PMO."))
            return redirect(change)
    context = {
        "title": _("Change request"),
        "object": None,
        "back": reverse("standards:change_list"),
    }
    return form_page(request, "standards/form.html", context, form)


@require_perm(RAISE)
def change_detail(request, pk: int):
    change = get_object_or_404(ChangeRequest.objects.with_people(), pk=pk)
    form = TriageForm(
        request.POST or None,
        methodology=change.methodology,
        initial={
            "priority": change.priority,
            "implemented_in": change.implemented_in_id,
            "status": change.status if change.status != "submitted" else "accepted",
        },
    )
    if request.method == "POST":
        check(request, TRIAGE)
        if form.is_valid():
            try:
                services.change_request_triage(
                    request=change,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    priority=form.cleaned_data["priority"],
                    implemented_in=form.cleaned_data["implemented_in"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The change request was triaged."))
                return redirect(change)
    context = {
        "change": change,
        "can_triage": request.user.has_perm(TRIAGE)
        and change.status not in (ChangeRequest.Status.REJECTED, ChangeRequest.Status.IMPLEMENTED),
    }
    return form_page(request, "standards/change_detail.html", context, form)


@require_perm(SUGGEST)
def suggestion_list(request):
    status = request.GET.get("status", "")
    area = request.GET.get("area", "")
    suggestions = Suggestion.objects.with_people()
    if status == "open":
        suggestions = suggestions.open()
    elif status in Suggestion.Status.values:
        suggestions = suggestions.filter(status=status)
    if area in Suggestion.Area.values:
        suggestions = suggestions.filter(area=area)
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_submit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your suggestion was recorded."))
            return redirect("standards:suggestion_list")
    counts = dict(
        Suggestion.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "area": area,
        "statuses": Suggestion.Status.choices,
        "areas": Suggestion.Area.choices,
        "counts": counts,
        "can_respond": request.user.has_perm(RESPOND),
    }
    return form_page(request, "standards/suggestion_list.html", context, form)


@require_perm(SUGGEST)
def suggestion_detail(request, pk: int):
    suggestion = get_object_or_404(Suggestion.objects.with_people(), pk=pk)
    form = SuggestionResponseForm(
        request.POST or None,
        initial={"status": suggestion.status, "response": suggestion.response},
    )
    if request.method == "POST":
        check(request, RESPOND)
        if form.is_valid():
            try:
                services.suggestion_respond(
                    suggestion=suggestion, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The answer was recorded."))
                return redirect("standards:suggestion_list")
    context = {"suggestion": suggestion, "can_respond": request.user.has_perm(RESPOND)}
    return form_page(request, "standards/suggestion_detail.html", context, form)


urlpatterns = [
    path("changes/", change_list, name="change_list"),
    path("changes/new/", change_create, name="change_create"),
    path("changes/<int:pk>/", change_detail, name="change_detail"),
    path("suggestions/", suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/", suggestion_detail, name="suggestion_detail"),
]
