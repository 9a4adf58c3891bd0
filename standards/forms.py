"""Forms of the standards pages; they validate input, ``standards.services`` writes."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import StyledModelForm, style
from pmo.core.models import Person, Role
from standards.models import (
    BestPracticeSource,
    ChangeRequest,
    DocumentTemplate,
    LifecycleGate,
    LifecyclePhase,
    Methodology,
    MethodologyVersion,
    Process,
    ProcessStep,
    RequiredDeliverable,
    Suggestion,
    ToolCandidate,
    ToolCriterion,
)
from standards.models.tools import MAX_SCORE

TEXTAREA = {"rows": 3}


class CodeChoiceField(forms.ModelChoiceField):
    """Choices shown as "code name"."""

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.label}"


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.label}"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.methodology.label} {obj.label} · {obj.get_status_display()}"


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        person = getattr(obj, "person", None)
        return f"{person.label} ({obj.get_username()})" if person else obj.get_username()


# --- library ---------------------------------------------------------------------------------


class SourceForm(StyledModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = BestPracticeSource
        fields = (
            "code",
            "name",
            "name_en",
            "kind",
            "publisher",
            "year",
            "url",
            "summary",
            "adoption",
            "adoption_note",
            "sort_order",
        )
        widgets = {
            "summary": forms.Textarea(attrs=TEXTAREA),
            "adoption_note": forms.Textarea(attrs=TEXTAREA),
        }


class MethodologyForm(StyledModelForm):
    class Meta:
        model = Methodology
        fields = ("code", "name", "name_en", "project_type", "description", "owner")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.active().order_by("name")


class VersionForm(forms.Form):
    change_summary = forms.CharField(
        label=_("Summary of changes"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    sources = forms.ModelMultipleChoiceField(
        label=_("Best-practice sources"),
        queryset=BestPracticeSource.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class VersionPartForm(StyledModelForm):
    """A part of a version; choices of phases, gates and processes come from it."""

    def __init__(self, *args, version: MethodologyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        if "phase" in self.fields:
            self.fields["phase"].queryset = version.phases.all()
        if "gate" in self.fields:
            self.fields["gate"].queryset = version.gates.select_related("phase")
        if "process" in self.fields:
            self.fields["process"].queryset = version.processes.all()
        if "owner_role" in self.fields:
            self.fields["owner_role"].queryset = Role.objects.filter(is_active=True)
        if "template" in self.fields:
            self.fields["template"].queryset = DocumentTemplate.objects.active()


class PhaseForm(VersionPartForm):
    class Meta:
        model = LifecyclePhase
        fields = ("code", "name", "name_en", "sort_order", "description")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}


class GateForm(VersionPartForm):
    phase = CodeChoiceField(label=_("Phase it closes"), queryset=LifecyclePhase.objects.none())

    class Meta:
        model = LifecycleGate
        fields = (
            "code",
            "name",
            "name_en",
            "phase",
            "sort_order",
            "due_stage",
            "position_percent",
            "decision_body",
            "criteria",
            "description",
        )
        widgets = {
            "criteria": forms.Textarea(attrs=TEXTAREA),
            "description": forms.Textarea(attrs=TEXTAREA),
        }


class ProcessForm(VersionPartForm):
    phase = CodeChoiceField(label=_("Phase"), queryset=LifecyclePhase.objects.none())

    class Meta:
        model = Process
        fields = (
            "code",
            "name",
            "name_en",
            "phase",
            "sort_order",
            "owner_role",
            "owner_responsibility",
            "inputs",
            "outputs",
            "description",
        )
        widgets = {
            "inputs": forms.Textarea(attrs=TEXTAREA),
            "outputs": forms.Textarea(attrs=TEXTAREA),
            "description": forms.Textarea(attrs=TEXTAREA),
        }


class StepForm(VersionPartForm):
    class Meta:
        model = ProcessStep
        fields = ("sort_order", "name", "name_en", "owner_role", "responsibility", "description")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}


class DeliverableForm(VersionPartForm):
    gate = CodeChoiceField(label=_("Required at gate"), queryset=LifecycleGate.objects.none())
    process = CodeChoiceField(
        label=_("Produced by process"), queryset=Process.objects.none(), required=False
    )
    template = CodeChoiceField(
        label=_("Template"), queryset=DocumentTemplate.objects.none(), required=False
    )

    class Meta:
        model = RequiredDeliverable
        fields = (
            "code",
            "name",
            "name_en",
            "gate",
            "process",
            "template",
            "is_optional",
            "sort_order",
            "description",
        )
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}


class TemplateForm(StyledModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ("code", "name", "name_en", "description", "status")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.docx, .xlsx, .pptx or .pdf)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx,.pptx,.pdf"}),
    )
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


# --- the project side -------------------------------------------------------------------------


class AssignForm(forms.Form):
    version = VersionChoiceField(
        label=_("Methodology version"), queryset=MethodologyVersion.objects.none()
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["version"].queryset = (
            MethodologyVersion.objects.published()
            .with_methodology()
            .filter(
                Q(methodology__project_type__isnull=True)
                | Q(methodology__project_type_id=project.project_type_id)
            )
            .order_by("methodology__code")
        )
        style(self)


class TailoringForm(forms.Form):
    deliverables = CodeMultipleChoiceField(
        label=_("Optional deliverables to tailor out"),
        queryset=RequiredDeliverable.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Why the project does not need these deliverables; the PMO decides."),
    )

    def __init__(self, *args, version: MethodologyVersion, exclude_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverables"].queryset = (
            version.deliverables.filter(is_optional=True)
            .exclude(code__in=list(exclude_codes))
            .select_related("gate")
        )
        style(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the project manager"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Required when you reject."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, an image or text; up to 20 MB."),
    )
    link = forms.URLField(
        label=_("Or a link"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("Where the deliverable is kept (document system, wiki …)."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


# --- improvement ---------------------------------------------------------------------------------


class ChangeRequestForm(StyledModelForm):
    methodology = CodeChoiceField(label=_("Methodology"), queryset=Methodology.objects.all())

    class Meta:
        model = ChangeRequest
        fields = (
            "methodology",
            "title",
            "description",
            "rationale",
            "affected",
            "source",
            "source_reference",
            "priority",
        )
        widgets = {
            "description": forms.Textarea(attrs=TEXTAREA),
            "rationale": forms.Textarea(attrs=TEXTAREA),
        }


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ChangeRequest.Status.ACCEPTED, _("Accept")),
            (ChangeRequest.Status.DEFERRED, _("Defer")),
            (ChangeRequest.Status.REJECTED, _("Reject")),
            (ChangeRequest.Status.IMPLEMENTED, _("Implemented in a version")),
        ],
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=ChangeRequest.Priority.choices)
    implemented_in = VersionChoiceField(
        label=_("Version that implements it"),
        queryset=MethodologyVersion.objects.none(),
        required=False,
        help_text=_(
            "A draft or a version in review: the request is implemented when it is published."
        ),
    )
    note = forms.CharField(
        label=_("Note to the requester"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, methodology: Methodology, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implemented_in"].queryset = methodology.versions.select_related("methodology")
        style(self)


class SuggestionForm(StyledModelForm):
    class Meta:
        model = Suggestion
        fields = ("title", "area", "description")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}


class SuggestionResponseForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Suggestion.Status.choices)
    response = forms.CharField(label=_("PMO response"), widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


# --- tool evaluation -----------------------------------------------------------------------------


class ToolEvaluationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    evaluators = UserChoiceField(
        label=_("Evaluators"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .select_related("person")
            .order_by("username")
        )
        style(self)


class CriterionForm(StyledModelForm):
    class Meta:
        model = ToolCriterion
        fields = ("name", "description", "weight", "sort_order")


class CandidateForm(StyledModelForm):
    class Meta:
        model = ToolCandidate
        fields = ("name", "vendor", "annual_cost", "description")
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}


class ScoreForm(forms.Form):
    """One evaluator's scores of one candidate: a score and a comment per criterion."""

    def __init__(self, *args, criteria, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} ({criterion.weight:g} %)",
                min_value=Decimal(0),
                max_value=Decimal(MAX_SCORE),
                max_digits=4,
                decimal_places=1,
                initial=score.score if score else None,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=300,
                initial=score.comment if score else "",
            )
        style(self)

    def rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"]

    def scores(self) -> dict[int, tuple[Decimal, str]]:
        data = self.cleaned_data
        return {c.pk: (data[f"score_{c.pk}"], data[f"comment_{c.pk}"]) for c in self.criteria}


class ToolDecisionForm(forms.Form):
    chosen = forms.ModelChoiceField(label=_("Chosen tool"), queryset=ToolCandidate.objects.none())
    note = forms.CharField(
        label=_("Reasons for the decision"), widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = evaluation.candidates.all()
        style(self)
