"""Evaluation of project management software: set-up by the PMO, scoring by the
evaluators, weighted results with the spread between evaluators, the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pmo.core import charts
from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm
from standards import scoring, services
from standards.forms import (
    CandidateForm,
    CriterionForm,
    ScoreForm,
    ToolDecisionForm,
    ToolEvaluationForm,
)
from standards.models import ToolCandidate, ToolCriterion, ToolEvaluation, ToolScore
from standards.selectors.tools import evaluation_results
from standards.views.common import PAGE_SIZE, check, form_page

VIEW, CHANGE, SCORE = "standards.view_tools", "standards.change_tools", "standards.score_tool"


def _evaluation_for(request, pk: int) -> ToolEvaluation:
    """An evaluation the user may see (PMO, executives, its evaluators), else 404."""
    check(request, VIEW)
    try:
        return (
            ToolEvaluation.objects.visible_to(request.user)
            .select_related("chosen", "decided_by__person", "created_by")
            .distinct()
            .get(pk=pk)
        )
    except ToolEvaluation.DoesNotExist:
        raise Http404 from None


@require_perm(VIEW)
def tool_list(request):
    evaluations = (
        ToolEvaluation.objects.visible_to(request.user)
        .select_related("chosen")
        .annotate(
            n_candidates=Count("candidates", distinct=True),
            n_evaluators=Count("evaluators", distinct=True),
        )
        .order_by("-created_at")
    )
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_change": request.user.has_perm(CHANGE)}
    return TemplateResponse(request, "standards/tool_list.html", context)


@require_perm(CHANGE)
def tool_edit(request, pk: int | None = None):
    evaluation = get_object_or_404(ToolEvaluation, pk=pk) if pk else None
    initial = (
        {
            "title": evaluation.title,
            "purpose": evaluation.purpose,
            "evaluators": evaluation.evaluators.all(),
        }
        if evaluation
        else None
    )
    form = ToolEvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.tool_evaluation_save(
                evaluation=evaluation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The tool evaluation was saved."))
            return redirect(evaluation)
    context = {
        "title": _("Tool evaluation"),
        "object": evaluation,
        "back": reverse("standards:tool_list"),
    }
    return form_page(request, "standards/form.html", context, form)


@login_required
def tool_detail(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    data = evaluation_results(evaluation)
    ranked = [r for r in data.results if r.score is not None]
    context = {
        "evaluation": evaluation,
        "data": data,
        "threshold": scoring.DISAGREEMENT_SPREAD,
        "can_change": request.user.has_perm(CHANGE),
        "can_score": evaluation.status == ToolEvaluation.Status.SCORING
        and request.user.has_perm(SCORE, evaluation),
        "chart": charts.bar(
            [r.candidate.name for r in ranked],
            {_("Weighted score (0–10)"): [round(r.score, 2) for r in ranked]},
            value_name=_("points"),
        ),
        "criterion_form": CriterionForm(),
        "candidate_form": CandidateForm(),
        "decision_form": ToolDecisionForm(evaluation=evaluation),
    }
    return TemplateResponse(request, "standards/tool_detail.html", context)


PARTS = {
    "criterion": (
        ToolCriterion,
        CriterionForm,
        services.tool_criterion_save,
        gettext_lazy("Criterion"),
    ),
    "candidate": (
        ToolCandidate,
        CandidateForm,
        services.tool_candidate_save,
        gettext_lazy("Candidate"),
    ),
}


@require_perm(CHANGE)
def tool_part_edit(request, pk: int, kind: str, item_pk: int | None = None):
    if kind not in PARTS:
        raise Http404
    model, form_class, save, title = PARTS[kind]
    evaluation = get_object_or_404(ToolEvaluation, pk=pk)
    part = get_object_or_404(model, pk=item_pk, evaluation=evaluation) if item_pk else None
    form = form_class(request.POST or None, instance=part)
    if request.method == "POST" and form.is_valid():
        try:
            save(evaluation=evaluation, actor=request.user, **{kind: part}, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(part)s was saved.") % {"part": title})
            return redirect(evaluation)
    context = {"title": title, "object": part, "back": evaluation.get_absolute_url()}
    return form_page(request, "standards/form.html", context, form)


@require_POST
@require_perm(CHANGE)
def tool_part_delete(request, pk: int, kind: str, item_pk: int):
    if kind not in PARTS:
        raise Http404
    evaluation = get_object_or_404(ToolEvaluation, pk=pk)
    part = get_object_or_404(PARTS[kind][0], pk=item_pk, evaluation=evaluation)
    try:
        services.tool_part_delete(part=part, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(evaluation)


@require_POST
@require_perm(CHANGE)
def tool_open(request, pk: int):
    evaluation = get_object_or_404(ToolEvaluation, pk=pk)
    try:
        services.tool_evaluation_open(evaluation=evaluation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Scoring is open; the evaluators can score now."))
    return redirect(evaluation)


@login_required
def tool_score(request, pk: int, candidate_pk: int):
    evaluation = _evaluation_for(request, pk)
    check(request, SCORE, evaluation)
    if evaluation.status != ToolEvaluation.Status.SCORING:
        raise Http404
    candidate = get_object_or_404(ToolCandidate, pk=candidate_pk, evaluation=evaluation)
    existing = {
        s.criterion_id: s
        for s in ToolScore.objects.filter(candidate=candidate, evaluator=request.user)
    }
    form = ScoreForm(request.POST or None, criteria=evaluation.criteria.all(), existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.tool_scores_save(
                evaluation=evaluation, candidate=candidate, scores=form.scores(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your scores of %(tool)s were saved.") % {"tool": candidate.name}
            )
            return redirect(evaluation)
    context = {
        "evaluation": evaluation,
        "candidate": candidate,
        "back": evaluation.get_absolute_url(),
    }
    return form_page(request, "standards/tool_score.html", context, form)


@require_perm(CHANGE)
def tool_decide(request, pk: int):
    evaluation = get_object_or_404(ToolEvaluation, pk=pk)
    form = ToolDecisionForm(request.POST or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.tool_evaluation_decide(
                evaluation=evaluation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(evaluation)
    context = {"title": _("Decision"), "object": evaluation, "back": evaluation.get_absolute_url()}
    return form_page(request, "standards/form.html", context, form)


urlpatterns = [
    path("tools/", tool_list, name="tool_list"),
    path("tools/new/", tool_edit, name="tool_create"),
    path("tools/<int:pk>/", tool_detail, name="tool_detail"),
    path("tools/<int:pk>/edit/", tool_edit, name="tool_edit"),
    path("tools/<int:pk>/open/", tool_open, name="tool_open"),
    path("tools/<int:pk>/decide/", tool_decide, name="tool_decide"),
    path("tools/<int:pk>/score/<int:candidate_pk>/", tool_score, name="tool_score"),
    path("tools/<int:pk>/<str:kind>/new/", tool_part_edit, name="tool_part_create"),
    path("tools/<int:pk>/<str:kind>/<int:item_pk>/", tool_part_edit, name="tool_part_edit"),
    path(
        "tools/<int:pk>/<str:kind>/<int:item_pk>/delete/",
        tool_part_delete,
        name="tool_part_delete",
    ),
]
