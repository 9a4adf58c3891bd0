"""Permissions of the reports (django-rules): who reads the archive, who runs reports
and who manages subscriptions."""

from __future__ import annotations

import rules

from pmo.core.rules import is_executive, is_pmo


@rules.predicate
def may_see_report_kind(user, run) -> bool:
    """A run is readable when its report kind is visible to the user."""
    from pmo.core.registry import registry

    if run is None:
        return True
    kind = registry.report_kinds.get(run.kind)
    return kind is not None and kind.visible_to(user)


rules.add_perm("reports.view_archive", is_pmo | is_executive)
rules.add_perm("reports.download_run", (is_pmo | is_executive) & may_see_report_kind)
rules.add_perm("reports.request_run", is_pmo)
rules.add_perm("reports.manage_subscriptions", is_pmo)
