"""Helpers shared by the culture views: permission checks, form pages, the person."""

from __future__ import annotations

from django.template.response import TemplateResponse

from pmo.core import roles
from pmo.core.models import Person
from pmo.core.permissions import deny

PAGE_SIZE = 30
VIEW, MANAGE, RESULTS = "culture.view", "culture.manage", "culture.view_results"
PRACTICE, RUN_SESSION = "culture.record_practice", "culture.run_session"


def check(request, perm: str, obj=None) -> None:
    """403 (logged) unless the user holds ``perm`` (on ``obj``)."""
    allowed = request.user.has_perm(perm, obj) if obj is not None else request.user.has_perm(perm)
    if not allowed:
        deny(request, perm)


def form_page(request, template: str, context: dict, form=None) -> TemplateResponse:
    """A page with a form; 422 when a submitted form comes back with its errors."""
    status = 422 if request.method == "POST" and form is not None and form.errors else 200
    return TemplateResponse(request, template, {"form": form, **context}, status=status)


def current_person(request) -> Person | None:
    pid = roles.person_id_of(request.user)
    return Person.objects.select_related("org_unit").filter(pk=pid).first() if pid else None


def posted(request):
    """The submitted data of a POST (even an empty one: unticked boxes), else None."""
    return request.POST if request.method == "POST" else None


def int_param(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
