"""Recognition (points, badges, a leaderboard the PMO can switch off), the
certification programme, the culture settings and the culture dashboard."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culture import insights, measures, selectors, services
from culture.forms import SettingsForm, TargetForm
from culture.models import Campaign, CertificationTarget, CultureSettings, Idea, SharingSession
from culture.views.common import MANAGE, RESULTS, VIEW, current_person, form_page, posted
from pmo.core import charts
from pmo.core.forms import add_service_errors
from pmo.core.models import Person
from pmo.core.permissions import require_perm


def _year_back(today: dt.date) -> dt.date:
    return selectors.twelve_months(today)


@require_perm(VIEW)
def recognition(request):
    today = timezone.localdate()
    start = _year_back(today)
    settings = CultureSettings.current()
    show_board = settings.leaderboard_enabled or request.user.has_perm(MANAGE)
    person = current_person(request)
    mine = insights.standing_of(person.pk, start, today) if person else None
    context = {
        "start": start,
        "end": today,
        "board": insights.leaderboard(start, today) if show_board else None,
        "leaderboard_enabled": settings.leaderboard_enabled,
        "mine": mine,
        "points": measures.POINTS,
        "badges": measures.BADGES,
        "can_manage": request.user.has_perm(MANAGE),
    }
    return TemplateResponse(request, "culture/recognition.html", context)


@require_perm(MANAGE)
def culture_settings(request):
    current = CultureSettings.current()
    form = SettingsForm(
        posted(request), initial={"leaderboard_enabled": current.leaderboard_enabled}
    )
    if request.method == "POST" and form.is_valid():
        services.culture_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The settings were saved."))
        return redirect("culture:recognition")
    context = {"title": _("Culture settings"), "object": None}
    return form_page(request, "culture/form.html", context, form)


def _certificate_choices():
    from talent.models import Certification

    return [(c.code, f"{c.code} {c.label}") for c in Certification.objects.order_by("code")]


@require_perm(RESULTS)
def certification(request):
    today = timezone.localdate()
    rows = insights.certification_progress(today)
    coverage = insights.certification_coverage(today)
    context = {
        "rows": rows,
        "coverage": coverage,
        "can_manage": request.user.has_perm(MANAGE),
        "chart": charts.bar(
            [f"{r.target.org_unit.label} · {'/'.join(r.target.codes)}" for r in rows],
            {
                _("Certified project managers (%)"): [r.percent or 0 for r in rows],
                _("Target (%)"): [r.target.target_percent for r in rows],
            },
            value_name="%",
        ),
    }
    return TemplateResponse(request, "culture/certification.html", context)


@require_perm(MANAGE)
def target_create(request):
    form = TargetForm(posted(request), certificate_choices=_certificate_choices())
    return _save_target(request, form, None)


@require_perm(MANAGE)
def target_edit(request, pk: int):
    target = get_object_or_404(CertificationTarget, pk=pk)
    form = TargetForm(
        posted(request),
        initial=TargetForm.initial_for(target),
        certificate_choices=_certificate_choices(),
    )
    return _save_target(request, form, target)


def _save_target(request, form, target):
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_target_save(
                actor=request.user, target=target, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("culture:certification")
    context = {
        "title": _("Edit certification target") if target else _("New certification target"),
        "object": target,
    }
    return form_page(request, "culture/form.html", context, form)


@require_perm(MANAGE)
@require_POST
def target_delete(request, pk: int):
    target = get_object_or_404(CertificationTarget, pk=pk)
    services.certification_target_delete(actor=request.user, target=target)
    messages.success(request, _("The target was removed."))
    return redirect("culture:certification")


@require_perm(RESULTS)
def dashboard(request):
    """The culture dashboard: participation, sharing, training, certification, the
    survey trend and the outcome indicators over the last four quarters."""
    today = timezone.localdate()
    start = _year_back(today)
    taking_part = selectors.participants(start, today)
    hours_per_person, hours = insights.training_per_person(start, today)
    participation = selectors.per_division(taking_part)
    training = selectors.per_division(set(hours), hours)
    sharing = selectors.sharing_by_unit(start, today)
    active_ids = set(Person.objects.filter(is_active=True).values_list("pk", flat=True))
    taking_part &= active_ids
    active = len(active_ids)
    periods, outcomes = insights.outcome_indicators(today)
    trend = selectors.survey_trend(today)
    survey_chart = charts.bar(
        [t[0] for t in trend], {_("Mean survey score (1–5)"): [t[1] for t in trend]}
    )
    survey_chart["series"][0]["type"] = "line"
    survey_chart["series"][0]["connectNulls"] = True
    context = {
        "start": start,
        "end": today,
        "participation_rate": measures.rate(len(taking_part), active),
        "participants": len(taking_part),
        "active": active,
        "hours_per_person": hours_per_person,
        "certification": insights.certification_coverage(today),
        "sessions_held": sum(r.sessions for r in sharing),
        "leadership": selectors.leadership_activity(start, today),
        "summary": insights.project_summary(),
        "periods": periods,
        "outcomes": outcomes,
        "promoted_ideas": Idea.objects.filter(status=Idea.Status.PROMOTED).count(),
        "campaigns": Campaign.objects.exclude(status=Campaign.Status.DRAFT).count(),
        "upcoming": SharingSession.objects.filter(
            status=SharingSession.Status.PLANNED, starts_at__gte=timezone.now()
        ).count(),
        "participation_chart": charts.bar(
            [r.unit.label for r in participation],
            {_("Participation (%)"): [r.rate or 0 for r in participation]},
            value_name="%",
        ),
        "sharing_chart": charts.bar(
            [r.unit.label for r in sharing],
            {_("Sessions per month"): [r.per_month for r in sharing]},
        ),
        "training_chart": charts.bar(
            [r.unit.label for r in training],
            {_("Training hours per person"): [r.per_person for r in training]},
            value_name=_("hours"),
        ),
        "survey_chart": survey_chart,
    }
    return TemplateResponse(request, "culture/dashboard.html", context)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("recognition/", recognition, name="recognition"),
    path("settings/", culture_settings, name="settings"),
    path("certification/", certification, name="certification"),
    path("certification/targets/new/", target_create, name="target_create"),
    path("certification/targets/<int:pk>/", target_edit, name="target_edit"),
    path("certification/targets/<int:pk>/delete/", target_delete, name="target_delete"),
]
