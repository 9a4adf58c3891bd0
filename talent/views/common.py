"""Helpers shared by the talent views: permission checks, form pages, people."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from pmo.core.forms import add_service_errors
from pmo.core.models import OrgUnit, Person
from pmo.core.permissions import deny

PAGE_SIZE = 50


def check(request, perm: str, obj=None) -> None:
    """403 (logged) unless the user holds ``perm`` (on ``obj``)."""
    allowed = request.user.has_perm(perm, obj) if obj is not None else request.user.has_perm(perm)
    if not allowed:
        deny(request, perm)


def person_for(request, person_id: int, perm: str = "talent.view_profile") -> Person:
    """A person whose talent data the user may read (else 404), with ``perm`` (else 403)."""
    person = Person.objects.select_related("org_unit", "role", "user").filter(pk=person_id).first()
    if person is None or not request.user.has_perm("talent.view_profile", person):
        raise Http404
    if perm != "talent.view_profile":
        check(request, perm, person)
    return person


def form_page(request, template: str, context: dict, form) -> TemplateResponse:
    """A form page; 422 when a submitted form comes back with its errors."""
    status = 422 if request.method == "POST" and form.errors else 200
    return TemplateResponse(request, template, {"form": form, **context}, status=status)


def handle_form(
    request,
    form,
    write: Callable,
    *,
    done: str,
    then: Callable | str,
    title: str,
    back: str = "",
    template: str = "talent/form.html",
    context: dict | None = None,
):
    """Validate ``form`` on POST, call ``write(form)`` (a service call), and redirect to
    ``then`` (or ``then(result)``); a service's ValidationError shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(then(result) if callable(then) else then)
    return form_page(request, template, {"title": title, "back": back, **(context or {})}, form)


def post_action(request, action: Callable, *, done: str, then: str):
    """A button's POST: the service call, a message, back to ``then``."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(then)


def int_param(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def filter_units():
    return OrgUnit.objects.filter(is_active=True, depth__lte=2).order_by("path")
