"""TOTP second factor: enrol a device, confirm it, verify a code at sign-in, remove it."""

from __future__ import annotations

import segno
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmo.core.auth.lockout import failure_count
from pmo.core.models import SecurityEvent
from pmo.core.services import security_event_record


def device_confirmed(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_pending(user) -> TOTPDevice:
    """The user's unconfirmed device, created on first visit and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no request)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#212529")
    return mark_safe(svg)  # noqa: S308 - segno writes the SVG from our own data


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing in when no camera is at hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _checked(*, request, user, device: TOTPDevice, code: str, detail: str) -> bool:
    ok = device.verify_token(code)
    security_event_record(
        kind=SecurityEvent.Kind.SECOND_FACTOR,
        user=user,
        request=request,
        success=ok,
        detail=detail,
    )
    if not ok:
        failure_count(request, user.get_username())
    return ok


def second_factor_confirm(*, request, user, code: str) -> bool:
    """Confirm the pending device with a code; the user is then verified for this session."""
    device = device_pending(user)
    if not _checked(request=request, user=user, device=device, code=code, detail="enrol"):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def second_factor_verify(*, request, user, code: str) -> bool:
    """Check a sign-in code against the user's confirmed device."""
    device = device_confirmed(user)
    if device is None:
        return False
    if not _checked(request=request, user=user, device=device, code=code, detail="sign-in"):
        return False
    otp_login(request, device)
    return True


def second_factor_remove(*, request, user, code: str) -> bool:
    """Remove the user's device; a current code proves the phone is at hand."""
    device = device_confirmed(user)
    if device is None:
        return False
    if not _checked(request=request, user=user, device=device, code=code, detail="remove"):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True
