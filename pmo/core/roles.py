"""The application roles, kept as Django groups, and predicates on them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PMO_ADMIN = "pmo_admin"
PMO_STAFF = "pmo_staff"
EXECUTIVE = "executive"
PROJECT_MANAGER = "project_manager"
REVIEWER = "reviewer"
MEMBER = "member"
# The three administrator duties of 等保 level 3, kept apart from the business roles:
# accounts and roles, security settings (lockouts, second factors, sessions), audit.
SYS_ADMIN = "sys_admin"
SECURITY_ADMIN = "security_admin"
AUDITOR = "auditor"

ROLE_LABELS = {
    PMO_ADMIN: _("PMO administrator"),
    PMO_STAFF: _("PMO staff"),
    EXECUTIVE: _("Executive"),
    PROJECT_MANAGER: _("Project manager"),
    REVIEWER: _("Expert reviewer"),
    MEMBER: _("Team member"),
    SYS_ADMIN: _("System administrator"),
    SECURITY_ADMIN: _("Security administrator"),
    AUDITOR: _("Security auditor"),
}
ADMIN_DUTY_ROLES = (SYS_ADMIN, SECURITY_ADMIN, AUDITOR)
# The business roles (who does the PMO's work), without the administrator duties.
ALL_ROLES = tuple(r for r in ROLE_LABELS if r not in ADMIN_DUTY_ROLES)


def group_names(user) -> frozenset[str]:
    """The user's group names, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_pmo_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._pmo_groups = cached
    return cached


def is_pmo(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(
        group_names(user) & {PMO_ADMIN, PMO_STAFF}
    )


def is_pmo_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or PMO_ADMIN in group_names(user)


def is_executive(user) -> bool:
    return EXECUTIVE in group_names(user)


def sees_all_projects(user) -> bool:
    return is_pmo(user) or is_executive(user)


def person_id_of(user) -> int | None:
    """The id of the user's Person, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_pmo_person_id"):
        from pmo.core.models import Person

        user._pmo_person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    return user._pmo_person_id
