"""Project management ideas (理念): the curated list with why each fits the company,
where each shows in practice, and the lifecycle view of where ideas are applied."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culture import selectors, services
from culture.forms import IdeaForm, PracticeForm
from culture.models import Idea, IdeaPractice
from culture.views.common import MANAGE, PRACTICE, VIEW, check, form_page, posted
from pmo.core import locking
from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm


@require_perm(VIEW)
def idea_list(request):
    status = request.GET.get("status", "")
    ideas = selectors.idea_overview()
    if status in Idea.Status.values:
        ideas = ideas.filter(status=status)
    ideas = list(ideas)
    rows, phases = selectors.lifecycle_matrix(ideas)
    context = {
        "rows": rows,
        "phases": phases,
        "status": status,
        "statuses": Idea.Status.choices,
        "can_manage": request.user.has_perm(MANAGE),
    }
    return TemplateResponse(request, "culture/idea_list.html", context)


@require_perm(MANAGE)
def idea_create(request):
    form = IdeaForm(posted(request))
    return _save_idea(request, form, None)


@require_perm(MANAGE)
def idea_edit(request, pk: int):
    idea = get_object_or_404(Idea, pk=pk)
    form = IdeaForm(posted(request), instance=idea)
    locking.attach_token(form, idea)
    return _save_idea(request, form, idea)


def _save_idea(request, form, idea):
    if request.method == "POST" and form.is_valid():
        try:
            with locking.guard(form):
                idea = services.idea_save(actor=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The idea was saved."))
            return redirect(idea)
    context = {"title": _("Edit idea") if idea else _("New idea"), "object": idea}
    return form_page(request, "culture/form.html", context, form)


@require_perm(VIEW)
def idea_detail(request, pk: int):
    practices = IdeaPractice.objects.select_related(
        "lesson", "case", "project", "created_by__person"
    )
    idea = get_object_or_404(
        Idea.objects.select_related("owner").prefetch_related(
            Prefetch("practices", queryset=practices), "campaigns"
        ),
        pk=pk,
    )
    search = request.GET.get("q", "")[:100]
    form = PracticeForm(posted(request), user=request.user, search=search)
    if request.method == "POST":
        check(request, PRACTICE)
        if form.is_valid():
            try:
                services.idea_practice_add(actor=request.user, idea=idea, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The practice was recorded."))
                return redirect(idea)
    by_phase = {code: [] for code, _label in selectors.Phase.choices}
    for practice in idea.practices.all():
        by_phase[practice.phase].append(practice)
    can_manage = request.user.has_perm(MANAGE)
    context = {
        "idea": idea,
        "campaigns": [c for c in idea.campaigns.all() if can_manage or c.status != "draft"],
        "by_phase": [(label, by_phase[code]) for code, label in selectors.Phase.choices],
        "can_manage": can_manage,
        "can_record": request.user.has_perm(PRACTICE),
        "search": search,
    }
    return form_page(request, "culture/idea_detail.html", context, form)


@require_perm(MANAGE)
@require_POST
def practice_remove(request, pk: int):
    practice = get_object_or_404(IdeaPractice.objects.select_related("idea"), pk=pk)
    services.idea_practice_remove(actor=request.user, practice=practice)
    messages.success(request, _("The practice was removed."))
    return redirect(practice.idea)


urlpatterns = [
    path("ideas/", idea_list, name="idea_list"),
    path("ideas/new/", idea_create, name="idea_create"),
    path("ideas/<int:pk>/", idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/edit/", idea_edit, name="idea_edit"),
    path("practices/<int:pk>/remove/", practice_remove, name="practice_remove"),
]
