"""Helpers shared by the talent services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.services import set_history_user, user_or_none  # noqa: F401 - the apps' services import them from here


def require_pmo(actor) -> None:
    """Refuse a PMO decision taken by anyone else (``None`` = a system job)."""
    if actor is not None and not roles.is_pmo(actor):
        raise PermissionDenied(_("Only the PMO may take this decision."))


def save(obj, actor, **fields):
    """Set ``fields`` on ``obj``, validate it, record the actor and save it."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    set_history_user(obj, actor)
    obj.save()
    return obj
