"""Forms of the evaluation pages; they validate input, ``evaluation.services`` writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from evaluation.models import (
    Criterion,
    Cycle,
    Dimension,
    GradeBand,
    ImprovementAction,
    Scheme,
    SchemeVersion,
)
from evaluation.scoring import SCALE_MAX, SCALE_MIN
from pmo.core import roles
from pmo.core.forms import DateInput, StyledForm, style
from pmo.core.models import Classification, OrgUnit, Person, Stage
from pmo.core.registry import registry
from standards.models import Methodology

TEXTAREA = {"rows": 3}
SCORE_CHOICES = [("", "—")] + [(str(i), str(i)) for i in range(SCALE_MIN, SCALE_MAX + 1)]


def metric_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(m.key, str(m.label)) for m in registry.metric_list()]


def reviewers():
    return (
        get_user_model()
        .objects.filter(groups__name=roles.REVIEWER, is_active=True)
        .select_related("person")
        .order_by("username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        person = getattr(obj, "person", None)
        return person.label if person else obj.get_username()


class SchemeForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Scheme.Kind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class VersionForm(forms.ModelForm):
    scope_classifications = forms.MultipleChoiceField(
        label=_("Classifications in scope"),
        choices=Classification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked = every classification."),
    )
    scope_stages = forms.MultipleChoiceField(
        label=_("Lifecycle stages in scope"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Projects in these stages when a cycle opens; none ticked = every stage."),
    )

    class Meta:
        model = SchemeVersion
        fields = [
            "scope_unit", "scope_project_type", "scope_classifications", "scope_stages",
            "aggregation", "trim_percent", "disagreement_threshold", "panel_size",
            "exclude_same_unit", "self_assessment", "appeal_days", "organisation", "change_note",
        ]  # fmt: skip
        widgets = {"organisation": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_unit"].queryset = OrgUnit.objects.filter(is_active=True)
        style(self)


class DimensionForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    weight = forms.DecimalField(
        label=_("Weight (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    @classmethod
    def initial_from(cls, dimension: Dimension) -> dict:
        return {f: getattr(dimension, f) for f in cls.base_fields}


class CriterionForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    weight = forms.DecimalField(
        label=_("Weight in the dimension (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    method = forms.ChoiceField(label=_("Method"), choices=Criterion.Method.choices)
    metric_key = forms.ChoiceField(label=_("Metric"), required=False, choices=())
    value_at_1 = forms.DecimalField(
        label=_("Metric value scoring 1"), required=False, max_digits=10, decimal_places=2
    )
    value_at_5 = forms.DecimalField(
        label=_("Metric value scoring 5"),
        required=False,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "Values in between score linearly; a higher value scoring 1 means lower is better."
        ),
    )
    rubric_1 = forms.CharField(label=_("What a 1 looks like"), max_length=300, required=False)
    rubric_3 = forms.CharField(label=_("What a 3 looks like"), max_length=300, required=False)
    rubric_5 = forms.CharField(label=_("What a 5 looks like"), max_length=300, required=False)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = metric_choices()

    @classmethod
    def initial_from(cls, criterion: Criterion) -> dict:
        return {f: getattr(criterion, f) for f in cls.base_fields}


class BandForm(StyledForm):
    code = forms.CharField(label=_("Grade"), max_length=10)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    min_score = forms.DecimalField(
        label=_("From score"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        help_text=_("Inclusive lower bound on the 0–100 score, rounded to one decimal."),
    )

    @classmethod
    def initial_from(cls, band: GradeBand) -> dict:
        return {f: getattr(band, f) for f in cls.base_fields}


class CycleForm(StyledForm):
    version = forms.ModelChoiceField(
        label=_("Scheme version"), queryset=SchemeVersion.objects.none()
    )
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    self_assessment_due = forms.DateField(label=_("Self-assessments due"), widget=DateInput())
    review_due = forms.DateField(label=_("Expert scores due"), widget=DateInput())
    chair = UserChoiceField(label=_("Panel chair"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = SchemeVersion.objects.published().select_related("scheme")
        self.fields["chair"].queryset = (
            get_user_model()
            .objects.filter(groups__name__in=[roles.REVIEWER, roles.PMO_STAFF, roles.PMO_ADMIN])
            .select_related("person")
            .distinct()
            .order_by("username")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        due, review = data.get("self_assessment_due"), data.get("review_due")
        if due and review and review < due:
            self.add_error(
                "review_due", _("Expert scores cannot be due before the self-assessments.")
            )
        return data


class ScoresForm(StyledForm):
    """A score 1–5 and a text per scored criterion (self-assessment or expert scores)."""

    text_label = _("Evidence")

    def __init__(self, *args, criteria: list[Criterion], initial_scores: dict, **kwargs):
        self.criteria = criteria
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            score, text = initial_scores.get(criterion.pk, (None, ""))
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial="" if score is None else str(score),
            )
            self.fields[f"text_{criterion.pk}"] = forms.CharField(
                label=self.text_label,
                required=False,
                initial=text,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        style(self)

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"score_{c.pk}"), data.get(f"text_{c.pk}", "")) for c in self.criteria
        }

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"text_{c.pk}"]) for c in self.criteria]


class SelfAssessmentForm(ScoresForm):
    summary = forms.CharField(
        label=_("Self-assessment report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What went well, what did not, and the evidence you rely on."),
    )


class ExpertScoresForm(ScoresForm):
    text_label = _("Comment")


class PanelForm(StyledForm):
    reviewer = UserChoiceField(label=_("Expert"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers()


class CalibrateForm(StyledForm):
    score = forms.DecimalField(
        label=_("Calibrated score"), min_value=SCALE_MIN, max_value=SCALE_MAX, decimal_places=1
    )
    calibration_note = forms.CharField(label=_("Calibration reason"), max_length=300)


class FinaliseForm(StyledForm):
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The evaluated party reads this with the result."),
    )


class AppealForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 5}))


class AppealDecisionForm(StyledForm):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("0", _("Reject: the result stands")), ("1", _("Uphold: change the score"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    new_score = forms.DecimalField(
        label=_("New score (0–100)"), required=False, min_value=0, max_value=100, decimal_places=1
    )
    decision_note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs=TEXTAREA))


class ActionForm(forms.ModelForm):
    metric_key = forms.ChoiceField(label=_("Measured by metric"), required=False, choices=())

    class Meta:
        model = ImprovementAction
        fields = [
            "title", "description", "cycle", "dimension", "criterion", "org_unit", "metric_key",
            "measure", "unit", "baseline", "target", "target_date", "owner", "needs_training",
            "training_topic",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs=TEXTAREA), "target_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = metric_choices()
        self.fields["metric_key"].help_text = ImprovementAction._meta.get_field(
            "metric_key"
        ).help_text
        self.fields["cycle"].queryset = Cycle.objects.exclude(status=Cycle.Status.DRAFT)
        self.fields["dimension"].queryset = Dimension.objects.select_related("version__scheme")
        self.fields["criterion"].queryset = Criterion.objects.select_related("dimension")
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(is_active=True)
        self.fields["owner"].queryset = Person.objects.active().order_by("name")
        style(self)


class CheckForm(StyledForm):
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StatusForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=ImprovementAction.Status.choices)


class RaiseChangeForm(StyledForm):
    methodology = forms.ModelChoiceField(
        label=_("Methodology to change"), queryset=Methodology.objects.order_by("code")
    )
