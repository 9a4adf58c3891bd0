"""The content of delivery's dashboard widgets, loaded by htmx after the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from delivery.views.common import deny
from delivery.widgets import CONTENT
from pmo.core.registry import registry


@login_required
def widget(request, key: str):
    widget = registry.widgets.get(key)
    if widget is None or key not in CONTENT:
        raise Http404
    if not widget.visible_to(request.user):
        deny(request, f"widget {key}")
    html = CONTENT[key](request)
    if request.htmx:
        return HttpResponse(html)
    # The widget's template escapes its content, so its HTML is trusted here.
    context = {"widget": widget, "html": mark_safe(html)}  # noqa: S308
    return TemplateResponse(request, "delivery/widget_page.html", context)
