"""Global-search providers of the talent area: profiles the user may read, courses."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from pmo.core.registry import SearchHit
from talent.models import Course, TalentProfile


def pool(user, query: str, limit: int) -> list[SearchHit]:
    found = (
        TalentProfile.objects.visible_to(user)
        .filter(
            Q(person__name__icontains=query)
            | Q(person__name_en__icontains=query)
            | Q(person__employee_no__icontains=query)
        )
        .with_people()
        .order_by("person__name")[:limit]
    )
    return [
        SearchHit(
            title=p.person.label,
            url=p.get_absolute_url(),
            snippet=" · ".join(
                x for x in (p.level.label if p.level else "", p.person.org_unit.label) if x
            ),
            kind=_("PM profile"),
        )
        for p in found
    ]


def courses(user, query: str, limit: int) -> list[SearchHit]:
    if not getattr(user, "is_authenticated", False):
        return []
    q = Q()
    for field in ("code", "name", "name_en", "description", "provider"):
        q |= Q(**{f"{field}__icontains": query})
    found = Course.objects.filter(q, is_active=True).order_by("code")[:limit]
    return [
        SearchHit(
            title=f"{c.code} {c.label}",
            url=c.get_absolute_url(),
            snippet=c.get_category_display(),
            kind=_("Course"),
        )
        for c in found
    ]
