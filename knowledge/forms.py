"""Forms of the knowledge pages; they validate input, ``knowledge.services`` writes."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from knowledge.models import (
    ArchiveRecord,
    Article,
    Case,
    Category,
    Lesson,
    Loan,
    NumberingRule,
    Usage,
)
from pmo.core import roles
from pmo.core.forms import DateInput, StyledForm, StyledModelForm, style
from pmo.core.models import Project

TEXTAREA = {"rows": 3}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (each checked by the service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "— " * (obj.level - 1) + obj.label


def category_field(required: bool = False) -> CategoryChoiceField:
    return CategoryChoiceField(
        Category.objects.active().order_by("level", "position"),
        label=_("Category"),
        required=required,
    )


class LessonForm(StyledModelForm):
    class Meta:
        model = Lesson
        fields = [
            "project",
            "title",
            "description",
            "recommendation",
            "phase",
            "knowledge_area",
            "polarity",
            "root_cause",
            "impact",
            "applicability",
            "tags",
            "confidentiality",
        ]
        widgets = {
            "description": forms.Textarea(attrs=TEXTAREA),
            "recommendation": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("code")
        self.fields["project"].required = False


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for return"), max_length=500, widget=forms.Textarea(attrs=TEXTAREA)
    )


class CaseForm(StyledModelForm):
    files = MultipleFileField(label=_("Attachments"))

    class Meta:
        model = Case
        fields = [
            "title",
            "outcome_kind",
            "project",
            "category",
            "phase",
            "knowledge_area",
            "background",
            "what_happened",
            "decisions",
            "outcome",
            "lessons",
            "tags",
            "confidentiality",
        ]
        widgets = {
            f: forms.Textarea(attrs=TEXTAREA)
            for f in ("background", "what_happened", "decisions", "outcome", "lessons")
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("code")
        self.fields["category"] = category_field()
        style(self)


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"), choices=[(i, "★" * i) for i in range(1, 6)], coerce=int
    )


class ArticleForm(StyledModelForm):
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    files = MultipleFileField(label=_("Attachments"))
    publish = forms.BooleanField(label=_("Publish now"), required=False, initial=True)

    class Meta:
        model = Article
        fields = ["title", "category", "summary", "body", "tags", "review_due", "confidentiality"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12}), "review_due": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = category_field()
        if self.instance.pk:
            del self.fields["publish"]
        else:
            del self.fields["change_note"]
        style(self)


class CategoryForm(StyledModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "description", "parent", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = category_field()
        self.fields["parent"].label = _("Parent category")
        style(self)


class ApplyForm(StyledForm):
    project = forms.ModelChoiceField(Project.objects.none(), label=_("Applied in project"))
    result = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Usage.Result.choices], required=False
    )
    note = forms.CharField(
        label=_("Outcome note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.visible_to(user).open().order_by("code")
        self.fields["project"].queryset = projects
        self.user = user

    def my_projects(self) -> list:
        """The open projects the user manages or works on (at most 50), for the menu."""
        pid = roles.person_id_of(self.user)
        qs = self.fields["project"].queryset
        mine = qs.filter(Q(manager_id=pid) | Q(members__person_id=pid)).distinct() if pid else qs
        return list(mine[:50]) or list(qs[:50])


class RecordForm(StyledModelForm):
    upload = forms.FileField(label=_("Electronic file"), required=False)

    class Meta:
        model = ArchiveRecord
        fields = [
            "title",
            "responsible",
            "record_date",
            "project",
            "retention",
            "security_level",
            "pieces",
            "pages",
            "carrier",
            "location",
            "description",
        ]
        widgets = {"record_date": DateInput(), "description": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects


class CheckForm(StyledForm):
    complete = forms.BooleanField(label=_("Complete"), required=False)
    legible = forms.BooleanField(label=_("Legible"), required=False)
    metadata = forms.BooleanField(label=_("Metadata correct"), required=False)
    location = forms.CharField(label=_("Storage location"), max_length=120, required=False)
    note = forms.CharField(label=_("Archivist's note"), max_length=500, required=False)
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept and file")), ("0", _("Return for correction"))],
        coerce=lambda v: v == "1",
    )


class NumberingRuleForm(StyledModelForm):
    class Meta:
        model = NumberingRule
        fields = ["fonds", "pattern"]


class LoanRequestForm(StyledModelForm):
    class Meta:
        model = Loan
        fields = ["purpose", "due_date", "electronic"]
        widgets = {"due_date": DateInput()}


class LoanDecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Decision note"), max_length=300, required=False)


class LendForm(StyledForm):
    days = forms.IntegerField(
        label=_("Electronic access for (days)"),
        min_value=1,
        max_value=30,
        initial=7,
        required=False,
    )
    handover_note = forms.CharField(label=_("Hand-over record"), max_length=300, required=False)


class ReturnLoanForm(StyledForm):
    condition = forms.ChoiceField(label=_("Condition"), choices=Loan.Condition.choices)
    condition_note = forms.CharField(label=_("Condition note"), max_length=300, required=False)
