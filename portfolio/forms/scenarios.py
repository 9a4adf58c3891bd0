"""Forms of the scenarios part; they validate input, the services write."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pmo.core.models import OrgUnit, Project, Role
from portfolio.models import ProjectDependency, Scenario, ScenarioItem
from portfolio.querysets import OPEN_STAGES
from portfolio.selectors.scenarios import SHIFT_LIMIT, period_of

MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")
HORIZONS = ((6, _("6 months")), (12, _("12 months")), (18, _("18 months")), (24, _("24 months")))


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return period_of(value)
        return value


class MonthField(forms.Field):
    """A month entered as YYYY-MM (the browser's month picker), kept as its first day."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value.replace(day=1)
        match = MONTH.match(str(value).strip())
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 and 1900 <= year <= 2999):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(year, month, 1)


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ("name", "description", "budget", "use_capacity", "use_dependencies")
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "use_dependencies": _("Respect the requires / excludes links between candidates."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].widget.attrs.update({"min": "0", "step": "any"})
        _style(self)

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise ValidationError(_("The budget cannot be negative."))
        return budget


class ScenarioSettingForm(forms.Form):
    force = forms.ChoiceField(
        label=_("Selection"), choices=ScenarioItem.Force.choices, required=False
    )
    shift_months = forms.IntegerField(
        label=_("Start shift (months)"),
        required=False,
        min_value=-SHIFT_LIMIT,
        max_value=SHIFT_LIMIT,
    )

    def clean_shift_months(self):
        return self.cleaned_data.get("shift_months") or 0


class ScenarioCapacityForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Resource role"), queryset=Role.objects.none())
    month = MonthField(label=_("Month"))
    hours = forms.DecimalField(
        label=_("Extra hours"),
        max_digits=8,
        decimal_places=1,
        help_text=_("Negative to take hours away."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.filter(is_active=True).order_by("code")
        _style(self)


class DependencyForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectDependency.Kind.choices)
    other = forms.ModelChoiceField(label=_("Other project"), queryset=Project.objects.none())
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Why: shared platform, same budget line, alternative solutions …"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_projects = Project.objects.filter(stage__in=OPEN_STAGES).order_by("code")
        self.fields["project"].queryset = open_projects
        self.fields["other"].queryset = open_projects
        for name in ("project", "other"):
            self.fields[name].label_from_instance = lambda p: f"{p.code} {p.label}"
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("project") and data.get("project") == data.get("other"):
            self.add_error("other", _("A project cannot depend on itself."))
        return data


class CapacityFilterForm(forms.Form):
    """The view of the capacity page: where it starts, how far it looks, which unit."""

    start = MonthField(label=_("From"), required=False)
    months = forms.TypedChoiceField(
        label=_("Horizon"), choices=HORIZONS, coerce=int, required=False, empty_value=12
    )
    unit = forms.ModelChoiceField(
        label=_("Organisational unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Whole company"),
    )
    candidates = forms.BooleanField(label=_("Include candidates"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True, depth__lte=2)
        self.fields["unit"].label_from_instance = lambda u: ("— " * u.depth) + u.label
        _style(self)


class WhatIfForm(forms.Form):
    """One more what-if change on the capacity page: shift a project and/or add hours."""

    shift_project = forms.ModelChoiceField(
        label=_("Shift project"), queryset=Project.objects.none(), required=False
    )
    shift_months = forms.IntegerField(
        label=_("by months"), min_value=-SHIFT_LIMIT, max_value=SHIFT_LIMIT, required=False
    )
    add_role = forms.ModelChoiceField(
        label=_("Add capacity to role"), queryset=Role.objects.none(), required=False
    )
    add_hours = forms.DecimalField(
        label=_("hours per month"), max_digits=8, decimal_places=1, required=False
    )

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift_project"].queryset = projects or Project.objects.none()
        self.fields["shift_project"].label_from_instance = lambda p: f"{p.code} {p.label}"
        self.fields["add_role"].queryset = Role.objects.filter(is_active=True).order_by("code")
        _style(self)


class CompareForm(forms.Form):
    s = forms.ModelMultipleChoiceField(
        label=_("Scenarios"),
        queryset=Scenario.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, portfolio, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["s"].queryset = Scenario.objects.filter(portfolio=portfolio).order_by(
            "-created_at"
        )

    def clean_s(self):
        chosen = self.cleaned_data["s"]
        if not 2 <= len(chosen) <= 4:
            raise ValidationError(_("Choose two to four scenarios."))
        return chosen
