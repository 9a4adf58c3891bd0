"""Helpers shared by the knowledge views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from pmo.core.permissions import deny
from pmo.core.registry import registry

PAGE_SIZE = 30


def check(request, perm: str, obj=None) -> None:
    allowed = request.user.has_perm(perm, obj) if obj is not None else request.user.has_perm(perm)
    if not allowed:
        deny(request, perm)


def visible_or_404(queryset, user, pk: int):
    try:
        return queryset.visible_to(user).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def form_page(request, template: str, context: dict, form) -> TemplateResponse:
    """A form page; 422 when a submitted form comes back with its errors."""
    status = 422 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, template, {"form": form, **context}, status=status)


def int_param(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None


def widgets(request, slot: str, filters: dict) -> list[tuple]:
    """The tiles other apps add to a knowledge page through the registry."""
    # Widgets render their own templates (escaped there), so their HTML is trusted here.
    return [
        (w, mark_safe(w.html(request, filters)))  # noqa: S308
        for w in registry.widgets_for(slot, request.user)
    ]


def require_post(request) -> None:
    if request.method != "POST":
        raise PermissionDenied


def log_confidential_view(request, item) -> None:
    """Every view of a confidential lesson, case or article goes to the security log."""
    if getattr(item, "confidentiality", "") == "confidential":
        from pmo.core.models import SecurityEvent
        from pmo.core.services import security_event_record

        security_event_record(
            kind=SecurityEvent.Kind.VIEW,
            user=request.user,
            request=request,
            detail=f"{item._meta.model_name} {item.pk} {item}",
        )
