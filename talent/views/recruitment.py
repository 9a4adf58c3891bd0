"""Bringing in PM talent: salary bands per level, recruitment plans with vacancies and
the candidate pipeline, onboarding and mentoring with check-ins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import charts, roles
from pmo.core.permissions import require_perm
from talent import services
from talent.forms import (
    ApplicantForm,
    BandForm,
    CheckInForm,
    MoveForm,
    OnboardingForm,
    RecruitmentPlanForm,
    VacancyForm,
)
from talent.models import (
    Candidate,
    CareerLevel,
    Onboarding,
    OnboardingCheckIn,
    RecruitmentPlan,
    Vacancy,
)
from talent.services.recruitment import PIPELINE
from talent.views.common import check, form_page, handle_form, post_action

MANAGE = "talent.manage_recruitment"


def pipeline_counts(candidates) -> list[tuple[str, str, int]]:
    """Candidates who reached each stage (a hired candidate also passed every earlier
    one), and those rejected or withdrawn."""
    at = dict(candidates.values_list("stage").annotate(n=Count("pk")).order_by())
    rows = []
    for i, stage in enumerate(PIPELINE):
        reached = sum(at.get(s, 0) for s in PIPELINE[i:])
        if i == 0:
            reached += at.get("rejected", 0) + at.get("withdrawn", 0)
        rows.append((stage, Candidate.Stage(stage).label, reached))
    rows.append(("rejected", Candidate.Stage.REJECTED.label, at.get("rejected", 0)))
    return rows


@require_perm(MANAGE)
def recruitment(request):
    levels = CareerLevel.objects.select_related("band").order_by("rank")
    counts = pipeline_counts(Candidate.objects.all())
    context = {
        "plans": RecruitmentPlan.objects.annotate(
            n_vacancies=Count("vacancies", distinct=True),
            n_candidates=Count("vacancies__candidates", distinct=True),
        ).order_by("-year", "title"),
        "levels": levels,
        "counts": counts,
        "funnel": charts.bar(
            [str(label) for _s, label, _n in counts[:-1]],
            {_("Candidates"): [n for _s, _l, n in counts[:-1]]},
            value_name=_("candidates"),
        ),
        "onboardings": Onboarding.objects.select_related("person", "mentor").prefetch_related(
            Prefetch("checkins", queryset=OnboardingCheckIn.objects.order_by("held_on"))
        ),
    }
    return TemplateResponse(request, "talent/recruitment.html", context)


@require_perm(MANAGE)
def band_edit(request, level_pk: int):
    level = get_object_or_404(CareerLevel.objects.select_related("band"), pk=level_pk)
    band = getattr(level, "band", None)
    form = BandForm(request.POST or None, instance=band)
    back = reverse("talent:recruitment")
    return handle_form(
        request,
        form,
        lambda f: services.salary_band_save(level=level, actor=request.user, **f.cleaned_data),
        done=_("The salary band was saved."),
        then=back,
        title=_("Salary band"),
        back=back,
        context={"object": level},
    )


@require_perm(MANAGE)
def plan_edit(request, pk: int | None = None):
    plan = get_object_or_404(RecruitmentPlan, pk=pk) if pk else None
    form = RecruitmentPlanForm(request.POST or None, instance=plan)
    return handle_form(
        request,
        form,
        lambda f: services.recruitment_plan_save(plan=plan, actor=request.user, **f.cleaned_data),
        done=_("The recruitment plan was saved."),
        then=lambda p: p.get_absolute_url(),
        title=_("Recruitment plan"),
        back=reverse("talent:recruitment"),
    )


@require_perm(MANAGE)
def plan_detail(request, pk: int):
    plan = get_object_or_404(RecruitmentPlan, pk=pk)
    vacancies = plan.vacancies.select_related("level", "level__band").prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.select_related("person"))
    )
    counts = pipeline_counts(Candidate.objects.filter(vacancy__plan=plan))
    context = {
        "plan": plan,
        "vacancies": vacancies,
        "counts": counts,
        "applicant_form": ApplicantForm(),
        "move_form": MoveForm(),
    }
    return TemplateResponse(request, "talent/recruitment_plan.html", context)


@require_perm(MANAGE)
def vacancy_edit(request, pk: int, vacancy_pk: int | None = None):
    plan = get_object_or_404(RecruitmentPlan, pk=pk)
    vacancy = get_object_or_404(Vacancy, pk=vacancy_pk, plan=plan) if vacancy_pk else None
    form = VacancyForm(request.POST or None, instance=vacancy)
    return handle_form(
        request,
        form,
        lambda f: services.vacancy_save(
            plan=plan, vacancy=vacancy, actor=request.user, **f.cleaned_data
        ),
        done=_("The vacancy was saved."),
        then=plan.get_absolute_url(),
        title=_("Vacancy"),
        back=plan.get_absolute_url(),
        context={"object": plan},
    )


@require_perm(MANAGE)
def candidate_add(request, vacancy_pk: int):
    vacancy = get_object_or_404(Vacancy.objects.select_related("plan"), pk=vacancy_pk)
    form = ApplicantForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda f: services.candidate_add(vacancy=vacancy, actor=request.user, **f.cleaned_data),
        done=_("The candidate was added."),
        then=vacancy.plan.get_absolute_url(),
        title=_("Candidate"),
        back=vacancy.plan.get_absolute_url(),
        context={"object": vacancy},
    )


@require_POST
@require_perm(MANAGE)
def candidate_move(request, pk: int):
    candidate = get_object_or_404(Candidate.objects.select_related("vacancy__plan"), pk=pk)
    back = candidate.vacancy.plan.get_absolute_url()
    form = MoveForm(request.POST)
    if not form.is_valid():
        return form_page(
            request,
            "talent/form.html",
            {"title": _("Move the candidate"), "back": back, "object": candidate},
            form,
        )
    return post_action(
        request,
        lambda: services.candidate_move(
            candidate=candidate, actor=request.user, **form.cleaned_data
        ),
        done=_("The candidate moved on."),
        then=back,
    )


@require_perm(MANAGE)
def onboarding_edit(request, pk: int | None = None):
    onboarding = get_object_or_404(Onboarding, pk=pk) if pk else None
    form = OnboardingForm(request.POST or None, instance=onboarding)
    back = reverse("talent:recruitment")
    return handle_form(
        request,
        form,
        lambda f: services.onboarding_save(
            onboarding=onboarding, actor=request.user, **f.cleaned_data
        ),
        done=_("The onboarding plan was saved."),
        then=back,
        title=_("Onboarding and mentoring plan"),
        back=back,
    )


@login_required
def checkin_add(request, pk: int):
    """A check-in, recorded by the mentor or the PMO."""
    onboarding = get_object_or_404(Onboarding.objects.select_related("person", "mentor"), pk=pk)
    if roles.person_id_of(request.user) != onboarding.mentor_id:
        check(request, MANAGE)
    form = CheckInForm(request.POST or None)
    back = (
        reverse("talent:recruitment") if request.user.has_perm(MANAGE) else reverse("talent:home")
    )
    return handle_form(
        request,
        form,
        lambda f: services.onboarding_checkin_add(
            onboarding=onboarding, actor=request.user, **f.cleaned_data
        ),
        done=_("The check-in was recorded."),
        then=back,
        title=_("Onboarding check-in"),
        back=back,
        context={"object": onboarding},
    )


urlpatterns = [
    path("recruitment/", recruitment, name="recruitment"),
    path("recruitment/bands/<int:level_pk>/", band_edit, name="band_edit"),
    path("recruitment/plans/new/", plan_edit, name="recruitment_plan_create"),
    path("recruitment/plans/<int:pk>/", plan_detail, name="recruitment_plan"),
    path("recruitment/plans/<int:pk>/edit/", plan_edit, name="recruitment_plan_edit"),
    path("recruitment/plans/<int:pk>/vacancies/new/", vacancy_edit, name="vacancy_create"),
    path(
        "recruitment/plans/<int:pk>/vacancies/<int:vacancy_pk>/edit/",
        vacancy_edit,
        name="vacancy_edit",
    ),
    path(
        "recruitment/vacancies/<int:vacancy_pk>/candidates/new/",
        candidate_add,
        name="candidate_add",
    ),
    path("recruitment/candidates/<int:pk>/move/", candidate_move, name="candidate_move"),
    path("recruitment/onboarding/new/", onboarding_edit, name="onboarding_create"),
    path("recruitment/onboarding/<int:pk>/edit/", onboarding_edit, name="onboarding_edit"),
    path("recruitment/onboarding/<int:pk>/checkins/new/", checkin_add, name="checkin_add"),
]
