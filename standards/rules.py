"""Permission predicates of the project management standards (django-rules).

Published standards are for everyone to read; the PMO authors them, reviews and
publishes versions, approves tailoring and triages change requests. A project's
manager chooses the version the project follows, keeps its deliverable evidence and
asks for tailoring. Compliance, adoption and data quality are for the PMO and
executives; a tool evaluation is open to its evaluators as well.
"""

from __future__ import annotations

import rules

from pmo.core.rules import can_see_project, is_authenticated, is_executive, is_pmo, manages_project


@rules.predicate
def is_tool_evaluator(user, evaluation) -> bool:
    if evaluation is None or not getattr(user, "is_authenticated", False):
        return False
    return evaluation.evaluators.filter(pk=user.pk).exists()


rules.add_perm("standards.view_library", is_authenticated)
rules.add_perm("standards.change_library", is_pmo)
rules.add_perm("standards.publish_version", is_pmo)
rules.add_perm("standards.view_project_standards", can_see_project)
rules.add_perm("standards.assign_methodology", is_pmo | manages_project)
rules.add_perm("standards.manage_deliverables", is_pmo | manages_project)
rules.add_perm("standards.request_tailoring", is_pmo | manages_project)
rules.add_perm("standards.decide_tailoring", is_pmo)
rules.add_perm("standards.view_compliance", is_pmo | is_executive)
rules.add_perm("standards.raise_change", is_authenticated)
rules.add_perm("standards.triage_change", is_pmo)
rules.add_perm("standards.view_tools", is_authenticated)
rules.add_perm("standards.change_tools", is_pmo)
rules.add_perm("standards.score_tool", is_tool_evaluator)
rules.add_perm("standards.view_adoption", is_pmo | is_executive)
rules.add_perm("standards.suggest", is_authenticated)
rules.add_perm("standards.respond_suggestion", is_pmo)
