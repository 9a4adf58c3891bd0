"""Goals & RACI: the project tab, goal forms, the RACI matrix, the responsibility
agreement with its sign-off and PDF, the communication log, the goal frameworks."""

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
    AgreementIssueForm,
    CommunicationForm,
    FrameworkForm,
    GoalForm,
    RaciActivityForm,
    RaciMatrixForm,
    SignForm,
)
from delivery.models import (
    CommunicationLog,
    Goal,
    GoalFramework,
    RaciActivity,
    RaciAssignment,
    ResponsibilityAgreement,
)
from delivery.services import goals as services
from delivery.services import reports
from delivery.views.common import (
    deny,
    download_response,
    form_page,
    project_object,
    tab_url,
    to_tab,
)
from pmo.core import locking
from pmo.core.forms import add_service_errors
from pmo.core.models import Person, ProjectType
from pmo.core.permissions import get_project_for_user, require_perm

MANAGE = "delivery.manage_delivery"


def raci_people(project, assignments):
    """Columns of the matrix: the project's people, and anyone already assigned."""
    ids = set(project.members.values_list("person_id", flat=True))
    ids |= {a.person_id for a in assignments}
    return list(Person.objects.filter(pk__in=ids).order_by("name"))


def tab_goals(request, project):
    goals = list(Goal.objects.filter(project=project).select_related("owner"))
    activities = list(RaciActivity.objects.filter(project=project))
    assignments = list(
        RaciAssignment.objects.filter(activity__project=project).select_related("person")
    )
    assigned = {a.person_id for a in assignments}
    people = sorted({a.person_id: a.person for a in assignments}.values(), key=lambda p: p.name)
    cells = {(a.activity_id, a.person_id): a.letter for a in assignments}
    problems = services.raci_problems(activities, assignments)
    agreement = services.latest_agreement(project)
    context = {
        "project": project,
        "framework": services.framework_for(project.project_type),
        "goals": goals,
        "gaps": services.framework_gaps(project, goals),
        "people": [p for p in people if p.pk in assigned],
        "matrix": [
            (a, [cells.get((a.pk, p.pk), "") for p in people], problems.get(a.pk))
            for a in activities
        ],
        "agreement": agreement,
        "next_step": services.next_signoff_step(agreement) if agreement else None,
        "can_sign": agreement is not None
        and request.user.has_perm("delivery.sign_agreement", agreement),
        "issue_problems": services.agreement_problems(project),
        "communications": CommunicationLog.objects.filter(project=project).select_related(
            "recorded_by", "recorded_by__person", "agreement"
        )[:20],
        "can_manage": request.user.has_perm(MANAGE, project),
    }
    return render(request, "delivery/tab_goals.html", context)


@login_required
def goal_create(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    return _goal_form(request, project, None)


@login_required
def goal_edit(request, pk: int):
    goal, project = project_object(request, Goal.objects.all(), pk, MANAGE)
    return _goal_form(request, project, goal)


def _goal_form(request, project, goal):
    form = GoalForm(request.POST or None, instance=goal, project=project)
    locking.attach_token(form, goal)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            with locking.guard(form):
                services.goal_save(project=project, actor=request.user, goal=goal, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal was saved."))
            return to_tab(project, "goals")
    title = _("Edit goal") if goal else _("New SMART goal")
    return form_page(
        request,
        form,
        title=title,
        project=project,
        back=tab_url(project, "goals"),
        intro=_(
            "Specific, measurable (KPI, baseline and target), achievable, relevant and "
            "time-bound (due date)."
        ),
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def goal_delete(request, pk: int):
    goal, project = project_object(request, Goal.objects.all(), pk, MANAGE)
    services.goal_delete(goal=goal, actor=request.user)
    messages.success(request, _("The goal was deleted."))
    return to_tab(project, "goals")


@login_required
def raci_edit(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    activities = list(RaciActivity.objects.filter(project=project))
    assignments = list(RaciAssignment.objects.filter(activity__project=project))
    people = raci_people(project, assignments)
    form = RaciMatrixForm(
        request.POST or None, activities=activities, people=people, assignments=assignments
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.raci_matrix_save(project=project, actor=request.user, cells=form.cells())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The RACI matrix was saved."))
                return to_tab(project, "goals")
        status = 422
    context = {
        "project": project,
        "form": form,
        "people": people,
        "activity_form": RaciActivityForm(),
    }
    return TemplateResponse(request, "delivery/raci_edit.html", context, status=status)


@require_POST
@login_required
def raci_activity_add(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    form = RaciActivityForm(request.POST)
    if form.is_valid():
        try:
            services.raci_activity_add(
                project=project, actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Name the activity."))
    return redirect("delivery:raci_edit", pk=project.pk)


@require_POST
@login_required
def raci_activity_delete(request, pk: int):
    activity, project = project_object(request, RaciActivity.objects.all(), pk, MANAGE)
    services.raci_activity_delete(activity=activity, actor=request.user)
    messages.success(request, _("The activity was removed."))
    return redirect("delivery:raci_edit", pk=project.pk)


@require_POST
@login_required
def agreement_issue(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    form = AgreementIssueForm(request.POST)
    form.is_valid()
    try:
        agreement = services.agreement_issue(
            project=project,
            actor=request.user,
            change_note=form.cleaned_data.get("change_note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return to_tab(project, "goals")
    messages.success(
        request,
        _("Version %(version)d was issued for signing.") % {"version": agreement.version},
    )
    return redirect("delivery:agreement_detail", pk=agreement.pk)


@login_required
def agreement_detail(request, pk: int):
    agreement, project = project_object(
        request, ResponsibilityAgreement.objects.prefetch_related("signoffs"), pk
    )
    context = {
        "project": project,
        "agreement": agreement,
        "snapshot": _snapshot_rows(agreement.snapshot),
        "next_step": services.next_signoff_step(agreement),
        "can_sign": request.user.has_perm("delivery.sign_agreement", agreement),
        "sign_form": SignForm(),
        "versions": ResponsibilityAgreement.objects.filter(project=project).only(
            "pk", "version", "status", "issued_at", "signed_at"
        ),
        "pdf_run": reports.agreement_run(agreement),
        "communications": agreement.communications.select_related("recorded_by__person"),
    }
    return TemplateResponse(request, "delivery/agreement_detail.html", context)


def _snapshot_rows(snapshot: dict) -> dict:
    """The frozen content laid out for a table: goals, and the matrix by person."""
    people = snapshot.get("people", [])
    return {
        "goals": snapshot.get("goals", []),
        "people": people,
        "activities": [
            (a["name"], [a["cells"].get(str(p["id"]), "") for p in people])
            for a in snapshot.get("activities", [])
        ],
    }


@require_POST
@login_required
def agreement_sign(request, pk: int):
    agreement, project = project_object(
        request, ResponsibilityAgreement.objects.prefetch_related("signoffs"), pk
    )
    if not request.user.has_perm("delivery.sign_agreement", agreement):
        deny(request, "delivery.sign_agreement")
    form = SignForm(request.POST)
    form.is_valid()
    try:
        services.agreement_sign(
            agreement=agreement, actor=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You signed the responsibility agreement."))
    return redirect("delivery:agreement_detail", pk=agreement.pk)


@require_POST
@login_required
def agreement_pdf(request, pk: int):
    agreement, project = project_object(request, ResponsibilityAgreement.objects.all(), pk)
    reports.agreement_pdf_request(
        agreement=agreement, actor=request.user, language=request.LANGUAGE_CODE
    )
    messages.success(request, _("The PDF is being prepared; it appears here when it is ready."))
    return redirect("delivery:agreement_detail", pk=agreement.pk)


@login_required
def agreement_download(request, pk: int):
    agreement, project = project_object(request, ResponsibilityAgreement.objects.all(), pk)
    run = reports.agreement_run(agreement)
    if run is None or not run.is_downloadable:
        raise Http404
    return download_response(request, run)


@login_required
def communication_create(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    form = CommunicationForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.communication_record(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The communication was recorded."))
            return to_tab(project, "goals")
    return form_page(
        request,
        form,
        title=_("Record a communication"),
        project=project,
        back=tab_url(project, "goals"),
        status=422 if form.errors else 200,
    )


# --- frameworks (PMO) ----------------------------------------------------------------------


@require_perm("delivery.configure")
def framework_list(request):
    frameworks = {f.project_type_id: f for f in GoalFramework.objects.prefetch_related("items")}
    rows = [(None, frameworks.get(None))] + [
        (t, frameworks.get(t.pk)) for t in ProjectType.objects.order_by("code")
    ]
    return TemplateResponse(request, "delivery/framework_list.html", {"rows": rows})


@require_perm("delivery.configure")
def framework_edit(request, type_pk: int):
    project_type = None
    if type_pk:
        project_type = get_object_or_404(ProjectType, pk=type_pk)
    framework = (
        GoalFramework.objects.prefetch_related("items").filter(project_type=project_type).first()
    )
    form = FrameworkForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_save(
                actor=request.user,
                project_type=project_type,
                process=form.cleaned_data["process"],
                items=form.items(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal-setting framework was saved."))
            return redirect("delivery:framework_list")
    context = {
        "form": form,
        "project_type": project_type,
        "back": reverse("delivery:framework_list"),
    }
    return TemplateResponse(
        request, "delivery/framework_edit.html", context, status=422 if form.errors else 200
    )
