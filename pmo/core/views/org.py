"""The organisation tree and a unit's page."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from pmo.core import selectors
from pmo.core.models import CLOSED_STAGES, OrgUnit, Person, Project


@login_required
def orgunit_tree(request):
    units = list(
        OrgUnit.objects.filter(is_active=True)
        .select_related("head")
        .annotate(
            people_count=Count("people", filter=Q(people__is_active=True), distinct=True),
            project_count=Count(
                "projects", filter=~Q(projects__stage__in=CLOSED_STAGES), distinct=True
            ),
        )
        .order_by("path")
    )
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.sort_order, u.code))
    for unit in units:
        unit.child_units = children.get(unit.pk, [])
    return TemplateResponse(
        request, "core/orgunit_tree.html", {"roots": children.get(None, []), "count": len(units)}
    )


@login_required
def orgunit_detail(request, pk: int):
    unit = get_object_or_404(OrgUnit.objects.select_related("head", "parent"), pk=pk)
    subtree = OrgUnit.objects.descendants_of(unit)
    projects = Project.objects.visible_to(request.user).filter(org_unit__in=subtree)
    return TemplateResponse(
        request,
        "core/orgunit_detail.html",
        {
            "unit": unit,
            "ancestors": OrgUnit.objects.filter(
                pk__in=[int(p) for p in unit.path.strip("/").split("/")[:-1] if p]
            ).order_by("depth"),
            "children": unit.children.filter(is_active=True).select_related("head"),
            "people": Person.objects.active()
            .filter(org_unit=unit)
            .with_unit_and_role()
            .order_by("name")[:100],
            "projects": projects.open().with_people().order_by("code")[:100],
            "totals": selectors.portfolio_totals(projects),
        },
    )
