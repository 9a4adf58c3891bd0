"""The people directory and a person's page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from pmo.core.filters import PersonFilter
from pmo.core.models import Person, Project, ProjectMember

PAGE_SIZE = 50


@login_required
def person_list(request):
    base = Person.objects.active().with_unit_and_role().order_by("name", "pk")
    person_filter = PersonFilter(request.GET or None, queryset=base)
    qs = person_filter.qs if person_filter.is_bound else base
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "core/person_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(
        request,
        template,
        {
            "filter": person_filter,
            "page": page,
            "can_see_cost": request.user.has_perm("core.view_cost_rate"),
        },
    )


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.with_unit_and_role(), pk=pk)
    visible = Project.objects.visible_to(request.user)
    memberships = (
        ProjectMember.objects.filter(person=person, project__in=visible)
        .select_related("project", "project__org_unit")
        .order_by("-project__planned_start")
    )
    managed = visible.filter(manager=person).with_people().order_by("-planned_start")
    return TemplateResponse(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "managed": managed,
            "headed_units": person.headed_units.all(),
            "can_see_cost": request.user.has_perm("core.view_cost_rate"),
        },
    )
