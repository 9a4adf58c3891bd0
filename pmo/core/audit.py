"""The security audit log and the three administrator duties (等保 level 3).

- The log (``SecurityEvent``) is append-only; the retention purge below is the one
  code path that deletes from it, and a system check refuses a retention under six
  months.
- Changes of a user's roles and account flags are recorded whoever makes them: the
  services below, the Django admin or a shell (then without a person who did it).
- The services of the duties: the system administrator keeps accounts and roles, the
  security administrator lockouts, second factors and sessions, the auditor reads the
  log. Separation of the duties is enforced here, with translated errors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.core import roles
from pmo.core.models import Person, SecurityEvent, UserSession

# 等保 level 3 keeps audit records at least six months; the database trigger of core
# migration 0008 refuses to delete rows younger than this, whatever the setting says.
MIN_RETENTION_DAYS = 183
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")

Kind = SecurityEvent.Kind


# --- retention --------------------------------------------------------------------------


def retention_days() -> int:
    return max(int(settings.PMO_AUDIT_RETENTION_DAYS), MIN_RETENTION_DAYS)


@checks.register(checks.Tags.security)
def check_audit_retention(app_configs=None, **kwargs):
    days = settings.PMO_AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        return [
            checks.Error(
                f"PMO_AUDIT_RETENTION_DAYS is {days}; security events must be kept at least "
                f"{MIN_RETENTION_DAYS} days (six months).",
                hint=f"Set PMO_AUDIT_RETENTION_DAYS to {MIN_RETENTION_DAYS} or more.",
                id="pmo.E101",
            )
        ]
    return []


def security_events_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the security events older than the retention; the only deleting code path."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    with transaction.atomic():
        deleted, _by_model = SecurityEvent.objects.filter(created_at__lt=cutoff)._purge()
    return deleted


# --- who is acting ----------------------------------------------------------------------

_acting: ContextVar[tuple | None] = ContextVar("pmo_audit_acting", default=None)


@contextlib.contextmanager
def acting(*, user, request=None):
    """Name the person (and request) behind the account changes made inside the block."""
    token = _acting.set((user, request))
    try:
        yield
    finally:
        _acting.reset(token)


def _actor() -> tuple:
    """(user, request) of the change: the service's, else the admin page's request."""
    found = _acting.get()
    if found is not None:
        return found
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return user, request


def _record(kind: str, detail: str, *, success: bool = True) -> SecurityEvent:
    from pmo.core.services import security_event_record

    user, request = _actor()
    return security_event_record(
        kind=kind, user=user, request=request, success=success, detail=detail
    )


# --- role and account changes, however they are made -------------------------------------


def _names(user_id: int) -> frozenset[str]:
    return frozenset(Group.objects.filter(user__pk=user_id).values_list("name", flat=True))


def _show(names) -> str:
    return ", ".join(sorted(names)) or "—"


def _remember_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._pmo_flags_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(ACCOUNT_FLAGS):
        return
    instance._pmo_flags_before = (
        sender._default_manager.filter(pk=instance.pk).values(*ACCOUNT_FLAGS).first()
    )


def _record_flags(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_pmo_flags_before", None)
    instance._pmo_flags_before = None
    if raw or created or not before:
        return
    changes = [
        f"{flag}: {before[flag]} → {getattr(instance, flag)}"
        for flag in ACCOUNT_FLAGS
        if before[flag] != getattr(instance, flag)
    ]
    if changes:
        _record(Kind.ACCOUNT_CHANGE, f"{instance.get_username()} {'; '.join(changes)}")


def _record_groups(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of User.groups, from either side (user.groups or group.user_set)."""
    user_model = get_user_model()
    if action in ("pre_add", "pre_remove", "pre_clear"):
        if reverse:
            ids = pk_set if pk_set is not None else instance.user_set.values_list("pk", flat=True)
            instance._pmo_groups_before = {pk: _names(pk) for pk in ids}
        else:
            instance._pmo_groups_before = {instance.pk: _names(instance.pk)}
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    before = getattr(instance, "_pmo_groups_before", None) or {}
    instance._pmo_groups_before = None
    if not reverse:
        instance.__dict__.pop("_pmo_groups", None)
    usernames = dict(
        user_model._default_manager.filter(pk__in=before).values_list("pk", "username")
    )
    for pk, old in before.items():
        new = _names(pk)
        if new != old:
            _record(Kind.ROLE_CHANGE, f"{usernames.get(pk, pk)} {_show(old)} → {_show(new)}")


def connect_signals() -> None:
    user_model = get_user_model()
    pre_save.connect(_remember_flags, sender=user_model, dispatch_uid="pmo_audit_flags_pre")
    post_save.connect(_record_flags, sender=user_model, dispatch_uid="pmo_audit_flags_post")
    m2m_changed.connect(
        _record_groups, sender=user_model.groups.through, dispatch_uid="pmo_audit_groups"
    )


# --- separation of duties ----------------------------------------------------------------


def duties_separated() -> bool:
    return bool(settings.PMO_SEPARATE_ADMIN_DUTIES)


def roles_validate(*, actor, user, new_roles) -> None:
    """Refuse a set of roles for ``user`` that breaks the separation of duties."""
    new_roles = set(new_roles)
    unknown = new_roles - set(roles.ROLE_LABELS)
    if unknown:
        raise ValidationError({"roles": _("Unknown role.")})
    if user is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot change your own roles."))
    if user is not None and user.is_superuser and not actor.is_superuser:
        raise ValidationError(_("Only a superuser can change a superuser's account."))
    if not duties_separated():
        return
    duties = new_roles & set(roles.ADMIN_DUTY_ROLES)
    if len(duties) > 1:
        raise ValidationError(
            {
                "roles": _(
                    "One person cannot hold more than one of the system, security and "
                    "audit administrator duties."
                )
            }
        )
    if roles.AUDITOR in new_roles and len(new_roles) > 1:
        raise ValidationError({"roles": _("The security auditor cannot hold any other role.")})


def _set_roles(user, new_roles) -> None:
    wanted = set(new_roles)
    groups = {g.name: g for g in Group.objects.filter(name__in=wanted)}
    for name in wanted - set(groups):
        groups[name] = Group.objects.create(name=name)
    user.groups.set(groups.values())
    user.__dict__.pop("_pmo_groups", None)


# --- services of the system administrator ------------------------------------------------


def user_create(
    *,
    actor,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str,
    roles_: list[str] | tuple[str, ...] = (),
    person: Person | None = None,
    request=None,
):
    """Create a login with an initial password, its roles and (optionally) its person."""
    user_model = get_user_model()
    user = user_model(username=username, email=email, first_name=first_name, last_name=last_name)
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if person is not None and person.user_id is not None:
        errors["person"] = [_("This person already has a login.")]
    if errors:
        raise ValidationError(errors)
    roles_validate(actor=actor, user=None, new_roles=roles_)
    with transaction.atomic(), acting(user=actor, request=request):
        user.set_password(password)
        user.save()
        _record(Kind.ACCOUNT_CHANGE, f"{user.get_username()} created")
        if roles_:
            _set_roles(user, roles_)
        if person is not None:
            Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user)
    return user


def user_roles_set(*, actor, user, roles_, request=None):
    """Give ``user`` exactly these roles; the change is logged by the m2m signal."""
    roles_validate(actor=actor, user=user, new_roles=roles_)
    with transaction.atomic(), acting(user=actor, request=request):
        _set_roles(user, roles_)
    return user


def user_active_set(*, actor, user, active: bool, request=None):
    """Activate or deactivate a login; deactivation ends all its sessions."""
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate or reactivate yourself."))
    if user.is_superuser and not actor.is_superuser:
        raise ValidationError(_("Only a superuser can change a superuser's account."))
    if user.is_active == active:
        return user
    from pmo.core.auth.sessions import end_sessions

    with transaction.atomic(), acting(user=actor, request=request):
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            end_sessions(user, reason="deactivated", request=request)
    return user


# --- services of the security administrator ----------------------------------------------


def locked_attempts():
    """The django-axes attempts that currently lock a user name (and address) out."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    limit = settings.AXES_FAILURE_LIMIT if isinstance(settings.AXES_FAILURE_LIMIT, int) else 5
    qs = AccessAttempt.objects.filter(failures_since_start__gte=limit)
    cool_off = get_cool_off()
    if cool_off:
        qs = qs.filter(attempt_time__gte=timezone.now() - cool_off)
    return qs.order_by("-attempt_time", "-id")


def lockout_lift(*, actor, attempt_id: int, request=None) -> bool:
    """Forget the failed logins that lock a user name out, so it may sign in again."""
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return False
    with transaction.atomic(), acting(user=actor, request=request):
        AccessAttempt.objects.filter(pk=attempt.pk).delete()
        _record(
            Kind.UNLOCK,
            f"{attempt.username or '—'} {attempt.ip_address or ''} "
            f"({attempt.failures_since_start})".replace("  ", " "),
        )
    return True


def second_factor_reset(*, actor, user, request=None) -> int:
    """Remove the user's second-factor devices; they enrol again at their next sign-in."""
    from django_otp import devices_for_user

    if actor.pk == user.pk:
        raise ValidationError(_("You cannot reset your own second factor here."))
    devices = list(devices_for_user(user, confirmed=None))
    with transaction.atomic(), acting(user=actor, request=request):
        for device in devices:
            device.delete()
        _record(Kind.SECOND_FACTOR, f"{user.get_username()} reset ({len(devices)})")
    return len(devices)


def session_end(*, actor, session: UserSession, request=None) -> int:
    """End one signed-in session of a user."""
    from pmo.core.auth.sessions import end_sessions

    others = UserSession.objects.filter(user_id=session.user_id).exclude(pk=session.pk)
    keep = set(others.values_list("session_key", flat=True))
    actor_name = actor.get_username()
    return end_sessions(session.user, reason=f"ended by {actor_name}", request=request, keep=keep)


def security_profile() -> list[tuple[str, list[tuple[object, object]]]]:
    """The security settings in force, grouped for the read-only profile page."""
    import axes.conf  # noqa: F401  (sets django-axes' defaults on the settings)

    profile = getattr(settings, "PMO_PASSWORD_PROFILE", "asvs")
    profile_labels = {
        "asvs": _("OWASP ASVS (length, no composition rules, no forced rotation)"),
        "djbh": _("China MLPS 2.0 level 3 (complexity, no reuse, periodic change)"),
    }
    yes, no = _("yes"), _("no")
    max_age = getattr(settings, "PMO_PASSWORD_MAX_AGE_DAYS", None)
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    cool_off = int(cool_off.total_seconds() // 60) if cool_off else None
    idle = getattr(settings, "PMO_SESSION_IDLE_MINUTES", None)
    totp = getattr(settings, "PMO_ADMIN_TOTP_REQUIRED", False)
    minutes = _("%(n)s minutes")
    return [
        (
            _("Passwords"),
            [
                (_("Profile"), profile_labels.get(profile, profile)),
                *(
                    (_("Rule"), text)
                    for text in password_validation.password_validators_help_texts()
                ),
                (
                    _("Maximum age"),
                    (_("%(n)s days") % {"n": max_age}) if profile == "djbh" and max_age else no,
                ),
            ],
        ),
        (
            _("Sign-in"),
            [
                (_("Failed logins before lockout"), settings.AXES_FAILURE_LIMIT),
                (_("Lockout time"), minutes % {"n": cool_off} if cool_off else "—"),
                (_("Second factor required for administrators"), yes if totp else no),
            ],
        ),
        (
            _("Sessions"),
            [
                (_("Idle timeout"), minutes % {"n": idle} if idle else "—"),
                (_("Absolute timeout"), minutes % {"n": settings.SESSION_COOKIE_AGE // 60}),
                (_("HTTPS only (HSTS, secure cookies)"), yes if settings.PMO_HTTPS else no),
            ],
        ),
        (
            _("Audit"),
            [
                (_("Security events kept"), _("%(n)s days") % {"n": retention_days()}),
                (_("Administrator duties separated"), yes if duties_separated() else no),
            ],
        ),
    ]


# --- demo --------------------------------------------------------------------------------


def seed_demo(demo) -> None:
    """The three administrator logins and a spread of security events for the audit page."""
    from pmo.core.demo.catalogue import EMAIL_DOMAIN, PASSWORD

    user_model = get_user_model()
    logins = (
        ("sysadmin", roles.SYS_ADMIN, "系统", "管理员"),
        ("secadmin", roles.SECURITY_ADMIN, "安全", "管理员"),
        ("auditor", roles.AUDITOR, "安全", "审计员"),
    )
    hashed = None
    users = {}
    for username, role, last, first in logins:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            if hashed is None:
                from django.contrib.auth.hashers import make_password

                hashed = make_password(PASSWORD)
            user = user_model.objects.create(
                username=username,
                email=f"{username}@{EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
                password=hashed,
            )
            _set_roles(user, [role])
        users[username] = user
    agents = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
    )
    if SecurityEvent.objects.filter(user_agent__in=agents).exists():
        return
    rng = demo.rng("security_events")
    names = ["pmo", "pmo_staff", "exec", "pm", "pm2", "reviewer", "member"]
    found = {u.username: u for u in user_model.objects.filter(username__in=names)}
    now = timezone.now()
    rows = []
    for _i in range(80):
        name = rng.choice(names)
        ip = f"10.20.{rng.randint(1, 8)}.{rng.randint(10, 250)}"
        pick = rng.random()
        if pick < 0.55:
            kind, path, success, detail = Kind.LOGIN, "/accounts/login/", True, ""
        elif pick < 0.75:
            kind, path, success, detail = Kind.LOGIN_FAILED, "/accounts/login/", False, ""
        elif pick < 0.85:
            kind, path, success, detail = Kind.EXPORT, "/projects/export/", True, "projects csv"
        elif pick < 0.93:
            kind, path, success = Kind.PERMISSION_DENIED, "/cockpit/", False
            detail = "core.view_pmo_cockpit GET /cockpit/"
        else:
            kind, path, success, detail = Kind.LOGOUT, "/accounts/logout/", True, ""
        user = found.get(name) if kind != Kind.LOGIN_FAILED else None
        when = now - dt.timedelta(minutes=rng.randint(5, 60 * 24 * 40))
        rows.append(
            (kind, user.pk if user else None, name, ip, success, detail, path)
            + (rng.choice(agents), when)
        )
    _insert_dated(rows)


def _insert_dated(rows) -> None:
    """Insert demo events with their own times: ``created_at`` is set on insert only, and
    the log cannot be updated afterwards."""
    from django.db import connection

    table = connection.ops.quote_name(SecurityEvent._meta.db_table)
    columns = "kind, user_id, username, ip_address, success, detail, path, user_agent, created_at"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
            rows,
        )
