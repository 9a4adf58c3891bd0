"""The knowledge base: home, categories (framework), cases, articles and their files."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledge import services
from knowledge.forms import ApplyForm, ArticleForm, CaseForm, CategoryForm, RateForm, ReturnForm
from knowledge.models import (
    Article,
    Case,
    Category,
    CurationStatus,
    KnowledgeFile,
    Lesson,
    Usage,
)
from knowledge.views.common import (
    PAGE_SIZE,
    check,
    form_page,
    int_param,
    log_confidential_view,
    visible_or_404,
    widgets,
)
from knowledge.views.lessons import VIEW, apply_item, safe_next
from knowledge.widgets import cockpit_tile
from pmo.core import locking
from pmo.core.documents import content_type_for
from pmo.core.forms import add_service_errors
from pmo.core.models import SecurityEvent
from pmo.core.permissions import require_perm
from pmo.core.services import security_event_record

CURATE = "knowledge.curate"


@require_perm(VIEW)
def home(request):
    user = request.user
    context = {
        "lessons": Lesson.objects.visible_to(user).published().with_people()[:6],
        "cases": Case.objects.visible_to(user).published().with_refs()[:6],
        "articles": Article.objects.visible_to(user).published().with_refs()[:6],
        "top": Category.objects.active().filter(level=1).order_by("position"),
        "queue": (
            Lesson.objects.filter(status__in=["submitted", "reviewed"]).count()
            + Case.objects.filter(status__in=["submitted", "reviewed"]).count()
            if user.has_perm(CURATE)
            else None
        ),
        "slot_widgets": widgets(request, "knowledge_home", {}),
    }
    return TemplateResponse(request, "knowledge/home.html", context)


@require_perm(CURATE)
def curation(request):
    waiting = ["submitted", "reviewed"]
    # The queue is paged: a PMO that has fallen behind can have thousands of lessons
    # waiting, oldest first.
    lessons = Lesson.objects.filter(status__in=waiting).with_people().order_by("created_at", "pk")
    context = {
        "page": Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page")),
        "cases": Case.objects.filter(status__in=waiting).with_refs().order_by("created_at"),
    }
    return TemplateResponse(request, "knowledge/curation.html", context)


# --- categories -------------------------------------------------------------------------


def _tree(categories) -> list[Category]:
    """Categories in depth-first order of the framework."""
    by_parent: dict[int | None, list[Category]] = {}
    for c in categories:
        by_parent.setdefault(c.parent_id, []).append(c)
    ordered: list[Category] = []

    def walk(parent_id):
        for c in sorted(by_parent.get(parent_id, []), key=lambda c: (c.position, c.code)):
            ordered.append(c)
            walk(c.pk)

    walk(None)
    return ordered


@require_perm(VIEW)
def category_list(request):
    categories = Category.objects.annotate(
        n_cases=Count("cases", filter=Q(cases__status="published"), distinct=True),
        n_articles=Count("articles", filter=Q(articles__status="published"), distinct=True),
    )
    context = {
        "categories": _tree(categories),
        "can_manage": request.user.has_perm("knowledge.manage_categories"),
    }
    return TemplateResponse(request, "knowledge/category_list.html", context)


@require_perm(VIEW)
def category_detail(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    user = request.user
    context = {
        "category": category,
        "children": category.children.order_by("position"),
        "cases": Case.objects.visible_to(user).published().filter(category=category).with_refs(),
        "articles": Article.objects.visible_to(user)
        .published()
        .filter(category=category)
        .with_refs(),
    }
    return TemplateResponse(request, "knowledge/category_detail.html", context)


@require_perm("knowledge.manage_categories")
def category_edit(request, pk: int | None = None):
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(
                actor=request.user,
                category=Category.objects.get(pk=pk) if pk else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("knowledge:category_list")
    context = {
        "title": _("Edit category") if category else _("New category"),
        "object": category,
        "back": reverse("knowledge:category_list"),
    }
    return form_page(request, "knowledge/form.html", context, form)


@require_POST
@require_perm("knowledge.manage_categories")
def category_move(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    services.category_move(category=category, actor=request.user, up=request.POST.get("up") == "1")
    return redirect("knowledge:category_list")


@require_POST
@require_perm("knowledge.manage_categories")
def category_delete(request, pk: int):
    category = get_object_or_404(Category, pk=pk)
    try:
        services.category_delete(category=category, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The category was deleted."))
    return redirect("knowledge:category_list")


# --- cases ------------------------------------------------------------------------------


@require_perm(VIEW)
def case_list(request):
    cases = Case.objects.visible_to(request.user).with_refs()
    status = request.GET.get("status", "published")
    if status in CurationStatus.values:
        cases = cases.filter(status=status)
    else:
        status = "all"
    kind = request.GET.get("kind", "")
    if kind in Case.Outcome.values:
        cases = cases.filter(outcome_kind=kind)
    category_id = int_param(request.GET.get("category"))
    if category_id:
        cases = cases.filter(category_id=category_id)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": CurationStatus.choices,
        "kind": kind,
        "kinds": Case.Outcome.choices,
        "categories": _tree(Category.objects.active()),
        "category_id": category_id,
    }
    return TemplateResponse(request, "knowledge/case_list.html", context)


@require_perm(VIEW)
def case_detail(request, pk: int):
    case = visible_or_404(Case.objects.with_refs(), request.user, pk)
    if request.method == "GET":
        services.usage_record_view(actor=request.user, item=case)
        log_confidential_view(request, case)
    context = {
        "case": case,
        "files": case.files.all(),
        "applications": case.usages.filter(kind=Usage.Kind.APPLIED)
        .select_related("project", "person")
        .order_by("-created_at"),
        "voted": case.usages.filter(kind=Usage.Kind.HELPFUL, user=request.user).exists(),
        "apply_form": ApplyForm(user=request.user),
        "rate_form": RateForm(),
        "return_form": ReturnForm(),
        "can_change": request.user.has_perm("knowledge.change_case", case),
        "can_curate": request.user.has_perm(CURATE),
    }
    return TemplateResponse(request, "knowledge/case_detail.html", context)


@require_perm("knowledge.add_case")
def case_create(request):
    form = CaseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            case = services.case_create(actor=request.user, files=files, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the case was sent to the PMO for curation."))
            return redirect(case)
    context = {
        "title": _("Write up a case"),
        "object": None,
        "back": reverse("knowledge:case_list"),
    }
    return form_page(request, "knowledge/form.html", context, form)


@require_perm(VIEW)
def case_edit(request, pk: int):
    case = visible_or_404(Case.objects.with_refs(), request.user, pk)
    check(request, "knowledge.change_case", case)
    form = CaseForm(request.POST or None, request.FILES or None, user=request.user, instance=case)
    locking.attach_token(form, case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            with locking.guard(form):
                services.case_update(
                    case=Case.objects.get(pk=case.pk), actor=request.user, files=files, **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect(case)
    context = {"title": _("Edit case"), "object": case, "back": case.get_absolute_url()}
    return form_page(request, "knowledge/form.html", context, form)


@require_POST
@require_perm(VIEW)
def case_curate(request, pk: int):
    case = visible_or_404(Case.objects.all(), request.user, pk)
    check(request, CURATE)
    try:
        services.case_curate(
            case=case,
            actor=request.user,
            to=request.POST.get("to", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The case is now “%(status)s”.") % {"status": case.get_status_display()}
        )
    return redirect(case)


@require_POST
@require_perm(VIEW)
def case_rate(request, pk: int):
    case = visible_or_404(Case.objects.all(), request.user, pk)
    form = RateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give 1 to 5 stars."))
        services.case_rate(case=case, actor=request.user, stars=form.cleaned_data["stars"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you for rating the case."))
    return redirect(case)


@require_POST
@require_perm(VIEW)
def case_helpful(request, pk: int):
    case = visible_or_404(Case.objects.all(), request.user, pk)
    voted = services.usage_toggle_helpful(actor=request.user, item=case)
    messages.success(request, _("Marked helpful.") if voted else _("Vote taken back."))
    return redirect(safe_next(request, case.get_absolute_url()))


@require_POST
@require_perm(VIEW)
def case_apply(request, pk: int):
    case = visible_or_404(Case.objects.all(), request.user, pk)
    return apply_item(request, case)


# --- articles ---------------------------------------------------------------------------


@require_perm(VIEW)
def article_list(request):
    articles = Article.objects.visible_to(request.user).with_refs()
    status = request.GET.get("status", "published")
    if status in Article.Status.values:
        articles = articles.filter(status=status)
    else:
        status = "all"
    category_id = int_param(request.GET.get("category"))
    if category_id:
        articles = articles.filter(category_id=category_id)
    if request.GET.get("review") == "due":
        from django.utils import timezone

        articles = articles.filter(review_due__lte=timezone.localdate())
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Article.Status.choices,
        "categories": _tree(Category.objects.active()),
        "category_id": category_id,
        "review": request.GET.get("review", ""),
    }
    return TemplateResponse(request, "knowledge/article_list.html", context)


@require_perm(VIEW)
def article_detail(request, pk: int):
    article = visible_or_404(Article.objects.with_refs(), request.user, pk)
    if request.method == "GET":
        services.usage_record_view(actor=request.user, item=article)
        log_confidential_view(request, article)
    version = None
    number = int_param(request.GET.get("version"))
    if number and number != article.version:
        version = article.versions.filter(number=number).first()
    context = {
        "article": article,
        "shown": version or article,
        "old_version": version,
        "versions": article.versions.select_related("created_by__person").order_by("-number"),
        "files": article.files.all(),
        "voted": article.usages.filter(kind=Usage.Kind.HELPFUL, user=request.user).exists(),
        "can_change": request.user.has_perm("knowledge.change_article", article),
    }
    return TemplateResponse(request, "knowledge/article_detail.html", context)


@require_perm("knowledge.add_article")
def article_create(request):
    initial = {"category": int_param(request.GET.get("category")), "publish": True}
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files, publish = data.pop("files"), data.pop("publish")
        try:
            article = services.article_create(
                actor=request.user, files=files, publish=publish, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The article was saved."))
            return redirect(article)
    context = {"title": _("New article"), "object": None, "back": reverse("knowledge:article_list")}
    return form_page(request, "knowledge/form.html", context, form)


@require_perm(VIEW)
def article_edit(request, pk: int):
    article = visible_or_404(Article.objects.with_refs(), request.user, pk)
    check(request, "knowledge.change_article", article)
    form = ArticleForm(request.POST or None, request.FILES or None, instance=article)
    locking.attach_token(form, article)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files, note = data.pop("files"), data.pop("change_note")
        try:
            with locking.guard(form):
                services.article_update(
                    article=Article.objects.get(pk=article.pk),
                    actor=request.user,
                    change_note=note,
                    files=files,
                    **data,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The article was saved."))
            return redirect(article)
    context = {"title": _("Edit article"), "object": article, "back": article.get_absolute_url()}
    return form_page(request, "knowledge/form.html", context, form)


@require_POST
@require_perm(VIEW)
def article_status(request, pk: int):
    article = visible_or_404(Article.objects.all(), request.user, pk)
    check(request, "knowledge.change_article", article)
    try:
        services.article_set_status(
            article=article, actor=request.user, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(article)


@require_POST
@require_perm(VIEW)
def article_helpful(request, pk: int):
    article = visible_or_404(Article.objects.all(), request.user, pk)
    voted = services.usage_toggle_helpful(actor=request.user, item=article)
    messages.success(request, _("Marked helpful.") if voted else _("Vote taken back."))
    return redirect(article)


@require_perm(VIEW)
def file_download(request, pk: int):
    """An attachment of a case or an article the user may read."""
    row = get_object_or_404(KnowledgeFile.objects.select_related("case", "article"), pk=pk)
    owner = row.case or row.article
    if not type(owner).objects.visible_to(request.user).filter(pk=owner.pk).exists():
        raise Http404
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if owner.confidentiality == "confidential":
        security_event_record(
            kind=SecurityEvent.Kind.DOWNLOAD,
            user=request.user,
            request=request,
            detail=f"knowledge file {row.pk} {row.original_name}",
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(row.original_name) or "file",
        content_type=content_type_for(row.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("", home, name="home"),
    path("cockpit-tile/", cockpit_tile, name="cockpit_tile"),
    path("curation/", curation, name="curation"),
    path("categories/", category_list, name="category_list"),
    path("categories/new/", category_edit, name="category_create"),
    path("categories/<int:pk>/", category_detail, name="category_detail"),
    path("categories/<int:pk>/edit/", category_edit, name="category_edit"),
    path("categories/<int:pk>/move/", category_move, name="category_move"),
    path("categories/<int:pk>/delete/", category_delete, name="category_delete"),
    path("cases/", case_list, name="case_list"),
    path("cases/new/", case_create, name="case_create"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", case_edit, name="case_edit"),
    path("cases/<int:pk>/curate/", case_curate, name="case_curate"),
    path("cases/<int:pk>/rate/", case_rate, name="case_rate"),
    path("cases/<int:pk>/helpful/", case_helpful, name="case_helpful"),
    path("cases/<int:pk>/apply/", case_apply, name="case_apply"),
    path("articles/", article_list, name="article_list"),
    path("articles/new/", article_create, name="article_create"),
    path("articles/<int:pk>/", article_detail, name="article_detail"),
    path("articles/<int:pk>/edit/", article_edit, name="article_edit"),
    path("articles/<int:pk>/status/", article_status, name="article_status"),
    path("articles/<int:pk>/helpful/", article_helpful, name="article_helpful"),
    path("files/<int:pk>/", file_download, name="file_download"),
]
