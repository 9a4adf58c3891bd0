"""Permission predicates of performance evaluation (django-rules).

The evaluation system (schemes, criteria, bands) is open to everyone who logs in; the
PMO builds schemes, runs cycles, assigns panels and plans improvement. A project
manager writes the self-assessment of their project and, after publication, reads the
result with its rationale and may appeal once. An expert scores the evaluations
assigned to them; the cycle's chair calibrates and finalises. Results across projects
are for the PMO and executives.
"""

from __future__ import annotations

import rules

from pmo.core import roles
from pmo.core.rules import is_authenticated, is_executive, is_pmo


@rules.predicate
def is_reviewer(user) -> bool:
    return roles.REVIEWER in roles.group_names(user)


@rules.predicate
def is_evaluated_manager(user, evaluation) -> bool:
    pid = roles.person_id_of(user)
    return (
        evaluation is not None
        and pid is not None
        and pid in (evaluation.manager_id, evaluation.project.manager_id)
    )


@rules.predicate
def is_cycle_chair(user, evaluation) -> bool:
    return evaluation is not None and evaluation.cycle.chair_id == getattr(user, "pk", None)


@rules.predicate
def is_assigned_expert(user, evaluation) -> bool:
    if evaluation is None or not getattr(user, "is_authenticated", False):
        return False
    return evaluation.panel.filter(reviewer=user).exists()


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and roles.person_id_of(user) == action.owner_id


rules.add_perm("evaluation.view_schemes", is_authenticated)
rules.add_perm("evaluation.manage", is_pmo)
rules.add_perm("evaluation.view_results", is_pmo | is_executive)
rules.add_perm("evaluation.self_assess", is_evaluated_manager | is_pmo)
rules.add_perm("evaluation.score", is_assigned_expert)
rules.add_perm("evaluation.chair", is_pmo | is_cycle_chair)
rules.add_perm("evaluation.appeal", is_evaluated_manager)
rules.add_perm("evaluation.view_actions", is_authenticated)
rules.add_perm("evaluation.follow_up", is_pmo | owns_action)
rules.add_perm("evaluation.review", is_reviewer | is_pmo)
