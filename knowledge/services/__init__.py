"""Every write of the knowledge area goes through these functions.

Other apps (delivery at closeout, culture for sharing materials) call them instead of
writing rows: ``from knowledge import services as knowledge; knowledge.lesson_create(...)``.
"""

from knowledge.services.archives import (
    loan_decide,
    loan_lend,
    loan_may_open,
    loan_request,
    loan_return,
    loan_send_reminders,
    numbering_rule_set,
    record_check,
    record_create,
    record_submit,
    record_update,
)
from knowledge.services.lessons import (
    LESSON_FIELDS,
    lesson_create,
    lesson_curate,
    lesson_delete,
    lesson_publish,
    lesson_return,
    lesson_review,
    lesson_update,
)
from knowledge.services.library import (
    article_create,
    article_reviewed,
    article_set_status,
    article_update,
    case_create,
    case_curate,
    case_rate,
    case_update,
    category_delete,
    category_move,
    category_save,
    knowledge_file_delete,
)
from knowledge.services.usage import (
    usage_apply,
    usage_record_view,
    usage_toggle_helpful,
    usage_update_outcome,
)

__all__ = [
    "LESSON_FIELDS",
    "article_create",
    "article_reviewed",
    "article_set_status",
    "article_update",
    "case_create",
    "case_curate",
    "case_rate",
    "case_update",
    "category_delete",
    "category_move",
    "category_save",
    "knowledge_file_delete",
    "lesson_create",
    "loan_decide",
    "loan_lend",
    "loan_may_open",
    "loan_request",
    "loan_return",
    "loan_send_reminders",
    "numbering_rule_set",
    "record_check",
    "record_create",
    "record_submit",
    "record_update",
    "lesson_curate",
    "lesson_delete",
    "lesson_publish",
    "lesson_return",
    "lesson_review",
    "lesson_update",
    "usage_apply",
    "usage_record_view",
    "usage_toggle_helpful",
    "usage_update_outcome",
]
