"""Permissions of the reports (django-rules): who reads the archive, who runs reports
and who manages subscriptions.

Which runs a reader sees is further limited by the permission of each report kind (see
``ReportRunQuerySet.visible_to``).
"""

from __future__ import annotations

import rules

from pmo.core.rules import is_executive, is_pmo

rules.add_perm("reports.view_archive", is_pmo | is_executive)
rules.add_perm("reports.request_run", is_pmo)
rules.add_perm("reports.manage_subscriptions", is_pmo)
