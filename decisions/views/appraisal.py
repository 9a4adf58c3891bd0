"""Economic benefits (cash flows computed live with htmx) and the alternatives."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decisions import charts, selectors
from decisions.forms import (
    AlternativeForm,
    CashFlowGridForm,
    CompetitiveAdvantageForm,
    CriterionForm,
    RiskForm,
    ScoreGridForm,
    grid_initial,
)
from decisions.models import Alternative, Criterion, SectionKind, Study
from decisions.services import appraisal as services
from decisions.services import studies as study_services
from decisions.views.common import check, get_section, get_study, study_page
from decisions.views.sections import render_section, section_url
from pmo.core import locking
from pmo.core.formatting import chart_unit
from pmo.core.forms import add_service_errors


def _section_for(alternative: Alternative) -> str:
    return SectionKind.ECONOMICS if alternative.is_proposal else SectionKind.ALTERNATIVES


def _grid_form(study: Study, alternative: Alternative, data=None) -> CashFlowGridForm:
    rate_editable = alternative.is_proposal
    if data is not None:
        return CashFlowGridForm(data, horizon=study.horizon_years, rate_editable=rate_editable)
    rows = services.flows_of(alternative, study.horizon_years)
    return CashFlowGridForm(
        initial=grid_initial(rows, study.discount_rate, study.horizon_years),
        horizon=study.horizon_years,
        rate_editable=rate_editable,
    )


def appraisal_context(study: Study, form: CashFlowGridForm | None, alternative: Alternative):
    """What the live appraisal partial shows: the figures, their working, a chart, or the
    form's errors (nothing is computed from bad input)."""
    rate = study.discount_rate
    if form is not None and form.is_bound:
        if not form.is_valid():
            return {"errors": _grid_errors(form), "alternative": alternative, "study": study}
        rate = form.cleaned_data.get("discount_rate", rate)
        rows = form.rows()
    else:
        rows = services.flows_of(alternative, study.horizon_years)
    result = services.appraise_rows(rate, rows)
    has_flows = any(r.investment or r.operating_cost or r.benefit for r in rows)
    divisor, unit = chart_unit(translation.get_language() or "")
    scale = float(divisor)
    chart = charts.cash_flow_chart(
        [str(study.base_year + r.year) for r in result.rows],
        [r.net / scale for r in result.rows],
        [r.cumulative / scale for r in result.rows],
        [r.discounted_cumulative / scale for r in result.rows],
        labels={
            "net": _("Net cash flow"),
            "cumulative": _("Cumulative"),
            "discounted": _("Discounted cumulative"),
        },
        value_name=unit,
    )
    return {
        "study": study,
        "alternative": alternative,
        "result": result if has_flows else None,
        "rate_percent": rate,
        "payback_working": selectors.payback_working(result) if has_flows else None,
        "dpayback_working": selectors.payback_working(result, discounted=True)
        if has_flows
        else None,
        "chart": chart if has_flows else None,
        "chart_id": f"cash-flow-chart-{alternative.pk}",
    }


def _grid_errors(form: CashFlowGridForm) -> list[str]:
    errors = []
    for name, messages_ in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors.extend(f"{label}: {m}" if label else m for m in messages_)
    return errors


def economics_context(request, study, forms, can_edit):
    proposal = study.alternatives.filter(kind=Alternative.Kind.PROPOSAL).first()
    form = forms.get("grid") or _grid_form(study, proposal)
    return {
        "proposal": proposal,
        "grid_form": form,
        **{f"a_{k}": v for k, v in appraisal_context(study, form, proposal).items()},
    }


@login_required
def cash_flows(request, pk: int, alt_pk: int):
    """Save an alternative's cash flows (the proposal's also set the rate and horizon)."""
    study = get_study(request, pk)
    alternative = get_object_or_404(Alternative, pk=alt_pk, study=study)
    alternative.study = study
    if request.method != "POST":
        return redirect(_alternative_url(alternative))
    check(
        request, "decisions.change_section", get_section(request, study, _section_for(alternative))
    )
    form = _grid_form(study, alternative, request.POST)
    if form.is_valid():
        try:
            services.cash_flows_save(
                alternative=alternative,
                rows=form.rows(),
                actor=request.user,
                discount_rate=form.cleaned_data.get("discount_rate"),
                horizon_years=form.cleaned_data.get("horizon_years"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        if alternative.is_proposal:
            return render_section(request, study, SectionKind.ECONOMICS, {"grid": form}, status=422)
        return alternative_page(request, study, alternative, {"grid": form}, status=422)
    messages.success(request, _("The cash flows were saved."))
    return redirect(_alternative_url(alternative))


@require_POST
@login_required
def cash_flows_preview(request, pk: int, alt_pk: int):
    """The figures of the cash flows being typed, computed without saving (htmx)."""
    study = get_study(request, pk)
    alternative = get_object_or_404(Alternative, pk=alt_pk, study=study)
    check(
        request, "decisions.change_section", get_section(request, study, _section_for(alternative))
    )
    form = _grid_form(study, alternative, request.POST)
    context = appraisal_context(study, form, alternative)
    if request.htmx and alternative.is_proposal and form.horizon != study.horizon_years:
        # The horizon changed: the grid is drawn again with the new years.
        context = {
            "study": study,
            "proposal": alternative,
            "grid_form": form,
            "can_edit_section": True,
            **{f"a_{k}": v for k, v in context.items()},
        }
        response = TemplateResponse(request, "decisions/sections/economics.html#part", context)
        response["HX-Retarget"] = "#economics-part"
        return response
    return TemplateResponse(request, "decisions/_appraisal.html", context)


def _alternative_url(alternative: Alternative) -> str:
    if alternative.is_proposal:
        return section_url(alternative.study, SectionKind.ECONOMICS)
    return reverse("decisions:alternative_edit", args=[alternative.study_id, alternative.pk])


# --- alternatives ----------------------------------------------------------------------------


def alternatives_context(request, study, forms, can_edit):
    alternatives = selectors.alternatives_with_flows(study)
    appraisals = selectors.appraisals(study, alternatives)
    criteria = list(study.criteria.all())
    ranking = selectors.alternatives_ranking(study, alternatives)
    shares = dict(zip([c.pk for c in criteria], ranking.weight_shares, strict=False))
    divisor, unit = chart_unit(translation.get_language() or "")
    score_chart = None
    if ranking.rows:
        score_chart = charts.weighted_score_chart(
            [row.alternative.name for row in ranking.rows],
            [c.name for c in criteria],
            [
                [shares[c.pk] * float(s or 0) for c, s in zip(criteria, row.scores, strict=True)]
                for row in ranking.rows
            ],
        )
    npv_chart = charts.npv_chart(
        [a.alternative.name for a in appraisals],
        [a.appraisal.npv / float(divisor) if a.appraisal else None for a in appraisals],
        unit,
    )
    initial = {}
    for alternative in alternatives:
        for score in alternative.scores.all():
            initial[f"s_{alternative.pk}_{score.criterion_id}"] = score.score
    return {
        "alternatives": appraisals,
        "ranking": ranking,
        "score_chart": score_chart,
        "npv_chart": npv_chart if any(a.appraisal for a in appraisals) else None,
        "alternative_form": forms.get("alternative") or AlternativeForm(),
        "criterion_form": forms.get("criterion") or CriterionForm(),
        "score_form": forms.get("scores")
        or ScoreGridForm(alternatives=alternatives, criteria=criteria, initial=initial),
        "advantage_form": forms.get("advantage")
        or CompetitiveAdvantageForm(initial={"competitive_advantage": study.competitive_advantage}),
        "risk_exposures": {a.pk: selectors.risk_exposure(a.risks.all()) for a in alternatives},
    }


def _alternatives_section(request, study, forms=None, status=200):
    return render_section(request, study, SectionKind.ALTERNATIVES, forms, status=status)


def _check_alternatives(request, study):
    check(
        request, "decisions.change_section", get_section(request, study, SectionKind.ALTERNATIVES)
    )


@require_POST
@login_required
def alternative_add(request, pk: int):
    study = get_study(request, pk)
    _check_alternatives(request, study)
    form = AlternativeForm(request.POST)
    if form.is_valid():
        try:
            alternative = services.alternative_save(
                study=study, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _alternatives_section(request, study, {"alternative": form}, status=422)
    messages.success(
        request, _("The alternative “%(name)s” was added.") % {"name": alternative.name}
    )
    return redirect(section_url(study, SectionKind.ALTERNATIVES))


def alternative_page(request, study, alternative, forms=None, status=200):
    forms = forms or {}
    can_edit = (
        request.user.has_perm(
            "decisions.change_section", get_section(request, study, SectionKind.ALTERNATIVES)
        )
        and study.is_editable
    )
    grid = forms.get("grid") or _grid_form(study, alternative)
    risks = sorted(alternative.risks.select_related("owner"), key=lambda r: -r.score)
    context = {
        "alternative": alternative,
        "form": forms.get("alternative") or _alternative_form(alternative),
        "grid_form": grid,
        "can_edit_section": can_edit,
        "risks": risks,
        "heat_map": selectors.heat_map(risks),
        "risk_form": RiskForm(study=study, initial={"alternative": alternative}),
        **{f"a_{k}": v for k, v in appraisal_context(study, grid, alternative).items()},
    }
    return study_page(
        request,
        study,
        "decisions/alternative_detail.html",
        context,
        active="alternatives",
        status=status,
    )


def _alternative_form(alternative, data=None) -> AlternativeForm:
    form = AlternativeForm(data, instance=alternative)
    locking.attach_token(form, alternative)
    return form


@login_required
def alternative_edit(request, pk: int, alt_pk: int):
    study = get_study(request, pk)
    alternative = get_object_or_404(Alternative, pk=alt_pk, study=study)
    alternative.study = study
    if request.method != "POST":
        return alternative_page(request, study, alternative)
    _check_alternatives(request, study)
    form = _alternative_form(alternative, request.POST)
    if form.is_valid():
        try:
            with locking.guard(form):
                services.alternative_save(
                    study=study, actor=request.user, alternative=alternative, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        alternative.refresh_from_db()
        return alternative_page(request, study, alternative, {"alternative": form}, status=422)
    messages.success(request, _("The alternative was saved."))
    return redirect("decisions:alternative_edit", pk=study.pk, alt_pk=alternative.pk)


@require_POST
@login_required
def alternative_delete(request, pk: int, alt_pk: int):
    study = get_study(request, pk)
    alternative = get_object_or_404(Alternative, pk=alt_pk, study=study)
    _check_alternatives(request, study)
    try:
        services.alternative_delete(alternative=alternative, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The alternative was removed."))
    return redirect(section_url(study, SectionKind.ALTERNATIVES))


@require_POST
@login_required
def criterion_add(request, pk: int):
    study = get_study(request, pk)
    _check_alternatives(request, study)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            services.criterion_save(study=study, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _alternatives_section(request, study, {"criterion": form}, status=422)
    messages.success(request, _("The criterion was added."))
    return redirect(section_url(study, SectionKind.ALTERNATIVES) + "#criteria")


@require_POST
@login_required
def criterion_delete(request, pk: int, criterion_pk: int):
    study = get_study(request, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, study=study)
    _check_alternatives(request, study)
    try:
        services.criterion_delete(criterion=criterion, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The criterion was removed."))
    return redirect(section_url(study, SectionKind.ALTERNATIVES) + "#criteria")


@require_POST
@login_required
def scores_save(request, pk: int):
    study = get_study(request, pk)
    _check_alternatives(request, study)
    form = ScoreGridForm(
        request.POST, alternatives=study.alternatives.all(), criteria=study.criteria.all()
    )
    if form.is_valid():
        try:
            services.criterion_scores_set(study=study, scores=form.scores(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _alternatives_section(request, study, {"scores": form}, status=422)
    messages.success(request, _("The scores were saved."))
    return redirect(section_url(study, SectionKind.ALTERNATIVES) + "#ranking")


@require_POST
@login_required
def advantage_save(request, pk: int):
    study = get_study(request, pk)
    _check_alternatives(request, study)
    form = CompetitiveAdvantageForm(request.POST)
    if form.is_valid():
        try:
            study_services.study_analysis_update(
                study=study,
                actor=request.user,
                competitive_advantage=form.cleaned_data["competitive_advantage"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _alternatives_section(request, study, {"advantage": form}, status=422)
    messages.success(request, _("Saved."))
    return redirect(section_url(study, SectionKind.ALTERNATIVES) + "#advantage")
