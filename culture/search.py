"""Global-search providers of the culture area: ideas and sharing sessions."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from culture.models import Idea, SharingSession
from pmo.core.registry import SearchHit


def _q(query: str, *fields: str) -> Q:
    q = Q()
    for field in ("title", "title_en", *fields):
        q |= Q(**{f"{field}__icontains": query})
    return q


def ideas(user, query: str, limit: int) -> list[SearchHit]:
    if not getattr(user, "is_authenticated", False):
        return []
    found = Idea.objects.filter(_q(query, "summary", "fit")).order_by("title")[:limit]
    return [
        SearchHit(
            title=i.label, url=i.get_absolute_url(), snippet=i.summary[:120], kind=_("PM idea")
        )
        for i in found
    ]


def sessions(user, query: str, limit: int) -> list[SearchHit]:
    found = (
        SharingSession.objects.visible_to(user)
        .filter(_q(query, "topic", "description"))
        .select_related("speaker")
        .order_by("-starts_at")[:limit]
    )
    return [
        SearchHit(
            title=s.label,
            url=s.get_absolute_url(),
            snippet=f"{s.starts_at:%Y-%m-%d} · {s.speaker.label} · {s.topic[:80]}",
            kind=_("Sharing session"),
        )
        for s in found
    ]
