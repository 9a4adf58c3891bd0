"""Helpers shared by the knowledge services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pmo.core import roles


def set_history_user(obj, actor) -> None:
    """Name the actor on the simple-history record the next save writes."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def require_pmo(actor) -> None:
    """Refuse a curation step taken by anyone but the PMO."""
    if not roles.is_pmo(actor):
        raise PermissionDenied(_("Only the PMO curates the knowledge library."))
