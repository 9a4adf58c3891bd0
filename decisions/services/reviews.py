"""Expert review: assignment by the PMO with conflict-of-interest checks, scores, verdicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.models import (
    AppraisalSettings,
    ReadinessQuestion,
    ReadinessVerdict,
    Review,
    ReviewScore,
    Study,
)
from decisions.services.common import audit, clean_text, pmo_users
from pmo.core import roles
from pmo.core import services as core
from pmo.core.models import Notification, Person, Stage

REVIEWABLE = (Study.Status.SUBMITTED, Study.Status.IN_REVIEW)


def reviewer_conflicts(study: Study, person: Person, config: AppraisalSettings | None = None):
    """Why ``person`` may not review ``study`` (empty when there is no conflict)."""
    project = study.project
    config = config or AppraisalSettings.current()
    reasons = []
    if person.pk == project.sponsor_id:
        reasons.append(_("is the project's sponsor"))
    if person.pk == project.manager_id:
        reasons.append(_("is the project's manager"))
    if config.exclude_same_unit and person.org_unit_id == project.org_unit_id:
        reasons.append(_("works in the project's organisational unit"))
    return reasons


@transaction.atomic
def review_assign(
    *, study: Study, reviewer: Person, actor, due_date: dt.date | None = None
) -> Review:
    """Assign an expert to review a submitted study; the review starts with the first.

    A reviewer with a conflict of interest (the sponsor, the manager, and — when the
    PMO configured it — anyone of the project's unit) is refused. The first assignment
    moves the study into review and the project from proposed to under review (core
    lifecycle, audited). The reviewer is notified.
    """
    study = Study.objects.select_for_update().select_related("project").get(pk=study.pk)
    if study.status not in REVIEWABLE:
        raise ValidationError(_("Reviewers are assigned once the study is submitted."))
    conflicts = reviewer_conflicts(study, reviewer)
    if conflicts:
        raise ValidationError(
            {
                "reviewer": _("%(name)s has a conflict of interest: %(reasons)s.")
                % {"name": reviewer.label, "reasons": _(", ").join(str(r) for r in conflicts)}
            }
        )
    if not reviewer.is_active:
        raise ValidationError({"reviewer": _("%(name)s is not active.") % {"name": reviewer}})
    if Review.objects.filter(study=study, reviewer=reviewer).exists():
        raise ValidationError(
            {"reviewer": _("%(name)s reviews this study already.") % {"name": reviewer.label}}
        )
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    review = Review(
        study=study,
        reviewer=reviewer,
        due_date=due_date,
        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    review.full_clean(validate_unique=False)
    audit(review, actor)
    review.save()
    if study.status == Study.Status.SUBMITTED:
        study.status = Study.Status.IN_REVIEW
        audit(study, actor, "review started")
        study.save()
    if study.project.stage == Stage.PROPOSED:
        core.project_stage_change(project=study.project, to_stage=Stage.UNDER_REVIEW, actor=actor)
    if reviewer.user_id:
        core.notification_send(
            recipients=[reviewer.user],
            title=_("Please review the feasibility study of %(code)s %(name)s")
            % {"code": study.project.code, "name": study.project.label},
            body=_("Due %(date)s.") % {"date": due_date.isoformat()} if due_date else "",
            url=reverse("decisions:review_edit", args=[review.pk]),
            level=Notification.Level.ACTION,
        )
    return review


@transaction.atomic
def review_withdraw(*, review: Review, actor) -> None:
    """Take back an assignment that has not been submitted."""
    if review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("A submitted review stays on record."))
    audit(review, actor)
    review.delete()


def _own_review(review: Review, actor) -> None:
    if actor is None:  # demo data and system jobs write on a reviewer's behalf
        return
    if review.reviewer_id is None or review.reviewer_id != roles.person_id_of(actor):
        raise PermissionDenied(_("Only the assigned reviewer scores this review."))


@transaction.atomic
def review_save(
    *,
    review: Review,
    actor,
    scores: Mapping[int, tuple[int | None, str]],
    verdicts: Mapping[str, tuple[str, str]],
    recommendation: str,
    comment: str,
    submit: bool = False,
) -> Review:
    """Save a reviewer's scores ``{criterion id: (score, comment)}``, verdicts
    ``{question: (verdict, comment)}``, recommendation and opinion; submitting locks them
    and needs every criterion scored, every question answered and a recommendation."""
    _own_review(review, actor)
    review = Review.objects.select_for_update().select_related("study").get(pk=review.pk)
    if review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("This review was submitted and can no longer be changed."))
    if review.study.status != Study.Status.IN_REVIEW:
        raise ValidationError(_("The study is not in review any more."))
    criteria = {c.pk: c for c in review.study.criteria.all()}
    if set(scores) - set(criteria):
        raise ValidationError(_("A score names a criterion of another study."))
    if set(verdicts) - set(ReadinessQuestion.values):
        raise ValidationError(_("Unknown readiness question."))
    existing = {s.criterion_id: s for s in review.scores.all()}
    for criterion_id, (score, note) in scores.items():
        row = existing.get(criterion_id)
        if score is None:
            if row is not None:
                audit(row, actor)
                row.delete()
            continue
        row = row or ReviewScore(review=review, criterion_id=criterion_id)
        row.score, row.comment = score, clean_text(note)
        row.full_clean(validate_unique=False)
        audit(row, actor)
        row.save()
    given = {v.question: v for v in review.verdicts.all()}
    for question, (verdict, note) in verdicts.items():
        row = given.get(question)
        if not verdict:
            if row is not None:
                audit(row, actor)
                row.delete()
            continue
        row = row or ReadinessVerdict(review=review, question=question)
        row.verdict, row.comment = verdict, clean_text(note)
        row.full_clean(validate_unique=False)
        audit(row, actor)
        row.save()
    review.recommendation = recommendation or ""
    review.comment = clean_text(comment)
    if submit:
        _check_complete(review, criteria)
        review.status = Review.Status.SUBMITTED
        review.submitted_at = timezone.now()
    review.full_clean(validate_unique=False)
    audit(review, actor, "submitted" if submit else "")
    review.save()
    if submit:
        core.notification_send(
            recipients=pmo_users(),
            title=_("%(name)s submitted the review of %(code)s")
            % {"name": review.reviewer.label, "code": review.study.project.code},
            url=reverse("decisions:study_reviews", args=[review.study_id]),
        )
    return review


def _check_complete(review: Review, criteria: dict) -> None:
    problems = {}
    scored = set(review.scores.values_list("criterion_id", flat=True))
    missing = [str(criteria[c]) for c in criteria if c not in scored]
    if missing:
        problems["__all__"] = [
            _("Score every criterion before submitting: %(names)s.")
            % {"names": _(", ").join(missing)}
        ]
    answered = set(review.verdicts.values_list("question", flat=True))
    if set(ReadinessQuestion.values) - answered:
        problems.setdefault("__all__", []).append(
            _("Give a verdict on every readiness question before submitting.")
        )
    if not review.recommendation:
        problems["recommendation"] = _("Recommend what to decide before submitting.")
    if not clean_text(review.comment):
        problems["comment"] = _("Give your overall opinion before submitting.")
    if problems:
        raise ValidationError(problems)


def score_average(values: list[int]) -> Decimal | None:
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
