"""Models of the delivery assurance area (duty area 3, 项目成果实现保障)."""

from delivery.models.closeout import Closeout, ClosureItem, ClosureItemTemplate
from delivery.models.common import Dimension, Party, Rag, worst
from delivery.models.gates import Gate, GateCondition, GateCriterion, GateEvidence
from delivery.models.goals import (
    STEP_ORDER,
    AgreementSignoff,
    CommunicationLog,
    Goal,
    GoalFramework,
    GoalFrameworkItem,
    RaciActivity,
    RaciAssignment,
    ResponsibilityAgreement,
)
from delivery.models.issues import Intervention, Issue, IssueAction, Level, ResponseTarget, Severity
from delivery.models.plan import Baseline, Deliverable, Milestone, Phase
from delivery.models.resources import ResourceRequest
from delivery.models.status import (
    DIMENSIONS,
    DeliverableProgress,
    ReminderLog,
    ReportingPolicy,
    StatusReport,
)

__all__ = [
    "DIMENSIONS",
    "STEP_ORDER",
    "AgreementSignoff",
    "Baseline",
    "Closeout",
    "ClosureItem",
    "ClosureItemTemplate",
    "CommunicationLog",
    "Deliverable",
    "DeliverableProgress",
    "Dimension",
    "Gate",
    "GateCondition",
    "GateCriterion",
    "GateEvidence",
    "Goal",
    "GoalFramework",
    "GoalFrameworkItem",
    "Intervention",
    "Issue",
    "IssueAction",
    "Level",
    "Milestone",
    "Party",
    "Phase",
    "Rag",
    "RaciActivity",
    "RaciAssignment",
    "ReminderLog",
    "ReportingPolicy",
    "ResourceRequest",
    "ResponseTarget",
    "ResponsibilityAgreement",
    "Severity",
    "StatusReport",
    "worst",
]
