"""Forms and list filters of the monitoring of strategic projects; they validate input,
the services in ``portfolio.services.monitoring`` write."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import DateInput
from pmo.core.models import Classification, Health, OrgUnit, Person, Stage
from portfolio.models import (
    AttentionFlag,
    MonitoringKpi,
    MonitoringPlan,
    Objective,
    ObjectiveLink,
    Recommendation,
    StrategicTheme,
)
from portfolio.querysets import OPEN_STAGES
from portfolio.selectors.monitoring import (
    PERIOD_LABELS,
    flagged_condition,
    review_due_condition,
    stale_condition,
)
from portfolio.services.monitoring import KPI_FIELDS, PLAN_FIELDS


def _style(form: forms.Form, small: bool = False) -> None:
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + size
        widget.attrs.setdefault("class", css)


def unit_label(unit) -> str:
    """An organisational unit indented by its depth in the tree."""
    return "\u3000" * unit.depth + unit.label


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit) -> str:
        return unit_label(unit)


def unit_queryset():
    return OrgUnit.objects.filter(is_active=True).order_by("path")


# --- plan and KPIs ------------------------------------------------------------------------


class MonitoringPlanForm(forms.ModelForm):
    class Meta:
        model = MonitoringPlan
        fields = PLAN_FIELDS
        widgets = {
            "checks": forms.Textarea(attrs={"rows": 3}),
            "next_review": DateInput(),
            "spi_threshold": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "2"}),
            "cpi_threshold": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "2"}),
            "stale_after_days": forms.NumberInput(attrs={"min": "1", "max": "365"}),
        }
        help_texts = {
            "spi_threshold": _("SPI = EV / PV; a lower SPI raises a flag (0.90 by default)."),
            "cpi_threshold": _("CPI = EV / AC; a lower CPI raises a flag (0.90 by default)."),
            "next_review": _("Left empty, it is set one review cycle from today."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.active().order_by("name")
        _style(self)


class KpiForm(forms.ModelForm):
    class Meta:
        model = MonitoringKpi
        fields = KPI_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self, small=True)


class KpiActualForm(forms.Form):
    actual = forms.DecimalField(label=_("Actual"), max_digits=16, decimal_places=2)
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate()
        _style(self, small=True)


class FlagResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How was it dealt with?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


# --- recommendations ----------------------------------------------------------------------


class RecommendationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of adjustment"), choices=Recommendation.Kind.choices)
    title = forms.CharField(label=_("Recommendation"), max_length=200)
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the PMO found and what the adjustment is expected to achieve."),
    )
    due_date = forms.DateField(label=_("Decision due"), required=False, widget=DateInput())
    flag = forms.ModelChoiceField(
        label=_("In answer to the flag"),
        queryset=AttentionFlag.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flag"].queryset = AttentionFlag.objects.filter(
            project=project, resolved_at__isnull=True
        ).order_by("-raised_at")
        self.fields["flag"].label_from_instance = lambda f: f"{f.get_rule_display()} · {f.detail}"[
            :120
        ]
        _style(self)


class RecommendationDecideForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    decision_note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The project manager and the PMO read this with the decision."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RecommendationDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


# --- list filters -------------------------------------------------------------------------


class _CheckboxFilter(django_filters.BooleanFilter):
    """A checkbox that filters when ticked and leaves the list alone otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)


class WatchlistFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    org_unit = django_filters.ModelChoiceFilter(
        label=_("Organisational unit"),
        queryset=unit_queryset(),
        method="filter_unit",
        empty_label=_("All"),
    )
    health = django_filters.MultipleChoiceFilter(
        label=_("Health"), choices=Health.choices, distinct=False
    )
    stage = django_filters.ChoiceFilter(
        label=_("Lifecycle stage"),
        choices=[(s, Stage(s).label) for s in OPEN_STAGES],
        empty_label=_("All"),
    )
    classification = django_filters.ChoiceFilter(
        label=_("Classification"), choices=Classification.choices, empty_label=_("All")
    )
    rule = django_filters.ChoiceFilter(
        label=_("Open flag"),
        choices=AttentionFlag.Rule.choices,
        method="filter_rule",
        empty_label=_("Any or none"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Strategic theme"),
        queryset=StrategicTheme.objects.filter(is_active=True),
        method="filter_theme",
        empty_label=_("All"),
    )
    objective = django_filters.ModelChoiceFilter(
        label=_("Objective"),
        queryset=Objective.objects.active().order_by("code"),
        method="filter_objective",
        empty_label=_("All"),
    )
    flagged = _CheckboxFilter(label=_("With open flags"), method="filter_flagged")
    stale = _CheckboxFilter(label=_("Stale status"), method="filter_stale")
    review_due = _CheckboxFilter(label=_("Review due"), method="filter_review_due")

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        self.filters["objective"].field.label_from_instance = lambda o: f"{o.code} {o.label}"
        self.filters["org_unit"].field.label_from_instance = unit_label
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select | forms.SelectMultiple):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value)
        )

    def filter_unit(self, queryset, name, value):
        return queryset.filter(org_unit__path__startswith=value.path) if value else queryset

    def filter_rule(self, queryset, name, value):
        if not value:
            return queryset
        flags = AttentionFlag.objects.filter(
            project=OuterRef("pk"), rule=value, resolved_at__isnull=True
        )
        return queryset.filter(Exists(flags))

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        links = ObjectiveLink.objects.filter(project=OuterRef("pk"), objective__theme=value)
        return queryset.filter(Exists(links))

    def filter_objective(self, queryset, name, value):
        if not value:
            return queryset
        links = ObjectiveLink.objects.filter(project=OuterRef("pk"), objective=value)
        return queryset.filter(Exists(links))

    def filter_flagged(self, queryset, name, value):
        return queryset.filter(flagged_condition()) if value else queryset

    def filter_stale(self, queryset, name, value):
        return queryset.filter(stale_condition(self.today)) if value else queryset

    def filter_review_due(self, queryset, name, value):
        return queryset.filter(review_due_condition(self.today)) if value else queryset


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Recommendation.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of adjustment"), choices=Recommendation.Kind.choices, empty_label=_("All")
    )
    org_unit = django_filters.ModelChoiceFilter(
        label=_("Organisational unit"),
        queryset=unit_queryset(),
        method="filter_unit",
        empty_label=_("All"),
    )
    overdue = _CheckboxFilter(label=_("Decision overdue"), method="filter_overdue")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["org_unit"].field.label_from_instance = unit_label
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(project__code__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__name_en__icontains=value)
        )

    def filter_unit(self, queryset, name, value):
        return (
            queryset.filter(project__org_unit__path__startswith=value.path) if value else queryset
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            status=Recommendation.Status.PROPOSED, due_date__lt=timezone.localdate()
        )


class DashboardFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Organisational unit"),
        queryset=unit_queryset(),
        required=False,
        empty_label=_("Whole company"),
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=list(PERIOD_LABELS.items()), required=False, initial="quarter"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
