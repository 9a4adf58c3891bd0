"""Permission predicates of delivery assurance (django-rules).

The object is the project unless the permission names another model. Views check
these in Python through ``pmo.core.permissions``; templates only mirror them.
"""

from __future__ import annotations

import rules

from pmo.core import roles
from pmo.core.rules import (
    can_see_project,
    is_executive,
    is_pmo,
    is_project_manager_role,
    manages_project,
)


@rules.predicate
def is_reviewer_role(user) -> bool:
    return roles.REVIEWER in roles.group_names(user)


@rules.predicate
def reviews_gate(user, gate) -> bool:
    pid = roles.person_id_of(user)
    if gate is None or pid is None:
        return False
    cached = getattr(gate, "_reviewer_ids", None)
    if cached is None:
        cached = set(gate.reviewers.values_list("pk", flat=True))
        gate._reviewer_ids = cached
    return pid in cached


@rules.predicate
def sees_gate_project(user, gate) -> bool:
    return gate is not None and can_see_project(user, gate.project)


@rules.predicate
def manages_gate_project(user, gate) -> bool:
    return gate is not None and manages_project(user, gate.project)


@rules.predicate
def may_sign_next(user, agreement) -> bool:
    from delivery.services.goals import next_signoff_step, signer_allowed

    if agreement is None:
        return False
    step = next_signoff_step(agreement)
    return step is not None and signer_allowed(user, agreement.project, step)


manage = is_pmo | manages_project

rules.add_perm("delivery.view_delivery", can_see_project)
# Goals, RACI, plan, status reports, issues, gates and closeout of one project.
rules.add_perm("delivery.manage_delivery", manage)
rules.add_perm("delivery.approve_baseline", is_pmo)
rules.add_perm("delivery.override_status", is_pmo)
rules.add_perm("delivery.intervene", is_pmo)
rules.add_perm("delivery.decide_change", is_pmo)
rules.add_perm("delivery.decide_resource_request", is_pmo)
rules.add_perm("delivery.approve_closeout", is_pmo)
rules.add_perm("delivery.configure", is_pmo)
rules.add_perm("delivery.view_status_grid", is_pmo | is_executive)
rules.add_perm("delivery.view_control", is_pmo | is_executive)
rules.add_perm("delivery.view_gate", sees_gate_project | reviews_gate)
rules.add_perm("delivery.manage_gate", is_pmo | manages_gate_project)
rules.add_perm("delivery.decide_gate", is_pmo | reviews_gate)
rules.add_perm("delivery.sign_agreement", may_sign_next)
rules.add_perm("delivery.write_status", is_project_manager_role)
rules.add_perm("delivery.review_gates", is_reviewer_role)
