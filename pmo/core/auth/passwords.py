"""Password validators of the two profiles, the password history and password age.

The profile is chosen in settings (``PMO_PASSWORD_PROFILE``): ``asvs`` uses Django's
length, common-password and similarity checks plus :class:`MaximumLengthValidator`;
``djbh`` (等保2.0 level 3) adds :class:`CharacterClassesValidator`,
:class:`HistoryValidator` and rotation after ``PMO_PASSWORD_MAX_AGE_DAYS``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PROFILES = ("asvs", "djbh")
_DJANGO = "django.contrib.auth.password_validation."
_OURS = "pmo.core.auth.passwords."


def validators_for(profile: str, *, min_length: int, history: int) -> list[dict]:
    """``AUTH_PASSWORD_VALIDATORS`` of a profile (settings call this before Django is set up)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown password profile {profile!r}")
    validators = [
        {"NAME": _DJANGO + "UserAttributeSimilarityValidator"},
        {"NAME": _DJANGO + "MinimumLengthValidator", "OPTIONS": {"min_length": min_length}},
        {"NAME": _OURS + "MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
        {"NAME": _DJANGO + "CommonPasswordValidator"},
    ]
    if profile == "djbh":
        validators += [
            {"NAME": _DJANGO + "NumericPasswordValidator"},
            {"NAME": _OURS + "CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
            {"NAME": _OURS + "HistoryValidator", "OPTIONS": {"count": history}},
        ]
    return validators


CHARACTER_CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
)


def character_classes(password: str) -> int:
    """How many of the four classes (lower case, upper case, digit, other) occur."""
    found = set()
    for char in password:
        for name, test in CHARACTER_CLASSES:
            if test(char):
                found.add(name)
                break
        else:
            found.add("other")
    return len(found)


class MaximumLengthValidator:
    """Refuses passwords longer than ``max_length`` (hashing cost, ASVS 6.2.9 allows 128)."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return ngettext(
            "Your password can contain at most %(max_length)d character.",
            "Your password can contain at most %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}


class CharacterClassesValidator:
    """Requires ``min_classes`` of: lower-case letters, upper-case letters, digits, others."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "Your password must mix at least %(count)s of: lower-case letters, "
                    "upper-case letters, digits and other characters."
                ),
                code="password_too_simple",
                params={"count": self.min_classes},
            )

    def get_help_text(self):
        return _(
            "Your password must mix at least %(count)s of: lower-case letters, "
            "upper-case letters, digits and other characters."
        ) % {"count": self.min_classes}


class HistoryValidator:
    """Refuses the current password and the ``count`` passwords before it."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password

        from pmo.core.models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.count
            ]
        )
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                ngettext(
                    "You cannot reuse your last %(count)d password.",
                    "You cannot reuse any of your last %(count)d passwords.",
                    self.count,
                ),
                code="password_reused",
                params={"count": self.count},
            )

    def get_help_text(self):
        return ngettext(
            "Your password must differ from your last %(count)d password.",
            "Your password must differ from your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}


def password_history_record(*, user) -> None:
    """Keep the user's new password hash, pruned to the profile's history length.

    Called whenever a password is set (the user model's post_save sees it), so the
    history and the password's age hold however the password was changed.
    """
    from pmo.core.models import PasswordHistory

    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(settings.PMO_PASSWORD_HISTORY, 1)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def password_set_at(user) -> dt.datetime:
    """When the user's current password was set (sign-up time when nothing is recorded)."""
    from pmo.core.models import PasswordHistory

    recorded = (
        PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    )
    return recorded or user.date_joined


def password_expired(user, *, now: dt.datetime | None = None) -> bool:
    """Whether rotation is on and the user's password is older than the maximum age."""
    days = settings.PMO_PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    now = now or timezone.now()
    return password_set_at(user) < now - dt.timedelta(days=days)
