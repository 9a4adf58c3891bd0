"""Closeout: the tab, checklist items with evidence, goal actuals, lessons learned,
submission, the PMO's decision and the closeout report PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery.forms import (
    CloseoutForm,
    ClosureItemForm,
    ClosureTemplateForm,
    DecisionForm,
    GoalActualForm,
    LessonForm,
)
from delivery.models import Closeout, ClosureItem, ClosureItemTemplate, Goal
from delivery.services import closeout as services
from delivery.services import reports
from delivery.views.common import (
    deny,
    download_response,
    file_response,
    form_page,
    project_object,
    tab_url,
    to_tab,
)
from knowledge import services as knowledge
from knowledge.models import Lesson
from pmo.core import locking
from pmo.core.documents import content_type_for
from pmo.core.forms import add_service_errors
from pmo.core.models import Stage
from pmo.core.permissions import get_project_for_user, require_perm

MANAGE = "delivery.manage_delivery"


def tab_closeout(request, project):
    closeout = Closeout.objects.filter(project=project).first()
    items = list(closeout.items.select_related("done_by__person")) if closeout else []
    can_manage = request.user.has_perm(MANAGE, project)
    editable = closeout is not None and closeout.status in (
        Closeout.Status.OPEN,
        Closeout.Status.RETURNED,
    )
    context = {
        "project": project,
        "closeout": closeout,
        "items": [
            (
                item,
                ClosureItemForm(
                    initial={"done": item.done, "evidence_note": item.evidence_note},
                    prefix=f"item{item.pk}",
                ),
            )
            for item in items
        ],
        "goals": Goal.objects.filter(project=project),
        "lessons": Lesson.objects.filter(project=project).select_related("created_by__person"),
        "problems": services.closeout_problems(closeout) if closeout and editable else [],
        "can_manage": can_manage,
        "editable": editable and can_manage,
        "can_start": closeout is None
        and can_manage
        and project.stage in (Stage.ACTIVE, Stage.CLOSING),
        "can_decide": closeout is not None
        and closeout.status == Closeout.Status.SUBMITTED
        and request.user.has_perm("delivery.approve_closeout", project),
        "decision_form": DecisionForm(),
        "pdf_run": reports.closeout_run(project) if closeout else None,
    }
    return render(request, "delivery/tab_closeout.html", context)


@require_POST
@login_required
def closeout_start(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    try:
        services.closeout_start(project=project, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The closeout was started; the project is closing."))
    return to_tab(project, "closeout")


def _closeout(request, pk: int, perm: str = MANAGE):
    project = get_project_for_user(request, pk, perm)
    closeout = Closeout.objects.filter(project=project).first()
    if closeout is None:
        raise Http404
    return project, closeout


@login_required
def closeout_edit(request, pk: int):
    project, closeout = _closeout(request, pk)
    form = CloseoutForm(
        request.POST or None,
        initial={
            "summary": closeout.summary,
            "improvements": closeout.improvements,
            "benefits_review_date": closeout.benefits_review_date,
        },
    )
    locking.attach_token(form, closeout, ("summary", "improvements", "benefits_review_date"))
    if request.method == "POST" and form.is_valid():
        try:
            with locking.guard(form):
                services.closeout_save(closeout=closeout, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The closeout was saved."))
            return to_tab(project, "closeout")
    return form_page(
        request,
        form,
        title=_("Final result and improvement suggestions"),
        project=project,
        back=tab_url(project, "closeout"),
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def closure_item_update(request, pk: int):
    item = ClosureItem.objects.select_related("closeout").filter(pk=pk).first()
    if item is None:
        raise Http404
    project = get_project_for_user(request, item.closeout.project_id, MANAGE)
    item.closeout.project = project
    form = ClosureItemForm(request.POST, request.FILES, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            services.closure_item_update(
                item=item,
                actor=request.user,
                done=form.cleaned_data["done"],
                evidence_note=form.cleaned_data["evidence_note"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The checklist was updated."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return to_tab(project, "closeout")


@login_required
def closure_evidence(request, pk: int):
    item = ClosureItem.objects.select_related("closeout").filter(pk=pk).first()
    if item is None or not item.evidence_file:
        raise Http404
    get_project_for_user(request, item.closeout.project_id)
    return file_response(
        request,
        item.evidence_file,
        item.evidence_name,
        content_type_for(item.evidence_name),
        f"closeout evidence {item.pk} {item.evidence_name}",
    )


@login_required
def goal_actual(request, pk: int):
    goal, project = project_object(request, Goal.objects.all(), pk, MANAGE)
    form = GoalActualForm(
        request.POST or None,
        initial={
            "actual_value": goal.actual_value,
            "actual_note": goal.actual_note,
            "benefit_review_date": goal.benefit_review_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_actual_record(goal=goal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The actual was recorded."))
            return to_tab(project, "closeout")
    intro = _("%(goal)s: target %(target)s %(unit)s, baseline %(baseline)s.") % {
        "goal": goal.title,
        "target": goal.target_value,
        "unit": goal.unit,
        "baseline": "—" if goal.baseline_value is None else goal.baseline_value,
    }
    return form_page(
        request,
        form,
        title=_("Goal attainment"),
        intro=intro,
        project=project,
        back=tab_url(project, "closeout"),
        status=422 if form.errors else 200,
    )


@login_required
def lesson_create(request, pk: int):
    """Capture a lesson learned of the project (at closeout or at any time)."""
    project = get_project_for_user(request, pk, MANAGE)
    closing = Closeout.objects.filter(project=project).exists()
    form = LessonForm(
        request.POST or None, initial={"phase": "closing" if closing else "execution"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            knowledge.lesson_create(
                actor=request.user,
                project=project,
                source=Lesson.Source.CLOSEOUT if closing else Lesson.Source.ANYTIME,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lesson was captured."))
            return to_tab(project, "closeout")
    return form_page(
        request,
        form,
        title=_("Capture a lesson learned"),
        project=project,
        back=tab_url(project, "closeout"),
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def closeout_submit(request, pk: int):
    project, closeout = _closeout(request, pk)
    try:
        services.closeout_submit(closeout=closeout, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The closeout was sent to the PMO for approval."))
    return to_tab(project, "closeout")


@require_POST
@login_required
def closeout_decide(request, pk: int):
    project, closeout = _closeout(request, pk, "core.view_project")
    if not request.user.has_perm("delivery.approve_closeout", project):
        deny(request, "delivery.approve_closeout")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.closeout_decide(
                closeout=closeout,
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
    return to_tab(project, "closeout")


@require_POST
@login_required
def closeout_pdf(request, pk: int):
    project, _closeout_row = _closeout(request, pk, "core.view_project")
    reports.closeout_pdf_request(
        project=project, actor=request.user, language=request.LANGUAGE_CODE
    )
    messages.success(request, _("The PDF is being prepared; it appears here when it is ready."))
    return to_tab(project, "closeout")


@login_required
def closeout_download(request, pk: int):
    project, _closeout_row = _closeout(request, pk, "core.view_project")
    run = reports.closeout_run(project)
    if run is None or not run.is_downloadable:
        raise Http404
    return download_response(request, run)


# --- the closure checklists (PMO) ---------------------------------------------------------------


@require_perm("delivery.configure")
def closure_templates(request):
    form = ClosureTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_template_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The checklist item was saved."))
            return redirect("delivery:closure_templates")
    templates = ClosureItemTemplate.objects.select_related("project_type").order_by(
        "project_type__code", "sort_order", "pk"
    )
    context = {"form": form, "templates": templates}
    return TemplateResponse(
        request, "delivery/closure_templates.html", context, status=422 if form.errors else 200
    )


@require_perm("delivery.configure")
def closure_template_edit(request, pk: int):
    template = get_object_or_404(ClosureItemTemplate, pk=pk)
    form = ClosureTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_template_save(
                actor=request.user, template=template, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The checklist item was saved."))
            return redirect("delivery:closure_templates")
    return form_page(
        request,
        form,
        title=_("Closure checklist item"),
        back=reverse("delivery:closure_templates"),
        status=422 if form.errors else 200,
    )


@require_POST
@require_perm("delivery.configure")
def closure_template_delete(request, pk: int):
    template = get_object_or_404(ClosureItemTemplate, pk=pk)
    services.closure_template_delete(actor=request.user, template=template)
    messages.success(request, _("The checklist item was removed."))
    return redirect("delivery:closure_templates")
