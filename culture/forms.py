"""Forms of the culture pages; they validate input, the services write."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culture.models import (
    Campaign,
    CertificationTarget,
    Community,
    Idea,
    ImprovementIdea,
    Phase,
    SharingSession,
    Survey,
    SurveyQuestion,
)
from pmo.core.forms import DateInput, StyledForm, StyledModelForm
from pmo.core.models import OrgUnit, Person, Project, Role

TEXTAREA = {"rows": 3}


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "　" * obj.depth + obj.label


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class IdeaForm(StyledModelForm):
    class Meta:
        model = Idea
        fields = (
            "title",
            "title_en",
            "summary",
            "source",
            "source_reference",
            "fit",
            "fit_rating",
            "status",
            "owner",
        )
        widgets = {"summary": forms.Textarea(attrs=TEXTAREA), "fit": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.active().order_by("name")
        self.fields["fit_rating"].widget = forms.Select(
            choices=[(i, str(i)) for i in range(1, 6)], attrs={"class": "form-select"}
        )


class PracticeForm(StyledForm):
    phase = forms.ChoiceField(label=_("Lifecycle phase"), choices=Phase.choices)
    lesson = forms.ModelChoiceField(label=_("Lesson"), queryset=None, required=False)
    case = forms.ModelChoiceField(label=_("Case"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)
    note = forms.CharField(
        label=_("How it was applied"), max_length=500, widget=forms.Textarea(attrs=TEXTAREA)
    )

    #: How many lessons, cases and projects each list offers: the latest ones, or those
    #: matching the search; a submitted choice is checked against all the user may see.
    CHOICES = 25

    def __init__(self, *args, user, search: str = "", **kwargs):
        from knowledge.models import Case, Lesson

        super().__init__(*args, **kwargs)
        search = search.strip()
        lessons = Lesson.objects.visible_to(user)
        cases = Case.objects.visible_to(user)
        projects = Project.objects.visible_to(user)
        self.fields["lesson"].queryset = lessons
        self.fields["case"].queryset = cases
        self.fields["project"].queryset = projects
        if search:
            lessons = lessons.filter(title__icontains=search)
            cases = cases.filter(title__icontains=search)
            projects = projects.filter(
                Q(code__icontains=search) | Q(name__icontains=search) | Q(name_en__icontains=search)
            )
        self._offer("lesson", lessons.order_by("-created_at", "-pk"))
        self._offer("case", cases.order_by("-created_at", "-pk"))
        self._offer("project", projects.order_by("code"))

    def _offer(self, name: str, rows) -> None:
        """List only a few rows in the field's menu (plus the one submitted)."""
        field = self.fields[name]
        offered = list(rows[: self.CHOICES])
        chosen = self.data.get(self.add_prefix(name)) if self.is_bound else None
        if chosen and str(chosen).isdigit() and all(str(o.pk) != chosen for o in offered):
            offered += list(field.queryset.filter(pk=chosen))
        field.widget.choices = [("", field.empty_label)] + [
            (o.pk, field.label_from_instance(o)) for o in offered
        ]

    def clean(self):
        data = super().clean()
        if not (data.get("lesson") or data.get("case") or data.get("project")):
            raise forms.ValidationError(
                _("Name the lesson, the case or the project where the idea was applied.")
            )
        return data


class CampaignForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    idea = forms.ModelChoiceField(
        label=_("Idea"), queryset=Idea.objects.order_by("title"), required=False
    )
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    target_units = UnitChoiceField(
        label=_("Org units"),
        queryset=OrgUnit.objects.filter(is_active=True).order_by("path"),
        help_text=_("Everyone in these units and the units below them."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    target_roles = forms.ModelMultipleChoiceField(
        label=_("Job roles"),
        queryset=Role.objects.filter(is_active=True).order_by("code"),
        required=False,
        help_text=_("Only people with these job roles (all roles when none is chosen)."),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    quiz_question = forms.CharField(
        label=_("Quiz question"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to ask for an acknowledgement only."),
    )
    quiz_options = forms.CharField(
        label=_("Quiz options"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One option per line."),
    )
    quiz_answer = forms.IntegerField(
        label=_("Number of the right option"), required=False, min_value=1
    )
    due_on = forms.DateField(label=_("Acknowledge by"), required=False, widget=DateInput())

    def clean_quiz_options(self):
        return [
            line.strip() for line in self.cleaned_data["quiz_options"].splitlines() if line.strip()
        ]

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        return {
            "title": campaign.title,
            "title_en": campaign.title_en,
            "idea": campaign.idea_id,
            "message": campaign.message,
            "target_units": list(campaign.target_units.all()),
            "target_roles": list(campaign.target_roles.all()),
            "quiz_question": campaign.quiz_question,
            "quiz_options": "\n".join(campaign.quiz_options),
            "quiz_answer": campaign.quiz_answer,
            "due_on": campaign.due_on,
        }


class AcknowledgeForm(forms.Form):
    quiz_choice = forms.TypedChoiceField(
        label=_("Your answer"), coerce=int, widget=forms.RadioSelect, required=True
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign.has_quiz:
            self.fields["quiz_choice"].label = campaign.quiz_question
            self.fields["quiz_choice"].choices = [
                (i, option) for i, option in enumerate(campaign.quiz_options, start=1)
            ]
        else:
            del self.fields["quiz_choice"]


class SessionForm(StyledModelForm):
    class Meta:
        model = SharingSession
        fields = (
            "title",
            "title_en",
            "topic",
            "community",
            "speaker",
            "org_unit",
            "starts_at",
            "duration_minutes",
            "location",
            "capacity",
            "description",
            "lessons",
            "cases",
        )
        widgets = {
            "description": forms.Textarea(attrs=TEXTAREA),
            "starts_at": DateTimeInput(),
            "lessons": forms.SelectMultiple(attrs={"size": 6}),
            "cases": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        from knowledge.models import Case, Lesson

        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = Person.objects.active().order_by("name")
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["community"].queryset = Community.objects.order_by("name")
        self.fields["lessons"].queryset = Lesson.objects.visible_to(user).order_by("-created_at")
        self.fields["lessons"].required = False
        self.fields["cases"].queryset = Case.objects.visible_to(user).order_by("-created_at")
        self.fields["cases"].required = False


class CommunityForm(StyledModelForm):
    class Meta:
        model = Community
        fields = ("name", "name_en", "description", "lead")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = Person.objects.active().order_by("name")


class AttendanceForm(StyledForm):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    walk_ins = forms.ModelMultipleChoiceField(
        label=_("Also present (not registered)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, session: SharingSession, **kwargs):
        super().__init__(*args, **kwargs)
        registered = Person.objects.filter(culture_attendances__session=session).order_by("name")
        self.fields["present"].queryset = registered
        self.fields["walk_ins"].queryset = (
            Person.objects.active().exclude(pk__in=registered.values("pk")).order_by("name")
        )


class FeedbackForm(StyledForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )
    feedback = forms.CharField(
        label=_("What you take away"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked like a single file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class MaterialsForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(
        label=_("Files"), required=False, help_text=_("Slides, notes or recordings.")
    )


class ImprovementForm(StyledModelForm):
    class Meta:
        model = ImprovementIdea
        fields = ("title", "description", "expected_benefit")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}


class DecideForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=())
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What was decided and what came of it."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class SurveyForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        initial=True,
        help_text=_("Answers keep no link to the person who gave them."),
    )
    min_group_size = forms.IntegerField(
        label=_("Minimum group size"),
        min_value=3,
        initial=5,
        help_text=_("Results of a unit are shown only when at least this many people answered."),
    )
    cadence = forms.ChoiceField(
        label=_("Schedule"), choices=Survey.Cadence.choices, initial="quarterly"
    )
    target_units = UnitChoiceField(
        label=_("Org units"),
        queryset=OrgUnit.objects.filter(is_active=True).order_by("path"),
        required=False,
        help_text=_("Everyone in these units and below; the whole company when none is chosen."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class QuestionForm(StyledForm):
    text = forms.CharField(label=_("Question"), max_length=300)
    text_en = forms.CharField(label=_("English question"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyQuestion.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class RoundForm(StyledForm):
    label = forms.CharField(label=_("Label"), max_length=60, help_text=_("For example 2025 Q3."))
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("A round cannot close before it opens."))
        return data


class SurveyAnswerForm(forms.Form):
    """One field per question: a 1–5 choice or a text."""

    SCALE = [(i, str(i)) for i in range(1, 6)]

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            if q.kind == SurveyQuestion.Kind.SCALE:
                field = forms.TypedChoiceField(
                    label=q.label,
                    choices=self.SCALE,
                    coerce=int,
                    required=q.required,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(
                    label=q.label,
                    required=q.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                )
            self.fields[f"q{q.pk}"] = field

    def answers(self) -> dict[int, object]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class TargetForm(StyledForm):
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.filter(is_active=True).order_by("path")
    )
    codes = forms.MultipleChoiceField(
        label=_("Certificates"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any of these certificates counts."),
    )
    target_percent = forms.IntegerField(
        label=_("Target share of project managers (%)"), min_value=1, max_value=100
    )
    due_on = forms.DateField(label=_("By"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, certificate_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = certificate_choices

    @classmethod
    def initial_for(cls, target: CertificationTarget) -> dict:
        return {
            "org_unit": target.org_unit_id,
            "codes": target.codes,
            "target_percent": target.target_percent,
            "due_on": target.due_on,
            "note": target.note,
        }


class SettingsForm(StyledForm):
    leaderboard_enabled = forms.BooleanField(
        label=_("Show the recognition leaderboard"),
        required=False,
        help_text=_("When off, people see only their own points and badges."),
    )
