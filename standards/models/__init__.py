"""Models of the project management standards area (duty area 4).

* ``library`` — best-practice sources, methodologies and their versions with phases,
  gates, processes, steps and required deliverables; document templates and revisions.
* ``projects`` — the version a project follows, its tailoring requests and the
  evidence of its deliverables.
* ``improvement`` — change requests against a standard; suggestions for the system.
* ``tools`` — evaluation of project management software.
"""

from standards.models.improvement import ChangeRequest, Suggestion
from standards.models.library import (
    BestPracticeSource,
    DocumentTemplate,
    LifecycleGate,
    LifecyclePhase,
    Methodology,
    MethodologyVersion,
    Process,
    ProcessStep,
    RequiredDeliverable,
    TemplateRevision,
)
from standards.models.projects import DeliverableRecord, ProjectMethodology, TailoringRequest
from standards.models.tools import ToolCandidate, ToolCriterion, ToolEvaluation, ToolScore

__all__ = [
    "BestPracticeSource",
    "ChangeRequest",
    "DeliverableRecord",
    "DocumentTemplate",
    "LifecycleGate",
    "LifecyclePhase",
    "Methodology",
    "MethodologyVersion",
    "Process",
    "ProcessStep",
    "ProjectMethodology",
    "RequiredDeliverable",
    "Suggestion",
    "TailoringRequest",
    "TemplateRevision",
    "ToolCandidate",
    "ToolCriterion",
    "ToolEvaluation",
    "ToolScore",
]
