"""Pages of the prioritisation part of strategic portfolio management: business drivers
and their weights, pairwise comparison, the rating grid, the priority ranking and the
rating scales."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm
from portfolio.forms.prioritisation import (
    CompareForm,
    DriverForm,
    RankingFilterForm,
    RatingGridForm,
    RatingScaleForm,
    WeightsForm,
    level_formset,
)
from portfolio.models import (
    BusinessDriver,
    DriverComparison,
    DriverRating,
    PortfolioItem,
    RatingLevel,
    RatingScale,
)
from portfolio.selectors import prioritisation as selectors
from portfolio.selectors.prioritisation import get_portfolio_for_user
from portfolio.services import prioritisation as services

PAGE_SIZE = 50
CHART_BARS = 25


def _page_context(request, portfolio, active: str, **extra) -> dict:
    user = request.user
    return {
        "portfolio": portfolio,
        "active": active,
        "can_change": user.has_perm("portfolio.change_portfolio", portfolio),
        "can_compare": user.has_perm("portfolio.compare_drivers", portfolio),
        "can_rate": user.has_perm("portfolio.rate_candidates", portfolio),
        **extra,
    }


# --- drivers and weights --------------------------------------------------------------------


@login_required
def drivers(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk)
    weights = selectors.driver_weights(portfolio)
    mine = next((e for e in weights.evaluators if e.evaluator.pk == request.user.pk), None)
    series = [(e.name, e.weights_pct) for e in weights.counted]
    if weights.aggregate is not None and len(weights.counted) > 1:
        series.append(
            (_("Geometric mean of all evaluators"), [w * 100 for w in weights.aggregate.weights])
        )
    if weights.manual_total:
        series.append((_("Manual weights"), [float(d.manual_weight or 0) for d in weights.drivers]))
    chart = selectors.weights_chart([d.label for d in weights.drivers], series, "%")
    context = _page_context(
        request, portfolio, "drivers", weights=weights, mine=mine, chart=chart if series else None
    )
    return TemplateResponse(request, "portfolio/driver_list.html", context)


def _driver_form(request, portfolio, driver=None):
    form = DriverForm(request.POST or None, instance=driver)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("name", "name_en", "description")}
        try:
            if driver is None:
                services.driver_create(portfolio=portfolio, actor=request.user, **data)
            else:
                services.driver_update(driver=driver, actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The business driver was saved."))
            return redirect("portfolio:drivers", portfolio.pk)
    context = _page_context(request, portfolio, "drivers", form=form, driver=driver)
    return TemplateResponse(request, "portfolio/driver_form.html", context)


@login_required
def driver_create(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.change_portfolio")
    return _driver_form(request, portfolio)


@login_required
def driver_edit(request, pk: int, driver_pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.change_portfolio")
    driver = get_object_or_404(BusinessDriver, pk=driver_pk, portfolio=portfolio)
    return _driver_form(request, portfolio, driver)


@require_POST
@login_required
def driver_delete(request, pk: int, driver_pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.change_portfolio")
    driver = get_object_or_404(BusinessDriver, pk=driver_pk, portfolio=portfolio)
    try:
        services.driver_delete(driver=driver, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The business driver was deleted."))
    return redirect("portfolio:drivers", portfolio.pk)


@require_POST
@login_required
def driver_move(request, pk: int, driver_pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.change_portfolio")
    driver = get_object_or_404(BusinessDriver, pk=driver_pk, portfolio=portfolio)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.driver_move(driver=driver, offset=offset, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("portfolio:drivers", portfolio.pk)


@login_required
def driver_weights(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.change_portfolio")
    drivers_ = selectors.ordered_drivers(portfolio)
    form = WeightsForm(
        request.POST or None, drivers=drivers_, initial={"framework": portfolio.framework}
    )
    if request.method == "POST" and request.htmx:
        # The live total while the weights are typed; nothing is saved.
        context = _page_context(request, portfolio, "drivers", form=form)
        return TemplateResponse(request, "portfolio/driver_weights.html#total", context)
    if request.method == "POST" and form.is_valid():
        try:
            services.portfolio_weights_set(
                portfolio=portfolio,
                framework=form.cleaned_data["framework"],
                manual_weights=form.manual_weights(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The framework and the manual weights were saved."))
            return redirect("portfolio:drivers", portfolio.pk)
    context = _page_context(request, portfolio, "drivers", form=form)
    return TemplateResponse(request, "portfolio/driver_weights.html", context)


# --- pairwise comparison ----------------------------------------------------------------------


def _compare_form(request, portfolio):
    drivers_ = selectors.ordered_drivers(portfolio)
    rows = DriverComparison.objects.filter(portfolio=portfolio, evaluator=request.user)
    current = {(f, s): v for f, s, v in rows.values_list("first_id", "second_id", "value")}
    pairs = selectors.driver_pairs(drivers_)
    form = CompareForm(request.POST or None, pairs=pairs, current=current)
    return drivers_, form


@login_required
def compare(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.compare_drivers")
    drivers_, form = _compare_form(request, portfolio)
    if request.method == "POST" and form.is_valid():
        try:
            services.driver_comparisons_save(
                portfolio=portfolio,
                evaluator=request.user,
                judgements=form.judgements(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your judgements were saved."))
            return redirect("portfolio:drivers", portfolio.pk)
    judgements = form.lenient_judgements() if form.is_bound else form_initial(form)
    preview = selectors.evaluator_weights(drivers_, request.user, judgements)
    context = _page_context(request, portfolio, "drivers", form=form, preview=preview)
    return TemplateResponse(request, "portfolio/compare.html", context)


def form_initial(form: CompareForm) -> dict[tuple[int, int], float]:
    """The judgements the unbound form shows (saved ones, else "equally important")."""
    return {
        (left.pk, right.pk): selectors.saaty_value(str(form[f"p_{left.pk}_{right.pk}"].value()))
        for left, right in form.pairs
    }


@require_POST
@login_required
def compare_preview(request, pk: int):
    """The live AHP result of the judgements being edited; it never writes."""
    portfolio = get_portfolio_for_user(request, pk, "portfolio.compare_drivers")
    drivers_, form = _compare_form(request, portfolio)
    preview = selectors.evaluator_weights(drivers_, request.user, form.lenient_judgements())
    context = _page_context(request, portfolio, "drivers", form=form, preview=preview)
    return TemplateResponse(request, "portfolio/compare.html#result", context)


# --- the rating grid ---------------------------------------------------------------------------


@login_required
def ratings(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.rate_candidates")
    items = (
        PortfolioItem.objects.filter(portfolio=portfolio).with_project().order_by("project__code")
    )
    if request.method == "POST":
        # The rows the page showed, whatever was added or removed since.
        shown = [int(x) for x in request.POST.getlist("item") if x.isdigit()]
        page, rows = None, list(items.filter(pk__in=shown))
    else:
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    drivers_ = selectors.ordered_drivers(portfolio)
    levels = list(RatingLevel.objects.filter(scale=portfolio.rating_scale_id).order_by("value"))
    current = {
        (r.item_id, r.driver_id): r.level
        for r in DriverRating.objects.filter(item__in=[i.pk for i in rows]).select_related("level")
    }
    wsjf = portfolio.framework == portfolio.Framework.WSJF
    form = RatingGridForm(
        request.POST or None,
        items=rows,
        drivers=drivers_,
        levels=levels,
        wsjf=wsjf,
        ratings=current,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_ratings_save(
                portfolio=portfolio, rows=form.rating_rows(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The ratings were saved and the scores recalculated."))
            url = reverse("portfolio:ratings", args=[portfolio.pk])
            number = request.GET.get("page", "")
            return redirect(f"{url}?page={number}" if number.isdigit() else url)
    context = _page_context(
        request,
        portfolio,
        "ratings",
        form=form,
        page=page,
        drivers=drivers_,
        levels=levels,
        wsjf=wsjf,
    )
    return TemplateResponse(request, "portfolio/ratings.html", context)


# --- the ranking --------------------------------------------------------------------------------


def _matches(row, show: str, min_feasibility: int, max_risk: int) -> bool:
    verdict = row.acceptable(min_feasibility, max_risk)
    return {
        "": True,
        "acceptable": verdict is True,
        "outside": verdict is False,
        "unassessed": verdict is None,
        "mandatory": bool(row.item.mandate),
    }[show]


@login_required
def ranking(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk)
    scoring = selectors.portfolio_scoring(portfolio)
    filter_form = RankingFilterForm(request.GET or None)
    show, min_feasibility, max_risk = filter_form.values()
    verdicts = [c.acceptable(min_feasibility, max_risk) for c in scoring.candidates]
    counts = {
        "all": len(verdicts),
        "acceptable": verdicts.count(True),
        "outside": verdicts.count(False),
        "unassessed": verdicts.count(None),
        "mandatory": sum(1 for c in scoring.candidates if c.item.mandate),
    }
    shown = [c for c in scoring.candidates if _matches(c, show, min_feasibility, max_risk)]
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.verdict = row.acceptable(min_feasibility, max_risk)
    charted = [c for c in shown if c.score is not None][:CHART_BARS]
    chart = None
    if charted:
        series = [
            (name, [c.contributions[k] for c in charted]) for k, name in enumerate(scoring.columns)
        ]
        chart = selectors.stacked_ranking_chart(
            [f"{c.rank}. {c.item.project.label}" for c in charted],
            series,
            [c.item.project.pk for c in charted],
            _("score points"),
        )
    context = _page_context(
        request,
        portfolio,
        "ranking",
        scoring=scoring,
        filter=filter_form,
        show=show,
        min_feasibility=min_feasibility,
        max_risk=max_risk,
        counts=counts,
        page=page,
        chart=chart,
        charted=len(charted),
    )
    return TemplateResponse(request, "portfolio/ranking.html", context)


@require_POST
@login_required
def ranking_refresh(request, pk: int):
    portfolio = get_portfolio_for_user(request, pk, "portfolio.change_portfolio")
    services.portfolio_scores_refresh(portfolio=portfolio, actor=request.user)
    messages.success(request, _("The scores and ranks were recalculated."))
    return redirect("portfolio:ranking", portfolio.pk)


# --- rating scales --------------------------------------------------------------------------------


@require_perm("portfolio.view_portfolio")
def scale_list(request):
    scales = RatingScale.objects.annotate(portfolio_count=Count("portfolio")).prefetch_related(
        Prefetch("levels", queryset=RatingLevel.objects.order_by("value"))
    )
    page = Paginator(scales.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_change": request.user.has_perm("portfolio.change_portfolio")}
    return TemplateResponse(request, "portfolio/scale_list.html", context)


def _scale_form(request, scale=None):
    form = RatingScaleForm(request.POST or None, instance=scale)
    formset = level_formset(request.POST or None, scale=scale)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.rating_scale_save(
                scale=scale,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
                levels=formset.level_inputs(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rating scale was saved."))
            return redirect("portfolio:scale_list")
    used = scale.portfolio_set.count() if scale else 0
    context = {"form": form, "formset": formset, "scale": scale, "used": used}
    return TemplateResponse(request, "portfolio/scale_form.html", context)


@require_perm("portfolio.change_portfolio")
def scale_create(request):
    return _scale_form(request)


@require_perm("portfolio.change_portfolio")
def scale_edit(request, pk: int):
    return _scale_form(request, get_object_or_404(RatingScale, pk=pk))


urlpatterns = [
    path("portfolios/<int:pk>/drivers/", drivers, name="drivers"),
    path("portfolios/<int:pk>/drivers/new/", driver_create, name="driver_create"),
    path("portfolios/<int:pk>/drivers/<int:driver_pk>/edit/", driver_edit, name="driver_edit"),
    path(
        "portfolios/<int:pk>/drivers/<int:driver_pk>/delete/", driver_delete, name="driver_delete"
    ),
    path("portfolios/<int:pk>/drivers/<int:driver_pk>/move/", driver_move, name="driver_move"),
    path("portfolios/<int:pk>/weights/", driver_weights, name="driver_weights"),
    path("portfolios/<int:pk>/compare/", compare, name="compare"),
    path("portfolios/<int:pk>/compare/preview/", compare_preview, name="compare_preview"),
    path("portfolios/<int:pk>/ratings/", ratings, name="ratings"),
    path("portfolios/<int:pk>/ranking/", ranking, name="ranking"),
    path("portfolios/<int:pk>/ranking/refresh/", ranking_refresh, name="ranking_refresh"),
    path("scales/", scale_list, name="scale_list"),
    path("scales/new/", scale_create, name="scale_create"),
    path("scales/<int:pk>/edit/", scale_edit, name="scale_edit"),
]
