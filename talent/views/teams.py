"""Project teams: the project tab (org chart, staffing, skills matrix, team health,
team-building plan), its forms, and the PMO's overview of teams."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import roles
from pmo.core.models import Person, Project
from pmo.core.permissions import get_project_for_user, require_perm
from talent import services
from talent.forms import PositionForm, SurveyForm, TeamActionForm
from talent.models import TeamAction, TeamPosition
from talent.selectors.teams import team_overview, team_view
from talent.views.common import handle_form, post_action

VIEW, CHANGE = "talent.view_project_team", "talent.change_project_team"


def _context(request, project) -> dict:
    pid = roles.person_id_of(request.user)
    return {
        "project": project,
        "team": team_view(project, timezone.localdate()),
        "can_change": request.user.has_perm(CHANGE, project),
        "can_answer": pid is not None and project.members.filter(person_id=pid).exists(),
        "survey_form": SurveyForm(),
    }


def project_tab(request, project):
    """The "Team" tab of the project page (registered in ``talent.wiring``)."""
    html = render_to_string("talent/_team.html", _context(request, project), request=request)
    return HttpResponse(html)


@login_required
def project_team(request, pk: int):
    project = get_project_for_user(request, pk)
    if not request.user.has_perm(VIEW, project):
        raise Http404
    return TemplateResponse(request, "talent/team.html", _context(request, project))


def _project(request, pk: int) -> Project:
    return get_project_for_user(request, pk, CHANGE)


@login_required
def position_edit(request, pk: int, position_pk: int | None = None):
    project = _project(request, pk)
    position = (
        get_object_or_404(TeamPosition, pk=position_pk, design__project=project)
        if position_pk
        else None
    )
    form = PositionForm(request.POST or None, instance=position, project=project)
    back = reverse("talent:project_team", args=[project.pk])
    return handle_form(
        request,
        form,
        lambda f: services.team_position_save(
            project=project, position=position, actor=request.user, **f.cleaned_data
        ),
        done=_("The position was saved."),
        then=back,
        title=_("Team position"),
        back=back,
        context={"object": project},
    )


@require_POST
@login_required
def position_delete(request, pk: int, position_pk: int):
    project = _project(request, pk)
    position = get_object_or_404(TeamPosition, pk=position_pk, design__project=project)
    return post_action(
        request,
        lambda: services.team_position_delete(position=position, actor=request.user),
        done=_("The position was removed."),
        then=reverse("talent:project_team", args=[project.pk]),
    )


@require_POST
@login_required
def survey_answer(request, pk: int):
    project = get_project_for_user(request, pk)
    pid = roles.person_id_of(request.user)
    back = reverse("talent:project_team", args=[project.pk])
    if pid is None or not project.members.filter(person_id=pid).exists():
        raise Http404
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "talent/form.html",
            {"form": form, "title": _("Team survey"), "back": back, "object": project},
            status=422,
        )
    return post_action(
        request,
        lambda: services.team_survey_respond(
            project=project, respondent=Person.objects.get(pk=pid), **form.cleaned_data
        ),
        done=_("Thank you: your answers were recorded."),
        then=back,
    )


@login_required
def action_edit(request, pk: int, action_pk: int | None = None):
    project = _project(request, pk)
    action = get_object_or_404(TeamAction, pk=action_pk, project=project) if action_pk else None
    form = TeamActionForm(request.POST or None, instance=action, project=project)
    back = reverse("talent:project_team", args=[project.pk])
    return handle_form(
        request,
        form,
        lambda f: services.team_action_save(
            project=project, action=action, actor=request.user, **f.cleaned_data
        ),
        done=_("The team-building action was saved."),
        then=back,
        title=_("Team-building action"),
        back=back,
        context={"object": project},
    )


@require_perm("talent.view_gap")
def teams(request):
    projects = Project.objects.visible_to(request.user).open()
    return TemplateResponse(request, "talent/teams.html", {"rows": team_overview(projects)})


urlpatterns = [
    path("teams/", teams, name="teams"),
    path("projects/<int:pk>/team/", project_team, name="project_team"),
    path("projects/<int:pk>/team/positions/new/", position_edit, name="position_create"),
    path(
        "projects/<int:pk>/team/positions/<int:position_pk>/edit/",
        position_edit,
        name="position_edit",
    ),
    path(
        "projects/<int:pk>/team/positions/<int:position_pk>/delete/",
        position_delete,
        name="position_delete",
    ),
    path("projects/<int:pk>/team/survey/", survey_answer, name="survey_answer"),
    path("projects/<int:pk>/team/actions/new/", action_edit, name="action_create"),
    path("projects/<int:pk>/team/actions/<int:action_pk>/edit/", action_edit, name="action_edit"),
]
