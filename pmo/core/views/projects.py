"""Project pages: the register, the project page with its tabs, create, edit, lifecycle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import locking, services
from pmo.core.filters import PROJECT_SORTS, ProjectFilter
from pmo.core.forms import (
    DemandForm,
    MemberForm,
    ProjectForm,
    StageForm,
    add_service_errors,
)
from pmo.core.models import Person, Project, ProjectMember, ResourceDemand
from pmo.core.permissions import get_project_for_user, require_perm
from pmo.core.registry import registry
from pmo.core.services import PROJECT_FIELDS

PAGE_SIZE = 50


def filtered_projects(request):
    """The visible projects matching the list's filters and sort (also used by export)."""
    base = Project.objects.visible_to(request.user).with_people()
    project_filter = ProjectFilter(request.GET or None, queryset=base)
    qs = project_filter.qs if project_filter.is_bound else base
    sort = request.GET.get("sort", "code")
    field = PROJECT_SORTS.get(sort.lstrip("-"), "code")
    qs = qs.order_by(("-" if sort.startswith("-") else "") + field, "pk")
    return project_filter, qs, sort


@login_required
def project_list(request):
    project_filter, qs, sort = filtered_projects(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = qs.aggregate(count=Count("pk"), budget=Sum("budget"))
    context = {
        "filter": project_filter,
        "page": page,
        "sort": sort,
        "totals": totals,
        "can_add": request.user.has_perm("core.add_project"),
        "can_import": request.user.has_perm("core.import_data"),
    }
    template = "core/project_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


def _detail_response(request, project, active_key: str = "", tab_html=None, status=200):
    tabs = registry.tabs_for(request.user, project)
    active = next((t for t in tabs if t.key == active_key), tabs[0] if tabs else None)
    if tab_html is None and active is not None:
        tab_html = active.render(request, project).content.decode()
    context = {
        "project": project,
        "tabs": tabs,
        "active_tab": active,
        "tab_html": tab_html or "",
        "can_edit": request.user.has_perm("core.change_project", project),
        "transitions": services.allowed_transitions(project=project, actor=request.user),
    }
    return TemplateResponse(request, "core/project_detail.html", context, status=status)


def _tab_error(request, project, key: str, response):
    """A tab re-rendered with its form's errors: alone for htmx, else inside the page."""
    response.status_code = 422
    if request.htmx:
        return response
    return _detail_response(request, project, key, response.content.decode(), status=422)


@login_required
def project_detail(request, pk: int):
    project = get_project_for_user(request, pk)
    return _detail_response(request, project, request.GET.get("tab", ""))


@login_required
def project_tab(request, pk: int, key: str):
    project = get_project_for_user(request, pk)
    tab = registry.project_tabs.get(key)
    if tab is None:
        raise Http404
    if not tab.visible_to(request.user, project):
        raise PermissionDenied
    if not request.htmx:
        return redirect(f"{project.get_absolute_url()}?tab={key}")
    return tab.render(request, project)


@require_perm("core.add_project")
def project_create(request):
    form = ProjectForm(request.POST or None)
    if request.method == "GET":
        pid = Person.objects.filter(user=request.user).values_list("pk", flat=True).first()
        form.initial.setdefault("manager", pid)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Project %(code)s was created.") % {"code": project.code})
            return redirect(project)
    return render(request, "core/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request, pk: int):
    project = get_project_for_user(request, pk, "core.change_project")
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PROJECT_FIELDS if name in form.fields}
        try:
            with locking.guard(form):
                services.project_update(project=project, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(project)
    return render(request, "core/project_form.html", {"form": form, "project": project})


@login_required
def project_stage(request, pk: int):
    project = get_project_for_user(request, pk, "core.change_project_stage")
    allowed = services.allowed_transitions(project=project, actor=request.user)
    form = StageForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_stage_change(
                project=project,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lifecycle stage was changed."))
            return redirect(project)
    return render(request, "core/project_stage.html", {"form": form, "project": project})


# --- tabs of the project page (registered in pmo.core.wiring) ---------------------------


def tab_overview(request, project):
    children = Project.objects.filter(program=project).with_people() if project.is_program else []
    return render(
        request,
        "core/project_tab_overview.html",
        {"project": project, "children": children},
    )


def tab_members(request, project, form=None):
    members = ProjectMember.objects.filter(project=project).with_people()
    return render(
        request,
        "core/project_tab_members.html",
        {
            "project": project,
            "members": members,
            "can_manage": request.user.has_perm("core.manage_members", project),
            "form": form or MemberForm(),
        },
    )


def tab_demand(request, project, form=None):
    demands = list(ResourceDemand.objects.filter(project=project).with_role())
    months = sorted({d.month for d in demands})
    roles = sorted({d.role for d in demands}, key=lambda r: r.code)
    grid = {(d.role_id, d.month): d.hours for d in demands}
    rows = [{"role": role, "cells": [grid.get((role.pk, m)) for m in months]} for role in roles]
    return render(
        request,
        "core/project_tab_demand.html",
        {
            "project": project,
            "demands": demands,
            "months": months,
            "rows": rows,
            "can_manage": request.user.has_perm("core.change_project", project),
            "form": form or DemandForm(),
        },
    )


def tab_history(request, project):
    changes = project.stage_changes.select_related("actor")[:50]
    records = project.history.select_related("history_user").order_by("-history_date")[:50]
    return render(
        request,
        "core/project_tab_history.html",
        {"project": project, "changes": changes, "records": records},
    )


def _tab_redirect(project, key: str) -> str:
    return f"{reverse('core:project_detail', args=[project.pk])}?tab={key}"


@require_POST
@login_required
def member_add(request, pk: int):
    project = get_project_for_user(request, pk, "core.manage_members")
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.project_member_add(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _tab_error(request, project, "members", tab_members(request, project, form))
    messages.success(request, _("The member was added."))
    if request.htmx:
        return tab_members(request, project)
    return redirect(_tab_redirect(project, "members"))


@require_POST
@login_required
def member_remove(request, pk: int, member_pk: int):
    project = get_project_for_user(request, pk, "core.manage_members")
    member = get_object_or_404(ProjectMember, pk=member_pk, project=project)
    try:
        services.project_member_remove(member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member was removed."))
    if request.htmx:
        return tab_members(request, project)
    return redirect(_tab_redirect(project, "members"))


@require_POST
@login_required
def demand_add(request, pk: int):
    project = get_project_for_user(request, pk, "core.change_project")
    form = DemandForm(request.POST)
    if form.is_valid():
        try:
            services.resource_demand_set(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _tab_error(request, project, "demand", tab_demand(request, project, form))
    messages.success(request, _("The resource demand was saved."))
    if request.htmx:
        return tab_demand(request, project)
    return redirect(_tab_redirect(project, "demand"))


@require_POST
@login_required
def demand_delete(request, pk: int, demand_pk: int):
    project = get_project_for_user(request, pk, "core.change_project")
    demand = get_object_or_404(ResourceDemand, pk=demand_pk, project=project)
    services.resource_demand_delete(demand=demand, actor=request.user)
    messages.success(request, _("The resource demand was deleted."))
    return redirect(_tab_redirect(project, "demand"))
