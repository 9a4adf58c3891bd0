"""Global-search providers of the standards: processes of published versions (all
versions for the PMO) and document templates."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from pmo.core.registry import SearchHit
from standards.models import DocumentTemplate, Process


def _q(query: str, *fields: str) -> Q:
    q = Q()
    for field in ("code", "name", "name_en", "description", *fields):
        q |= Q(**{f"{field}__icontains": query})
    return q


def processes(user, query: str, limit: int) -> list[SearchHit]:
    found = (
        Process.objects.visible_to(user)
        .exclude(version__status="retired")
        .filter(_q(query, "inputs", "outputs"))
        .with_parts()
        .order_by("version__methodology__code", "code", "-version__number")[:limit]
    )
    return [
        SearchHit(
            title=f"{p.code} {p.label}",
            url=p.get_absolute_url(),
            snippet=f"{p.version.methodology.label} {p.version.label} · {p.phase.label}",
            kind=_("Process"),
        )
        for p in found
    ]


def templates(user, query: str, limit: int) -> list[SearchHit]:
    if not getattr(user, "is_authenticated", False):
        return []
    found = DocumentTemplate.objects.active().filter(_q(query)).order_by("code")[:limit]
    return [
        SearchHit(
            title=f"{t.code} {t.label}",
            url=t.get_absolute_url(),
            snippet=(t.description or "")[:120],
            kind=_("Document template"),
        )
        for t in found
    ]
