"""Global-search provider of delivery: issues, risks and change requests."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from delivery.models import Issue
from pmo.core.registry import SearchHit


def issues(user, query: str, limit: int) -> list[SearchHit]:
    found = (
        Issue.objects.visible_to(user)
        .filter(Q(title__icontains=query) | Q(description__icontains=query))
        .select_related("project")
        .order_by("-raised_at")[:limit]
    )
    return [
        SearchHit(
            title=issue.title,
            url=reverse("delivery:issue_detail", args=[issue.pk]),
            snippet=f"{issue.project.code} · {issue.get_kind_display()} · "
            f"{issue.get_severity_display()} · {issue.get_status_display()}",
            kind=_("Issue, risk or change"),
        )
        for issue in found
    ]
