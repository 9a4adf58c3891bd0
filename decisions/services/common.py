"""Helpers shared by the decision services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from decisions.models import Study
from pmo.core import roles


def audit(obj, actor, reason: str = "") -> None:
    """Record who makes the change in the object's history."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]


def ensure_editable(study: Study) -> None:
    """Only a draft is edited; a submitted or decided version is revised instead."""
    if study.status != Study.Status.DRAFT:
        raise ValidationError(
            _(
                "Version %(version)s of this study is %(status)s and can no longer be "
                "changed; start a new version to revise it."
            )
            % {"version": study.version, "status": study.get_status_display()}
        )


def pmo_users():
    """Active users of the PMO groups (recipients of PMO notifications)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.PMO_ADMIN, roles.PMO_STAFF])
        .distinct()
    )


def clean_text(value) -> str:
    return (value or "").strip()
