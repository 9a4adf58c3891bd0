"""Login-failure lockout on top of django-axes, answering exactly like a wrong password."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):
    """Refuses every attempt for a locked-out user name and address.

    Without a request (the test client's ``login()``, management commands) there is no
    address to count against, so the check is skipped instead of failing: every sign-in
    form of the application passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The client's address: the connection's, or with ``PMO_PROXY_COUNT`` trusted
    proxies in front, the address the outermost of them appended to X-Forwarded-For.

    Entries further left were written by the client and could be anything, so a
    guesser cannot escape the per-address count by inventing them.
    """
    count = settings.PMO_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def is_locked_out(request, username: str) -> bool:
    """Whether sign-in attempts for this user name from this request's address are refused."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def failure_count(request, username: str) -> None:
    """Count a failed sign-in step (a wrong second-factor code) like a wrong password."""
    AxesProxyHandler.user_login_failed(
        sender=get_user_model(), credentials={"username": username}, request=request
    )


def lockout_message() -> str:
    return _("Too many failed attempts. Please try again later.")


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked-out attempt: the response the view made, unchanged.

    The login view already shows the lockout message with the same status as a wrong
    password, and it does so for unknown user names too, so nothing tells an attacker
    whether the name exists; the second-factor pages sign the user out and go to the
    login page. Only without a response (the asynchronous path) is the page drawn here.
    """
    if original_response is not None:
        return original_response
    from django.contrib.auth.forms import AuthenticationForm

    # Unbound: a bound form would authenticate again when the page shows its errors.
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True, "lockout_message": lockout_message()},
    )
