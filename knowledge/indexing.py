"""How lessons, cases, articles and archive records appear in the global search.

Each function describes one record for the core's index (``pmo.core.search``): its text
and who may find it, the same rule as the record's ``visible_to``.
"""

from __future__ import annotations

from knowledge.models import ArchiveRecord, Article, Case, Lesson
from knowledge.roles import ARCHIVIST
from pmo.core.models import SearchEntry
from pmo.core.registry import SearchDocument

A = SearchEntry.Access
OPEN = ("public", "internal")


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def lesson_document(lesson: Lesson) -> SearchDocument:
    published = lesson.status == Lesson.Status.PUBLISHED
    if published and lesson.confidentiality in OPEN:
        access = A.ALL
    elif lesson.project_id:
        access = A.PROJECT
    else:
        access = A.RESTRICTED
    return SearchDocument(
        title=lesson.title,
        url=lesson.get_absolute_url(),
        body=_join(
            lesson.description,
            lesson.recommendation,
            lesson.applicability,
            lesson.tags,
            lesson.get_phase_display(),
            lesson.get_knowledge_area_display(),
        ),
        access=access,
        project_id=lesson.project_id,
        owner_id=lesson.created_by_id,
    )


def case_document(case: Case) -> SearchDocument:
    published = case.status == "published"
    if published and case.confidentiality in OPEN:
        access = A.ALL
    elif case.project_id:
        access = A.PROJECT
    else:
        access = A.RESTRICTED
    return SearchDocument(
        title=case.title,
        url=case.get_absolute_url(),
        body=_join(
            case.background,
            case.what_happened,
            case.decisions,
            case.outcome,
            case.lessons,
            case.tags,
        ),
        access=access,
        project_id=case.project_id,
        owner_id=case.created_by_id,
    )


def article_document(article: Article) -> SearchDocument:
    published = article.status == Article.Status.PUBLISHED
    return SearchDocument(
        title=article.title,
        url=article.get_absolute_url(),
        body=_join(article.summary, article.body, article.tags, article.source_label),
        access=A.ALL if published and article.confidentiality in OPEN else A.RESTRICTED,
        owner_id=article.created_by_id,
    )


def archive_document(record: ArchiveRecord) -> SearchDocument:
    filed = record.status == ArchiveRecord.Status.ACCEPTED
    if filed and record.security_level in OPEN:
        access = A.ALL
    elif filed and record.security_level == "secret" and record.project_id:
        access = A.PROJECT
    else:
        access = A.RESTRICTED
    return SearchDocument(
        title=_join(record.number, record.title) if record.number else record.title,
        url=record.get_absolute_url(),
        body=_join(record.responsible, record.description, record.location),
        access=access,
        project_id=record.project_id,
        owner_id=record.submitted_by_id,
        group=ARCHIVIST,
    )
