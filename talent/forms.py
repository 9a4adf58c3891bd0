"""Forms of the talent pages; they validate input, the services write."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import DateInput
from pmo.core.models import Person, Project, Role
from talent.models import (
    Appraisal,
    AppraisalRound,
    AppraisalScheme,
    Candidate,
    CareerLevel,
    Certification,
    Competency,
    CompetencyDimension,
    Course,
    Onboarding,
    PersonCertificate,
    RecruitmentPlan,
    SalaryBand,
    SelectionCandidate,
    SelectionRound,
    TalentProfile,
    TeamAction,
    TeamPosition,
    TrainingSession,
    Vacancy,
)
from talent.models.competency import PROFICIENCY_MAX, PROFICIENCY_MIN

PROFICIENCY_CHOICES = [(i, str(i)) for i in range(PROFICIENCY_MIN, PROFICIENCY_MAX + 1)]
RATING_CHOICES = [("", "—")] + PROFICIENCY_CHOICES


def people():
    return Person.objects.active().select_related("org_unit").order_by("name")


class DimensionForm(forms.ModelForm):
    class Meta:
        model = CompetencyDimension
        fields = ["code", "name", "name_en", "description", "sort_order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CompetencyForm(forms.ModelForm):
    """A competency with a behavioural description per proficiency level."""

    class Meta:
        model = Competency
        fields = ["dimension", "code", "name", "name_en", "description", "sort_order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {}
        if self.instance.pk:
            existing = {b.proficiency: b.description for b in self.instance.behaviours.all()}
        for level in range(PROFICIENCY_MIN, PROFICIENCY_MAX + 1):
            self.fields[f"behaviour_{level}"] = forms.CharField(
                label=_("Behaviour at proficiency %(level)s") % {"level": level},
                required=False,
                max_length=400,
                initial=existing.get(level, ""),
            )

    def behaviours(self) -> dict[int, str]:
        return {
            level: self.cleaned_data.get(f"behaviour_{level}", "")
            for level in range(PROFICIENCY_MIN, PROFICIENCY_MAX + 1)
        }

    def service_fields(self) -> dict:
        fields = {k: self.cleaned_data[k] for k in self.Meta.fields}
        return {**fields, "behaviours": self.behaviours()}


class LevelForm(forms.ModelForm):
    """A level of the ladder with the proficiency asked in each competency."""

    class Meta:
        model = CareerLevel
        fields = [
            "code",
            "rank",
            "name",
            "name_en",
            "description",
            "selection_standards",
            "min_projects_managed",
            "min_budget_managed",
            "min_years",
            "required_certifications",
            "min_appraisal_grade",
            "max_project_budget",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "selection_standards": forms.Textarea(attrs={"rows": 3}),
            "required_certifications": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {}
        if self.instance.pk:
            existing = {
                r.competency_id: r.min_proficiency for r in self.instance.requirements.all()
            }
        self.competencies = list(
            Competency.objects.filter(is_active=True).select_related("dimension")
        )
        for comp in self.competencies:
            self.fields[f"req_{comp.pk}"] = forms.TypedChoiceField(
                label=_("Required: %(competency)s") % {"competency": comp.label},
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=existing.get(comp.pk, ""),
            )

    def service_fields(self) -> dict:
        fields = {k: self.cleaned_data[k] for k in self.Meta.fields}
        fields["requirements"] = {
            c: self.cleaned_data.get(f"req_{c.pk}") for c in self.competencies
        }
        return fields


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["code", "name", "name_en", "issuer", "validity_months"]


class ProfileForm(forms.ModelForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    class Meta:
        model = TalentProfile
        fields = ["level", "line_manager", "in_pool", "pool_since", "pm_since", "career_goal"]
        widgets = {"pool_since": DateInput(), "pm_since": DateInput()}

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people()
        self.fields["line_manager"].queryset = people()
        self.fields["pool_since"].required = False
        if person is not None:
            self.fields["person"].initial = person.pk
            self.fields["person"].disabled = True
        self.order_fields(["person"])


class AssessmentForm(forms.Form):
    """One rating per competency (blank = not rated this time)."""

    note = forms.CharField(label=_("Evidence"), max_length=300, required=False)

    def __init__(self, *args, competencies=(), initial_ratings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        initial_ratings = initial_ratings or {}
        for comp in self.competencies:
            self.fields[f"c_{comp.pk}"] = forms.TypedChoiceField(
                label=comp.label,
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=initial_ratings.get(comp.code, ""),
            )
        self.order_fields([f"c_{c.pk}" for c in self.competencies] + ["note"])

    def ratings(self) -> dict:
        return {
            c: self.cleaned_data[f"c_{c.pk}"]
            for c in self.competencies
            if self.cleaned_data.get(f"c_{c.pk}") is not None
        }


class CertificateForm(forms.ModelForm):
    class Meta:
        model = PersonCertificate
        fields = ["certification", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}
        help_texts = {"expires_on": _("Leave empty to use the certificate's validity.")}


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "code",
            "name",
            "name_en",
            "category",
            "delivery",
            "provider",
            "hours",
            "competencies",
            "description",
            "is_active",
        ]
        widgets = {
            "competencies": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["starts_on", "ends_on", "location", "trainer", "capacity", "status"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people()


class FeedbackForm(forms.Form):
    feedback_rating = forms.TypedChoiceField(
        label=_("How well did the course meet your needs? (1–5)"),
        choices=PROFICIENCY_CHOICES,
        coerce=int,
    )
    feedback = forms.CharField(label=_("Comment"), max_length=500, required=False)


class EffectivenessForm(forms.Form):
    effectiveness_rating = forms.TypedChoiceField(
        label=_("Change at work after the course (1–5)"), choices=PROFICIENCY_CHOICES, coerce=int
    )


class PlanGenerateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PlanItemForm(forms.Form):
    topic = forms.CharField(label=_("Need"), max_length=300)
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.filter(is_active=True), required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int
    )


class SelectionRoundForm(forms.ModelForm):
    class Meta:
        model = SelectionRound
        fields = ["title", "level", "opened_on"]
        widgets = {"opened_on": DateInput()}


def offer_choices(field, rows, chosen=None):
    """Let ``field``'s list offer only ``rows`` (plus the chosen row), validating as before."""
    rows = list(rows)
    if chosen and str(chosen).isdigit() and all(str(r.pk) != str(chosen) for r in rows):
        rows += list(field.queryset.filter(pk=chosen))
    field.widget.choices = [("", field.empty_label)] + [
        (r.pk, field.label_from_instance(r)) for r in rows
    ]


class CandidateForm(forms.Form):
    """A candidate for a round: any active person; the list offers at most ``CHOICES``.

    ``query`` (code, name or employee number) narrows the offered people; the page has
    a search box for it, since a list of every employee is too long to use.
    """

    CHOICES = 50

    person = forms.ModelChoiceField(label=_("Candidate"), queryset=Person.objects.none())

    def __init__(self, *args, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people()
        offered = people()
        query = query.strip()[:100]
        if query:
            offered = offered.filter(
                Q(name__icontains=query)
                | Q(name_en__icontains=query)
                | Q(employee_no__icontains=query)
            )
        offer_choices(field, offered[: self.CHOICES], self.data.get("person"))


class DecisionForm(forms.ModelForm):
    class Meta:
        model = SelectionCandidate
        fields = ["panel_score", "assessment", "decision", "decision_note"]
        widgets = {"assessment": forms.Textarea(attrs={"rows": 3})}


class SchemeForm(forms.ModelForm):
    """A scheme with a weight and a full-marks value per measure (empty weight = not used)."""

    class Meta:
        model = AppraisalScheme
        fields = ["code", "name", "name_en", "description", "manager_weight"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = list(choices)
        existing = {}
        if self.instance.pk:
            existing = {k.metric_key: k for k in self.instance.kpis.all()}
        for key, label in self.choices:
            row = existing.get(key)
            self.fields[f"w_{key}"] = forms.DecimalField(
                label=_("Weight of %(measure)s (%%)") % {"measure": label},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=row.weight if row else None,
            )
            self.fields[f"t_{key}"] = forms.DecimalField(
                label=_("Full marks at (%(measure)s)") % {"measure": label},
                required=False,
                decimal_places=3,
                initial=row.target if row else None,
            )

    def service_fields(self) -> dict:
        fields = {k: self.cleaned_data[k] for k in self.Meta.fields}
        kpis = {}
        for key, _label in self.choices:
            weight = self.cleaned_data.get(f"w_{key}")
            if weight:
                target = self.cleaned_data.get(f"t_{key}")
                kpis[key] = (weight, target if target is not None else 1)
        fields["kpis"] = kpis
        return fields


class AppraisalRoundForm(forms.ModelForm):
    class Meta:
        model = AppraisalRound
        fields = ["scheme", "title", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}


class RateForm(forms.ModelForm):
    class Meta:
        model = Appraisal
        fields = ["manager_rating", "manager_comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager_rating"].required = True


class CalibrateForm(forms.ModelForm):
    class Meta:
        model = Appraisal
        fields = ["calibrated_grade", "calibration_note", "consequence", "consequence_note"]


class PositionForm(forms.ModelForm):
    class Meta:
        model = TeamPosition
        fields = ["title", "role", "count", "skills", "skill_level", "reports_to", "sort_order"]
        widgets = {"skills": forms.CheckboxSelectMultiple}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        positions = TeamPosition.objects.filter(design__project=project)
        if self.instance.pk:
            positions = positions.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = positions
        self.fields["role"].queryset = Role.objects.filter(is_active=True)
        self.fields["skills"].queryset = Competency.objects.filter(is_active=True)


class SurveyForm(forms.Form):
    collaboration = forms.TypedChoiceField(
        label=_("How well does the team work together? (1–5)"),
        choices=PROFICIENCY_CHOICES,
        coerce=int,
    )
    clarity = forms.TypedChoiceField(
        label=_("How clear are goals and roles? (1–5)"), choices=PROFICIENCY_CHOICES, coerce=int
    )
    workload = forms.TypedChoiceField(
        label=_("How sustainable is your workload? (1–5)"),
        choices=PROFICIENCY_CHOICES,
        coerce=int,
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class TeamActionForm(forms.ModelForm):
    class Meta:
        model = TeamAction
        fields = ["title", "owner", "due", "status", "outcome"]
        widgets = {"due": DateInput()}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(
            memberships__project=project
        ).distinct()


class MatchForm(forms.Form):
    """The project to match; the list offers at most ``CHOICES`` open projects.

    With thousands of open projects a list of all of them is too long to use and to
    render: ``q`` narrows it by code or name, and without it the newest projects are
    offered. Any open project is accepted, listed or not.
    """

    CHOICES = 50

    q = forms.CharField(label=_("Find a project"), required=False, max_length=100)
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        field.queryset = Project.objects.open().order_by("code")
        offered = Project.objects.open()
        q = (self.data.get("q") or "").strip()[:100]
        if q:
            offered = offered.filter(
                Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q)
            ).order_by("code")
        else:
            offered = offered.order_by("-pk")
        rows = sorted(offered[: self.CHOICES], key=lambda p: p.code)
        offer_choices(field, rows, self.data.get("project"))


class BandForm(forms.ModelForm):
    class Meta:
        model = SalaryBand
        fields = ["minimum", "midpoint", "maximum", "market_p50"]


class RecruitmentPlanForm(forms.ModelForm):
    class Meta:
        model = RecruitmentPlan
        fields = ["title", "year", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 3})}


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = ["title", "level", "headcount", "selection_standards", "channels", "status"]
        widgets = {"selection_standards": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"selection_standards": _("Empty = the level's selection standards.")}


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    channel = forms.CharField(label=_("Channel"), max_length=60, required=False)
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput())
    certificates = forms.CharField(label=_("Certificates"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=[])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    person = forms.ModelChoiceField(
        label=_("Employee record (when hired)"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            c for c in Candidate.Stage.choices if c[0] != Candidate.Stage.APPLIED
        ]
        self.fields["person"].queryset = people()


class OnboardingForm(forms.ModelForm):
    class Meta:
        model = Onboarding
        fields = ["person", "mentor", "starts_on", "ends_on", "goals"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people()
        self.fields["mentor"].queryset = people()


class CheckInForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    progress = forms.TypedChoiceField(
        label=_("Progress (1–5)"), choices=PROFICIENCY_CHOICES, coerce=int
    )
    note = forms.CharField(label=_("Notes"), max_length=500)
