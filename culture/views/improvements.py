"""Continuous-improvement ideas: anyone proposes, everyone votes, the PMO decides and
records the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culture import services
from culture.forms import DecideForm, ImprovementForm
from culture.models import ImprovementIdea, ImprovementVote
from culture.views.common import MANAGE, PAGE_SIZE, VIEW, check, current_person, form_page, posted
from pmo.core.forms import add_service_errors
from pmo.core.permissions import require_perm


def _my_votes(request, ids) -> set[int]:
    person = current_person(request)
    if person is None:
        return set()
    return set(
        ImprovementVote.objects.filter(person=person, idea_id__in=list(ids)).values_list(
            "idea_id", flat=True
        )
    )


@require_perm(VIEW)
def improvement_list(request):
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "votes")
    ideas = ImprovementIdea.objects.visible_to(request.user).with_votes()
    if status == "open":
        ideas = ideas.open()
    elif status in ImprovementIdea.Status.values:
        ideas = ideas.filter(status=status)
    ideas = ideas.order_by("-vote_count", "-submitted_at") if sort == "votes" else ideas
    form = ImprovementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.improvement_submit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your idea was recorded."))
            return redirect(idea)
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        ImprovementIdea.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    context = {
        "page": page,
        "status": status,
        "sort": sort,
        "statuses": [
            (code, label, counts.get(code, 0)) for code, label in ImprovementIdea.Status.choices
        ],
        "voted": _my_votes(request, [i.pk for i in page]),
    }
    return form_page(request, "culture/improvement_list.html", context, form)


@require_perm(VIEW)
def improvement_detail(request, pk: int):
    idea = get_object_or_404(ImprovementIdea.objects.with_votes(), pk=pk)
    choices = [
        (code, label)
        for code, label in ImprovementIdea.Status.choices
        if code in services.NEXT_STATUS[idea.status]
    ]
    form = DecideForm(posted(request), choices=choices)
    if request.method == "POST":
        check(request, MANAGE)
        if form.is_valid():
            try:
                services.improvement_decide(idea=idea, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect(idea)
    context = {
        "idea": idea,
        "voted": idea.pk in _my_votes(request, [idea.pk]),
        "can_decide": request.user.has_perm(MANAGE) and bool(choices),
    }
    return form_page(request, "culture/improvement_detail.html", context, form)


@require_perm(VIEW)
@require_POST
def improvement_vote(request, pk: int):
    """Vote or take the vote back; htmx swaps the vote button in place."""
    idea = get_object_or_404(ImprovementIdea, pk=pk)
    error = ""
    try:
        services.improvement_vote(idea=idea, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        idea = ImprovementIdea.objects.with_votes().get(pk=pk)
        back = request.POST.get("next", "")
        context = {
            "i": idea,
            "voted": _my_votes(request, [pk]),
            "error": error,
            "next": back if back.startswith("/culture/improvements/") else "",
        }
        return TemplateResponse(request, "culture/improvement_list.html#vote", context)
    if error:
        messages.error(request, error)
    back = request.POST.get("next", "")
    safe = back.startswith("/culture/improvements") and not back.endswith("/vote/")
    return redirect(back if safe else idea.get_absolute_url())


urlpatterns = [
    path("improvements/", improvement_list, name="improvement_list"),
    path("improvements/<int:pk>/", improvement_detail, name="improvement_detail"),
    path("improvements/<int:pk>/vote/", improvement_vote, name="improvement_vote"),
]
