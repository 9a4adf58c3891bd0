"""Helpers shared by the evaluation services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.services import set_history_user, user_or_none  # noqa: F401 - the apps' services import them from here


def require_pmo(actor) -> None:
    """Refuse a PMO action taken by anyone else (``None`` = a system job)."""
    if actor is not None and not roles.is_pmo(actor):
        raise PermissionDenied(_("Only the PMO may do this."))


def save(obj, actor):
    obj.full_clean()
    set_history_user(obj, actor)
    obj.save()
    return obj
