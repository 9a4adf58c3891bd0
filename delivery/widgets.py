"""Dashboard widgets of delivery (registered in ``delivery.wiring``).

Each renders ``(request, filters)`` inline in the dashboard's one request, in a fixed
number of queries whatever the number of rows; ``delivery:widget`` serves the same
content on its own page. The executive's filters are ``unit`` (an OrgUnit or None) and
``period`` (``pmo.core.selectors.DashboardPeriod``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from django.db.models import Count, Q, Window
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import (
    AgreementSignoff,
    Gate,
    Goal,
    Issue,
    Level,
    Milestone,
    ReportingPolicy,
    ResponsibilityAgreement,
    Severity,
    StatusReport,
)
from delivery.selectors import escalations_past_target
from delivery.services.goals import STEP_ORDER
from delivery.services.status import (
    all_policies,
    overdue_period,
    overdue_projects,
    period_of,
)
from pmo.core import charts, roles, selectors
from pmo.core.models import Health, Project, Stage

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
    context = {
        "gates": gates,
        "count": count,
        "link_url": reverse("delivery:control"),
        "link_label": _("Control and intervention"),
    }
    return render_to_string("delivery/widgets/gates.html", context, request=request)


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
    context = {
        "gates": gates,
        "count": count,
        "link_url": reverse("delivery:my_reviews"),
        "link_label": _("My gate reviews"),
    }
    return render_to_string("delivery/widgets/gates.html", context, request=request)


def _scope(request, filters: dict | None):
    projects = Project.objects.visible_to(request.user)
    unit = (filters or {}).get("unit")
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    return projects


def _period(filters: dict | None) -> selectors.DashboardPeriod:
    period = (filters or {}).get("period")
    return period or selectors.dashboard_period(None)


TREND_WEEKS = 12
REPORT_VALID_DAYS = 28


def health_trend_rows(projects, end: dt.date, weeks: int = TREND_WEEKS):
    """Health per week over ``weeks`` weeks ending with the week of ``end``: for each
    week's Sunday, the overall rating of each project's latest submitted report of the
    four weeks before; active projects without one count as "no current status".
    Two queries whatever the number of projects."""
    last = end + dt.timedelta(days=6 - end.weekday())
    sundays = [last - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    reports = (
        StatusReport.objects.filter(
            project__in=projects,
            status=StatusReport.Status.SUBMITTED,
            period_end__gt=sundays[0] - dt.timedelta(days=REPORT_VALID_DAYS),
            period_end__lte=last,
        )
        .order_by("project_id", "period_end")
        .values_list("project_id", "period_end", "overall")
    )
    by_project: dict[int, list] = {}
    for pid, period_end, overall in reports:
        by_project.setdefault(pid, []).append((period_end, overall))
    active = set(projects.filter(stage=Stage.ACTIVE).values_list("pk", flat=True))
    codes = [h.value for h in Health]
    counts = {code: [0] * weeks for code in codes}
    for pid in active | set(by_project):
        rows = by_project.get(pid, ())
        ends = [period_end for period_end, _overall in rows]
        for i, sunday in enumerate(sundays):
            since = sunday - dt.timedelta(days=REPORT_VALID_DAYS)
            # The last report (in period order) ending on or before the Sunday, if recent.
            at = bisect_right(ends, sunday) - 1
            latest = rows[at][1] if at >= 0 and ends[at] > since else None
            if latest:
                counts[latest][i] += 1
            elif pid in active:
                counts[Health.GREY][i] += 1
    return sundays, counts


def health_trend(request, filters: dict) -> str:
    period = _period(filters)
    end = min(period.end, timezone.localdate())
    sundays, counts = health_trend_rows(_scope(request, filters), end)
    labels = {h.value: str(h.label) for h in Health}
    chart = charts.health_trend([d.strftime("%m-%d") for d in sundays], counts, labels)
    latest = {code: values[-1] for code, values in counts.items()}
    before = {code: values[-5] if len(values) > 4 else 0 for code, values in counts.items()}
    context = {
        "chart": chart,
        "red_now": latest["red"],
        "red_change": latest["red"] - before["red"],
        "green_now": latest["green"],
        "grid_url": reverse("delivery:status_grid"),
    }
    return render_to_string("delivery/widgets/health_trend.html", context, request=request)


def milestones_due(request, filters: dict) -> str:
    """Milestones planned in the period: reached, late and still ahead (two queries)."""
    period = _period(filters)
    today = timezone.localdate()
    milestones = Milestone.objects.filter(
        project__in=_scope(request, filters).open(),
        planned_date__gte=period.start,
        planned_date__lte=period.end,
    )
    totals = milestones.aggregate(
        total=Count("pk"),
        reached=Count("pk", filter=Q(actual_date__isnull=False)),
        late=Count("pk", filter=Q(actual_date__isnull=True, planned_date__lt=today)),
    )
    rows = list(
        milestones.filter(actual_date__isnull=True)
        .select_related("project")
        .order_by("planned_date", "project__code")[:LIMIT]
    )
    context = {"rows": rows, "today": today, "period": period, **totals}
    return render_to_string("delivery/widgets/milestones.html", context, request=request)


def top_risks(request, filters: dict) -> str:
    """Open issues, risks and change requests needing a decision from above: escalated
    to sponsors or executives, critical or high ones, and changes awaiting a decision;
    the most escalated and severe first (one query)."""
    severity_rank = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}
    issues = (
        Issue.objects.filter(project__in=_scope(request, filters))
        .open()
        .filter(
            Q(level__gte=Level.SPONSOR)
            | Q(severity__in=[Severity.CRITICAL, Severity.HIGH])
            | Q(kind=Issue.Kind.CHANGE, decision=Issue.Decision.PENDING)
        )
        .with_people()
        .order_by("-level", "level_since")
    )
    rows, count = _counted(issues, limit=50)
    rows.sort(key=lambda i: (-i.level, severity_rank.get(i.severity, 9), i.level_since))
    context = {"issues": rows[:LIMIT], "count": count, "now": timezone.now()}
    return render_to_string("delivery/widgets/top_risks.html", context, request=request)


def my_due(request, filters: dict) -> str:
    """What is due from the user besides status reports: goals to measure, agreements
    waiting for their signature, open issues they own with a due date (four queries)."""
    pid = roles.person_id_of(request.user)
    today = timezone.localdate()
    soon = today + dt.timedelta(days=30)
    goals, issues, agreements = [], [], []
    if pid is not None:
        goals = list(
            Goal.objects.filter(owner_id=pid, actual_value__isnull=True, due_date__lte=soon)
            .exclude(project__stage__in=[Stage.CANCELLED, Stage.REJECTED])
            .select_related("project")
            .order_by("due_date")[:LIMIT]
        )
        issues = list(
            Issue.objects.filter(owner_id=pid, due_date__isnull=False)
            .open()
            .select_related("project")
            .order_by("due_date")[:LIMIT]
        )
    signing = ResponsibilityAgreement.objects.filter(status=ResponsibilityAgreement.Status.SIGNING)
    mine = Q(project__manager_id=pid) | Q(project__sponsor_id=pid) if pid is not None else Q()
    if not roles.is_pmo(request.user):
        signing = signing.filter(mine) if pid is not None else signing.none()
    for agreement in signing.select_related("project").prefetch_related("signoffs")[:50]:
        done = {s.step for s in agreement.signoffs.all()}
        step = next((s for s in STEP_ORDER if s not in done), None)
        if (
            (step == AgreementSignoff.Step.MANAGER and agreement.project.manager_id == pid)
            or (step == AgreementSignoff.Step.SPONSOR and agreement.project.sponsor_id == pid)
            or (step == AgreementSignoff.Step.PMO and roles.is_pmo(request.user))
        ):
            agreements.append(agreement)
    context = {
        "goals": goals,
        "issues": issues,
        "agreements": agreements[:LIMIT],
        "today": today,
        "count": len(goals) + len(issues) + len(agreements),
    }
    return render_to_string("delivery/widgets/my_due.html", context, request=request)


CONTENT = {
    "delivery_overdue": pmo_overdue_reports,
    "delivery_escalations": pmo_escalations,
    "delivery_gates": pmo_gates_waiting,
    "delivery_exec_escalations": lambda request: top_risks(request, {}),
    "delivery_my_reports": my_reports_due,
    "delivery_my_gates": my_gate_reviews,
    "delivery_health_trend": lambda request: health_trend(request, {}),
    "delivery_milestones": lambda request: milestones_due(request, {}),
    "delivery_my_due": lambda request: my_due(request, {}),
}


def overdue_reports(request, filters) -> str:
    return CONTENT["delivery_overdue"](request)


def escalations(request, filters) -> str:
    return CONTENT["delivery_escalations"](request)


def gates_waiting(request, filters) -> str:
    return CONTENT["delivery_gates"](request)


def exec_escalations(request, filters) -> str:
    return top_risks(request, filters)


def reports_due(request, filters) -> str:
    return CONTENT["delivery_my_reports"](request)


def gate_reviews(request, filters) -> str:
    return CONTENT["delivery_my_gates"](request)
