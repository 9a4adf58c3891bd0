"""Forms of the delivery pages: they validate input, the services write.

No form carries a decision or approval field for the project manager: those have
forms of their own that only the PMO (or a gate's reviewers) are given.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from delivery.models import (
    DIMENSIONS,
    ClosureItemTemplate,
    CommunicationLog,
    Deliverable,
    Dimension,
    Gate,
    GateCondition,
    Goal,
    Intervention,
    Issue,
    Milestone,
    Party,
    Phase,
    RaciAssignment,
    Rag,
    ReportingPolicy,
    ResourceRequest,
    Severity,
    StatusReport,
)
from knowledge.models import Lesson
from pmo.core.forms import DateInput, StyledForm, StyledModelForm, style
from pmo.core.models import Person, Project, ProjectMember
from standards import services as standards
from standards.models import LifecycleGate


def project_people(project):
    """People on the project (members, manager, sponsor), for owner choices."""
    ids = ProjectMember.objects.filter(project=project).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name")


# --- goals ---------------------------------------------------------------------------


class GoalForm(StyledModelForm):
    class Meta:
        model = Goal
        fields = (
            "dimension",
            "title",
            "kpi",
            "unit",
            "baseline_value",
            "target_value",
            "direction",
            "due_date",
            "measurement",
            "owner",
            "benefit_review_date",
            "sort_order",
        )
        widgets = {"due_date": DateInput(), "benefit_review_date": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = project_people(project)


class RaciActivityForm(StyledForm):
    name = forms.CharField(label=_("New key activity"), max_length=200)


class RaciMatrixForm(forms.Form):
    """One select per activity and person: —, R, A, C or I."""

    def __init__(self, *args, activities, people, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities, self.people = activities, people
        current = {(a.activity_id, a.person_id): a.letter for a in assignments}
        choices = [("", "—"), *RaciAssignment.Letter.choices]
        for activity in activities:
            for person in people:
                name = f"cell_{activity.pk}_{person.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{activity.name} · {person.label}",
                    choices=choices,
                    required=False,
                    initial=current.get((activity.pk, person.pk), ""),
                )
                self.fields[name].widget.attrs.update(
                    {"class": "form-select form-select-sm raci-cell"}
                )

    def rows(self):
        """(activity, [bound field per person]) for the template."""
        return [(a, [self[f"cell_{a.pk}_{p.pk}"] for p in self.people]) for a in self.activities]

    def cells(self) -> dict[int, dict[int, str]]:
        return {
            a.pk: {p.pk: self.cleaned_data[f"cell_{a.pk}_{p.pk}"] for p in self.people}
            for a in self.activities
        }


class AgreementIssueForm(StyledForm):
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class SignForm(StyledForm):
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class CommunicationForm(StyledModelForm):
    class Meta:
        model = CommunicationLog
        fields = ("occurred_on", "kind", "topic", "participants", "summary", "outcome", "agreement")
        widgets = {"occurred_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = project.agreements.all()


class FrameworkForm(StyledForm):
    process = forms.CharField(
        label=_("Goal-setting process"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, framework=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = {i.dimension: i for i in framework.items.all()} if framework else {}
        if framework is not None:
            self.fields["process"].initial = framework.process
        for dimension in Dimension.values:
            item = items.get(dimension)
            self.fields[f"{dimension}_required"] = forms.BooleanField(
                label=_("Required"), required=False, initial=item.required if item else True
            )
            self.fields[f"{dimension}_proposed_by"] = forms.ChoiceField(
                label=_("Proposed by"),
                choices=Party.choices,
                initial=item.proposed_by if item else Party.MANAGER,
            )
            self.fields[f"{dimension}_agreed_by"] = forms.ChoiceField(
                label=_("Agreed by"),
                choices=Party.choices,
                initial=item.agreed_by if item else Party.SPONSOR,
            )
            self.fields[f"{dimension}_consulted"] = forms.CharField(
                label=_("Consulted"),
                max_length=200,
                required=False,
                initial=item.consulted if item else "",
            )
            self.fields[f"{dimension}_guidance"] = forms.CharField(
                label=_("Guidance"), required=False, initial=item.guidance if item else ""
            )
        style(self)

    def rows(self):
        return [
            (
                label,
                [
                    self[f"{d}_required"],
                    self[f"{d}_proposed_by"],
                    self[f"{d}_agreed_by"],
                    self[f"{d}_consulted"],
                    self[f"{d}_guidance"],
                ],
            )
            for d, label in Dimension.choices
        ]

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "dimension": d,
                "required": data[f"{d}_required"],
                "proposed_by": data[f"{d}_proposed_by"],
                "agreed_by": data[f"{d}_agreed_by"],
                "consulted": data[f"{d}_consulted"],
                "guidance": data[f"{d}_guidance"],
            }
            for d, _label in Dimension.choices
        ]


# --- plan ------------------------------------------------------------------------------


class PhaseForm(StyledModelForm):
    class Meta:
        model = Phase
        fields = ("name", "sort_order", "planned_start", "planned_finish")
        widgets = {"planned_start": DateInput(), "planned_finish": DateInput()}


class MilestoneForm(StyledModelForm):
    class Meta:
        model = Milestone
        fields = ("name", "phase", "planned_date", "is_key")
        widgets = {"planned_date": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(project=project)


class DeliverableForm(StyledModelForm):
    class Meta:
        model = Deliverable
        fields = ("name", "phase", "weight", "planned_start", "planned_finish")
        widgets = {"planned_start": DateInput(), "planned_finish": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(project=project)


class BaselineProposeForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    bac = forms.DecimalField(
        label=_("Budget at completion (BAC, CNY)"), min_value=0, max_digits=16, decimal_places=2
    )


class DecisionForm(StyledForm):
    """Approve or reject, with a note (required to reject, checked by the service)."""

    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- status ----------------------------------------------------------------------------


class StatusReportForm(StyledForm):
    """The weekly status: period, six ratings with reasons, progress, cost and narrative."""

    period = forms.TypedChoiceField(label=_("Reporting period"), coerce=str)
    percent_complete = forms.DecimalField(
        label=_("Percent complete"), min_value=0, max_value=100, decimal_places=1
    )
    actual_cost = forms.DecimalField(
        label=_("Actual cost to date (CNY)"), min_value=0, max_digits=16, decimal_places=2
    )
    accomplishments = forms.CharField(
        label=_("Accomplishments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    help_needed = forms.CharField(
        label=_("Help needed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    milestones_reached = forms.ModelMultipleChoiceField(
        label=_("Milestones reached"),
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, periods, deliverables, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (p.start.isoformat(), f"{p.label} ({p.start:%m-%d} – {p.end:%m-%d})") for p in periods
        ]
        self.deliverables = deliverables
        for key in DIMENSIONS:
            field = StatusReport._meta.get_field(f"{key}_rag")
            self.fields[f"{key}_rag"] = forms.ChoiceField(
                label=field.verbose_name,
                choices=Rag.choices,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
            self.fields[f"{key}_reason"] = forms.CharField(
                label=StatusReport._meta.get_field(f"{key}_reason").verbose_name,
                max_length=300,
                required=False,
            )
        for d in deliverables:
            self.fields[f"progress_{d.pk}"] = forms.DecimalField(
                label=d.name, min_value=0, max_value=100, decimal_places=1
            )
        if deliverables:
            self.fields["percent_complete"].required = False
            self.fields["percent_complete"].disabled = True
            self.fields["percent_complete"].help_text = _(
                "Weighted from the deliverables' progress."
            )
        self.fields["milestones_reached"].queryset = milestones
        style(self)
        self.fields["period"].widget.attrs["data-period"] = "1"

    def dimension_rows(self):
        return [(self[f"{k}_rag"], self[f"{k}_reason"]) for k in DIMENSIONS]

    def progress_fields(self):
        return [(d, self[f"progress_{d.pk}"]) for d in self.deliverables]

    def progress(self) -> dict[int, Decimal]:
        return {d.pk: self.cleaned_data[f"progress_{d.pk}"] for d in self.deliverables}

    def report_fields(self) -> dict:
        data = self.cleaned_data
        fields = {f"{k}_rag": data[f"{k}_rag"] for k in DIMENSIONS}
        fields.update({f"{k}_reason": data[f"{k}_reason"] for k in DIMENSIONS})
        for key in ("actual_cost", "accomplishments", "next_steps", "help_needed"):
            fields[key] = data[key]
        if not self.deliverables:
            fields["percent_complete"] = data["percent_complete"]
        return fields


class OverrideForm(StyledForm):
    overall = forms.ChoiceField(
        label=_("Overall rating"),
        choices=[("", _("As the worst dimension")), *Rag.choices],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class PolicyForm(StyledModelForm):
    class Meta:
        model = ReportingPolicy
        fields = (
            "frequency",
            "due_weekday",
            "reminder_days",
            "green_index",
            "red_index",
            "red_deviation",
        )


class ResponseTargetsForm(StyledForm):
    def __init__(self, *args, targets: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for severity, label in Severity.choices:
            self.fields[severity] = forms.IntegerField(
                label=label, min_value=1, max_value=24 * 60, initial=targets.get(severity)
            )
        style(self)


class GridFilterForm(StyledForm):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    periods = forms.TypedChoiceField(
        label=_("Periods"),
        choices=[(n, n) for n in (4, 8, 12, 26)],
        coerce=int,
        required=False,
        empty_value=8,
        initial=8,
    )
    health = forms.ChoiceField(
        label=_("Current health"),
        choices=[("", _("All")), *Rag.choices, ("grey", _("No current status"))],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("periods", "health"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm w-auto"


# --- issues ----------------------------------------------------------------------------


class IssueForm(StyledModelForm):
    class Meta:
        model = Issue
        fields = (
            "kind",
            "title",
            "description",
            "severity",
            "probability",
            "owner",
            "due_date",
            "cost_impact",
            "schedule_impact_days",
        )
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = project_people(project)
        if self.instance.pk:
            self.fields["kind"].disabled = True


class IssueActionForm(StyledForm):
    text = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 2}))


class EscalateForm(StyledForm):
    text = forms.CharField(label=_("Why escalate"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(StyledForm):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))


class InterventionForm(StyledModelForm):
    class Meta:
        model = Intervention
        fields = ("kind", "finding", "actions", "follow_up_date", "follow_up_owner")
        widgets = {
            "follow_up_date": DateInput(),
            "finding": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_owner"].queryset = project_people(project)


class InterventionCloseForm(StyledForm):
    outcome = forms.CharField(
        label=_("Outcome of the follow-up"), widget=forms.Textarea(attrs={"rows": 3})
    )
    effective = forms.TypedChoiceField(
        label=_("Was the intervention effective?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


# --- gates -----------------------------------------------------------------------------


class GateForm(StyledModelForm):
    criteria_text = forms.CharField(
        label=_("Criteria"),
        help_text=_("One criterion per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reviewer_people = forms.ModelMultipleChoiceField(
        label=_("Reviewers"), queryset=Person.objects.none(), required=False
    )

    class Meta:
        model = Gate
        fields = ("kind", "name", "phase", "milestone", "standard_gate", "planned_date")
        widgets = {"planned_date": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(project=project)
        self.fields["milestone"].queryset = Milestone.objects.filter(project=project)
        gate_ids = [g.pk for g in standards.project_gates(project)]
        if self.instance.standard_gate_id:
            gate_ids.append(self.instance.standard_gate_id)
        choice = self.fields["standard_gate"]
        choice.queryset = LifecycleGate.objects.filter(pk__in=gate_ids).select_related("phase")
        choice.label_from_instance = lambda g: f"{g.phase.label} · {g.code} {g.label}"
        if not gate_ids:
            choice.help_text = _(
                "The project follows no methodology yet, so there is no gate to link."
            )
        self.fields["reviewer_people"].queryset = Person.objects.active().order_by("name")
        self.fields["reviewer_people"].widget.attrs["size"] = 6
        if self.instance.pk:
            self.fields["criteria_text"].initial = "\n".join(
                c.text for c in self.instance.criteria.all()
            )
            self.fields["reviewer_people"].initial = list(
                self.instance.reviewers.values_list("pk", flat=True)
            )

    def criteria(self) -> list[str]:
        return self.cleaned_data["criteria_text"].splitlines()


class EvidenceForm(StyledForm):
    file = forms.FileField(label=_("Document"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class GateDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Gate.Status.PASSED, _("Pass")),
            (Gate.Status.CONDITIONAL, _("Pass with conditions")),
            (Gate.Status.FAILED, _("Fail")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Decision note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    CONDITION_ROWS = 3

    def __init__(self, *args, gate, project_people_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(gate.criteria.all())
        for criterion in self.criteria:
            self.fields[f"met_{criterion.pk}"] = forms.BooleanField(
                label=criterion.text, required=False, initial=True
            )
        for i in range(self.CONDITION_ROWS):
            self.fields[f"condition_{i}"] = forms.CharField(
                label=_("Condition"),
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("Condition")}),
            )
            self.fields[f"condition_{i}_owner"] = forms.ModelChoiceField(
                label=_("Owner"),
                queryset=project_people_qs,
                required=False,
                empty_label=_("Owner"),
            )
            self.fields[f"condition_{i}_due"] = forms.DateField(
                label=_("Due date"), required=False, widget=DateInput()
            )
        style(self)

    def criteria_fields(self):
        return [self[f"met_{c.pk}"] for c in self.criteria]

    def condition_rows(self):
        return [
            (self[f"condition_{i}"], self[f"condition_{i}_owner"], self[f"condition_{i}_due"])
            for i in range(self.CONDITION_ROWS)
        ]

    def criteria_met(self) -> dict[int, bool]:
        return {c.pk: self.cleaned_data[f"met_{c.pk}"] for c in self.criteria}

    def conditions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "text": data[f"condition_{i}"],
                "owner": data[f"condition_{i}_owner"],
                "due_date": data[f"condition_{i}_due"],
            }
            for i in range(self.CONDITION_ROWS)
            if data[f"condition_{i}"].strip()
        ]


class ConditionCloseForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Condition"),
        choices=[(GateCondition.Status.MET, _("Met")), (GateCondition.Status.WAIVED, _("Waive"))],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


# --- resources -------------------------------------------------------------------------


class ResourceRequestForm(StyledModelForm):
    class Meta:
        model = ResourceRequest
        fields = (
            "kind",
            "role",
            "person",
            "from_project",
            "allocation_percent",
            "monthly_hours",
            "start",
            "end",
            "reason",
        )
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.active().order_by("name")
        self.fields["from_project"].queryset = Project.objects.open().exclude(pk=project.pk)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data


# --- closeout --------------------------------------------------------------------------


class CloseoutForm(StyledForm):
    summary = forms.CharField(label=_("Final result"), widget=forms.Textarea(attrs={"rows": 4}))
    improvements = forms.CharField(
        label=_("Improvement suggestions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    benefits_review_date = forms.DateField(
        label=_("Benefits review on"), required=False, widget=DateInput()
    )


class ClosureItemForm(StyledForm):
    done = forms.BooleanField(label=_("Done"), required=False)
    evidence_note = forms.CharField(label=_("Evidence"), max_length=300, required=False)
    file = forms.FileField(label=_("Evidence file"), required=False)


class GoalActualForm(StyledForm):
    actual_value = forms.DecimalField(
        label=_("Actual"), max_digits=16, decimal_places=2, required=False
    )
    actual_note = forms.CharField(label=_("Note on the actual"), max_length=300, required=False)
    benefit_review_date = forms.DateField(
        label=_("Benefit review date"), required=False, widget=DateInput()
    )


class LessonForm(StyledModelForm):
    class Meta:
        model = Lesson
        fields = (
            "title",
            "polarity",
            "phase",
            "knowledge_area",
            "root_cause",
            "impact",
            "description",
            "recommendation",
            "applicability",
            "confidentiality",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
        }


class ClosureTemplateForm(StyledModelForm):
    class Meta:
        model = ClosureItemTemplate
        fields = ("project_type", "code", "name", "name_en", "evidence_required", "sort_order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_type"].empty_label = _("All project types")
