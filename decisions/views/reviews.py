"""Expert review: the PMO assigns reviewers; each reviewer scores and gives verdicts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decisions import charts, selectors
from decisions.forms import ReviewAssignForm, ReviewForm
from decisions.models import AppraisalSettings, Review, Study
from decisions.services import reviews as services
from decisions.views.common import check, get_study, study_page
from pmo.core import roles
from pmo.core.forms import add_service_errors
from pmo.core.models import Person


def reviewer_candidates(study: Study):
    """Active people without a conflict of interest who do not review the study yet;
    expert reviewers first."""
    project = study.project
    people = Person.objects.active().select_related("org_unit")
    people = people.exclude(pk__in=[p for p in (project.sponsor_id, project.manager_id) if p])
    if AppraisalSettings.current().exclude_same_unit:
        people = people.exclude(org_unit_id=project.org_unit_id)
    people = people.exclude(pk__in=study.reviews.values("reviewer_id"))
    experts = Group.objects.filter(name=roles.REVIEWER, user=OuterRef("user_id"))
    return people.annotate(is_expert=Exists(experts)).order_by("-is_expert", "name")


def _reviews_page(request, study, form=None, status=200):
    summary = selectors.review_summary(study)
    can_assign = request.user.has_perm("decisions.assign_reviewers", study)
    chart = None
    if summary["submitted"] and summary["rows"]:
        chart = charts.review_spread_chart(
            [row.criterion.name for row in summary["rows"]],
            [r.reviewer.label for r in summary["submitted"]],
            [row.scores for row in summary["rows"]],
        )
    context = {
        "summary": summary,
        "can_assign": can_assign and study.status in services.REVIEWABLE,
        "assign_form": form
        or (ReviewAssignForm(candidates=reviewer_candidates(study)) if can_assign else None),
        "exclude_same_unit": AppraisalSettings.current().exclude_same_unit,
        "spread_chart": chart,
    }
    return study_page(
        request, study, "decisions/study_reviews.html", context, active="reviews", status=status
    )


@login_required
def study_reviews(request, pk: int):
    """GET: the reviews with their scores and disagreement. POST: assign a reviewer (PMO)."""
    study = get_study(request, pk, "decisions.view_reviews")
    if request.method != "POST":
        return _reviews_page(request, study)
    check(request, "decisions.assign_reviewers", study)
    form = ReviewAssignForm(request.POST, candidates=reviewer_candidates(study))
    # A person with a conflict is not among the choices; name the conflict all the same.
    reviewer_id = request.POST.get("reviewer", "")
    if not form.is_valid() and reviewer_id.isdigit():
        person = Person.objects.filter(pk=int(reviewer_id)).first()
        reasons = services.reviewer_conflicts(study, person) if person else []
        if reasons:
            form.errors["reviewer"] = form.error_class(
                [
                    _("%(name)s has a conflict of interest: %(reasons)s.")
                    % {"name": person.label, "reasons": _(", ").join(str(r) for r in reasons)}
                ]
            )
    if form.is_valid():
        try:
            services.review_assign(study=study, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _reviews_page(request, study, form, status=422)
    messages.success(
        request,
        _("%(name)s was asked to review the study.") % {"name": form.cleaned_data["reviewer"]},
    )
    return redirect("decisions:study_reviews", pk=study.pk)


def _get_review(request, review_pk: int) -> Review:
    review = get_object_or_404(Review.objects.select_related("reviewer", "study"), pk=review_pk)
    study = get_study(request, review.study_id)  # 404 unless the study is visible
    review.study = study
    check(request, "decisions.view_review", review)
    return review


@login_required
def review_edit(request, review_pk: int):
    """A review: the assigned reviewer scores it; the PMO and executives read it."""
    review = _get_review(request, review_pk)
    study = review.study
    criteria = list(study.criteria.all())
    may_score = request.user.has_perm("decisions.score_review", review)
    status = 200
    if request.method == "POST":
        check(request, "decisions.score_review", review)
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.review_save(
                    review=review,
                    actor=request.user,
                    submit="submit" in request.POST,
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.errors:
            if "submit" in request.POST:
                messages.success(request, _("Your review was submitted. Thank you."))
            else:
                messages.success(request, _("Your review was saved as a draft."))
            return redirect("decisions:review_edit", review_pk=review.pk)
        status = 422
    else:
        initial = {"recommendation": review.recommendation, "comment": review.comment}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = str(score.score)
            initial[f"note_{score.criterion_id}"] = score.comment
        for verdict in review.verdicts.all():
            initial[f"verdict_{verdict.question}"] = verdict.verdict
            initial[f"vnote_{verdict.question}"] = verdict.comment
        form = ReviewForm(initial=initial, criteria=criteria)
    alternatives = selectors.alternatives_with_flows(study)
    context = {
        "review": review,
        "form": form,
        "editable": may_score
        and review.status == Review.Status.ASSIGNED
        and study.status == Study.Status.IN_REVIEW,
        "proposal": next(
            (a for a in selectors.appraisals(study, alternatives) if a.alternative.is_proposal),
            None,
        ),
        "answers": {a.question: a for a in study.readiness.all()},
    }
    return study_page(
        request, study, "decisions/review_form.html", context, active="reviews", status=status
    )


@require_POST
@login_required
def review_withdraw(request, review_pk: int):
    review = get_object_or_404(Review.objects.select_related("reviewer"), pk=review_pk)
    study = get_study(request, review.study_id)
    check(request, "decisions.assign_reviewers", study)
    if review.study_id != study.pk:
        raise Http404
    try:
        services.review_withdraw(review=review, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assignment was withdrawn."))
    return redirect("decisions:study_reviews", pk=study.pk)
