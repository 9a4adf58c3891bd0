"""Global search over feasibility studies (registered in ``decisions.wiring``)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from decisions.models import Study
from pmo.core.registry import SearchHit


def studies(user, query: str, limit: int) -> list[SearchHit]:
    """The latest visible study of each project whose code or name matches."""
    found = (
        Study.objects.visible_to(user)
        .current()
        .filter(
            Q(project__code__icontains=query)
            | Q(project__name__icontains=query)
            | Q(project__name_en__icontains=query)
            | Q(sections__content__icontains=query)
        )
        .distinct()
        .select_related("project")
        .order_by("project__code")[:limit]
    )
    return [
        SearchHit(
            title=f"{s.project.code} {s.project.label}",
            url=s.get_absolute_url(),
            snippet=_("Feasibility study, version %(version)s · %(status)s")
            % {"version": s.version, "status": s.get_status_display()},
            kind=_("Feasibility study"),
        )
        for s in found
    ]
