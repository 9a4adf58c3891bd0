"""Selection rounds against a level's standards, and the periodic appraisal with
KPIs from our data, manager ratings, calibration, incentives and constraints."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import charts, roles
from pmo.core.permissions import require_perm
from talent import services
from talent.analysis import GRADES
from talent.forms import (
    AppraisalRoundForm,
    CalibrateForm,
    CandidateForm,
    DecisionForm,
    RateForm,
    SchemeForm,
    SelectionRoundForm,
)
from talent.models import (
    Appraisal,
    AppraisalRound,
    AppraisalScheme,
    SelectionCandidate,
    SelectionRound,
)
from talent.services.selection import kpi_choices, may_rate
from talent.views.common import check, form_page, handle_form, post_action

SELECT = "talent.manage_selection"
VIEW, MANAGE = "talent.view_appraisal", "talent.manage_appraisal"


@require_perm(SELECT)
def selection_list(request):
    rounds = (
        SelectionRound.objects.select_related("level")
        .annotate(
            n=Count("candidates"),
            n_selected=Count("candidates", filter=Q(candidates__decision="selected")),
        )
        .order_by("-opened_on")
    )
    return TemplateResponse(request, "talent/selection_list.html", {"rounds": rounds})


@require_perm(SELECT)
def selection_create(request):
    form = SelectionRoundForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda f: services.selection_round_open(actor=request.user, **f.cleaned_data),
        done=_("The selection round was opened."),
        then=lambda r: r.get_absolute_url(),
        title=_("Selection round"),
        back=reverse("talent:selection_list"),
    )


@require_perm(SELECT)
def selection_detail(request, pk: int):
    round = get_object_or_404(SelectionRound.objects.select_related("level"), pk=pk)
    candidates = round.candidates.select_related("person", "person__org_unit", "decided_by")
    context = {
        "round": round,
        "candidates": candidates,
        "requirements": round.level.requirements.select_related("competency"),
        "certificates": round.level.required_certifications.all(),
        "candidate_form": CandidateForm(query=request.GET.get("q", "")),
        "query": request.GET.get("q", "")[:100],
    }
    return TemplateResponse(request, "talent/selection_detail.html", context)


@require_POST
@require_perm(SELECT)
def selection_candidate_add(request, pk: int):
    round = get_object_or_404(SelectionRound, pk=pk)
    form = CandidateForm(request.POST)
    if not form.is_valid():
        return form_page(
            request,
            "talent/form.html",
            {"title": _("Candidate"), "back": round.get_absolute_url()},
            form,
        )
    return post_action(
        request,
        lambda: services.selection_candidate_add(
            round=round, person=form.cleaned_data["person"], actor=request.user
        ),
        done=_("The candidate was assessed against the level's criteria."),
        then=round.get_absolute_url(),
    )


@require_perm(SELECT)
def selection_decide(request, pk: int):
    candidate = get_object_or_404(
        SelectionCandidate.objects.select_related("round", "person"), pk=pk
    )
    form = DecisionForm(request.POST or None, instance=candidate)
    return handle_form(
        request,
        form,
        lambda f: services.selection_candidate_decide(
            candidate=candidate, actor=request.user, **f.cleaned_data
        ),
        done=_("The decision was recorded."),
        then=candidate.round.get_absolute_url(),
        title=_("Selection decision"),
        back=candidate.round.get_absolute_url(),
        context={"object": candidate},
    )


@require_POST
@require_perm(SELECT)
def selection_close(request, pk: int):
    round = get_object_or_404(SelectionRound, pk=pk)
    return post_action(
        request,
        lambda: services.selection_round_close(round=round, actor=request.user),
        done=_("The selection round is decided."),
        then=round.get_absolute_url(),
    )


@require_perm(VIEW)
def appraisal_home(request):
    labels = dict(kpi_choices())
    schemes = AppraisalScheme.objects.prefetch_related("kpis").order_by("code")
    context = {
        "schemes": [
            (s, [(labels.get(k.metric_key, k.metric_key), k) for k in s.kpis.all()])
            for s in schemes
        ],
        "rounds": AppraisalRound.objects.select_related("scheme")
        .annotate(n=Count("appraisals"))
        .order_by("-period_end"),
        "can_manage": request.user.has_perm(MANAGE),
    }
    return TemplateResponse(request, "talent/appraisal_home.html", context)


@require_perm(MANAGE)
def scheme_edit(request, pk: int | None = None):
    scheme = get_object_or_404(AppraisalScheme, pk=pk) if pk else None
    form = SchemeForm(request.POST or None, instance=scheme, choices=kpi_choices())
    return handle_form(
        request,
        form,
        lambda f: services.appraisal_scheme_save(
            scheme=scheme, actor=request.user, **f.service_fields()
        ),
        done=_("The appraisal scheme was saved."),
        then=reverse("talent:appraisal_home"),
        title=_("Appraisal scheme"),
        back=reverse("talent:appraisal_home"),
    )


@require_perm(MANAGE)
def round_create(request):
    form = AppraisalRoundForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda f: services.appraisal_round_open(actor=request.user, **f.cleaned_data),
        done=_("The appraisal round was opened with KPIs computed from the data."),
        then=lambda r: r.get_absolute_url(),
        title=_("Appraisal round"),
        back=reverse("talent:appraisal_home"),
    )


@login_required
def round_detail(request, pk: int):
    """Results of a round: KPI score, manager rating, total, grade, calibration and the
    incentive or constraint. The PMO and executives see all; a line manager their reports."""
    round = get_object_or_404(AppraisalRound.objects.select_related("scheme"), pk=pk)
    appraisals = round.appraisals.select_related("person", "person__org_unit").order_by(
        "-total_score", "person__name"
    )
    if not request.user.has_perm(VIEW):
        pid = roles.person_id_of(request.user)
        appraisals = appraisals.filter(person__talent_profile__line_manager_id=pid)
        if pid is None or not appraisals.exists():
            raise Http404
    appraisals = list(appraisals)
    grades = Counter(a.final_grade for a in appraisals if a.final_grade)
    context = {
        "round": round,
        "appraisals": appraisals,
        "can_manage": request.user.has_perm(MANAGE),
        "grade_chart": charts.bar(
            list(GRADES), {_("PMs"): [grades.get(g, 0) for g in GRADES]}, value_name=_("PMs")
        ),
        "consequences": sorted(
            Counter(
                str(a.get_consequence_display()) for a in appraisals if a.consequence != "none"
            ).items()
        ),
    }
    return TemplateResponse(request, "talent/appraisal_round.html", context)


@require_POST
@require_perm(MANAGE)
def round_compute(request, pk: int):
    round = get_object_or_404(AppraisalRound.objects.select_related("scheme"), pk=pk)
    return post_action(
        request,
        lambda: services.appraisal_kpis_compute(round=round, actor=request.user),
        done=_("The KPIs were computed again from the data."),
        then=round.get_absolute_url(),
    )


@require_POST
@require_perm(MANAGE)
def round_advance(request, pk: int):
    round = get_object_or_404(AppraisalRound, pk=pk)
    return post_action(
        request,
        lambda: services.appraisal_round_advance(round=round, actor=request.user),
        done=_("The appraisal round moved on."),
        then=round.get_absolute_url(),
    )


def _appraisal_for(request, pk: int) -> Appraisal:
    appraisal = get_object_or_404(
        Appraisal.objects.select_related("round", "round__scheme", "person"), pk=pk
    )
    if not (request.user.has_perm(VIEW) or may_rate(request.user, appraisal)):
        raise Http404
    return appraisal


@login_required
def appraisal_rate(request, pk: int):
    appraisal = _appraisal_for(request, pk)
    if not may_rate(request.user, appraisal):
        check(request, MANAGE)
    form = RateForm(request.POST or None, instance=appraisal)
    return handle_form(
        request,
        form,
        lambda f: services.appraisal_rate(
            appraisal=appraisal, actor=request.user, **f.cleaned_data
        ),
        done=_("The rating was recorded."),
        then=appraisal.round.get_absolute_url(),
        title=_("Manager rating"),
        back=appraisal.round.get_absolute_url(),
        template="talent/appraisal_form.html",
        context={"object": appraisal, "appraisal": appraisal},
    )


@require_perm(MANAGE)
def appraisal_calibrate(request, pk: int):
    appraisal = _appraisal_for(request, pk)
    form = CalibrateForm(request.POST or None, instance=appraisal)
    return handle_form(
        request,
        form,
        lambda f: services.appraisal_calibrate(
            appraisal=appraisal, actor=request.user, **f.cleaned_data
        ),
        done=_("The calibration was recorded."),
        then=appraisal.round.get_absolute_url(),
        title=_("Calibration, incentives and constraints"),
        back=appraisal.round.get_absolute_url(),
        template="talent/appraisal_form.html",
        context={"object": appraisal, "appraisal": appraisal},
    )


urlpatterns = [
    path("selection/", selection_list, name="selection_list"),
    path("selection/new/", selection_create, name="selection_create"),
    path("selection/<int:pk>/", selection_detail, name="selection_detail"),
    path("selection/<int:pk>/candidates/", selection_candidate_add, name="selection_candidate_add"),
    path("selection/<int:pk>/close/", selection_close, name="selection_close"),
    path("selection/candidates/<int:pk>/decide/", selection_decide, name="selection_decide"),
    path("appraisal/", appraisal_home, name="appraisal_home"),
    path("appraisal/schemes/new/", scheme_edit, name="scheme_create"),
    path("appraisal/schemes/<int:pk>/edit/", scheme_edit, name="scheme_edit"),
    path("appraisal/rounds/new/", round_create, name="appraisal_round_create"),
    path("appraisal/rounds/<int:pk>/", round_detail, name="appraisal_round"),
    path("appraisal/rounds/<int:pk>/compute/", round_compute, name="appraisal_compute"),
    path("appraisal/rounds/<int:pk>/advance/", round_advance, name="appraisal_advance"),
    path("appraisal/items/<int:pk>/rate/", appraisal_rate, name="appraisal_rate"),
    path("appraisal/items/<int:pk>/calibrate/", appraisal_calibrate, name="appraisal_calibrate"),
]
