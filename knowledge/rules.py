"""Permission predicates of lessons learned (django-rules)."""

from __future__ import annotations

import rules

from pmo.core.rules import can_see_project, is_pmo, manages_project


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


# Everyone on a project may contribute a lesson; its author, the project's manager and
# the PMO may correct it until it is curated; only the PMO curates.
rules.add_perm("knowledge.add_lesson", rules.is_authenticated)
rules.add_perm("knowledge.change_lesson", is_pmo | wrote_lesson | manages_lesson_project)
rules.add_perm("knowledge.curate_lesson", is_pmo)
