"""Permission predicates of the core (django-rules).

Views check these in Python; templates only mirror them to hide buttons.
"""

from __future__ import annotations

import rules

from pmo.core import roles


@rules.predicate
def is_pmo(user) -> bool:
    return roles.is_pmo(user)


@rules.predicate
def is_pmo_admin(user) -> bool:
    return roles.is_pmo_admin(user)


@rules.predicate
def is_executive(user) -> bool:
    return roles.is_executive(user)


@rules.predicate
def is_project_manager_role(user) -> bool:
    return roles.PROJECT_MANAGER in roles.group_names(user)


@rules.predicate
def manages_project(user, project) -> bool:
    pid = roles.person_id_of(user)
    return project is not None and pid is not None and project.manager_id == pid


@rules.predicate
def can_see_project(user, project) -> bool:
    if project is None:
        return False
    from pmo.core.models import Project

    if roles.sees_all_projects(user):
        return True
    return Project.objects.visible_to(user).filter(pk=project.pk).exists()


@rules.predicate
def is_sys_admin(user) -> bool:
    return roles.SYS_ADMIN in roles.group_names(user)


@rules.predicate
def is_security_admin(user) -> bool:
    return roles.SECURITY_ADMIN in roles.group_names(user)


@rules.predicate
def is_auditor(user) -> bool:
    return roles.AUDITOR in roles.group_names(user)


is_authenticated = rules.is_authenticated

rules.add_perm("core.view_project", can_see_project)
rules.add_perm("core.add_project", is_pmo | is_project_manager_role)
rules.add_perm("core.change_project", is_pmo | manages_project)
rules.add_perm("core.delete_project", is_pmo_admin)
rules.add_perm("core.change_project_stage", is_pmo | is_executive | manages_project)
rules.add_perm("core.approve_project", is_pmo | is_executive)
rules.add_perm("core.manage_members", is_pmo | manages_project)
rules.add_perm("core.view_person", is_authenticated)
rules.add_perm("core.change_person", is_pmo)
rules.add_perm("core.view_cost_rate", is_pmo)
rules.add_perm("core.view_orgunit", is_authenticated)
rules.add_perm("core.import_data", is_pmo)
# The three administrator duties of 等保 level 3: accounts and roles; lockouts, second
# factors and sessions; the audit log, which only the auditor reads.
rules.add_perm("core.manage_users", is_sys_admin)
rules.add_perm("core.manage_security", is_security_admin)
rules.add_perm("core.view_security_events", is_auditor)
rules.add_perm("core.view_executive_dashboard", is_pmo | is_executive)
rules.add_perm("core.view_pmo_cockpit", is_pmo)
