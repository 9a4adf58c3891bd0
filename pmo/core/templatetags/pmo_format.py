"""Template filters for money, percentages and status badges (loaded as builtins)."""

from django import template
from django.utils import translation
from django.utils.html import format_html

from pmo.core import formatting

register = template.Library()

HEALTH_CLASSES = {
    "green": "text-bg-success",
    "amber": "text-bg-warning",
    "red": "text-bg-danger",
    "grey": "text-bg-secondary",
}


@register.filter
def money(value):
    return formatting.money(value, translation.get_language() or "zh-hans")


@register.filter
def money_compact(value):
    return formatting.money(value, translation.get_language() or "zh-hans", compact=True)


@register.filter
def pct(value, digits=0):
    return formatting.percent(value, int(digits))


@register.filter
def num(value, digits=1):
    return formatting.decimal(value, int(digits))


@register.filter
def health_badge(project):
    """A coloured badge for a project's health (expects a Project or a health code)."""
    code = getattr(project, "health", project)
    label = project.get_health_display() if hasattr(project, "get_health_display") else code
    return format_html(
        '<span class="badge {}" data-health="{}">{}</span>',
        HEALTH_CLASSES.get(code, "text-bg-light"),
        code,
        label,
    )


@register.filter
def stage_badge(project):
    return format_html(
        '<span class="badge rounded-pill text-bg-light border" data-stage="{}">{}</span>',
        project.stage,
        project.get_stage_display(),
    )


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for sort and page links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"
