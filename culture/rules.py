"""Permission predicates of the culture area (django-rules).

Everyone who is logged in reads the ideas, joins sessions, proposes and votes on
improvements, answers surveys and acknowledges the campaigns sent to them. The PMO
curates ideas and runs campaigns, sessions, surveys and the certification programme;
executives read the results with the PMO. Project managers and the PMO record where an
idea shows in practice; a session's speaker marks attendance like the PMO.
"""

from __future__ import annotations

import rules

from pmo.core import roles
from pmo.core.rules import is_authenticated, is_executive, is_pmo, is_project_manager_role


@rules.predicate
def is_speaker(user, session) -> bool:
    pid = roles.person_id_of(user)
    return session is not None and pid is not None and session.speaker_id == pid


rules.add_perm("culture.view", is_authenticated)
rules.add_perm("culture.manage", is_pmo)
rules.add_perm("culture.view_results", is_pmo | is_executive)
rules.add_perm("culture.record_practice", is_pmo | is_project_manager_role)
rules.add_perm("culture.run_session", is_pmo | is_speaker)
