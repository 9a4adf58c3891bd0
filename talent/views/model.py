"""The talent home, the competency model, the career ladder and the certificate catalogue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import charts, roles
from pmo.core.permissions import require_perm
from talent import services
from talent.forms import CertificationForm, CompetencyForm, DimensionForm, LevelForm
from talent.models import (
    BehaviourIndicator,
    CareerLevel,
    Certification,
    Competency,
    CompetencyDimension,
    PersonCertificate,
    TalentProfile,
)
from talent.selectors import facts
from talent.selectors.pool import training_hours
from talent.views.common import handle_form

VIEW, CHANGE = "talent.view_model", "talent.change_model"
EXPIRY_DAYS = 90


@login_required
def home(request):
    """The talent overview: the pool by level, the promotion pipeline (who is ready for
    the next level), certificates expiring soon and this year's training hours."""
    today = timezone.localdate()
    levels = facts.ladder()
    context = {"levels": levels, "my_person_id": roles.person_id_of(request.user)}
    if request.user.has_perm("talent.view_pool"):
        profiles = list(TalentProfile.objects.visible_to(request.user).in_pool().with_people())
        found = facts.facts_for(profiles, today, levels=levels)
        rows = []
        for level in levels:
            mine = [f for f in found.values() if f.profile.level_id == level.pk]
            ready = [f for f in mine if f.readiness is not None and f.readiness.ready]
            near = [
                f
                for f in mine
                if f.readiness is not None and not f.readiness.ready and len(f.readiness.gaps) <= 2
            ]
            rows.append(
                {"level": level, "count": len(mine), "ready": len(ready), "near": len(near)}
            )
        ids = [p.person_id for p in profiles]
        hours = training_hours(start=today.replace(month=1, day=1), end=today)
        context.update(
            {
                "pipeline": rows,
                "pool_size": len(profiles),
                "expiring": PersonCertificate.objects.filter(person_id__in=ids)
                .expiring(today, EXPIRY_DAYS)
                .select_related("person", "certification")
                .order_by("expires_on"),
                "hours_total": sum(hours.get(i, 0) for i in ids),
                "hours_per_pm": (sum(hours.get(i, 0) for i in ids) / len(ids)) if ids else 0,
                "pipeline_chart": charts.bar(
                    [r["level"].label for r in rows],
                    {
                        _("In the pool"): [r["count"] for r in rows],
                        _("Ready for the next level"): [r["ready"] for r in rows],
                        _("One or two gaps"): [r["near"] for r in rows],
                    },
                    value_name=_("PMs"),
                ),
            }
        )
    return TemplateResponse(request, "talent/home.html", context)


@require_perm(VIEW)
def competency_model(request):
    dimensions = CompetencyDimension.objects.prefetch_related(
        Prefetch(
            "competencies",
            queryset=Competency.objects.prefetch_related(
                Prefetch("behaviours", queryset=BehaviourIndicator.objects.order_by("proficiency"))
            ),
        )
    )
    context = {"dimensions": dimensions, "can_change": request.user.has_perm(CHANGE)}
    return TemplateResponse(request, "talent/competency_model.html", context)


@require_perm(CHANGE)
def dimension_edit(request, pk: int | None = None):
    dimension = get_object_or_404(CompetencyDimension, pk=pk) if pk else None
    form = DimensionForm(request.POST or None, instance=dimension)
    return handle_form(
        request,
        form,
        lambda f: services.dimension_save(
            dimension=dimension, actor=request.user, **f.cleaned_data
        ),
        done=_("The dimension was saved."),
        then=reverse("talent:competency_model"),
        title=_("Competency dimension"),
        back=reverse("talent:competency_model"),
    )


@require_perm(CHANGE)
def competency_edit(request, pk: int | None = None):
    competency = get_object_or_404(Competency, pk=pk) if pk else None
    form = CompetencyForm(request.POST or None, instance=competency)
    return handle_form(
        request,
        form,
        lambda f: services.competency_save(
            competency=competency, actor=request.user, **f.service_fields()
        ),
        done=_("The competency was saved."),
        then=reverse("talent:competency_model"),
        title=_("Competency"),
        back=reverse("talent:competency_model"),
    )


@require_perm(VIEW)
def ladder(request):
    levels = facts.ladder()
    counts = dict(
        TalentProfile.objects.in_pool()
        .values_list("level_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("level_id", "n")
    )
    context = {
        "levels": [(lv, counts.get(lv.pk, 0)) for lv in levels],
        "certifications": Certification.objects.annotate(n=Count("holders")).order_by("code"),
        "can_change": request.user.has_perm(CHANGE),
    }
    return TemplateResponse(request, "talent/ladder.html", context)


@require_perm(CHANGE)
def level_edit(request, pk: int | None = None):
    level = get_object_or_404(CareerLevel, pk=pk) if pk else None
    form = LevelForm(request.POST or None, instance=level)
    return handle_form(
        request,
        form,
        lambda f: services.level_save(level=level, actor=request.user, **f.service_fields()),
        done=_("The career level was saved."),
        then=reverse("talent:ladder"),
        title=_("Career level"),
        back=reverse("talent:ladder"),
    )


@require_perm(CHANGE)
def certification_edit(request, pk: int | None = None):
    certification = get_object_or_404(Certification, pk=pk) if pk else None
    form = CertificationForm(request.POST or None, instance=certification)
    return handle_form(
        request,
        form,
        lambda f: services.certification_save(
            certification=certification, actor=request.user, **f.cleaned_data
        ),
        done=_("The certificate was saved."),
        then=reverse("talent:ladder"),
        title=_("Certificate in the catalogue"),
        back=reverse("talent:ladder"),
    )


urlpatterns = [
    path("", home, name="home"),
    path("model/", competency_model, name="competency_model"),
    path("model/dimensions/new/", dimension_edit, name="dimension_create"),
    path("model/dimensions/<int:pk>/edit/", dimension_edit, name="dimension_edit"),
    path("model/competencies/new/", competency_edit, name="competency_create"),
    path("model/competencies/<int:pk>/edit/", competency_edit, name="competency_edit"),
    path("ladder/", ladder, name="ladder"),
    path("ladder/new/", level_edit, name="level_create"),
    path("ladder/<int:pk>/edit/", level_edit, name="level_edit"),
    path("certifications/new/", certification_edit, name="certification_create"),
    path("certifications/<int:pk>/edit/", certification_edit, name="certification_edit"),
]
