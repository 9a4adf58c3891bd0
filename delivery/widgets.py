"""Dashboard widgets of delivery (registered in ``delivery.wiring``).

The dashboards render a placeholder that htmx replaces with the widget's content from
``delivery:widget``, so a dashboard's own response costs no query for them; each
content renders in a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import Count, Window
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from delivery.models import Gate, Issue, Level, ReportingPolicy, StatusReport
from delivery.selectors import escalations_past_target
from delivery.services.status import (
    all_policies,
    overdue_period,
    overdue_projects,
    period_of,
)
from pmo.core import roles
from pmo.core.models import Project, Stage

LIMIT = 8


def _counted(queryset, limit: int = LIMIT) -> tuple[list, int]:
    """The first rows and the total in one query (a window count on every row)."""
    rows = list(queryset.annotate(total=Window(Count("pk")))[:limit])
    return rows, (rows[0].total if rows else 0)


def pmo_overdue_reports(request) -> str:
    policies = all_policies()
    default = next((p for p in policies if p.project_id is None), None) or ReportingPolicy()
    projects, count = _counted(
        overdue_projects(Project.objects.all(), policies=policies).with_people().order_by("code")
    )
    context = {
        "projects": projects,
        "count": count,
        "period": overdue_period(default, timezone.localdate()),
    }
    return render_to_string("delivery/widgets/overdue_reports.html", context, request=request)


def pmo_escalations(request) -> str:
    late = escalations_past_target(Issue.objects.all())
    return render_to_string(
        "delivery/widgets/escalations.html",
        {"issues": late[:LIMIT], "count": len(late), "now": timezone.now()},
        request=request,
    )


def pmo_gates_waiting(request) -> str:
    gates, count = _counted(
        Gate.objects.filter(status=Gate.Status.IN_REVIEW).with_project().order_by("submitted_at")
    )
    return render_to_string(
        "delivery/widgets/gates.html", {"gates": gates, "count": count}, request=request
    )


def executive_escalations(request) -> str:
    issues, count = _counted(
        Issue.objects.visible_to(request.user)
        .open()
        .filter(level__gte=Level.SPONSOR)
        .with_people()
        .order_by("-level", "level_since")
    )
    return render_to_string(
        "delivery/widgets/escalations.html",
        {"issues": issues, "count": count, "now": timezone.now()},
        request=request,
    )


def my_reports_due(request) -> str:
    """The manager's active projects whose current report is not in, or is overdue."""
    pid = roles.person_id_of(request.user)
    rows = []
    if pid is not None:
        managed = Project.objects.filter(manager_id=pid, stage=Stage.ACTIVE, is_program=False)
        policies = all_policies()
        default = next((p for p in policies if p.project_id is None), None) or ReportingPolicy()
        own = {p.project_id: p for p in policies if p.project_id is not None}
        overdue = set(overdue_projects(managed, policies=policies).values_list("pk", flat=True))
        projects = list(managed.with_people().order_by("code")[:50])
        today = timezone.localdate()
        current = {p.pk: period_of(own.get(p.pk, default), today) for p in projects}
        submitted = set(
            StatusReport.objects.filter(
                project__in=projects,
                period_start__in={c.start for c in current.values()},
                status=StatusReport.Status.SUBMITTED,
            ).values_list("project_id", "period_start")
        )
        rows = [
            (p, p.pk in overdue, current[p.pk])
            for p in projects
            if p.pk in overdue or (p.pk, current[p.pk].start) not in submitted
        ]
    return render_to_string(
        "delivery/widgets/my_reports.html", {"rows": rows[:LIMIT]}, request=request
    )


def my_gate_reviews(request) -> str:
    gates, count = _counted(
        Gate.objects.reviewed_by(request.user)
        .filter(status=Gate.Status.IN_REVIEW)
        .with_project()
        .order_by("planned_date")
    )
    return render_to_string(
        "delivery/widgets/gates.html", {"gates": gates, "count": count}, request=request
    )


CONTENT = {
    "delivery_overdue": pmo_overdue_reports,
    "delivery_escalations": pmo_escalations,
    "delivery_gates": pmo_gates_waiting,
    "delivery_exec_escalations": executive_escalations,
    "delivery_my_reports": my_reports_due,
    "delivery_my_gates": my_gate_reviews,
}


def placeholder(request, key: str) -> str:
    """What the dashboard renders: a link that htmx swaps for the content on load."""
    return render_to_string(
        "delivery/widgets/placeholder.html",
        {"url": reverse("delivery:widget", args=[key])},
        request=request,
    )


def overdue_reports(request, filters) -> str:
    return placeholder(request, "delivery_overdue")


def escalations(request, filters) -> str:
    return placeholder(request, "delivery_escalations")


def gates_waiting(request, filters) -> str:
    return placeholder(request, "delivery_gates")


def exec_escalations(request, filters) -> str:
    return placeholder(request, "delivery_exec_escalations")


def reports_due(request, filters) -> str:
    return placeholder(request, "delivery_my_reports")


def gate_reviews(request, filters) -> str:
    return placeholder(request, "delivery_my_gates")
