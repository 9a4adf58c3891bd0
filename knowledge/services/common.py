"""Helpers shared by the knowledge services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.services import set_history_user, user_or_none  # noqa: F401 - the apps' services import them from here


def require_pmo(actor) -> None:
    """Refuse a curation step taken by anyone but the PMO."""
    if not roles.is_pmo(actor):
        raise PermissionDenied(_("Only the PMO curates the knowledge library."))
