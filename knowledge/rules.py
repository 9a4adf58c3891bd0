"""Permission predicates of the knowledge area (django-rules).

Reading is decided by the querysets' ``visible_to`` (a record one may not see is a 404);
these rules decide the actions.
"""

from __future__ import annotations

import rules

from knowledge.roles import is_archivist as _is_archivist
from pmo.core.rules import can_see_project, is_executive, is_pmo, is_pmo_admin, manages_project


@rules.predicate
def is_archivist(user) -> bool:
    return _is_archivist(user)


@rules.predicate
def wrote_lesson(user, lesson) -> bool:
    return lesson is not None and lesson.created_by_id == getattr(user, "pk", None)


@rules.predicate
def manages_lesson_project(user, lesson) -> bool:
    return (
        lesson is not None
        and lesson.project_id is not None
        and manages_project(user, lesson.project)
    )


@rules.predicate
def sees_lesson_project(user, lesson) -> bool:
    return (
        lesson is not None
        and lesson.project_id is not None
        and can_see_project(user, lesson.project)
    )


@rules.predicate
def wrote_it(user, obj) -> bool:
    return obj is not None and obj.created_by_id == getattr(user, "pk", None)


@rules.predicate
def owns_article(user, article) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return article is not None and person is not None and article.owner_id == person.pk


@rules.predicate
def may_decide_loan(user, loan) -> bool:
    """Approval follows 密级: internal by an archivist, secret by the PMO, confidential
    by a PMO administrator (public records are lent without approval)."""
    if loan is None:
        return False
    level = loan.record.security_level
    if level == "confidential":
        return is_pmo_admin(user)
    if level == "secret":
        return is_pmo(user)
    return _is_archivist(user)


@rules.predicate
def files_for_project(user, project) -> bool:
    return project is not None and (manages_project(user, project) or _is_archivist(user))


# Lessons: everyone may contribute; its author, the project's manager and the PMO may
# correct it until it is published; only the PMO curates.
rules.add_perm("knowledge.view_library", rules.is_authenticated)
rules.add_perm("knowledge.add_lesson", rules.is_authenticated)
rules.add_perm("knowledge.change_lesson", is_pmo | wrote_lesson | manages_lesson_project)
rules.add_perm("knowledge.curate_lesson", is_pmo)
rules.add_perm("knowledge.curate", is_pmo)
# Cases and articles.
rules.add_perm("knowledge.add_case", rules.is_authenticated)
rules.add_perm("knowledge.change_case", is_pmo | wrote_it)
rules.add_perm("knowledge.add_article", rules.is_authenticated)
rules.add_perm("knowledge.change_article", is_pmo | wrote_it | owns_article)
rules.add_perm("knowledge.manage_categories", is_pmo)
rules.add_perm("knowledge.view_reuse", is_pmo | is_executive)
# Archives.
rules.add_perm("knowledge.view_archives", rules.is_authenticated)
rules.add_perm("knowledge.file_records", files_for_project)
rules.add_perm("knowledge.check_records", is_archivist)
rules.add_perm("knowledge.manage_archives", is_archivist)
rules.add_perm("knowledge.borrow", rules.is_authenticated)
rules.add_perm("knowledge.decide_loan", may_decide_loan)
