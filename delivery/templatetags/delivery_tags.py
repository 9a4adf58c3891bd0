"""Template filters of the delivery pages: RAG badges and grid cells."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pmo.core.models import Health

register = template.Library()

CLASSES = {
    "green": "text-bg-success",
    "amber": "text-bg-warning",
    "red": "text-bg-danger",
    "grey": "text-bg-secondary",
    "missing": "text-bg-secondary",
    "pending": "text-bg-light border",
    "none": "bg-transparent text-secondary",
}
LABELS = {
    **dict(Health.choices),
    "missing": _("No report"),
    "pending": _("Not due yet"),
    "none": _("Before the start"),
}


@register.filter
def rag(code):
    """A coloured badge for a rating (green/amber/red) or a grid state."""
    code = code or "grey"
    return format_html(
        '<span class="badge {}" data-rag="{}">{}</span>',
        CLASSES.get(code, "text-bg-light"),
        code,
        LABELS.get(code, code),
    )


@register.filter
def rag_dot(code):
    """A small square for dense grids, its meaning in the title and for screen readers."""
    code = code or "grey"
    return format_html(
        '<span class="badge {} rag-dot" data-rag="{}" title="{}">'
        '<span class="visually-hidden">{}</span>&nbsp;</span>',
        CLASSES.get(code, "text-bg-light"),
        code,
        LABELS.get(code, code),
        LABELS.get(code, code),
    )
