"""The evaluation system: schemes and their versions, dimensions, criteria and bands,
preset schemes, publishing and new versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import services
from evaluation.forms import BandForm, CriterionForm, DimensionForm, SchemeForm, VersionForm
from evaluation.models import Criterion, Dimension, GradeBand, Scheme, SchemeVersion
from evaluation.views.common import check, form_page, run_service, version_for
from pmo.core import locking
from pmo.core.permissions import require_perm
from pmo.core.registry import registry

VIEW, MANAGE = "evaluation.view_schemes", "evaluation.manage"


@require_perm(VIEW)
def scheme_list(request):
    schemes = Scheme.objects.visible_to(request.user).prefetch_related(
        Prefetch(
            "versions",
            queryset=SchemeVersion.objects.visible_to(request.user).annotate(
                n_cycles=Count("cycles")
            ),
        )
    )
    installed = set(Scheme.objects.exclude(preset="").values_list("preset", flat=True))
    presets = [(key, label, key in installed) for key, (_spec, label) in services.PRESETS.items()]
    context = {"schemes": schemes, "presets": presets, "can_manage": request.user.has_perm(MANAGE)}
    return TemplateResponse(request, "evaluation/scheme_list.html", context)


@require_perm(MANAGE)
def scheme_create(request):
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scheme = run_service(
            form, lambda: services.scheme_create(actor=request.user, **form.cleaned_data)
        )
        if scheme:
            messages.success(request, _("The scheme was created; fill in its first version."))
            return redirect(scheme.versions.get())
    return form_page(request, "evaluation/form.html", {"title": _("New evaluation scheme")}, form)


@require_POST
@require_perm(MANAGE)
def preset_install(request, key: str):
    if key not in services.PRESETS:
        raise Http404
    scheme = services.preset_install(key=key, actor=request.user)
    messages.success(
        request, _("The preset scheme %(name)s is installed.") % {"name": scheme.label}
    )
    return redirect(scheme.versions.order_by("-number").first())


@require_perm(VIEW)
def scheme_detail(request, pk: int):
    scheme = get_object_or_404(Scheme.objects.visible_to(request.user), pk=pk)
    version = (
        SchemeVersion.objects.visible_to(request.user)
        .filter(scheme=scheme)
        .order_by("-number")
        .first()
    )
    if version is None:
        return redirect("evaluation:scheme_list")
    return redirect(version)


@require_perm(VIEW)
def version_detail(request, pk: int):
    version = version_for(request, pk)
    dimensions = list(
        version.dimensions.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("sort_order", "id"))
        )
    )
    metrics = {m.key: m for m in registry.metric_list()}
    for dimension in dimensions:
        for criterion in dimension.criteria.all():
            criterion.metric = metrics.get(criterion.metric_key)
    context = {
        "version": version,
        "scheme": version.scheme,
        "dimensions": dimensions,
        "bands": list(version.bands.all()),
        "versions": SchemeVersion.objects.visible_to(request.user)
        .filter(scheme=version.scheme)
        .order_by("-number"),
        "problems": services.version_problems(version) if version.is_draft else [],
        "can_edit": version.is_draft and request.user.has_perm(MANAGE),
        "can_manage": request.user.has_perm(MANAGE),
        "cycles": version.cycles.order_by("-period_end"),
    }
    return TemplateResponse(request, "evaluation/version_detail.html", context)


def _draft_version(request, pk: int) -> SchemeVersion:
    version = version_for(request, pk, MANAGE)
    if not version.is_draft:
        messages.error(
            request, _("A published version is frozen; start a new version to change it.")
        )
    return version


@require_perm(MANAGE)
def version_edit(request, pk: int):
    version = _draft_version(request, pk)
    if not version.is_draft:
        return redirect(version)
    form = VersionForm(request.POST or None, instance=SchemeVersion.objects.get(pk=version.pk))
    locking.attach_token(form, form.instance)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}

        def save():
            with locking.guard(form):
                return services.version_update(version=version, actor=request.user, **data)

        if run_service(form, save):
            messages.success(request, _("The scope, method and process were saved."))
            return redirect(version)
    context = {
        "title": _("Scope, method and process"),
        "object": version,
        "back": version.get_absolute_url(),
    }
    return form_page(request, "evaluation/form.html", context, form)


def _part_page(request, version, form, title, save, success):
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(form, lambda: save(form.cleaned_data))
    ):
        messages.success(request, success)
        return redirect(version)
    context = {"title": title, "object": version, "back": version.get_absolute_url()}
    return form_page(request, "evaluation/form.html", context, form)


@require_perm(MANAGE)
def dimension_edit(request, pk: int, dimension_pk: int | None = None):
    version = _draft_version(request, pk)
    if not version.is_draft:
        return redirect(version)
    dimension = (
        get_object_or_404(Dimension, pk=dimension_pk, version=version) if dimension_pk else None
    )
    initial = (
        DimensionForm.initial_from(dimension)
        if dimension
        else {"sort_order": version.dimensions.count() + 1}
    )
    form = DimensionForm(request.POST or None, initial=initial)
    return _part_page(
        request,
        version,
        form,
        _("Dimension"),
        lambda data: services.dimension_save(
            version=version, dimension=dimension, actor=request.user, **data
        ),
        _("The dimension was saved."),
    )


@require_perm(MANAGE)
def criterion_edit(request, pk: int, dimension_pk: int, criterion_pk: int | None = None):
    version = _draft_version(request, pk)
    if not version.is_draft:
        return redirect(version)
    dimension = get_object_or_404(Dimension, pk=dimension_pk, version=version)
    criterion = (
        get_object_or_404(Criterion, pk=criterion_pk, dimension=dimension) if criterion_pk else None
    )
    initial = (
        CriterionForm.initial_from(criterion)
        if criterion
        else {"sort_order": dimension.criteria.count() + 1}
    )
    form = CriterionForm(request.POST or None, initial=initial)
    return _part_page(
        request,
        version,
        form,
        _("Criterion of %(dimension)s") % {"dimension": dimension.label},
        lambda data: services.criterion_save(
            dimension=dimension, criterion=criterion, actor=request.user, **data
        ),
        _("The criterion was saved."),
    )


@require_perm(MANAGE)
def band_edit(request, pk: int, band_pk: int | None = None):
    version = _draft_version(request, pk)
    if not version.is_draft:
        return redirect(version)
    band = get_object_or_404(GradeBand, pk=band_pk, version=version) if band_pk else None
    form = BandForm(request.POST or None, initial=BandForm.initial_from(band) if band else None)
    return _part_page(
        request,
        version,
        form,
        _("Grade band"),
        lambda data: services.band_save(version=version, band=band, actor=request.user, **data),
        _("The grade band was saved."),
    )


@require_POST
@require_perm(MANAGE)
def part_delete(request, pk: int, kind: str, part_pk: int):
    version = _draft_version(request, pk)
    if version.is_draft:
        if kind == "dimension":
            services.dimension_delete(
                dimension=get_object_or_404(Dimension, pk=part_pk, version=version),
                actor=request.user,
            )
        elif kind == "criterion":
            criterion = get_object_or_404(Criterion, pk=part_pk, dimension__version=version)
            services.criterion_delete(criterion=criterion, actor=request.user)
        elif kind == "band":
            services.band_delete(
                band=get_object_or_404(GradeBand, pk=part_pk, version=version), actor=request.user
            )
        else:
            return redirect(version)
        messages.success(request, _("Removed."))
    return redirect(version)


@require_POST
@require_perm(MANAGE)
def version_publish(request, pk: int):
    version = version_for(request, pk, MANAGE)
    try:
        services.version_publish(version=version, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The version is published and frozen; cycles may use it."))
    return redirect(version)


@require_POST
@login_required
def version_copy(request, pk: int):
    version = version_for(request, pk, MANAGE)
    check(request, MANAGE)
    copy = services.version_copy(
        version=version, actor=request.user, change_note=request.POST.get("change_note", "")[:300]
    )
    messages.success(
        request, _("Version %(n)s is a draft copy; change it and publish it.") % {"n": copy.number}
    )
    return redirect(copy)
