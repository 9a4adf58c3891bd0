"""Models of the experience reuse, knowledge base and archives area."""

from knowledge.models.archives import (
    LOGGED_LEVELS,
    ArchiveRecord,
    Carrier,
    Loan,
    NumberingRule,
    Retention,
    SecurityLevel,
)
from knowledge.models.lessons import (
    Confidentiality,
    Impact,
    KnowledgeArea,
    Lesson,
    LessonPhase,
    Polarity,
    RootCause,
    split_tags,
)
from knowledge.models.library import (
    Article,
    ArticleVersion,
    Case,
    Category,
    CurationStatus,
    KnowledgeFile,
    Usage,
)

__all__ = [
    "LOGGED_LEVELS",
    "ArchiveRecord",
    "Article",
    "ArticleVersion",
    "Carrier",
    "Case",
    "Category",
    "Confidentiality",
    "CurationStatus",
    "Impact",
    "KnowledgeArea",
    "KnowledgeFile",
    "Lesson",
    "LessonPhase",
    "Loan",
    "NumberingRule",
    "Polarity",
    "Retention",
    "RootCause",
    "SecurityLevel",
    "Usage",
    "split_tags",
]
