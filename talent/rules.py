"""Permission predicates of the PM talent area (django-rules).

Personal data: a project manager sees their own profile, a line manager the profiles of
their reports, the PMO everyone's. The competency model, the ladder and the course
catalogue are for everyone to read; the PMO keeps them. Team designs and team health
belong to a project: those who see the project read them, its manager and the PMO
change them. Matching, gap analysis, appraisal, selection and recruitment are the
PMO's (executives read the gap analysis and appraisal results).
"""

from __future__ import annotations

import rules

from pmo.core import roles
from pmo.core.rules import can_see_project, is_authenticated, is_executive, is_pmo, manages_project


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and roles.person_id_of(user) == person.pk


@rules.predicate
def is_line_manager_of(user, person) -> bool:
    if person is None:
        return False
    pid = roles.person_id_of(user)
    if pid is None:
        return False
    from talent.models import TalentProfile

    return TalentProfile.objects.filter(person=person, line_manager_id=pid).exists()


@rules.predicate
def has_reports(user) -> bool:
    pid = roles.person_id_of(user)
    if pid is None:
        return False
    from talent.models import TalentProfile

    return TalentProfile.objects.filter(line_manager_id=pid).exists()


rules.add_perm("talent.view_model", is_authenticated)
rules.add_perm("talent.change_model", is_pmo)
rules.add_perm("talent.view_pool", is_pmo | has_reports)
rules.add_perm("talent.view_profile", is_pmo | is_self | is_line_manager_of)
rules.add_perm("talent.change_profile", is_pmo)
rules.add_perm("talent.change_certificates", is_pmo | is_self)
rules.add_perm("talent.self_assess", is_self)
rules.add_perm("talent.manager_assess", is_pmo | is_line_manager_of)
rules.add_perm("talent.view_training", is_authenticated)
rules.add_perm("talent.change_training", is_pmo)
rules.add_perm("talent.manage_selection", is_pmo)
rules.add_perm("talent.view_appraisal", is_pmo | is_executive)
rules.add_perm("talent.manage_appraisal", is_pmo)
rules.add_perm("talent.view_project_team", can_see_project)
rules.add_perm("talent.change_project_team", is_pmo | manages_project)
rules.add_perm("talent.match_pm", is_pmo)
rules.add_perm("talent.view_gap", is_pmo | is_executive)
rules.add_perm("talent.manage_recruitment", is_pmo)
