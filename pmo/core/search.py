"""Global-search providers of the core: projects, people, organisational units."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from pmo.core.models import OrgUnit, Person, Project
from pmo.core.registry import SearchHit


def _name_q(query: str, *extra: str) -> Q:
    q = Q(name__icontains=query) | Q(name_en__icontains=query)
    for field in extra:
        q |= Q(**{f"{field}__icontains": query})
    return q


def projects(user, query: str, limit: int) -> list[SearchHit]:
    qs = (
        Project.objects.visible_to(user)
        .filter(_name_q(query, "code", "description"))
        .select_related("org_unit")
        .order_by("code")[:limit]
    )
    return [
        SearchHit(
            title=f"{p.code} {p.label}",
            url=p.get_absolute_url(),
            snippet=f"{p.get_stage_display()} · {p.org_unit.label}",
            kind=_("Project"),
        )
        for p in qs
    ]


def people(user, query: str, limit: int) -> list[SearchHit]:
    qs = (
        Person.objects.active()
        .filter(_name_q(query, "employee_no", "email", "title"))
        .select_related("org_unit")
        .order_by("name")[:limit]
    )
    return [
        SearchHit(
            title=p.label,
            url=p.get_absolute_url(),
            snippet=" · ".join(filter(None, [p.title, p.org_unit.label])),
            kind=_("Person"),
        )
        for p in qs
    ]


def org_units(user, query: str, limit: int) -> list[SearchHit]:
    qs = OrgUnit.objects.filter(is_active=True).filter(_name_q(query, "code"))[:limit]
    return [
        SearchHit(title=u.label, url=u.get_absolute_url(), kind=_("Organisational unit"))
        for u in qs
    ]
