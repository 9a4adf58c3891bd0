"""The PMO's appraisal settings and social-benefit criteria."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decisions.forms import AppraisalSettingsForm, SocialCriterionForm
from decisions.models import AppraisalSettings, SocialCriterion
from decisions.services import config as services
from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm


def _page(request, settings_form=None, criterion_form=None, editing=None, status=200):
    context = {
        "settings_form": settings_form
        or AppraisalSettingsForm(instance=AppraisalSettings.current()),
        "criteria": SocialCriterion.objects.all(),
        "criterion_form": criterion_form or SocialCriterionForm(instance=editing),
        "editing": editing,
    }
    return TemplateResponse(request, "decisions/settings.html", context, status=status)


@require_perm("decisions.configure")
def appraisal_settings(request):
    """GET: settings and criteria (``?edit=<id>`` fills the criterion form). POST: settings."""
    if request.method != "POST":
        edit = request.GET.get("edit", "")
        editing = SocialCriterion.objects.filter(pk=int(edit)).first() if edit.isdigit() else None
        return _page(request, editing=editing)
    form = AppraisalSettingsForm(request.POST, instance=AppraisalSettings.current())
    if form.is_valid():
        try:
            services.appraisal_settings_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _page(request, settings_form=form, status=422)
    messages.success(request, _("The appraisal settings were saved."))
    return redirect("decisions:settings")


@require_POST
@require_perm("decisions.configure")
def social_criterion_save(request, criterion_pk: int | None = None):
    criterion = get_object_or_404(SocialCriterion, pk=criterion_pk) if criterion_pk else None
    form = SocialCriterionForm(request.POST, instance=criterion)
    if form.is_valid():
        try:
            services.social_criterion_save(
                actor=request.user, criterion=criterion, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _page(request, criterion_form=form, editing=criterion, status=422)
    messages.success(request, _("The social-benefit criterion was saved."))
    return redirect("decisions:settings")
