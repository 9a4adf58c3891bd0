"""Forms of the strategy part; they validate input, ``portfolio.services.strategy`` writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import DateInput
from pmo.core.models import Person, Project
from portfolio.models import (
    Objective,
    Portfolio,
    PortfolioItem,
    RatingScale,
    StrategicTheme,
)
from portfolio.selectors.strategy import INTAKE_STAGES
from portfolio.services.strategy import (
    CANDIDATE_FIELDS,
    OBJECTIVE_FIELDS,
    PORTFOLIO_FIELDS,
    UNLINKABLE_STAGES,
)


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.label}"


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.label}"


def _people():
    return Person.objects.active().order_by("name")


class ThemeForm(forms.ModelForm):
    class Meta:
        model = StrategicTheme
        fields = ("code", "name", "name_en", "description", "owner", "sort_order", "is_active")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        style(self)


class ObjectiveForm(forms.ModelForm):
    parent = ObjectiveChoiceField(
        label=_("parent objective"),
        queryset=Objective.objects.none(),
        required=False,
        help_text=_("The objective this one refines; it must belong to the same theme."),
    )

    class Meta:
        model = Objective
        fields = OBJECTIVE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Objective.objects.active().select_related("theme").order_by("theme", "code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["theme"].queryset = StrategicTheme.objects.filter(is_active=True)
        self.fields["owner"].queryset = _people()
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        parent, theme = data.get("parent"), data.get("theme")
        if parent and theme and parent.theme_id != theme.pk:
            self.add_error(
                "parent", _("The parent objective must belong to the same strategic theme.")
            )
        return data


class MeasureForm(forms.Form):
    actual = forms.DecimalField(label=_("Actual value"), max_digits=16, decimal_places=2)
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        help_text=_(
            "Empty: the status is derived from progress against the time elapsed "
            "(more than 10 points behind: at risk; more than 25: off track)."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=100,
        required=False,
        help_text=_("Where the figure comes from (report, system, survey …)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Derive from progress")), *Objective.Status.choices]
        self.fields["measured_on"].initial = timezone.localdate()
        style(self)


class LinkForm(forms.Form):
    objective = ObjectiveChoiceField(label=_("Objective"), queryset=Objective.objects.none())
    project = ProjectChoiceField(label=_("Project"), queryset=Project.objects.none())
    contribution = forms.IntegerField(
        label=_("Contribution (%)"),
        min_value=1,
        max_value=100,
        help_text=_(
            "How much of the objective this project delivers; all projects together at most 100 %."
        ),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = (
            Objective.objects.active().select_related("theme").order_by("code")
        )
        self.fields["project"].queryset = Project.objects.exclude(
            stage__in=UNLINKABLE_STAGES
        ).order_by("code")
        style(self)


class PortfolioForm(forms.ModelForm):
    rating_scale = forms.ModelChoiceField(
        label=_("rating scale"),
        queryset=RatingScale.objects.none(),
        required=False,
        empty_label=_("Standard impact scale (none 0, low 1, moderate 3, strong 6, extreme 9)"),
    )

    class Meta:
        model = Portfolio
        fields = PORTFOLIO_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "horizon_start": DateInput(),
            "horizon_end": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating_scale"].queryset = RatingScale.objects.order_by("code")
        if self.instance.pk:
            self.fields["rating_scale"].required = True
            self.fields["rating_scale"].empty_label = None
        self.fields["owner"].queryset = _people()
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("horizon_start"), data.get("horizon_end")
        if start and end and end < start:
            self.add_error("horizon_end", _("The horizon cannot end before it starts."))
        return data


class IntakeForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one project.")},
    )

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = (
            projects if projects is not None else Project.objects.filter(stage__in=INTAKE_STAGES)
        )


class CandidateForm(forms.ModelForm):
    class Meta:
        model = PortfolioItem
        fields = CANDIDATE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        help_texts = {
            "cost": _("The portfolio's view of the cost; it starts as the project budget."),
            "business_value": _("WSJF input, 1–100 (relative to the other candidates)."),
            "time_criticality": _("WSJF input, 1–100."),
            "risk_reduction": _("WSJF input, 1–100."),
            "job_size": _(
                "WSJF input: relative size, 1 or more. WSJF = (value + criticality + risk reduction) / size."
            ),
        }
        for name, text in help_texts.items():
            self.fields[name].help_text = text
        style(self)
