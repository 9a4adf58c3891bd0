"""Forms of the core pages; they validate input, the services write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pmo.core import roles
from pmo.core.locking import LockedFormMixin
from pmo.core.models import Person, Project, ProjectMember, ResourceDemand, Role, Stage
from pmo.core.services import PROJECT_FIELDS


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget (radio and checkbox lists style their own items)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    """A form whose widgets carry the Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class StyledModelForm(forms.ModelForm):
    """A model form whose widgets carry the Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProjectForm(LockedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "planned_start": DateInput(),
            "planned_finish": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    # Once a proposal has gone to review, its classification (which decides the
    # governance route) and its budget are the approved baseline: only the PMO changes them.
    BASELINE_FIELDS = ("classification", "budget")
    OPEN_STAGES = (Stage.IDEA, Stage.PROPOSED)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if (
            user is not None
            and self.instance.pk
            and self.instance.stage not in self.OPEN_STAGES
            and not roles.is_pmo(user)
        ):
            for name in self.BASELINE_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Set by the PMO once the project is approved.")
        people = Person.objects.active().order_by("name")
        self.fields["manager"].queryset = people
        self.fields["sponsor"].queryset = people
        self.fields["program"].queryset = Project.objects.filter(is_program=True)
        if self.instance.pk:
            self.fields["program"].queryset = self.fields["program"].queryset.exclude(
                pk=self.instance.pk
            )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        start, finish = data.get("planned_start"), data.get("planned_finish")
        if start and finish and finish < start:
            self.add_error(
                "planned_finish", _("The planned finish cannot be before the planned start.")
            )
        return data


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=())
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in allowed]
        self.fields["to_stage"].widget.attrs["class"] = "form-select"
        self.fields["reason"].widget.attrs["class"] = "form-control"


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    project_role = forms.ChoiceField(
        label=_("Project role"),
        choices=[
            c
            for c in ProjectMember.ProjectRole.choices
            if c[0] not in (ProjectMember.ProjectRole.MANAGER, ProjectMember.ProjectRole.SPONSOR)
        ],
    )
    allocation_percent = forms.IntegerField(
        label=_("Allocation (%)"), min_value=0, max_value=100, initial=100
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.active().order_by("name")
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data


class MonthField(forms.DateField):
    """A month picker (``YYYY-MM``) that yields the first day of the month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if isinstance(value, dt.date) else value


class DemandForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Resource role"), queryset=Role.objects.none())
    month = MonthField(label=_("Month"))
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=8, decimal_places=1)
    source = forms.ChoiceField(
        label=_("Source"), choices=ResourceDemand.Source.choices, initial="manual"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.filter(is_active=True)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=())

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["language"].widget.attrs["class"] = "form-select"
