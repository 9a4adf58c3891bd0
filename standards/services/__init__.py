"""Every write of the standards app, and the API other apps call.

All functions take keyword arguments only, validate with ``full_clean()``, run in a
transaction, record the actor in the simple-history audit and return the object.
They raise ``ValidationError`` for bad input and ``PermissionDenied`` when the actor
may not take the decision (views check permissions first; the services check the
decisions that belong to the PMO or to the project's manager once more).

API for delivery's gate pages
-----------------------------
``delivery`` may import ``standards``; these are the calls it needs::

    from standards import services as standards

    assignment = standards.assignment_of(project)          # ProjectMethodology | None
    gates = standards.project_gates(project)               # [LifecycleGate], lifecycle order
    items = standards.gate_requirements(project, gate)     # [Requirement]
    ok = standards.gate_requirements_met(project, gate)    # bool
    standards.deliverable_record_submit(project=project, deliverable=item.deliverable,
                                        upload=file_or_None, link="", note="", actor=user)
    standards.project_methodology_assign(project=project, version=published_version,
                                         actor=user)

* ``gate_requirements(project, gate, today=None) -> list[Requirement]`` — the
  deliverables the gate requires of the project. Each ``Requirement`` has
  ``deliverable`` (a ``RequiredDeliverable``: ``code``, ``label``, ``is_optional``,
  ``template`` with ``template.current`` for the download link), ``status`` — one of
  ``"present"``, ``"missing"``, ``"tailored"``, ``"not_due"`` (constants in
  ``standards.compliance``) — with ``status_label`` and ``badge_class`` for display,
  ``due`` (bool) and ``record`` (the ``DeliverableRecord`` with the evidence, or
  ``None``). The rule for "due" is in ``standards.compliance``. It returns ``[]`` when
  the project follows no methodology; a gate of an earlier version of the same
  methodology is matched by its code, and a gate of another methodology raises
  ``ValueError``.
* ``gate_requirements_met(project, gate) -> bool`` — every required deliverable is
  present or tailored out, due or not (ask it when the gate is reviewed).
* ``project_compliance(project) -> ProjectCompliance | None`` — all gates at once
  (``gates`` → ``GateStatus`` with ``requirements``, ``due``, ``planned_date``,
  ``met``), the ``tally`` and the ``rate`` in per cent.
* A delivery gate links to a standards gate (e.g. a nullable foreign key to
  ``standards.LifecycleGate`` chosen from ``project_gates(project)``); the link keeps
  working when the project moves to a newer version, since ``LifecycleGate.code``
  stays the same across versions of a methodology.
* Evidence is checked by content and size (``pmo.core.documents``) and stored outside
  the web root; it is downloaded through ``standards:record_download``.
* Raising a change request from another app (evaluation, lessons):
  ``change_request_raise(methodology=…, title=…, description=…, source="lesson",
  source_reference="…", actor=user)``.
"""

from standards.selectors.compliance import (
    Requirement,
    assignment_of,
    gate_requirements,
    gate_requirements_met,
    project_compliance,
    project_gates,
)
from standards.services.improvement import (
    change_request_raise,
    change_request_triage,
    suggestion_respond,
    suggestion_submit,
)
from standards.services.library import (
    deliverable_save,
    gate_save,
    methodology_save,
    methodology_version_create,
    methodology_version_publish,
    methodology_version_retire,
    methodology_version_return,
    methodology_version_submit,
    methodology_version_update,
    phase_save,
    process_save,
    process_step_save,
    source_save,
    template_revision_upload,
    template_save,
    version_part_delete,
)
from standards.services.projects import (
    deliverable_record_submit,
    deliverable_record_withdraw,
    project_methodology_assign,
    tailoring_request_decide,
    tailoring_request_submit,
    tailoring_request_withdraw,
)
from standards.services.tools import (
    tool_candidate_save,
    tool_criterion_save,
    tool_evaluation_decide,
    tool_evaluation_open,
    tool_evaluation_save,
    tool_part_delete,
    tool_scores_save,
)

__all__ = [
    "Requirement",
    "assignment_of",
    "change_request_raise",
    "change_request_triage",
    "deliverable_record_submit",
    "deliverable_record_withdraw",
    "deliverable_save",
    "gate_requirements",
    "gate_requirements_met",
    "gate_save",
    "methodology_save",
    "methodology_version_create",
    "methodology_version_publish",
    "methodology_version_retire",
    "methodology_version_return",
    "methodology_version_submit",
    "methodology_version_update",
    "phase_save",
    "process_save",
    "process_step_save",
    "project_compliance",
    "project_gates",
    "project_methodology_assign",
    "source_save",
    "suggestion_respond",
    "suggestion_submit",
    "tailoring_request_decide",
    "tailoring_request_submit",
    "tailoring_request_withdraw",
    "template_revision_upload",
    "template_save",
    "tool_candidate_save",
    "tool_criterion_save",
    "tool_evaluation_decide",
    "tool_evaluation_open",
    "tool_evaluation_save",
    "tool_part_delete",
    "tool_scores_save",
    "version_part_delete",
]
