"""Fetch-with-permission helpers and the shared context of the study pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from decisions.models import SectionKind, Study, StudySection
from pmo.core.models import SecurityEvent
from pmo.core.services import security_event_record


def deny(request, perm: str):
    """Log the refusal in the security log and answer 403."""
    security_event_record(
        kind=SecurityEvent.Kind.PERMISSION_DENIED,
        user=request.user,
        request=request,
        success=False,
        detail=f"{perm} {request.method} {request.path}",
    )
    raise PermissionDenied


def check(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        deny(request, perm)


def get_study(request, pk: int, perm: str | None = None) -> Study:
    """The study if the user may see it (else 404) and holds ``perm`` on it (else 403)."""
    try:
        study = Study.objects.visible_to(request.user).with_project().get(pk=pk)
    except Study.DoesNotExist:
        raise Http404 from None
    if perm:
        check(request, perm, study)
    return study


def get_section(request, study: Study, kind: str) -> StudySection:
    if kind not in SectionKind.values:
        raise Http404
    section = get_object_or_404(
        StudySection.objects.select_related("owner"), study=study, kind=kind
    )
    section.study = study
    return section


NAV_EXTRA = ("readiness", "reviews", "decision", "versions")


def study_page(request, study: Study, template: str, context: dict, *, active: str, status=200):
    """Render a study page inside the study layout (header, section navigation)."""
    user = request.user
    sections = list(study.sections.select_related("owner").order_by("id"))
    order = {k: i for i, k in enumerate(SectionKind.values)}
    sections.sort(key=lambda s: order[s.kind])
    for section in sections:
        section.study = study
    can_change = user.has_perm("decisions.change_study", study)
    base = {
        "study": study,
        "project": study.project,
        "nav_sections": sections,
        "active": active,
        "can_change": can_change,
        "editable": study.is_editable,
        "can_view_reviews": user.has_perm("decisions.view_reviews", study),
        "versions": list(
            Study.objects.filter(project=study.project).values_list("pk", "version", "status")
        ),
    }
    base["is_latest"] = max(v[1] for v in base["versions"]) == study.version
    base.update(context)
    return TemplateResponse(request, template, base, status=status)
