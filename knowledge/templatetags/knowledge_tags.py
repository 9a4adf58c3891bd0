"""Template filters of the knowledge pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# Raw HTML in the source is escaped, links to javascript: are refused by markdown-it.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


@register.filter
def markdown(text: str) -> str:
    """Markdown to HTML; the source's own HTML is shown as text."""
    return mark_safe(_MARKDOWN.render(text or ""))  # noqa: S308


@register.filter
def stars(value) -> str:
    if value is None:
        return "—"
    full = min(5, max(0, int(float(value) + 0.5)))  # 4.5 shows five stars
    return "★" * full + "☆" * (5 - full)


@register.filter
def indent(level) -> str:
    """A dash per level below the top, to show a category's depth in a list."""
    try:
        return "— " * max(int(level) - 1, 0)
    except (TypeError, ValueError):
        return ""
