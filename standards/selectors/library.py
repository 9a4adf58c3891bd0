"""Reads of the library: a version's content in one pass, its snapshot for the diff,
and the conflict and duplication review."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standards import diff as diffing
from standards.models import (
    LifecycleGate,
    LifecyclePhase,
    MethodologyVersion,
    Process,
    ProcessStep,
    RequiredDeliverable,
)


@dataclass
class PhaseContent:
    phase: LifecyclePhase
    processes: list[Process] = field(default_factory=list)
    gates: list[LifecycleGate] = field(default_factory=list)


@dataclass
class VersionContent:
    """A version's phases, each with its processes (steps, deliverables) and gates
    (required deliverables), read in four queries."""

    version: MethodologyVersion
    phases: list[PhaseContent]
    gates: list[LifecycleGate]
    processes: list[Process]
    deliverables: list[RequiredDeliverable]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "phases": len(self.phases),
            "gates": len(self.gates),
            "processes": len(self.processes),
            "steps": sum(len(p.step_list) for p in self.processes),
            "deliverables": len(self.deliverables),
            "optional": sum(1 for d in self.deliverables if d.is_optional),
        }


def version_content(version: MethodologyVersion) -> VersionContent:
    return versions_content([version])[version.pk]


def versions_content(versions) -> dict[int, VersionContent]:
    """The content of several versions, read in five queries whatever their number."""
    versions = list(versions)
    ids = [v.pk for v in versions]
    phases = list(LifecyclePhase.objects.filter(version_id__in=ids))
    gates = list(LifecycleGate.objects.filter(version_id__in=ids).select_related("phase"))
    processes = list(
        Process.objects.filter(version_id__in=ids)
        .select_related("phase", "owner_role")
        .prefetch_related(
            Prefetch("steps", queryset=ProcessStep.objects.select_related("owner_role"))
        )
    )
    deliverables = list(RequiredDeliverable.objects.filter(version_id__in=ids).with_parts())
    by_gate, by_process = defaultdict(list), defaultdict(list)
    for item in deliverables:
        by_gate[item.gate_id].append(item)
        by_process[item.process_id].append(item)
    content = {phase.pk: PhaseContent(phase) for phase in phases}
    for gate in gates:
        gate.required = by_gate[gate.pk]
        content[gate.phase_id].gates.append(gate)
    for process in processes:
        process.step_list = list(process.steps.all())
        process.produced = by_process[process.pk]
        content[process.phase_id].processes.append(process)
    result = {}
    for version in versions:
        result[version.pk] = VersionContent(
            version,
            [c for c in content.values() if c.phase.version_id == version.pk],
            [g for g in gates if g.version_id == version.pk],
            [p for p in processes if p.version_id == version.pk],
            [d for d in deliverables if d.version_id == version.pk],
        )
    return result


def snapshot(content: VersionContent) -> diffing.Snapshot:
    """The fields of each part that a version diff compares, keyed by stable code."""

    def role(obj) -> str:
        return obj.owner_role.code if obj.owner_role_id else ""

    return {
        "phase": {
            p.phase.code: {
                "name": p.phase.name,
                "name_en": p.phase.name_en,
                "order": p.phase.sort_order,
                "description": p.phase.description,
            }
            for p in content.phases
        },
        "gate": {
            g.code: {
                "name": g.name,
                "name_en": g.name_en,
                "phase": g.phase.code,
                "due_stage": g.due_stage,
                "position_percent": g.position_percent,
                "decision_body": g.decision_body,
                "criteria": g.criteria,
            }
            for g in content.gates
        },
        "process": {
            p.code: {
                "name": p.name,
                "name_en": p.name_en,
                "phase": p.phase.code,
                "owner_role": role(p),
                "owner_responsibility": p.owner_responsibility,
                "inputs": p.inputs,
                "outputs": p.outputs,
                "description": p.description,
            }
            for p in content.processes
        },
        "step": {
            f"{p.code} · {s.name}": {
                "name": s.name,
                "order": s.sort_order,
                "owner_role": role(s),
                "responsibility": s.responsibility,
                "description": s.description,
            }
            for p in content.processes
            for s in p.step_list
        },
        "deliverable": {
            d.code: {
                "name": d.name,
                "name_en": d.name_en,
                "gate": d.gate.code,
                "process": d.process.code if d.process_id else "",
                "template": d.template.code if d.template_id else "",
                "optional": d.is_optional,
                "description": d.description,
            }
            for d in content.deliverables
        },
    }


def version_diff(old: MethodologyVersion, new: MethodologyVersion) -> list[diffing.PartChange]:
    return diffing.diff(snapshot(version_content(old)), snapshot(version_content(new)))


# --- conflict and duplication review ------------------------------------------------------

DUPLICATE, NO_STEP_OWNER, NO_PROCESS_OWNER, BEFORE_PRODUCED, EMPTY_GATE = (
    "duplicate",
    "no_step_owner",
    "no_process_owner",
    "before_produced",
    "empty_gate",
)


@dataclass(frozen=True)
class Finding:
    """One contradiction or duplication found in a version."""

    kind: str
    version: MethodologyVersion
    phase: LifecyclePhase | None
    subject: str
    detail: str

    @property
    def kind_label(self) -> str:
        return str(FINDING_LABELS[self.kind])


FINDING_LABELS = {
    DUPLICATE: gettext_lazy("Duplication"),
    NO_STEP_OWNER: gettext_lazy("Step without an owner"),
    NO_PROCESS_OWNER: gettext_lazy("Process without an owner"),
    BEFORE_PRODUCED: gettext_lazy("Contradiction"),
    EMPTY_GATE: gettext_lazy("Gate without a required deliverable"),
}


def _normalised(name: str) -> str:
    return "".join(name.split()).casefold()


def review_findings(content: VersionContent) -> list[Finding]:
    """Duplications and contradictions of a version:

    * the same deliverable (same name) required from two processes of one phase;
    * a process step with neither an owner role nor a responsibility;
    * a process with no owner;
    * a deliverable required at a gate of an earlier phase than the process that
      produces it (required before it can exist);
    * a gate that requires no deliverable.
    """
    version = content.version
    findings: list[Finding] = []
    phase_order = {p.phase.pk: (p.phase.sort_order, p.phase.pk) for p in content.phases}
    phases = {p.phase.pk: p.phase for p in content.phases}
    seen: dict[tuple[int, str], list[RequiredDeliverable]] = defaultdict(list)
    for item in content.deliverables:
        if item.process_id:
            seen[(item.process.phase_id, _normalised(item.name))].append(item)
    for (phase_id, _key), items in seen.items():
        processes = {i.process_id: i.process for i in items}
        if len(processes) > 1:
            findings.append(
                Finding(
                    DUPLICATE,
                    version,
                    phases[phase_id],
                    items[0].label,
                    _("Required from %(n)s processes of one phase: %(processes)s.")
                    % {
                        "n": len(processes),
                        "processes": "、".join(f"{p.code} {p.label}" for p in processes.values()),
                    },
                )
            )
    for process in content.processes:
        if not process.owner_role_id and not process.owner_responsibility.strip():
            findings.append(
                Finding(
                    NO_PROCESS_OWNER,
                    version,
                    process.phase,
                    f"{process.code} {process.label}",
                    _("Name the role or the responsibility that owns the process."),
                )
            )
        for step in process.step_list:
            if not step.has_owner:
                findings.append(
                    Finding(
                        NO_STEP_OWNER,
                        version,
                        process.phase,
                        f"{process.code} {process.label} · {step.label}",
                        _("No role and no responsibility carries out this step."),
                    )
                )
    for item in content.deliverables:
        if item.process_id and phase_order[item.gate.phase_id] < phase_order[item.process.phase_id]:
            findings.append(
                Finding(
                    BEFORE_PRODUCED,
                    version,
                    item.gate.phase,
                    f"{item.code} {item.label}",
                    _(
                        "Required at gate %(gate)s, before the phase in which process "
                        "%(process)s produces it."
                    )
                    % {"gate": item.gate.label, "process": item.process.label},
                )
            )
    for gate in content.gates:
        if not gate.required:
            findings.append(
                Finding(
                    EMPTY_GATE,
                    version,
                    gate.phase,
                    f"{gate.code} {gate.label}",
                    _("The gate has nothing to check."),
                )
            )
    return findings
