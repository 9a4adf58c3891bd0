"""Issues, risks and change requests; escalation; PMO interventions; the control page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery import charts
from delivery.forms import (
    DecisionForm,
    EscalateForm,
    InterventionCloseForm,
    InterventionForm,
    IssueActionForm,
    IssueForm,
    ResolveForm,
    ResponseTargetsForm,
)
from delivery.models import Intervention, Issue, Level
from delivery.selectors import control_summary, escalations_past_target, response_kpis
from delivery.services import issues as services
from delivery.services.status import overdue_projects
from delivery.views.common import deny, form_page, project_object, tab_url
from pmo.core import locking
from pmo.core.forms import add_service_errors
from pmo.core.models import Project
from pmo.core.permissions import get_project_for_user, require_perm

MANAGE = "delivery.manage_delivery"
PAGE_SIZE = 50


def tab_issues(request, project):
    issues = Issue.objects.filter(project=project).with_people()
    kind = request.GET.get("kind", "")
    if kind in Issue.Kind.values:
        issues = issues.filter(kind=kind)
    targets = services.response_targets()
    now = timezone.now()
    rows = [
        (i, i.is_open and i.level_response_at is None and services.level_deadline(i, targets) < now)
        for i in issues.order_by("status", "-raised_at")[:100]
    ]
    context = {
        "project": project,
        "rows": rows,
        "kind": kind,
        "kinds": Issue.Kind.choices,
        "kpis": response_kpis(Issue.objects.filter(project=project)),
        "interventions": Intervention.objects.filter(project=project).with_people()[:20],
        "can_manage": request.user.has_perm(MANAGE, project),
        "can_intervene": request.user.has_perm("delivery.intervene", project),
    }
    return render(request, "delivery/tab_issues.html", context)


@login_required
def issue_create(request, pk: int):
    project = get_project_for_user(request, pk, MANAGE)
    return _issue_form(request, project, None)


@login_required
def issue_edit(request, pk: int):
    issue, project = project_object(request, Issue.objects.all(), pk, MANAGE)
    return _issue_form(request, project, issue)


def _issue_form(request, project, issue):
    initial = {"kind": request.GET.get("kind")} if issue is None else None
    form = IssueForm(request.POST or None, instance=issue, project=project, initial=initial)
    if issue is not None:
        locking.attach_token(form, issue, form.Meta.fields)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            if issue is None:
                issue = services.issue_raise(project=project, actor=request.user, **fields)
            else:
                fields.pop("kind")
                with locking.guard(form):
                    services.issue_update(issue=issue, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The issue was saved."))
            return redirect("delivery:issue_detail", pk=issue.pk)
    return form_page(
        request,
        form,
        title=_("Edit") if issue else _("Raise an issue, risk or change request"),
        project=project,
        back=tab_url(project, "issues"),
        status=422 if form.errors else 200,
    )


@login_required
def issue_detail(request, pk: int):
    issue, project = project_object(request, Issue.objects.with_people(), pk)
    targets = services.response_targets()
    user = request.user
    context = {
        "project": project,
        "issue": issue,
        "actions": issue.actions.select_related("actor__person"),
        "interventions": issue.interventions.select_related("recorded_by__person"),
        "deadline": services.level_deadline(issue, targets) if issue.is_open else None,
        "target_hours": targets.get(issue.severity),
        "ladder": [(value, label, value <= issue.level) for value, label in Level.choices],
        "can_act": issue.is_open and services.may_act(user, issue),
        "can_escalate": issue.is_open
        and issue.level < Level.EXECUTIVE
        and (
            user.has_perm("delivery.intervene", project)
            or (issue.level == Level.MANAGER and user.has_perm(MANAGE, project))
        ),
        "can_edit": user.has_perm(MANAGE, project),
        "can_decide": issue.kind == Issue.Kind.CHANGE
        and issue.decision == Issue.Decision.PENDING
        and user.has_perm("delivery.decide_change", project),
        "can_intervene": user.has_perm("delivery.intervene", project),
        "action_form": IssueActionForm(),
        "escalate_form": EscalateForm(),
        "resolve_form": ResolveForm(),
        "decision_form": DecisionForm(),
        "now": timezone.now(),
    }
    return TemplateResponse(request, "delivery/issue_detail.html", context)


def _issue_step(request, pk: int, form_class, call, success: str, perm: str = ""):
    issue, project = project_object(request, Issue.objects.all(), pk)
    if perm and not request.user.has_perm(perm, project):
        deny(request, perm)
    if not perm and not services.may_act(request.user, issue):
        deny(request, "delivery.act_on_issue")
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("delivery:issue_detail", pk=issue.pk)
    try:
        call(issue, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("delivery:issue_detail", pk=issue.pk)


@require_POST
@login_required
def issue_act(request, pk: int):
    return _issue_step(
        request,
        pk,
        IssueActionForm,
        lambda issue, data: services.issue_act(issue=issue, actor=request.user, text=data["text"]),
        _("The action was recorded."),
    )


@require_POST
@login_required
def issue_escalate(request, pk: int):
    issue, project = project_object(request, Issue.objects.all(), pk)
    perm = MANAGE if issue.level == Level.MANAGER else "delivery.intervene"
    return _issue_step(
        request,
        pk,
        EscalateForm,
        lambda issue, data: services.issue_escalate(
            issue=issue, actor=request.user, text=data["text"]
        ),
        _("The issue was escalated."),
        perm,
    )


@require_POST
@login_required
def issue_resolve(request, pk: int):
    return _issue_step(
        request,
        pk,
        ResolveForm,
        lambda issue, data: services.issue_resolve(
            issue=issue, actor=request.user, resolution=data["resolution"]
        ),
        _("The issue was resolved."),
    )


@require_POST
@login_required
def change_decide(request, pk: int):
    return _issue_step(
        request,
        pk,
        DecisionForm,
        lambda issue, data: services.change_decide(
            issue=issue, actor=request.user, approve=data["approve"], note=data["note"]
        ),
        _("The decision was recorded."),
        "delivery.decide_change",
    )


@login_required
def intervention_create(request, pk: int):
    project = get_project_for_user(request, pk, "delivery.intervene")
    issue = None
    issue_id = request.GET.get("issue") or request.POST.get("issue")
    if issue_id and str(issue_id).isdigit():
        issue = Issue.objects.filter(project=project, pk=issue_id).first()
    form = InterventionForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_record(
                project=project, actor=request.user, issue=issue, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The intervention was recorded."))
            return redirect("delivery:intervention_detail", pk=intervention.pk)
    intro = _("About the issue: %(title)s") % {"title": issue.title} if issue else ""
    return form_page(
        request,
        form,
        title=_("Record a PMO intervention"),
        intro=intro,
        project=project,
        back=tab_url(project, "issues"),
        status=422 if form.errors else 200,
    )


@login_required
def intervention_detail(request, pk: int):
    intervention, project = project_object(request, Intervention.objects.with_people(), pk)
    context = {
        "project": project,
        "intervention": intervention,
        "can_close": intervention.status == Intervention.Status.OPEN
        and request.user.has_perm("delivery.intervene", project),
        "form": InterventionCloseForm(),
    }
    return TemplateResponse(request, "delivery/intervention_detail.html", context)


@require_POST
@login_required
def intervention_close(request, pk: int):
    intervention, project = project_object(request, Intervention.objects.all(), pk)
    if not request.user.has_perm("delivery.intervene", project):
        deny(request, "delivery.intervene")
    form = InterventionCloseForm(request.POST)
    if form.is_valid():
        try:
            services.intervention_close(
                intervention=intervention,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                effective=form.cleaned_data["effective"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The follow-up was closed."))
    else:
        messages.error(request, _("Record the outcome and whether it was effective."))
    return redirect("delivery:intervention_detail", pk=intervention.pk)


@require_perm("delivery.view_control")
def control(request):
    """How quickly problems get a response, what the PMO is following up, what is late."""
    projects = Project.objects.visible_to(request.user)
    issues = Issue.objects.filter(project__in=projects)
    open_issues = issues.open().with_people().order_by("-level", "raised_at")
    page = Paginator(open_issues, PAGE_SIZE).get_page(request.GET.get("page"))
    by_level = dict.fromkeys(Level.values, 0)
    for level in issues.open().values_list("level", flat=True):
        by_level[level] += 1
    context = {
        "summary": control_summary(projects),
        "kpis": response_kpis(issues),
        "past_target": escalations_past_target(issues)[:20],
        "page": page,
        "follow_ups": Intervention.objects.filter(project__in=projects, status="open")
        .with_people()
        .order_by("follow_up_date")[:20],
        "overdue_reports": overdue_projects(projects).with_people().order_by("code")[:20],
        "level_chart": charts.count_bars(
            [str(label) for _v, label in Level.choices],
            [by_level[v] for v, _label in Level.choices],
            _("Open issues"),
        ),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "delivery/control.html", context)


@require_perm("delivery.configure")
def settings_page(request):
    """The PMO's settings of delivery: reporting policy, response targets, frameworks."""
    from delivery.services.status import default_policy

    form = ResponseTargetsForm(request.POST or None, targets=services.response_targets())
    if request.method == "POST" and form.is_valid():
        for severity, hours in form.cleaned_data.items():
            services.response_target_set(
                actor=request.user, severity=severity, response_hours=hours
            )
        messages.success(request, _("The response-time targets were saved."))
        return redirect("delivery:settings")
    context = {"targets_form": form, "policy": default_policy()}
    return TemplateResponse(
        request, "delivery/settings.html", context, status=422 if form.errors else 200
    )
