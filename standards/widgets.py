"""The standards' tile on the PMO cockpit (registered in ``standards.wiring``):
tailoring requests awaiting a decision and change requests awaiting triage.

The tile renders inline in the cockpit's one request in four queries;
``standards:pmo_queue`` serves the same content on its own.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from pmo.core.permissions import require_perm
from standards.models import ChangeRequest, MethodologyVersion, TailoringRequest

LIMIT = 5


def pmo_queue(request, filters: dict) -> str:
    return render_to_string("standards/widget_cockpit.html", _queue(), request=request)


@require_perm("standards.decide_tailoring")
def pmo_queue_tile(request):
    return TemplateResponse(request, "standards/widget_cockpit.html", _queue())


def _queue() -> dict:
    """The tile's content: what waits for a PMO decision."""
    tailoring = (
        TailoringRequest.objects.pending().select_related("project").order_by("requested_at")
    )
    changes = (
        ChangeRequest.objects.filter(status=ChangeRequest.Status.SUBMITTED)
        .select_related("methodology")
        .order_by("raised_at")
    )
    context = {
        "tailoring": tailoring[:LIMIT],
        "tailoring_count": tailoring.count(),
        "changes": changes[:LIMIT],
        "change_count": changes.count(),
        "review_count": MethodologyVersion.objects.filter(
            status=MethodologyVersion.Status.REVIEW
        ).count(),
    }
    context["count"] = context["tailoring_count"] + context["change_count"]
    return context
