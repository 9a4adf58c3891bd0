"""Team designs, team surveys and team-building actions of a project."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.models import Person, Project, Role
from talent import analysis
from talent.models import TeamAction, TeamDesign, TeamPosition, TeamSurvey, TeamSurveyResponse
from talent.services.common import save, set_history_user


def _require_team_owner(actor, project: Project) -> None:
    if actor is not None and not actor.has_perm("talent.change_project_team", project):
        raise PermissionDenied(_("Only the project manager or the PMO changes the team."))


@transaction.atomic
def team_position_save(
    *,
    project: Project,
    title: str,
    role: Role | None = None,
    count: int = 1,
    skills=(),
    skill_level: int = 3,
    reports_to: TeamPosition | None = None,
    sort_order: int = 0,
    position: TeamPosition | None = None,
    actor=None,
) -> TeamPosition:
    """Add or change a position of the project's designed organisation."""
    _require_team_owner(actor, project)
    design, _created = TeamDesign.objects.get_or_create(project=project)
    if reports_to is not None:
        if reports_to.design_id != design.pk:
            raise ValidationError({"reports_to": _("Choose a position of this project.")})
        node = reports_to
        while node is not None:
            if position is not None and node.pk == position.pk:
                raise ValidationError({"reports_to": _("A position cannot report to itself.")})
            node = node.reports_to
    position = save(
        position or TeamPosition(design=design),
        actor,
        title=title,
        role=role,
        count=count,
        skill_level=skill_level,
        reports_to=reports_to,
        sort_order=sort_order,
    )
    position.skills.set(list(skills))
    return position


@transaction.atomic
def team_position_delete(*, position: TeamPosition, actor=None) -> None:
    _require_team_owner(actor, position.design.project)
    position.reports.update(reports_to=position.reports_to)
    set_history_user(position, actor)
    position.delete()


@transaction.atomic
def team_design_note(*, project: Project, rationale: str, actor=None) -> TeamDesign:
    _require_team_owner(actor, project)
    design, _created = TeamDesign.objects.get_or_create(project=project)
    return save(design, actor, rationale=rationale)


def current_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Team surveys run per quarter."""
    return analysis.quarter_bounds(*analysis.quarter_of(today))


@transaction.atomic
def team_survey_respond(
    *,
    project: Project,
    respondent: Person,
    collaboration: int,
    clarity: int,
    workload: int,
    comment: str = "",
    today: dt.date | None = None,
) -> TeamSurveyResponse:
    """A team member's answers to this quarter's survey (one answer each, changeable)."""
    if not project.members.filter(person=respondent).exists():
        raise PermissionDenied(_("Only members of the project answer its team survey."))
    start, end = current_period(today or timezone.localdate())
    survey, _created = TeamSurvey.objects.get_or_create(
        project=project, period_end=end, defaults={"period_start": start}
    )
    response = TeamSurveyResponse.objects.filter(survey=survey, respondent=respondent).first()
    return save(
        response or TeamSurveyResponse(survey=survey, respondent=respondent),
        None,
        collaboration=collaboration,
        clarity=clarity,
        workload=workload,
        comment=comment,
    )


@transaction.atomic
def team_action_save(
    *,
    project: Project,
    title: str,
    owner: Person | None = None,
    due: dt.date | None = None,
    status: str = TeamAction.Status.PLANNED,
    outcome: str = "",
    action: TeamAction | None = None,
    actor=None,
) -> TeamAction:
    """An action of the team-building plan; a done action records its outcome."""
    _require_team_owner(actor, project)
    if status == TeamAction.Status.DONE and not outcome.strip():
        raise ValidationError({"outcome": _("Record the outcome of a done action.")})
    return save(
        action or TeamAction(project=project),
        actor,
        title=title,
        owner=owner,
        due=due,
        status=status,
        outcome=outcome,
    )


def is_member(user, project: Project) -> bool:
    pid = roles.person_id_of(user)
    return pid is not None and project.members.filter(person_id=pid).exists()
