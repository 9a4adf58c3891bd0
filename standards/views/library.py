"""The process and template library: the overview, best-practice sources,
methodologies, versions with their lifecycle and diff, processes, and the review of
contradictions and duplications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pmo.core import locking
from pmo.core.forms import add_service_errors
from pmo.core.models import ProjectType, Stage
from pmo.core.permissions import require_perm
from standards import diff as diffing
from standards import services
from standards.forms import MethodologyForm, NoteForm, SourceForm, VersionForm
from standards.models import (
    BestPracticeSource,
    ChangeRequest,
    DocumentTemplate,
    Methodology,
    MethodologyVersion,
    Process,
    ProcessStep,
    ProjectMethodology,
)
from standards.querysets import with_content_counts
from standards.selectors import library as selectors
from standards.views.common import (
    check,
    form_page,
    int_param,
    version_for,
    widgets,
)

VIEW, CHANGE, PUBLISH = (
    "standards.view_library",
    "standards.change_library",
    "standards.publish_version",
)
Status = MethodologyVersion.Status


# --- overview -------------------------------------------------------------------------------


@require_perm(VIEW)
def library(request):
    """Methodologies per project type with their published version, and how much of the
    organisation's project types the standards cover."""
    published = with_content_counts(MethodologyVersion.objects.published())
    methodologies = list(
        Methodology.objects.select_related("project_type", "owner").prefetch_related(
            Prefetch("versions", queryset=published, to_attr="published_versions")
        )
    )
    following = dict(
        ProjectMethodology.objects.values_list("version__methodology")
        .annotate(n=Count("pk"))
        .values_list("version__methodology", "n")
    )
    open_changes = dict(
        ChangeRequest.objects.open()
        .values_list("methodology")
        .annotate(n=Count("pk"))
        .values_list("methodology", "n")
    )
    for methodology in methodologies:
        methodology.published = (methodology.published_versions or [None])[0]
        methodology.following = following.get(methodology.pk, 0)
        methodology.open_changes = open_changes.get(methodology.pk, 0)
    types = list(ProjectType.objects.order_by("code"))
    covered = {m.project_type_id for m in methodologies if m.published and m.project_type_id}
    generic = any(m.published and m.project_type_id is None for m in methodologies)
    context = {
        "methodologies": methodologies,
        "types": types,
        "covered": covered,
        "generic": generic,
        "covered_count": len(types) if generic else len(covered),
        "sources": BestPracticeSource.objects.all(),
        "template_count": DocumentTemplate.objects.active().count(),
        "can_change": request.user.has_perm(CHANGE),
    }
    return TemplateResponse(request, "standards/library.html", context)


# --- best-practice sources ---------------------------------------------------------------------


@require_perm(VIEW)
def source_list(request):
    sources = BestPracticeSource.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=MethodologyVersion.objects.visible_to(request.user).with_methodology(),
        )
    )
    return TemplateResponse(
        request,
        "standards/source_list.html",
        {"sources": sources, "can_change": request.user.has_perm(CHANGE)},
    )


@require_perm(CHANGE)
def source_edit(request, pk: int | None = None):
    source = get_object_or_404(BestPracticeSource, pk=pk) if pk else None
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_save(source=source, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The source was saved."))
            return redirect("standards:source_list")
    return form_page(
        request, "standards/form.html", _form_context(_("Best-practice source"), source), form
    )


def _form_context(title, obj=None, back: str = "") -> dict:
    return {"title": title, "object": obj, "back": back}


# --- methodologies ---------------------------------------------------------------------------------


@require_perm(CHANGE)
def methodology_edit(request, pk: int | None = None):
    methodology = get_object_or_404(Methodology, pk=pk) if pk else None
    form = MethodologyForm(request.POST or None, instance=methodology)
    if request.method == "POST" and form.is_valid():
        try:
            methodology = services.methodology_save(
                methodology=methodology, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The methodology was saved."))
            return redirect(methodology)
    return form_page(
        request,
        "standards/form.html",
        _form_context(_("Methodology"), methodology, reverse("standards:library")),
        form,
    )


@require_perm(VIEW)
def methodology_detail(request, pk: int):
    methodology = get_object_or_404(
        Methodology.objects.select_related("project_type", "owner"), pk=pk
    )
    versions = list(
        with_content_counts(methodology.versions.visible_to(request.user))
        .select_related("created_by", "reviewed_by", "based_on")
        .annotate(n_projects=Count("projects", distinct=True))
        .order_by("-number")
    )
    changes = ChangeRequest.objects.filter(methodology=methodology).with_people()[:20]
    context = {
        "methodology": methodology,
        "versions": versions,
        "published": next((v for v in versions if v.status == Status.PUBLISHED), None),
        "has_open_draft": any(v.status in (Status.DRAFT, Status.REVIEW) for v in versions),
        "changes": changes,
        "can_change": request.user.has_perm(CHANGE),
    }
    return TemplateResponse(request, "standards/methodology_detail.html", context)


@require_POST
@require_perm(CHANGE)
def version_create(request, pk: int):
    """A new draft, a copy of the published version (or of the latest one)."""
    methodology = get_object_or_404(Methodology, pk=pk)
    based_on = (
        methodology.versions.filter(status=Status.PUBLISHED).first()
        or methodology.versions.order_by("-number").first()
    )
    try:
        version = services.methodology_version_create(
            methodology=methodology, based_on=based_on, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(methodology)
    messages.success(request, _("Draft %(version)s was created.") % {"version": version.label})
    return redirect(version)


# --- versions ---------------------------------------------------------------------------------------


@login_required
def version_detail(request, pk: int):
    version = version_for(request, pk)
    check(request, VIEW)
    content = selectors.version_content(version)
    context = {
        "version": version,
        "methodology": version.methodology,
        "content": content,
        "findings": selectors.review_findings(content),
        "sources": version.sources.all(),
        "changes": version.change_requests.with_people(),
        "other_versions": version.methodology.versions.visible_to(request.user)
        .exclude(pk=version.pk)
        .order_by("-number"),
        "can_edit": version.is_editable and request.user.has_perm(CHANGE),
        "can_change": request.user.has_perm(CHANGE),
        "can_publish": request.user.has_perm(PUBLISH),
        "note_form": NoteForm(),
    }
    return TemplateResponse(request, "standards/version_detail.html", context)


@login_required
def version_edit(request, pk: int):
    version = version_for(request, pk, CHANGE)
    if not version.is_editable:
        raise Http404
    form = VersionForm(
        request.POST or None,
        initial={"change_summary": version.change_summary, "sources": version.sources.all()},
    )
    locking.attach_token(form, version, ["change_summary", "sources"])
    if request.method == "POST" and form.is_valid():
        try:
            with locking.guard(form):
                services.methodology_version_update(
                    version=version, actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The version was saved."))
            return redirect(version)
    return form_page(
        request,
        "standards/form.html",
        _form_context(_("Version"), version, version.get_absolute_url()),
        form,
    )


TRANSITIONS = {
    # action: (service, permission, success message)
    "submit": (
        services.methodology_version_submit,
        CHANGE,
        gettext_lazy("The version was sent for review."),
    ),
    "return": (
        services.methodology_version_return,
        PUBLISH,
        gettext_lazy("The version was sent back to draft."),
    ),
    "publish": (
        services.methodology_version_publish,
        PUBLISH,
        gettext_lazy("The version was published."),
    ),
    "retire": (
        services.methodology_version_retire,
        PUBLISH,
        gettext_lazy("The version was retired."),
    ),
}


@require_POST
@login_required
def version_transition(request, pk: int, action: str):
    if action not in TRANSITIONS:
        raise Http404
    service, perm, message = TRANSITIONS[action]
    version = version_for(request, pk, perm)
    form = NoteForm(request.POST)
    form.is_valid()
    kwargs = {"version": version, "actor": request.user}
    if action in ("return", "publish"):
        kwargs["note"] = form.cleaned_data.get("note", "")
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(message))
    return redirect(version)


@login_required
def version_diff(request, pk: int):
    """What changed between two versions of a methodology: parts added, removed, changed."""
    version = version_for(request, pk)
    check(request, VIEW)
    visible = version.methodology.versions.visible_to(request.user).exclude(pk=version.pk)
    against_id = int_param(request.GET.get("against"))
    if against_id:
        against = visible.filter(pk=against_id).first()
        if against is None:
            raise Http404
    else:
        against = (
            visible.filter(pk=version.based_on_id).first()
            or visible.filter(number__lt=version.number).order_by("-number").first()
        )
    changes = selectors.version_diff(against, version) if against else []
    counts = diffing.summary(changes)
    context = {
        "version": version,
        "against": against,
        "versions": visible.order_by("-number"),
        "changes": changes,
        "rows": [(change, _field_rows(change)) for change in changes],
        "counts": counts,
        "kinds": KIND_LABELS,
        "total": len(changes),
    }
    return TemplateResponse(request, "standards/version_diff.html", context)


FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "name_en": gettext_lazy("English name"),
    "order": gettext_lazy("Order"),
    "description": gettext_lazy("Description"),
    "phase": gettext_lazy("Phase"),
    "due_stage": gettext_lazy("Due from lifecycle stage"),
    "position_percent": gettext_lazy("Planned position (percentage of duration)"),
    "decision_body": gettext_lazy("Decided by"),
    "criteria": gettext_lazy("Criteria"),
    "owner_role": gettext_lazy("Owner role"),
    "owner_responsibility": gettext_lazy("Owner (responsibility)"),
    "responsibility": gettext_lazy("Responsibility"),
    "inputs": gettext_lazy("Inputs"),
    "outputs": gettext_lazy("Outputs"),
    "gate": gettext_lazy("Required at gate"),
    "process": gettext_lazy("Produced by process"),
    "template": gettext_lazy("Template"),
    "optional": gettext_lazy("Optional"),
}


def _shown(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "due_stage":
        return str(Stage(value).label) if value in Stage.values else str(value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def _field_rows(change) -> list[tuple[str, str, str]]:
    """The changed fields of a part, labelled and shown as a reader expects."""
    return [
        (str(FIELD_LABELS.get(f.field, f.field)), _shown(f.field, f.old), _shown(f.field, f.new))
        for f in change.fields
    ]


KIND_LABELS = {
    "phase": gettext_lazy("Phases"),
    "gate": gettext_lazy("Gates"),
    "process": gettext_lazy("Processes"),
    "step": gettext_lazy("Process steps"),
    "deliverable": gettext_lazy("Deliverables"),
}


# --- processes and the review ------------------------------------------------------------------------


@login_required
def process_detail(request, pk: int):
    check(request, VIEW)
    process = get_object_or_404(Process.objects.visible_to(request.user).with_parts(), pk=pk)
    context = {
        "process": process,
        "version": process.version,
        "steps": ProcessStep.objects.filter(process=process).select_related("owner_role"),
        "deliverables": process.deliverables.with_parts(),
        "widgets": widgets(request, "standards_process", {"process": process}),
        "can_edit": process.version.is_editable and request.user.has_perm(CHANGE),
    }
    return TemplateResponse(request, "standards/process_detail.html", context)


@require_perm(VIEW)
def review(request):
    """Contradictions and duplications of every current version (published, and for the
    PMO the drafts and versions in review)."""
    versions = (
        MethodologyVersion.objects.visible_to(request.user)
        .exclude(status=Status.RETIRED)
        .with_methodology()
        .order_by("methodology__code", "-number")
    )
    page = Paginator(versions, 10).get_page(request.GET.get("page"))
    contents = selectors.versions_content(page)
    sections = []
    for version in page:
        content = contents[version.pk]
        sections.append((version, selectors.review_findings(content), content.counts))
    context = {
        "page": page,
        "sections": sections,
        "labels": selectors.FINDING_LABELS,
        "total": sum(len(f) for _v, f, _c in sections),
    }
    return TemplateResponse(request, "standards/review.html", context)


urlpatterns = [
    path("", library, name="library"),
    path("sources/", source_list, name="source_list"),
    path("sources/new/", source_edit, name="source_create"),
    path("sources/<int:pk>/edit/", source_edit, name="source_edit"),
    path("methodologies/new/", methodology_edit, name="methodology_create"),
    path("methodologies/<int:pk>/", methodology_detail, name="methodology_detail"),
    path("methodologies/<int:pk>/edit/", methodology_edit, name="methodology_edit"),
    path("methodologies/<int:pk>/versions/new/", version_create, name="version_create"),
    path("versions/<int:pk>/", version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", version_edit, name="version_edit"),
    path("versions/<int:pk>/diff/", version_diff, name="version_diff"),
    path(
        "versions/<int:pk>/<str:action>/",
        version_transition,
        name="version_transition",
    ),
    path("processes/<int:pk>/", process_detail, name="process_detail"),
    path("review/", review, name="review"),
]
