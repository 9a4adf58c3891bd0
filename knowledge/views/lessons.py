"""Lessons learned: the library with its facets, capture, curation, use and roll-up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledge import services
from knowledge.forms import ApplyForm, LessonForm, ReturnForm
from knowledge.models import (
    Impact,
    KnowledgeArea,
    Lesson,
    LessonPhase,
    Polarity,
    RootCause,
    Usage,
)
from knowledge.views.common import (
    PAGE_SIZE,
    check,
    form_page,
    int_param,
    log_confidential_view,
    visible_or_404,
)
from pmo.core import locking
from pmo.core.forms import add_service_errors
from pmo.core.models import ProjectType
from pmo.core.permissions import require_perm

VIEW = "knowledge.view_library"
FACETS = (
    ("phase", None, LessonPhase),
    ("knowledge_area", None, KnowledgeArea),
    ("polarity", None, Polarity),
    ("root_cause", None, RootCause),
    ("impact", None, Impact),
)


def _facet_filters(request) -> dict:
    chosen = {}
    for name, _label, choices in FACETS:
        value = request.GET.get(name, "")
        if value in choices.values:
            chosen[name] = value
    return chosen


@require_perm(VIEW)
def lesson_list(request):
    lessons = Lesson.objects.visible_to(request.user).with_people()
    chosen = _facet_filters(request)
    lessons = lessons.filter(**chosen)
    status = request.GET.get("status", "published")
    if status in Lesson.Status.values:
        lessons = lessons.filter(status=status)
    else:
        status = "all"
    type_id = int_param(request.GET.get("type"))
    if type_id:
        lessons = lessons.filter(project_type_id=type_id)
    text = request.GET.get("q", "").strip()[:100]
    if text:
        lessons = lessons.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(recommendation__icontains=text)
            | Q(tags__icontains=text)
        )
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    facets = [
        (name, choices.choices, chosen.get(name, ""), Lesson._meta.get_field(name).verbose_name)
        for name, _label, choices in FACETS
    ]
    context = {
        "page": page,
        "facets": facets,
        "status": status,
        "statuses": Lesson.Status.choices,
        "types": ProjectType.objects.order_by("name"),
        "type_id": type_id,
        "q": text,
    }
    return TemplateResponse(request, "knowledge/lesson_list.html", context)


@require_perm(VIEW)
def lesson_detail(request, pk: int):
    lesson = visible_or_404(Lesson.objects.with_people(), request.user, pk)
    if request.method == "GET":
        services.usage_record_view(actor=request.user, item=lesson)
        log_confidential_view(request, lesson)
    applications = (
        lesson.usages.filter(kind=Usage.Kind.APPLIED)
        .select_related("project", "person")
        .order_by("-created_at")
    )
    context = {
        "lesson": lesson,
        "applications": applications,
        "voted": lesson.usages.filter(kind=Usage.Kind.HELPFUL, user=request.user).exists(),
        "apply_form": ApplyForm(user=request.user),
        "return_form": ReturnForm(),
        "can_change": request.user.has_perm("knowledge.change_lesson", lesson),
        "can_curate": request.user.has_perm("knowledge.curate_lesson"),
    }
    return TemplateResponse(request, "knowledge/lesson_detail.html", context)


@require_perm("knowledge.add_lesson")
def lesson_create(request):
    initial = {"project": int_param(request.GET.get("project"))}
    form = LessonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        project = data.pop("project")
        try:
            lesson = services.lesson_create(actor=request.user, project=project, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the lesson was sent to the PMO for curation."))
            return redirect(lesson)
    context = {
        "title": _("Capture a lesson"),
        "object": None,
        "back": reverse("knowledge:lesson_list"),
    }
    return form_page(request, "knowledge/form.html", context, form)


@require_perm(VIEW)
def lesson_edit(request, pk: int):
    lesson = visible_or_404(Lesson.objects.with_people(), request.user, pk)
    check(request, "knowledge.change_lesson", lesson)
    form = LessonForm(request.POST or None, user=request.user, instance=lesson)
    locking.attach_token(form, lesson)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("project")
        try:
            with locking.guard(form):
                services.lesson_update(
                    lesson=Lesson.objects.get(pk=lesson.pk), actor=request.user, **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The lesson was saved."))
            return redirect(lesson)
    context = {"title": _("Edit lesson"), "object": lesson, "back": lesson.get_absolute_url()}
    return form_page(request, "knowledge/form.html", context, form)


@require_POST
@require_perm(VIEW)
def lesson_curate(request, pk: int):
    lesson = visible_or_404(Lesson.objects.with_people(), request.user, pk)
    check(request, "knowledge.curate_lesson")
    action = request.POST.get("action", "")
    try:
        if action == "review":
            services.lesson_review(lesson=lesson, actor=request.user)
            messages.success(request, _("The lesson is reviewed and ready to publish."))
        elif action == "publish":
            services.lesson_publish(lesson=lesson, actor=request.user)
            messages.success(request, _("The lesson is published in the library."))
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the lesson is returned."))
            services.lesson_return(
                lesson=lesson, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The lesson was returned to its author."))
        else:
            raise ValidationError(_("Unknown curation step."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(lesson)


@require_POST
@require_perm(VIEW)
def lesson_helpful(request, pk: int):
    lesson = visible_or_404(Lesson.objects.all(), request.user, pk)
    voted = services.usage_toggle_helpful(actor=request.user, item=lesson)
    messages.success(request, _("Marked helpful.") if voted else _("Vote taken back."))
    return redirect(safe_next(request, lesson.get_absolute_url()))


@require_POST
@require_perm(VIEW)
def lesson_apply(request, pk: int):
    lesson = visible_or_404(Lesson.objects.all(), request.user, pk)
    return apply_item(request, lesson)


def apply_item(request, item):
    form = ApplyForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.usage_apply(actor=request.user, item=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Recorded as applied in %(project)s.")
                % {"project": form.cleaned_data["project"].code},
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(safe_next(request, item.get_absolute_url()))


def safe_next(request, default: str) -> str:
    nxt = request.POST.get("next", "")
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else default


urlpatterns = [
    path("lessons/", lesson_list, name="lesson_list"),
    path("lessons/new/", lesson_create, name="lesson_create"),
    path("lessons/<int:pk>/", lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/edit/", lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/curate/", lesson_curate, name="lesson_curate"),
    path("lessons/<int:pk>/helpful/", lesson_helpful, name="lesson_helpful"),
    path("lessons/<int:pk>/apply/", lesson_apply, name="lesson_apply"),
]
