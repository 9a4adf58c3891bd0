"""Helpers shared by the delivery services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.services import set_history_user, user_or_none  # noqa: F401 - the apps' services import them from here


def may_manage(actor, project) -> bool:
    """The project's manager or the PMO (``None`` is a system job)."""
    if actor is None or roles.is_pmo(actor):
        return True
    pid = roles.person_id_of(actor)
    return pid is not None and project.manager_id == pid


def require_manage(actor, project) -> None:
    if not may_manage(actor, project):
        raise PermissionDenied(_("Only the project manager or the PMO may do this."))


def require_pmo(actor) -> None:
    if actor is not None and not roles.is_pmo(actor):
        raise PermissionDenied(_("Only the PMO may do this."))


def pmo_users():
    """Active users of the PMO, who are notified of what waits for them."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[roles.PMO_ADMIN, roles.PMO_STAFF]))
        .distinct()
    )


def executive_users():
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=roles.EXECUTIVE).distinct()
    )


def user_of(person):
    """The login of a Person, or None."""
    return getattr(person, "user", None) if person is not None else None
