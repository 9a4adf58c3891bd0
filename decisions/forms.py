"""Forms of decision support; they validate input, the services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.models import (
    Alternative,
    AppraisalSettings,
    CostLine,
    Decision,
    Milestone,
    ReadinessQuestion,
    ReadinessVerdict,
    Recommendation,
    ResourceLine,
    Risk,
    ScopeItem,
    SocialCriterion,
)
from decisions.services.appraisal import FlowRow, rate_floor_error
from pmo.core.forms import DateInput, MonthField
from pmo.core.models import Person, Role

MONEY_FIELD = {"max_digits": 16, "decimal_places": 2}


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget, as the core forms do."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def active_people():
    return Person.objects.active().select_related("org_unit").order_by("name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} · {obj.org_unit.label}"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} · {obj.org_unit.label}"


# --- economics ---------------------------------------------------------------------------


def _horizon(value, default: int) -> int:
    """The horizon typed into the grid (1–30), so the grid has as many years as asked."""
    try:
        return max(1, min(30, int(value)))
    except (TypeError, ValueError):
        return default


class CashFlowGridForm(StyledForm):
    """The yearly cash flows of one alternative, with the study's rate and horizon.

    Fields per year t: ``inv_t`` (investment), ``opex_t`` (operating cost) and
    ``ben_t`` (revenue or savings); empty cells count as zero.
    """

    discount_rate = forms.DecimalField(
        label=_("Discount rate (%)"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Above −100 %; e.g. 8 for 8 % a year."),
    )
    horizon_years = forms.IntegerField(
        label=_("Horizon (years)"), min_value=1, max_value=30, widget=forms.NumberInput()
    )

    def __init__(self, *args, horizon: int, rate_editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and rate_editable:
            horizon = _horizon(self.data.get("horizon_years"), horizon)
        self.horizon = horizon
        if not rate_editable:
            del self.fields["discount_rate"]
            del self.fields["horizon_years"]
        for year in range(horizon + 1):
            for prefix, label in (
                ("inv", _("Investment, year %(year)s")),
                ("opex", _("Operating cost, year %(year)s")),
                ("ben", _("Revenue or savings, year %(year)s")),
            ):
                self.fields[f"{prefix}_{year}"] = forms.DecimalField(
                    label=label % {"year": year},
                    required=False,
                    min_value=None if prefix == "ben" else 0,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm text-end",
                            "inputmode": "decimal",
                        }
                    ),
                    **MONEY_FIELD,
                )
        for name in ("discount_rate", "horizon_years"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"class": "form-control form-control-sm"})

    def clean_discount_rate(self):
        rate = self.cleaned_data["discount_rate"]
        if rate is not None and rate <= Decimal(-100):
            raise rate_floor_error()
        return rate

    def year_fields(self):
        """(year, investment field, operating field, benefit field) for the template."""
        return [
            (year, self[f"inv_{year}"], self[f"opex_{year}"], self[f"ben_{year}"])
            for year in range(self.horizon + 1)
        ]

    def rows(self) -> list[FlowRow]:
        zero = Decimal(0)
        data = self.cleaned_data
        return [
            FlowRow(
                year,
                data.get(f"inv_{year}") or zero,
                data.get(f"opex_{year}") or zero,
                data.get(f"ben_{year}") or zero,
            )
            for year in range(self.horizon + 1)
        ]


def grid_initial(rows, rate, horizon) -> dict:
    initial = {"discount_rate": rate, "horizon_years": horizon}
    for row in rows:
        for prefix, value in (
            ("inv", row.investment),
            ("opex", row.operating_cost),
            ("ben", row.benefit),
        ):
            initial[f"{prefix}_{row.year}"] = value.normalize() if value else ""
    return initial


class ContingencyForm(StyledForm):
    contingency_percent = forms.DecimalField(
        label=_("Contingency (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=1
    )
    base_year = forms.IntegerField(label=_("Calendar year of year 0"), min_value=2000)


# --- section text, owners, reviews -----------------------------------------------------------


class SectionTextForm(StyledForm):
    content = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class SectionOwnerForm(StyledForm):
    owner = PersonChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people()


class SectionReviewForm(StyledForm):
    accept = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("1", _("Accept")), ("0", _("Request rework"))],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- rows of the sections --------------------------------------------------------------------


class ScopeItemForm(StyledModelForm):
    class Meta:
        model = ScopeItem
        fields = ("kind", "text")


class CostLineForm(StyledModelForm):
    class Meta:
        model = CostLine
        fields = ("item", "category", "year", "amount", "basis")


class MilestoneForm(StyledModelForm):
    class Meta:
        model = Milestone
        fields = ("name", "due", "deliverable", "is_roadmap_point")
        widgets = {"due": DateInput()}


class ResourceLineForm(StyledModelForm):
    start_month = MonthField(label=_("From month"))
    end_month = MonthField(label=_("Until month"))

    class Meta:
        model = ResourceLine
        fields = ("role", "start_month", "end_month", "hours_per_month", "sourcing", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.filter(is_active=True)
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_month"), data.get("end_month")
        if start and end and end < start:
            self.add_error("end_month", _("The last month cannot be before the first."))
        return data


class RiskForm(StyledModelForm):
    owner = PersonChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)

    class Meta:
        model = Risk
        fields = (
            "alternative",
            "title",
            "description",
            "probability",
            "impact",
            "strategy",
            "response",
            "owner",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alternative"].queryset = study.alternatives.all()
        self.fields["owner"].queryset = active_people()
        for name in ("probability", "impact"):
            self.fields[name].widget = forms.Select(
                choices=[(i, str(i)) for i in range(1, 6)], attrs={"class": "form-select"}
            )
        style(self)


class StrategyLinkForm(StyledForm):
    objective = forms.ModelChoiceField(label=_("Strategic objective"), queryset=None)
    contribution = forms.IntegerField(
        label=_("Contribution (%)"),
        min_value=1,
        max_value=100,
        help_text=_("How much of the objective this project delivers."),
    )
    justification = forms.CharField(
        label=_("Justification"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives


class SocialScoresForm(StyledForm):
    """A score (0–5) and evidence for each active social-benefit criterion."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.label,
                required=False,
                choices=[("", "—")] + [(str(i), str(i)) for i in range(6)],
                coerce=int,
                empty_value=None,
            )
            self.fields[f"evidence_{criterion.pk}"] = forms.CharField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        style(self)

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"evidence_{c.pk}"]) for c in self.criteria]

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            score = data.get(f"score_{criterion.pk}")
            if score is not None and not (data.get(f"evidence_{criterion.pk}") or "").strip():
                self.add_error(f"evidence_{criterion.pk}", _("Give the evidence for the score."))
        return data


class ReadinessAnswersForm(StyledForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in ReadinessQuestion:
            self.fields[question.value] = forms.CharField(
                label=question.label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        style(self)


# --- alternatives ------------------------------------------------------------------------


class AlternativeForm(StyledModelForm):
    class Meta:
        model = Alternative
        fields = ("name", "kind", "description", "strengths", "weaknesses")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "weaknesses": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_proposal:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [
                c for c in Alternative.Kind.choices if c[0] != Alternative.Kind.PROPOSAL
            ]

    def validate_unique(self):
        """The service validates (the study is set there)."""


class CriterionForm(StyledForm):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=0, max_value=100, max_digits=5, decimal_places=1
    )
    description = forms.CharField(
        label=_("What a high score means"), max_length=300, required=False
    )


class ScoreGridForm(StyledForm):
    """The team's score (0–10) of each alternative on each criterion."""

    def __init__(self, *args, alternatives, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.alternatives, self.criteria = list(alternatives), list(criteria)
        for alternative in self.alternatives:
            for criterion in self.criteria:
                self.fields[f"s_{alternative.pk}_{criterion.pk}"] = forms.DecimalField(
                    label=f"{alternative.name} · {criterion.name}",
                    required=False,
                    min_value=0,
                    max_value=10,
                    max_digits=3,
                    decimal_places=1,
                    widget=forms.TextInput(
                        attrs={"class": "form-control form-control-sm text-end", "size": 3}
                    ),
                )

    def grid(self):
        return [(a, [self[f"s_{a.pk}_{c.pk}"] for c in self.criteria]) for a in self.alternatives]

    def scores(self) -> dict:
        return {
            (a.pk, c.pk): self.cleaned_data.get(f"s_{a.pk}_{c.pk}")
            for a in self.alternatives
            for c in self.criteria
        }


class CompetitiveAdvantageForm(StyledForm):
    competitive_advantage = forms.CharField(
        label=_("Competitive advantage of the proposal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- versions ---------------------------------------------------------------------------


class ReviseForm(StyledForm):
    note = forms.CharField(label=_("What the new version changes"), max_length=500)


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label=_("What the team should change"), widget=forms.Textarea(attrs={"rows": 2})
    )


# --- reviews ---------------------------------------------------------------------------


class ReviewAssignForm(StyledForm):
    reviewer = PersonChoiceField(label=_("Reviewer"), queryset=Person.objects.none())
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates


class ReviewForm(StyledForm):
    """A reviewer's scores of the criteria, verdicts on readiness and recommendation."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[("", "—"), *Recommendation.choices], required=False
    )
    comment = forms.CharField(
        label=_("Overall opinion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                required=False,
                choices=[("", "—")] + [(str(i), str(i)) for i in range(1, 11)],
                coerce=int,
                empty_value=None,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=500
            )
        for question in ReadinessQuestion:
            self.fields[f"verdict_{question.value}"] = forms.ChoiceField(
                label=question.label,
                required=False,
                choices=[("", "—"), *ReadinessVerdict.Verdict.choices],
            )
            self.fields[f"vnote_{question.value}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=500
            )
        style(self)

    def score_rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def verdict_rows(self):
        return [
            (q, self[f"verdict_{q.value}"], self[f"vnote_{q.value}"]) for q in ReadinessQuestion
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {
                c.pk: (data.get(f"score_{c.pk}"), data.get(f"note_{c.pk}", ""))
                for c in self.criteria
            },
            "verdicts": {
                q.value: (data.get(f"verdict_{q.value}", ""), data.get(f"vnote_{q.value}", ""))
                for q in ReadinessQuestion
            },
            "recommendation": data.get("recommendation", ""),
            "comment": data.get("comment", ""),
        }


# --- recommendation, pack, decision ------------------------------------------------------


class RecommendationForm(StyledForm):
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.choices)
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 4}))


class PackForm(StyledForm):
    language = forms.ChoiceField(label=_("Language"), choices=())

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES


class DecisionForm(StyledForm):
    meeting = forms.CharField(label=_("Meeting"), max_length=200)
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    decision_makers = PeopleChoiceField(
        label=_("Decision makers"),
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    portfolio = forms.ModelChoiceField(
        label=_("Hand to portfolio"),
        queryset=None,
        required=False,
        help_text=_("An approved project becomes a candidate of this portfolio."),
    )

    def __init__(self, *args, portfolios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_makers"].queryset = active_people()
        self.fields["portfolio"].queryset = portfolios
        style(self)


class ConditionForm(StyledForm):
    title = forms.CharField(label=_("Condition"), max_length=300, required=False)
    owner = PersonChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people()


ConditionFormSet = forms.formset_factory(ConditionForm, extra=3, max_num=20)


class ActionForm(StyledForm):
    done = forms.TypedChoiceField(
        label=_("Status"),
        choices=[("1", _("Met")), ("0", _("Open"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("How it was met"), required=False, max_length=500)


# --- configuration ---------------------------------------------------------------------


class AppraisalSettingsForm(StyledModelForm):
    class Meta:
        model = AppraisalSettings
        fields = (
            "default_discount_rate",
            "default_horizon_years",
            "exclude_same_unit",
            "disagreement_spread",
        )


class SocialCriterionForm(StyledModelForm):
    class Meta:
        model = SocialCriterion
        fields = ("code", "name", "name_en", "description", "weight", "sort_order", "is_active")
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RealisedBenefitForm(forms.Form):
    """A year's realised benefit; recording a year again corrects it."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Realised benefit (CNY)"), min_value=Decimal(0), **MONEY_FIELD
    )
    note = forms.CharField(label=_("Evidence"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
