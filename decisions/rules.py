"""Permission predicates of decision support (django-rules).

* The project's manager and the PMO write the study; a section's owner writes that
  section. Whoever sees the project sees its study.
* Expert reviewers see only the studies assigned to them and score only their own review.
* The PMO assigns reviewers, recommends and generates the decision pack; executives and
  the PMO record the decision.

Views check these in Python (404 when the study is not visible, 403 when the action is
not allowed); templates only mirror them to hide buttons.
"""

from __future__ import annotations

import rules

from pmo.core import roles
from pmo.core.rules import is_executive, is_pmo


def _study(obj):
    """The study an object belongs to (study, section, review, alternative, action)."""
    if obj is None:
        return None
    for attr in ("study", "decision"):
        if hasattr(obj, f"{attr}_id"):
            inner = getattr(obj, attr)
            return inner.study if attr == "decision" else inner
    return obj


@rules.predicate
def can_see_study(user, obj) -> bool:
    study = _study(obj)
    if study is None:
        return False
    from decisions.models import Study

    if roles.sees_all_projects(user):
        return True
    return Study.objects.visible_to(user).filter(pk=study.pk).exists()


@rules.predicate
def manages_study_project(user, obj) -> bool:
    study = _study(obj)
    pid = roles.person_id_of(user)
    return study is not None and pid is not None and study.project.manager_id == pid


@rules.predicate
def manages_project(user, project) -> bool:
    pid = roles.person_id_of(user)
    return project is not None and pid is not None and project.manager_id == pid


@rules.predicate
def owns_section(user, section) -> bool:
    pid = roles.person_id_of(user)
    return section is not None and pid is not None and section.owner_id == pid


@rules.predicate
def is_own_review(user, review) -> bool:
    pid = roles.person_id_of(user)
    return review is not None and pid is not None and review.reviewer_id == pid


@rules.predicate
def owns_action(user, action) -> bool:
    pid = roles.person_id_of(user)
    return action is not None and pid is not None and action.owner_id == pid


@rules.predicate
def is_reviewer_role(user) -> bool:
    return roles.REVIEWER in roles.group_names(user)


rules.add_perm("decisions.view_study_list", is_pmo | is_executive)
rules.add_perm("decisions.view_study", can_see_study)
rules.add_perm("decisions.create_study", is_pmo | manages_project)
rules.add_perm("decisions.change_study", is_pmo | manages_study_project)
rules.add_perm("decisions.change_section", is_pmo | manages_study_project | owns_section)
rules.add_perm("decisions.review_section", is_pmo | manages_study_project)
rules.add_perm("decisions.submit_study", is_pmo | manages_study_project)
rules.add_perm("decisions.return_study", is_pmo)
rules.add_perm("decisions.revise_study", is_pmo | manages_study_project)
rules.add_perm("decisions.view_reviews", is_pmo | is_executive | manages_study_project)
rules.add_perm("decisions.assign_reviewers", is_pmo)
rules.add_perm("decisions.view_review", is_pmo | is_executive | is_own_review)
rules.add_perm("decisions.score_review", is_own_review)
rules.add_perm("decisions.recommend", is_pmo)
rules.add_perm("decisions.generate_pack", is_pmo)
rules.add_perm("decisions.view_pack", is_pmo | is_executive | manages_study_project)
rules.add_perm("decisions.decide", is_pmo | is_executive)
rules.add_perm("decisions.update_action", is_pmo | manages_study_project | owns_action)
rules.add_perm("decisions.configure", is_pmo)
rules.add_perm("decisions.view_my_reviews", rules.is_authenticated)


@rules.predicate
def has_reviews(user) -> bool:
    """Experts, and anyone who has been assigned a review, see the "my reviews" widget."""
    if roles.REVIEWER in roles.group_names(user):
        return True
    from decisions.models import Review

    pid = roles.person_id_of(user)
    return pid is not None and Review.objects.filter(reviewer_id=pid).exists()


rules.add_perm("decisions.is_reviewer", is_reviewer_role)
rules.add_perm("decisions.has_reviews", has_reviews)
# Realised benefits: the project's manager and the PMO record them; whoever sees the
# project reads them on its business-case tab.
rules.add_perm("decisions.record_benefit", is_pmo | manages_project)
