"""List filters (django-filter) of the core pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo.core.models import (
    Classification,
    Health,
    OrgUnit,
    Person,
    Project,
    ProjectType,
    Role,
    Stage,
)

PROJECT_SORTS = {
    "code": "code",
    "name": "name",
    "stage": "stage",
    "health": "health",
    "budget": "budget",
    "finish": "planned_finish",
    "progress": "percent_complete",
    "status": "last_status_date",
}


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    # distinct=False: a project has one stage and one health, and DISTINCT over every
    # column of the list costs more than the rest of the query.
    stage = django_filters.MultipleChoiceFilter(
        label=_("Lifecycle stage"), choices=Stage.choices, distinct=False
    )
    health = django_filters.MultipleChoiceFilter(
        label=_("Health"), choices=Health.choices, distinct=False
    )
    classification = django_filters.ChoiceFilter(
        label=_("Classification"), choices=Classification.choices, empty_label=_("All")
    )
    project_type = django_filters.ModelChoiceFilter(
        label=_("Project type"), queryset=ProjectType.objects.all(), empty_label=_("All")
    )
    org_unit = django_filters.ModelChoiceFilter(
        label=_("Organisational unit"),
        queryset=OrgUnit.objects.filter(is_active=True),
        method="filter_unit",
        empty_label=_("All"),
    )
    # A text box, not a list: at enterprise scale the managers are hundreds of options.
    manager = django_filters.CharFilter(label=_("Project manager"), method="filter_manager")
    open_only = django_filters.BooleanFilter(label=_("Open projects only"), method="filter_open")

    class Meta:
        model = Project
        fields = ["q", "stage", "health", "classification", "project_type", "org_unit", "manager"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-control" if name in ("q", "manager") else "form-select"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm form-select-sm")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value)
        )

    def filter_unit(self, queryset, name, value):
        return queryset.filter(org_unit__path__startswith=value.path) if value else queryset

    def filter_manager(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(manager_id=int(value))
        return queryset.filter(
            Q(manager__name__icontains=value)
            | Q(manager__name_en__icontains=value)
            | Q(manager__employee_no__iexact=value)
        )

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    org_unit = django_filters.ModelChoiceFilter(
        label=_("Organisational unit"),
        queryset=OrgUnit.objects.filter(is_active=True),
        method="filter_unit",
        empty_label=_("All"),
    )
    role = django_filters.ModelChoiceFilter(
        label=_("Resource role"), queryset=Role.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = Person
        fields = ["q", "org_unit", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_en__icontains=value)
            | Q(employee_no__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_unit(self, queryset, name, value):
        return queryset.filter(org_unit__path__startswith=value.path) if value else queryset
