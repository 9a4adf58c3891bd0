"""Filters of the decision pages: rates, periods, ratios and status colours."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-info",
    "in_review": "text-bg-primary",
    "decided": "text-bg-success",
    "superseded": "text-bg-secondary",
}
SECTION_ICONS = {
    "draft": ("pencil", "text-secondary"),
    "ready": ("hourglass-split", "text-primary"),
    "accepted": ("check-circle-fill", "text-success"),
    "rework": ("exclamation-circle-fill", "text-warning"),
}
OUTCOME_CLASSES = {
    "approve": "text-bg-success",
    "approve_conditions": "text-bg-success",
    "invest": "text-bg-success",
    "invest_conditions": "text-bg-success",
    "revise": "text-bg-warning",
    "reject": "text-bg-danger",
}


@register.filter
def rate(value, digits=1):
    """A fraction as a percentage: 0.1234 → 12.3%."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def years(value, digits=2):
    """A number of periods: 2.6 → 2.60."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(digits)}f}"


@register.filter
def ratio(value, digits=2):
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(digits)}f}"


@register.filter
def study_status_badge(study):
    return format_html(
        '<span class="badge {}" data-study-status="{}">{}</span>',
        STATUS_CLASSES.get(study.status, "text-bg-light"),
        study.status,
        study.get_status_display(),
    )


@register.filter
def section_icon(section):
    icon, css = SECTION_ICONS.get(section.status, ("circle", "text-secondary"))
    return format_html(
        '<i class="bi bi-{} {}" aria-hidden="true" title="{}"></i>',
        icon,
        css,
        section.get_status_display(),
    )


@register.filter
def outcome_badge(code, label):
    return format_html(
        '<span class="badge {}" data-outcome="{}">{}</span>',
        OUTCOME_CLASSES.get(code, "text-bg-light"),
        code,
        label,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def zip_shares(items, shares):
    """Pair each item with its share (criteria with their normalised weights)."""
    return list(zip(items, shares, strict=False))


@register.filter
def choice_label(bound_field):
    """The label of a choice field's current value (read-only display of a form)."""
    value = bound_field.value()
    for code, label in getattr(bound_field.field, "choices", ()):
        if str(code) == str(value) and code != "":
            return label
    return "—"
