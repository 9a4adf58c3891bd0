"""Benefits realised after go-live, recorded against the approved business case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from decisions.forms import RealisedBenefitForm
from decisions.models import RealisedBenefit
from decisions.selectors import project_benefits
from decisions.services.benefits import realised_benefit_delete, realised_benefit_record
from decisions.views.common import check
from pmo.core.forms import add_service_errors
from pmo.core.models import Project
from pmo.core.permissions import get_project_for_user


def benefit_context(request, project: Project, form=None) -> dict:
    """What the benefit table needs, on the business-case tab and on its own page."""
    can_record = request.user.has_perm("decisions.record_benefit", project)
    rows = project_benefits(project)
    recorded = {b.year: b for b in project.realised_benefits.all()}
    for row in rows:
        row["record"] = recorded.get(row["year"])
    return {
        "project": project,
        "benefit_rows": rows,
        "can_record_benefit": can_record,
        "benefit_form": form
        if form is not None
        else (RealisedBenefitForm() if can_record else None),
    }


def _back(project: Project) -> str:
    return f"{reverse('core:project_detail', args=[project.pk])}?tab=business_case"


@login_required
@require_http_methods(["GET", "POST"])
def project_benefits_page(request, pk: int):
    """The project's planned and realised benefit per year; the PM or PMO records one."""
    project = get_project_for_user(request, pk)
    form = None
    status = 200
    if request.method == "POST":
        check(request, "decisions.record_benefit", project)
        form = RealisedBenefitForm(request.POST)
        if form.is_valid():
            try:
                realised_benefit_record(project=project, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The realised benefit is recorded."))
                return redirect(_back(project))
        status = 422
    context = benefit_context(request, project, form)
    return TemplateResponse(request, "decisions/benefits.html", context, status=status)


@login_required
@require_POST
def benefit_delete(request, pk: int):
    benefit = RealisedBenefit.objects.filter(pk=pk).select_related("project").first()
    if benefit is None:
        raise Http404
    project = get_project_for_user(request, benefit.project_id)
    check(request, "decisions.record_benefit", project)
    realised_benefit_delete(benefit=benefit, actor=request.user)
    messages.success(request, _("The realised benefit is removed."))
    return redirect(_back(project))
