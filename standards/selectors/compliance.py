"""Compliance of projects with the standards they follow.

The rules (when a deliverable is due, its status, the rate) are in
``standards.compliance``; this module reads what they need in a fixed number of
queries — the assignments, the gates and deliverables of the versions followed, the
present evidence and the approved tailoring — and applies them to one project (the
project tab, delivery's gate page) or to every project in scope (the compliance page).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.core.models import Project, Stage
from standards import compliance as rules
from standards.models import (
    DeliverableRecord,
    LifecycleGate,
    ProjectMethodology,
    RequiredDeliverable,
    TailoringRequest,
)

# Projects the compliance page covers: open, past the idea stage.
COMPLIANCE_STAGES = (
    Stage.PROPOSED,
    Stage.UNDER_REVIEW,
    Stage.APPROVED,
    Stage.ACTIVE,
    Stage.ON_HOLD,
    Stage.CLOSING,
)

# Projects following no methodology the compliance page names (it counts them all).
UNASSIGNED_LISTED = 30

STATUS_LABELS = {
    rules.PRESENT: _("Present"),
    rules.MISSING: _("Missing"),
    rules.TAILORED: _("Tailored out"),
    rules.NOT_DUE: _("Not yet due"),
}
STATUS_CLASSES = {
    rules.PRESENT: "text-bg-success",
    rules.MISSING: "text-bg-danger",
    rules.TAILORED: "text-bg-secondary",
    rules.NOT_DUE: "text-bg-light border",
}


@dataclass
class Requirement:
    """A required deliverable as it stands for one project."""

    deliverable: RequiredDeliverable
    status: str
    due: bool
    record: DeliverableRecord | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge_class(self) -> str:
        return STATUS_CLASSES[self.status]

    @property
    def is_missing(self) -> bool:
        return self.status == rules.MISSING


@dataclass
class GateStatus:
    gate: LifecycleGate
    planned_date: dt.date | None
    due: bool
    requirements: list[Requirement] = field(default_factory=list)
    tally: rules.Tally = field(default_factory=rules.Tally)

    @property
    def met(self) -> bool:
        """Every required deliverable is present or tailored out."""
        return all(r.status in (rules.PRESENT, rules.TAILORED) for r in self.requirements)


@dataclass
class ProjectCompliance:
    project: Project
    assignment: ProjectMethodology
    gates: list[GateStatus] = field(default_factory=list)
    tally: rules.Tally = field(default_factory=rules.Tally)

    @property
    def rate(self) -> float | None:
        return self.tally.rate

    @property
    def missing(self) -> list[Requirement]:
        return [r for g in self.gates for r in g.requirements if r.is_missing]


# --- loading -------------------------------------------------------------------------------


def assignment_of(project: Project) -> ProjectMethodology | None:
    """The methodology assignment of a project (with its version), or ``None``."""
    return (
        ProjectMethodology.objects.select_related(
            "version", "version__methodology", "version__methodology__project_type", "assigned_by"
        )
        .filter(project=project)
        .first()
    )


def _tailored(project_ids) -> dict[int, set[tuple[int, str]]]:
    """(methodology id, deliverable code) pairs each project has tailored out."""
    rows = TailoringRequest.deliverables.through.objects.filter(
        tailoringrequest__project_id__in=project_ids,
        tailoringrequest__status=TailoringRequest.Status.APPROVED,
    ).values_list(
        "tailoringrequest__project_id",
        "requireddeliverable__version__methodology_id",
        "requireddeliverable__code",
    )
    found: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for project_id, methodology_id, code in rows:
        found[project_id].add((methodology_id, code))
    return found


def _structure(version_ids) -> tuple[dict[int, list], dict[int, list]]:
    """Gates per version and deliverables per gate, for the versions given."""
    gates: dict[int, list[LifecycleGate]] = defaultdict(list)
    for gate in LifecycleGate.objects.filter(version_id__in=version_ids).select_related("phase"):
        gates[gate.version_id].append(gate)
    for items in gates.values():
        items.sort(key=lambda g: (g.phase.sort_order, g.sort_order, g.pk))
    deliverables: dict[int, list[RequiredDeliverable]] = defaultdict(list)
    for item in RequiredDeliverable.objects.filter(version_id__in=version_ids).with_parts():
        deliverables[item.gate_id].append(item)
    return gates, deliverables


def _evaluate(
    assignment: ProjectMethodology,
    gates: list[LifecycleGate],
    deliverables: dict[int, list[RequiredDeliverable]],
    tailored: set[tuple[int, str]],
    records: dict[int, DeliverableRecord | bool],
    today: dt.date,
) -> ProjectCompliance:
    project = assignment.project
    methodology_id = assignment.version.methodology_id
    result = ProjectCompliance(project, assignment)
    for gate in gates:
        planned = rules.gate_planned_date(
            project.planned_start, project.planned_finish, gate.position_percent
        )
        due = rules.gate_is_due(
            project_stage=project.stage, due_stage=gate.due_stage, planned_date=planned, today=today
        )
        status = GateStatus(gate, planned, due)
        for item in deliverables.get(gate.pk, []):
            record = records.get(item.pk)
            state = rules.deliverable_status(
                tailored=item.is_optional and (methodology_id, item.code) in tailored,
                present=bool(record),
                due=due,
            )
            status.requirements.append(
                Requirement(item, state, due, record if record is not True else None)
            )
            status.tally.add(state, due)
        result.tally.merge(status.tally)
        result.gates.append(status)
    return result


def project_compliance(project: Project, today: dt.date | None = None) -> ProjectCompliance | None:
    """Every gate of the version a project follows with its deliverables' status, or
    ``None`` when the project follows no methodology."""
    assignment = assignment_of(project)
    if assignment is None:
        return None
    assignment.project = project
    gates, deliverables = _structure([assignment.version_id])
    records = {
        r.deliverable_id: r
        for r in DeliverableRecord.objects.present()
        .filter(project=project)
        .select_related("submitted_by__person")
    }
    tailored = _tailored([project.pk]).get(project.pk, set())
    return _evaluate(
        assignment,
        gates[assignment.version_id],
        deliverables,
        tailored,
        records,
        today or timezone.localdate(),
    )


# --- the API delivery's gate pages call ------------------------------------------------------


def project_gates(project: Project) -> list[LifecycleGate]:
    """The gates of the version the project follows, in lifecycle order ([] if none)."""
    assignment = assignment_of(project)
    if assignment is None:
        return []
    return list(
        LifecycleGate.objects.filter(version_id=assignment.version_id)
        .select_related("phase")
        .order_by("phase__sort_order", "sort_order", "pk")
    )


def gate_requirements(
    project: Project, gate: LifecycleGate, today: dt.date | None = None
) -> list[Requirement]:
    """The deliverables ``gate`` requires of ``project``, each with its status
    (present, missing, tailored out, not yet due), whether it is due and the
    evidence record. ``[]`` when the project follows no methodology.

    A gate of another version of the same methodology (a link kept from before the
    project moved to a newer version) is matched by its code; a gate of another
    methodology, or one the followed version no longer has, is refused (``ValueError``).
    """
    result = project_compliance(project, today)
    if result is None:
        return []
    for status in result.gates:
        if status.gate.pk == gate.pk:
            return status.requirements
    methodology_id = (
        LifecycleGate.objects.filter(pk=gate.pk)
        .values_list("version__methodology_id", flat=True)
        .first()
    )
    if methodology_id == result.assignment.version.methodology_id:
        for status in result.gates:
            if status.gate.code == gate.code:
                return status.requirements
    raise ValueError(f"gate {gate.pk} is not a gate of the version project {project.pk} follows")


def gate_requirements_met(project: Project, gate: LifecycleGate) -> bool:
    """Whether every deliverable the gate requires is present or tailored out (due or
    not: this is asked when the gate is reviewed). True when nothing is required."""
    return all(
        r.status in (rules.PRESENT, rules.TAILORED) for r in gate_requirements(project, gate)
    )


# --- the compliance page ---------------------------------------------------------------------


@dataclass
class GroupRow:
    key: object
    label: str
    projects: int = 0
    tally: rules.Tally = field(default_factory=rules.Tally)

    @property
    def rate(self) -> float | None:
        return self.tally.rate


@dataclass
class Overview:
    rows: list[ProjectCompliance]
    in_scope: int
    unassigned: list[Project]  # the first UNASSIGNED_LISTED, by code
    unassigned_count: int
    tally: rules.Tally
    by_unit: list[GroupRow]
    by_process: list[GroupRow]
    by_methodology: list[GroupRow]

    @property
    def assigned(self) -> int:
        return len(self.rows)

    @property
    def coverage(self) -> float | None:
        return rules.rate(self.assigned, self.in_scope)


def scope(projects):
    """The projects the compliance page covers."""
    return projects.filter(stage__in=COMPLIANCE_STAGES)


def compliance_rows(projects, today: dt.date) -> list[ProjectCompliance]:
    """Compliance of each of ``projects`` that follows a methodology, by project code
    (a fixed number of queries; the projects that follow none are not loaded)."""
    assignments = list(
        ProjectMethodology.objects.filter(project__in=projects.values("pk")).select_related(
            "version", "version__methodology", "project", "project__org_unit", "project__manager"
        )
    )
    assigned_ids = [a.project_id for a in assignments]
    gates, deliverables = _structure({a.version_id for a in assignments})
    records: dict[int, dict[int, bool]] = defaultdict(dict)
    for project_id, deliverable_id in (
        DeliverableRecord.objects.present()
        .filter(project_id__in=assigned_ids)
        .values_list("project_id", "deliverable_id")
    ):
        records[project_id][deliverable_id] = True
    tailored = _tailored(assigned_ids)
    rows = [
        _evaluate(
            a,
            gates[a.version_id],
            deliverables,
            tailored.get(a.project_id, set()),
            records.get(a.project_id, {}),
            today,
        )
        for a in assignments
    ]
    rows.sort(key=lambda r: r.project.code)
    return rows


def compliance_overview(projects, today: dt.date | None = None) -> Overview:
    """Compliance of every project in scope, pooled per unit, process and methodology
    (a fixed number of queries whatever the number of projects; only the projects that
    follow a methodology are loaded, those that follow none are counted and the first
    ``UNASSIGNED_LISTED`` of them listed)."""
    today = today or timezone.localdate()
    in_scope = scope(projects)
    rows = compliance_rows(in_scope, today)
    in_scope_count = in_scope.count()
    total = rules.Tally()
    units: dict[int, GroupRow] = {}
    processes: dict[tuple, GroupRow] = {}
    methodologies: dict[int, GroupRow] = {}
    for row in rows:
        total.merge(row.tally)
        unit = row.project.org_unit
        group = units.setdefault(unit.pk, GroupRow(unit, unit.label))
        group.projects += 1
        group.tally.merge(row.tally)
        methodology = row.assignment.version.methodology
        group = methodologies.setdefault(methodology.pk, GroupRow(methodology, methodology.label))
        group.projects += 1
        group.tally.merge(row.tally)
        counted = set()
        for gate in row.gates:
            for requirement in gate.requirements:
                process = requirement.deliverable.process
                # Processes pool across methodologies by code and name (the common
                # processes keep both in every methodology).
                key = (process.code, process.name) if process else ("", "")
                label = f"{process.code} {process.label}" if process else str(_("No process"))
                group = processes.setdefault(key, GroupRow(key, label))
                group.tally.add(requirement.status, requirement.due)
                if key not in counted:
                    group.projects += 1
                    counted.add(key)
    return Overview(
        rows=rows,
        in_scope=in_scope_count,
        unassigned=list(
            in_scope.exclude(pk__in=[r.project.pk for r in rows])
            .select_related("org_unit", "manager")
            .order_by("code")[:UNASSIGNED_LISTED]
        ),
        unassigned_count=in_scope_count - len(rows),
        tally=total,
        by_unit=sorted(units.values(), key=lambda g: g.key.path),
        by_process=sorted(processes.values(), key=lambda g: (g.rate is None, g.rate or 0, g.label)),
        by_methodology=sorted(methodologies.values(), key=lambda g: g.label),
    )
