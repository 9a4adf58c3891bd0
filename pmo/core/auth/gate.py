"""What a signed-in user must do before any other page: the second factor, a new password.

The steps are worked out once at sign-in and kept in the session, so an ordinary
request costs no query here. A user with a confirmed TOTP device enters a code; a PMO
administrator or administrator-duty user without one, when ``PMO_ADMIN_TOTP_REQUIRED``
is on, enrols one; then, under the 等保 profile, a user whose password is older than
``PMO_PASSWORD_MAX_AGE_DAYS`` changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from pmo.core import roles
from pmo.core.auth.passwords import password_expired
from pmo.core.models import SecurityEvent
from pmo.core.services import security_event_record

STEPS = "pmo_sign_in_steps"
ENROL, VERIFY, PASSWORD = "enrol", "verify", "password"
# The URL names each step allows, besides logging out and switching the language.
STEP_URLS = {
    ENROL: ("second_factor_setup", "second_factor_verify"),
    VERIFY: ("second_factor_verify",),
    PASSWORD: ("password_change",),
}
STEP_TARGET = {
    ENROL: "second_factor_setup",
    VERIFY: "second_factor_verify",
    PASSWORD: "password_change",
}
ALWAYS_ALLOWED = ("logout", "login", "set_language")


def requires_second_factor(user) -> bool:
    """PMO administrators and the administrator duties must use a second factor."""
    if not settings.PMO_ADMIN_TOTP_REQUIRED:
        return False
    if user.is_superuser:
        return True
    return bool(roles.group_names(user) & {roles.PMO_ADMIN, *roles.ADMIN_DUTY_ROLES})


def has_second_factor(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def sign_in_steps(*, request, user) -> list[str]:
    """Work out and remember what the user must do before using the application."""
    steps = []
    if has_second_factor(user):
        steps.append(VERIFY)
    elif requires_second_factor(user):
        steps.append(ENROL)
    if password_expired(user):
        steps.append(PASSWORD)
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_EXPIRED, user=user, request=request, success=False
        )
    request.session[STEPS] = steps
    return steps


def step_done(request, step: str) -> None:
    steps = [s for s in request.session.get(STEPS, []) if s != step]
    if step == ENROL:
        steps = [s for s in steps if s != VERIFY]
    request.session[STEPS] = steps


def next_url(request) -> str:
    """Where to go once a step is done: the next step, or the home page."""
    steps = request.session.get(STEPS) or []
    if steps:
        return reverse(STEP_TARGET[steps[0]])
    return reverse(settings.LOGIN_REDIRECT_URL)


class SignInGateMiddleware:
    """Keeps a signed-in user on the pending step's pages until it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        steps = request.session.get(STEPS)
        if steps is None:
            steps = sign_in_steps(request=request, user=user)
        if not steps:
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if name in ALWAYS_ALLOWED or name in STEP_URLS[steps[0]]:
            return None
        url = reverse(STEP_TARGET[steps[0]])
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(url)
        return redirect(url)
