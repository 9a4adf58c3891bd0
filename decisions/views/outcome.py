"""Recommendation, decision pack and decision record of a study; decision conditions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from decisions import selectors
from decisions.forms import (
    ActionForm,
    ConditionFormSet,
    DecisionForm,
    PackForm,
    RecommendationForm,
)
from decisions.models import Action, Decision, Study
from decisions.services import outcome as services
from decisions.views.common import check, get_study, study_page
from pmo.core.forms import add_service_errors
from pmo.core.models import SecurityEvent
from pmo.core.services import security_event_record


def _portfolios():
    from portfolio.models import Portfolio

    return Portfolio.objects.exclude(status=Portfolio.Status.CLOSED).order_by("code")


def _decision_page(request, study: Study, forms: dict | None = None, status=200):
    forms = forms or {}
    user = request.user
    in_review = study.status == Study.Status.IN_REVIEW
    decision = (
        Decision.objects.filter(study=study)
        .select_related("portfolio", "recorded_by")
        .prefetch_related("decision_makers")
        .first()
    )
    actions = []
    if decision is not None:
        actions = [
            (action, ActionForm(initial={"done": "1", "note": action.done_note}))
            for action in decision.actions.select_related("owner")
        ]
    alternatives = selectors.alternatives_with_flows(study)
    can_decide = user.has_perm("decisions.decide", study) and in_review
    context = {
        "decision": decision,
        "actions": [(a, f, user.has_perm("decisions.update_action", a)) for a, f in actions],
        "can_recommend": user.has_perm("decisions.recommend", study) and in_review,
        "can_pack": user.has_perm("decisions.generate_pack", study)
        and study.status in (Study.Status.IN_REVIEW, Study.Status.DECIDED),
        "can_view_pack": user.has_perm("decisions.view_pack", study),
        "can_decide": can_decide,
        "recommend_form": forms.get("recommend")
        or RecommendationForm(
            initial={
                "recommendation": study.recommendation,
                "reasoning": study.recommendation_reasoning,
            }
        ),
        "pack_form": PackForm(initial={"language": translation.get_language()}),
        "decision_form": forms.get("decision")
        or (
            DecisionForm(portfolios=_portfolios(), initial={"outcome": ""}) if can_decide else None
        ),
        "conditions": forms.get("conditions")
        or (ConditionFormSet(prefix="c") if can_decide else None),
        "appraisals": selectors.appraisals(study, alternatives),
        "ranking": selectors.alternatives_ranking(study, alternatives),
        "review_summary": selectors.review_summary(study),
        "problems": [] if decision else _problems(study),
    }
    return study_page(
        request, study, "decisions/study_decision.html", context, active="decision", status=status
    )


def _problems(study: Study) -> list[str]:
    from decisions.services.studies import submission_problems

    return submission_problems(study)


@require_GET
@login_required
def study_decision(request, pk: int):
    study = get_study(request, pk)
    return _decision_page(request, study)


@require_POST
@login_required
def study_recommend(request, pk: int):
    study = get_study(request, pk, "decisions.recommend")
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.study_recommend(study=study, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _decision_page(request, study, {"recommend": form}, status=422)
    messages.success(request, _("The recommendation was recorded."))
    return redirect("decisions:study_decision", pk=study.pk)


@require_POST
@login_required
def pack_generate(request, pk: int):
    """Ask for the decision pack; the page then polls until the task has printed it."""
    study = get_study(request, pk, "decisions.generate_pack")
    form = PackForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else translation.get_language()
    try:
        services.decision_pack_request(study=study, actor=request.user, language=language)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision pack is being prepared."))
    return redirect("decisions:study_decision", pk=study.pk)


@require_GET
@login_required
def pack_status(request, pk: int):
    """The pack's state, polled by htmx while it is waiting or rendering."""
    study = get_study(request, pk, "decisions.view_pack")
    if not request.htmx:
        return redirect("decisions:study_decision", pk=study.pk)
    return TemplateResponse(
        request,
        "decisions/study_decision.html#pack-status",
        {"study": study, "can_view_pack": True},
    )


@require_GET
@login_required
def pack_download(request, pk: int):
    study = get_study(request, pk, "decisions.view_pack")
    run = study.pack_run
    if run is None or not run.is_downloadable:
        raise Http404
    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD,
        user=request.user,
        request=request,
        detail=f"decision pack {study.pk} run {run.pk} {run.language}",
    )
    return FileResponse(
        run.file.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=f"{study.project.code}-v{study.version}-{run.language}.pdf",
        content_type="application/pdf",
    )


@require_POST
@login_required
def decision_record(request, pk: int):
    study = get_study(request, pk, "decisions.decide")
    form = DecisionForm(request.POST, portfolios=_portfolios())
    conditions = ConditionFormSet(request.POST, prefix="c")
    if form.is_valid() and conditions.is_valid():
        try:
            services.decision_record(
                study=study,
                actor=request.user,
                conditions=[
                    services.Condition(c["title"], c.get("owner"), c.get("due_date"))
                    for c in conditions.cleaned_data
                    if c and c.get("title")
                ],
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors or not conditions.is_valid():
        forms = {"decision": form, "conditions": conditions}
        return _decision_page(request, study, forms, status=422)
    messages.success(request, _("The decision was recorded."))
    return redirect("decisions:study_decision", pk=study.pk)


@require_POST
@login_required
def action_update(request, action_pk: int):
    action = get_object_or_404(Action.objects.select_related("decision"), pk=action_pk)
    study = get_study(request, action.decision.study_id)
    action.decision.study = study
    check(request, "decisions.update_action", action)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_update(
                action=action,
                actor=request.user,
                done=form.cleaned_data["done"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The condition was updated."))
    else:
        messages.error(request, _("Choose the condition's status."))
    return redirect("decisions:study_decision", pk=study.pk)
