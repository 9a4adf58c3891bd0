"""One project's evaluation: self-assessment, panel, expert scores with their spread,
calibration, the result with its rationale, the appeal, and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import analysis, services
from evaluation.forms import (
    AppealDecisionForm,
    AppealForm,
    CalibrateForm,
    ExpertScoresForm,
    FinaliseForm,
    PanelForm,
    SelfAssessmentForm,
)
from evaluation.models import (
    Appeal,
    Criterion,
    CriterionResult,
    Evaluation,
    ExpertScore,
    PanelAssignment,
)
from evaluation.services import reports
from evaluation.views.common import download_response, evaluation_for, form_page, run_service
from pmo.core import roles

CHAIR, SCORE, SELF, APPEAL = (
    "evaluation.chair",
    "evaluation.score",
    "evaluation.self_assess",
    "evaluation.appeal",
)
MANAGE = "evaluation.manage"


def _scored_criteria(evaluation: Evaluation) -> list[Criterion]:
    return list(
        Criterion.objects.filter(
            dimension__version_id=evaluation.cycle.version_id, method=Criterion.Method.SCORED
        )
        .select_related("dimension")
        .order_by("dimension__sort_order", "dimension_id", "sort_order", "id")
    )


def _appeal(evaluation: Evaluation) -> Appeal | None:
    return (
        Appeal.objects.filter(evaluation=evaluation)
        .select_related("decided_by", "submitted_by")
        .first()
    )


@login_required
def evaluation_detail(request, pk: int):
    evaluation = evaluation_for(request, pk)
    user = request.user
    is_chair = user.has_perm(CHAIR, evaluation)
    is_manager = user.has_perm(APPEAL, evaluation)
    panel = list(evaluation.panel.select_related("reviewer__person"))
    mine = next((a for a in panel if a.reviewer_id == user.pk), None)
    published = evaluation.status == Evaluation.Status.PUBLISHED
    sees_all = roles.sees_all_projects(user)
    show_result = (
        published or is_chair or (sees_all and evaluation.status == Evaluation.Status.FINALISED)
    )
    show_spread = is_chair or sees_all or published or bool(mine and mine.submitted_at)
    dimensions = analysis.dimension_scores(evaluation)
    scores: dict[int, list] = {}
    if show_spread:
        for score in ExpertScore.objects.filter(
            assignment__evaluation=evaluation, assignment__submitted_at__isnull=False
        ).select_related("assignment__reviewer__person"):
            scores.setdefault(score.criterion_id, []).append(score)
    for _dimension, _score, rows in dimensions:
        for row in rows:
            row.expert_list = scores.get(row.criterion_id, [])
    appeal = _appeal(evaluation)
    today = timezone.localdate()
    context = {
        "evaluation": evaluation,
        "cycle": evaluation.cycle,
        "project": evaluation.project,
        "dimensions": dimensions,
        "panel": panel,
        "mine": mine,
        "is_chair": is_chair,
        "is_manager": is_manager,
        "show_result": show_result,
        "show_spread": show_spread,
        "show_self": is_manager or is_chair or sees_all or bool(mine) or published,
        "can_self_assess": user.has_perm(SELF, evaluation)
        and evaluation.status == Evaluation.Status.SELF_ASSESSMENT,
        "can_score": bool(
            mine and not mine.submitted_at and evaluation.status == Evaluation.Status.REVIEW
        ),
        "can_manage_panel": user.has_perm(MANAGE)
        and evaluation.status in (Evaluation.Status.SELF_ASSESSMENT, Evaluation.Status.REVIEW),
        "can_finalise": is_chair and evaluation.status == Evaluation.Status.REVIEW,
        "calibrate_form": CalibrateForm(),
        "finalise_form": FinaliseForm(initial={"rationale": evaluation.rationale}),
        "appeal": appeal,
        "can_appeal": is_manager
        and published
        and appeal is None
        and evaluation.appeal_until
        and today <= evaluation.appeal_until,
        "can_decide": is_chair and appeal is not None and appeal.status == Appeal.Status.PENDING,
        "pdf_run": reports.result_run(evaluation) if show_result else None,
        "panel_size": evaluation.cycle.version.panel_size,
    }
    return TemplateResponse(request, "evaluation/evaluation_detail.html", context)


@login_required
def self_assessment(request, pk: int):
    evaluation = evaluation_for(request, pk, SELF)
    if evaluation.status != Evaluation.Status.SELF_ASSESSMENT:
        messages.error(request, _("The self-assessment can no longer be changed."))
        return redirect(evaluation)
    criteria = _scored_criteria(evaluation)
    rows = {r.criterion_id: r for r in evaluation.results.all()}
    initial_scores = {
        c.pk: (rows[c.pk].self_score, rows[c.pk].evidence) for c in criteria if c.pk in rows
    }
    form = SelfAssessmentForm(
        request.POST or None,
        criteria=criteria,
        initial_scores=initial_scores,
        initial={"summary": evaluation.self_summary},
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        saved = run_service(
            form,
            lambda: services.self_assessment_save(
                evaluation=evaluation,
                scores=form.scores(),
                summary=form.cleaned_data["summary"],
                submit=submit,
                actor=request.user,
            ),
        )
        if saved:
            messages.success(
                request,
                _("Your self-assessment was submitted to the experts.")
                if submit
                else _("Draft saved."),
            )
            return redirect(evaluation)
    computed = [
        r for r in evaluation.results.select_related("criterion") if r.criterion.is_computed
    ]
    context = {"evaluation": evaluation, "computed": computed}
    return form_page(request, "evaluation/self_assessment.html", context, form)


@login_required
def panel(request, pk: int):
    evaluation = evaluation_for(request, pk, MANAGE)
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reviewer = form.cleaned_data["reviewer"]
        if run_service(
            form,
            lambda: services.panel_assign(
                evaluation=evaluation, reviewer=reviewer, actor=request.user
            ),
        ):
            messages.success(request, _("The expert was assigned."))
            return redirect(evaluation)
    # Tell the PMO beforehand who is excluded, and why.
    excluded = []
    for reviewer in form.fields["reviewer"].queryset:
        reason = services.conflict_reason(evaluation=evaluation, reviewer=reviewer)
        if reason:
            excluded.append(reason)
    context = {
        "evaluation": evaluation,
        "panel": evaluation.panel.select_related("reviewer__person"),
        "excluded": excluded,
    }
    return form_page(request, "evaluation/panel.html", context, form)


@require_POST
@login_required
def panel_remove(request, pk: int, assignment_pk: int):
    evaluation = evaluation_for(request, pk, MANAGE)
    assignment = get_object_or_404(PanelAssignment, pk=assignment_pk, evaluation=evaluation)
    try:
        services.panel_remove(assignment=assignment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The expert was removed from the panel."))
    return redirect("evaluation:panel", pk=evaluation.pk)


@login_required
def expert_score(request, pk: int):
    evaluation = evaluation_for(request, pk, SCORE)
    assignment = get_object_or_404(
        PanelAssignment.objects.prefetch_related(
            Prefetch("scores", queryset=ExpertScore.objects.all())
        ),
        evaluation=evaluation,
        reviewer=request.user,
    )
    if assignment.submitted_at or evaluation.status != Evaluation.Status.REVIEW:
        messages.info(request, _("Your scores are submitted; they can no longer be changed."))
        return redirect(evaluation)
    criteria = _scored_criteria(evaluation)
    existing = {s.criterion_id: (s.score, s.comment) for s in assignment.scores.all()}
    form = ExpertScoresForm(request.POST or None, criteria=criteria, initial_scores=existing)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        saved = run_service(
            form,
            lambda: services.expert_scores_save(
                assignment=assignment, scores=form.scores(), submit=submit, actor=request.user
            ),
        )
        if saved:
            messages.success(
                request,
                _("Your scores are submitted; you now see the panel's spread.")
                if submit
                else _("Draft saved."),
            )
            return redirect(evaluation)
    results = {r.criterion_id: r for r in evaluation.results.select_related("criterion")}
    context = {
        "evaluation": evaluation,
        "self_rows": [(c, results.get(c.pk)) for c in criteria],
        "computed": [r for r in results.values() if r.criterion.is_computed],
    }
    return form_page(request, "evaluation/expert_score.html", context, form)


@require_POST
@login_required
def calibrate(request, pk: int, result_pk: int):
    evaluation = evaluation_for(request, pk, CHAIR)
    result = get_object_or_404(
        CriterionResult.objects.select_related("criterion"), pk=result_pk, evaluation=evaluation
    )
    form = CalibrateForm(request.POST)
    if form.is_valid():
        try:
            services.result_calibrate(
                result=result,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["calibration_note"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The disagreement on %(criterion)s was calibrated.")
                % {"criterion": result.criterion.label},
            )
    else:
        messages.error(request, _("Give a score from 1 to 5 and the reason of the calibration."))
    return redirect(evaluation)


@login_required
def finalise(request, pk: int):
    evaluation = evaluation_for(request, pk, CHAIR)
    form = FinaliseForm(request.POST or None, initial={"rationale": evaluation.rationale})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.evaluation_finalise(
                evaluation=evaluation, rationale=form.cleaned_data["rationale"], actor=request.user
            ),
        )
    ):
        messages.success(request, _("The result is finalised; it is published with the cycle."))
        return redirect(evaluation)
    context = {
        "title": _("Finalise the result"),
        "object": evaluation,
        "back": evaluation.get_absolute_url(),
    }
    return form_page(request, "evaluation/form.html", context, form)


@login_required
def appeal(request, pk: int):
    evaluation = evaluation_for(request, pk, APPEAL)
    form = AppealForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.appeal_submit(
                evaluation=evaluation, reason=form.cleaned_data["reason"], actor=request.user
            ),
        )
    ):
        messages.success(request, _("Your appeal was sent to the chair of the panel."))
        return redirect(evaluation)
    context = {
        "title": _("Appeal against the result"),
        "object": evaluation,
        "back": evaluation.get_absolute_url(),
        "intro": _(
            "You may appeal once, until %(date)s. Say what the result does not take into account."
        )
        % {"date": evaluation.appeal_until or "—"},
    }
    return form_page(request, "evaluation/form.html", context, form)


@login_required
def appeal_decide(request, pk: int):
    evaluation = evaluation_for(request, pk, CHAIR)
    appeal_row = _appeal(evaluation)
    if appeal_row is None:
        raise Http404
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.appeal_decide(
                appeal=appeal_row,
                upheld=data["upheld"],
                note=data["decision_note"],
                new_score=data.get("new_score"),
                actor=request.user,
            ),
        ):
            messages.success(request, _("The appeal was decided and recorded."))
            return redirect(evaluation)
    context = {
        "title": _("Decide the appeal"),
        "object": evaluation,
        "back": evaluation.get_absolute_url(),
        "intro": appeal_row.reason,
    }
    return form_page(request, "evaluation/form.html", context, form)


def _result_visible(request, evaluation: Evaluation) -> None:
    user = request.user
    if (
        evaluation.status == Evaluation.Status.PUBLISHED
        or user.has_perm(CHAIR, evaluation)
        or (roles.sees_all_projects(user) and evaluation.status == Evaluation.Status.FINALISED)
    ):
        return
    raise Http404


@require_POST
@login_required
def result_pdf(request, pk: int):
    evaluation = evaluation_for(request, pk)
    _result_visible(request, evaluation)
    reports.result_pdf_request(
        evaluation=evaluation, actor=request.user, language=request.LANGUAGE_CODE
    )
    messages.success(request, _("The PDF is being prepared; it appears here when it is ready."))
    return redirect(evaluation)


@login_required
def result_pdf_download(request, pk: int):
    evaluation = evaluation_for(request, pk)
    _result_visible(request, evaluation)
    run = reports.result_run(evaluation)
    if run is None or not run.is_downloadable:
        raise Http404
    return download_response(request, run)


@login_required
def my_evaluations(request):
    """A project manager's evaluations and an expert's assignments."""
    pid = roles.person_id_of(request.user)
    own = (
        Evaluation.objects.filter(manager_id=pid)
        .exclude(cycle__status="draft")
        .with_project()
        .order_by("-cycle__period_end", "project__code")
        if pid
        else Evaluation.objects.none()
    )
    assignments = (
        PanelAssignment.objects.filter(reviewer=request.user)
        .exclude(evaluation__cycle__status="draft")
        .select_related("evaluation__project", "evaluation__cycle", "evaluation__org_unit")
        .order_by("submitted_at", "-evaluation__cycle__review_due")
    )
    chaired = (
        Evaluation.objects.filter(cycle__chair=request.user, status=Evaluation.Status.REVIEW)
        .with_project()
        .order_by("project__code")
    )
    context = {
        "own": own,
        "assignments": assignments,
        "chaired": chaired,
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "evaluation/my.html", context)
