"""Fetch-with-permission helpers used by every view.

A user who may not see an object gets 404 (its existence is not revealed); one who may
see it but not do the action gets 403.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pmo.core.models import SecurityEvent


def deny(request, perm: str):
    """Record the refusal in the security log and answer 403."""
    from pmo.core.services import security_event_record

    security_event_record(
        kind=SecurityEvent.Kind.PERMISSION_DENIED,
        user=request.user,
        request=request,
        success=False,
        detail=f"{perm} {request.method} {request.path}",
    )
    raise PermissionDenied


def get_project_for_user(request, pk: int, perm: str = "core.view_project"):
    """The project if the user may see it (else 404) and holds ``perm`` on it (else 403)."""
    from pmo.core.models import Project

    try:
        project = Project.objects.visible_to(request.user).with_people().get(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    if perm != "core.view_project" and not request.user.has_perm(perm, project):
        deny(request, perm)
    return project


def require_perm(perm: str):
    """View decorator for a global permission; anonymous users are sent to log in."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                deny(request, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
