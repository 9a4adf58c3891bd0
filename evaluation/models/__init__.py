"""Models of the performance evaluation area."""

from evaluation.models.cycle import (
    Appeal,
    CriterionResult,
    Cycle,
    Evaluation,
    ExpertScore,
    PanelAssignment,
)
from evaluation.models.improvement import ActionCheck, ImprovementAction
from evaluation.models.scheme import Criterion, Dimension, GradeBand, Scheme, SchemeVersion

__all__ = [
    "ActionCheck",
    "Appeal",
    "Criterion",
    "CriterionResult",
    "Cycle",
    "Dimension",
    "Evaluation",
    "ExpertScore",
    "GradeBand",
    "ImprovementAction",
    "PanelAssignment",
    "Scheme",
    "SchemeVersion",
]
