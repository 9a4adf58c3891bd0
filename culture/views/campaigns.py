"""Campaigns (宣贯): the PMO sends a message to org units and job roles; addressees read
it, answer the quiz and acknowledge; coverage and acknowledgement rates per org unit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culture import selectors, services
from culture.forms import AcknowledgeForm, CampaignForm
from culture.models import Campaign, CampaignRecipient
from culture.views.common import (
    MANAGE,
    PAGE_SIZE,
    RESULTS,
    VIEW,
    current_person,
    form_page,
    posted,
)
from pmo.core import charts, locking
from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm


def _campaign_for(request, pk: int) -> Campaign:
    try:
        return Campaign.objects.visible_to(request.user).select_related("idea").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


@require_perm(VIEW)
def campaign_list(request):
    person = current_person(request)
    campaigns = Campaign.objects.visible_to(request.user).with_counts()
    status = request.GET.get("status", "")
    if status in Campaign.Status.values:
        campaigns = campaigns.filter(status=status)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = {}
    if person is not None:
        mine = {
            r.campaign_id: r
            for r in CampaignRecipient.objects.filter(
                person=person, campaign_id__in=[c.pk for c in page]
            )
        }
    context = {
        "page": page,
        "mine": mine,
        "status": status,
        "statuses": Campaign.Status.choices,
        "can_manage": request.user.has_perm(MANAGE),
        "can_results": request.user.has_perm(RESULTS),
    }
    return TemplateResponse(request, "culture/campaign_list.html", context)


@require_perm(MANAGE)
def campaign_create(request):
    form = CampaignForm(posted(request))
    return _save(request, form, None)


@require_perm(MANAGE)
def campaign_edit(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.status != Campaign.Status.DRAFT:
        messages.error(request, _("Only a draft campaign can be changed."))
        return redirect(campaign)
    form = CampaignForm(posted(request), initial=CampaignForm.initial_for(campaign))
    locking.attach_token(form, campaign)
    return _save(request, form, campaign)


def _save(request, form, campaign):
    if request.method == "POST" and form.is_valid():
        try:
            with locking.guard(form):
                campaign = services.campaign_save(
                    actor=request.user, campaign=campaign, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The campaign was saved as a draft."))
            return redirect(campaign)
    context = {"title": _("Edit campaign") if campaign else _("New campaign"), "object": campaign}
    return form_page(request, "culture/form.html", context, form)


@require_perm(VIEW)
def campaign_detail(request, pk: int):
    campaign = _campaign_for(request, pk)
    person = current_person(request)
    recipient = (
        services.campaign_read(campaign=campaign, person=person) if person is not None else None
    )
    form = AcknowledgeForm(posted(request), campaign=campaign)
    if request.method == "POST":
        if recipient is None:
            raise Http404
        if form.is_valid():
            try:
                services.campaign_acknowledge(
                    campaign=campaign,
                    person=person,
                    actor=request.user,
                    quiz_choice=form.cleaned_data.get("quiz_choice"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you: your acknowledgement was recorded."))
                return redirect(campaign)
    context = {
        "campaign": campaign,
        "recipient": recipient,
        "can_manage": request.user.has_perm(MANAGE),
        "can_results": request.user.has_perm(RESULTS),
        "audience": None,
    }
    if context["can_results"]:
        rows, total = selectors.campaign_coverage([campaign.pk])
        context.update(_coverage_context(rows, total))
        context["units"] = campaign.target_units.all()
        context["roles"] = campaign.target_roles.all()
        if campaign.status == Campaign.Status.DRAFT:
            context["audience"] = services.campaign_audience(campaign).count()
    return form_page(request, "culture/campaign_detail.html", context, form)


def _coverage_context(rows, total) -> dict:
    return {
        "coverage": rows,
        "total": total,
        "coverage_chart": charts.bar(
            [r.unit.label for r in rows],
            {
                _("Read (%)"): [r.read_rate or 0 for r in rows],
                _("Acknowledged (%)"): [r.ack_rate or 0 for r in rows],
            },
            value_name="%",
        ),
    }


@require_perm(MANAGE)
@require_POST
def campaign_launch(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        services.campaign_launch(campaign=campaign, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign was sent."))
    return redirect(campaign)


@require_perm(MANAGE)
@require_POST
def campaign_close(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        services.campaign_close(campaign=campaign, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign was closed."))
    return redirect(campaign)


@require_perm(RESULTS)
def coverage(request):
    """All launched campaigns together: reach and acceptance per org unit."""
    campaigns = Campaign.objects.exclude(status=Campaign.Status.DRAFT).with_counts()
    rows, total = selectors.campaign_coverage(c.pk for c in campaigns)
    context = {"campaigns": campaigns, **_coverage_context(rows, total)}
    return TemplateResponse(request, "culture/coverage.html", context)


urlpatterns = [
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/coverage/", coverage, name="coverage"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/launch/", campaign_launch, name="campaign_launch"),
    path("campaigns/<int:pk>/close/", campaign_close, name="campaign_close"),
]
