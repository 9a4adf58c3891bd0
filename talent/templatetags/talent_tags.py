"""Template filters of the talent pages."""

from django import template

from talent.text import describe_gap

register = template.Library()


@register.filter
def gap_text(gap) -> str:
    return describe_gap(gap if isinstance(gap, dict) else gap.as_dict())


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
