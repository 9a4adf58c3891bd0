"""Weekly status: reporting policy and periods, earned value, submitting a report (which
updates the core project summary), the PMO's override, reminders and overdue notices."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery import evm, periods
from delivery.models import (
    DIMENSIONS,
    Deliverable,
    DeliverableProgress,
    Milestone,
    Rag,
    ReminderLog,
    ReportingPolicy,
    StatusReport,
    worst,
)
from delivery.services.common import require_manage, require_pmo, set_history_user, user_or_none
from delivery.services.plan import current_baseline, planned_items
from pmo.core.models import Project, Stage
from pmo.core.services import notification_send, project_summary_update

REPORT_FIELDS = (
    *(f"{d}_rag" for d in DIMENSIONS),
    *(f"{d}_reason" for d in DIMENSIONS),
    "percent_complete",
    "actual_cost",
    "accomplishments",
    "next_steps",
    "help_needed",
)
POLICY_FIELDS = (
    "frequency",
    "due_weekday",
    "reminder_days",
    "green_index",
    "red_index",
    "red_deviation",
)


# --- policy and periods ----------------------------------------------------------------


def default_policy() -> ReportingPolicy:
    """The policy of every project without its own (unsaved defaults when none is set)."""
    return ReportingPolicy.objects.filter(project=None).first() or ReportingPolicy()


def policy_for(project) -> ReportingPolicy:
    own = ReportingPolicy.objects.filter(project=project).first()
    return own or default_policy()


def policies_for(project_ids) -> dict[int, ReportingPolicy]:
    """Each project's policy, in two queries whatever the number of projects."""
    default = default_policy()
    own = {p.project_id: p for p in ReportingPolicy.objects.filter(project_id__in=project_ids)}
    return {pid: own.get(pid, default) for pid in project_ids}


@transaction.atomic
def policy_save(*, actor, project=None, **fields) -> ReportingPolicy:
    """Set the default reporting policy, or a project's own one (PMO)."""
    require_pmo(actor)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = ReportingPolicy.objects.filter(project=project).first() or ReportingPolicy(
        project=project
    )
    for key, value in fields.items():
        setattr(policy, key, value)
    policy.full_clean(validate_unique=False)
    set_history_user(policy, actor)
    policy.save()
    return policy


def period_of(policy: ReportingPolicy, day: dt.date) -> periods.ReportingPeriod:
    return periods.period_for(policy.frequency, policy.due_weekday, day)


def thresholds_of(policy: ReportingPolicy) -> evm.RagThresholds:
    return evm.RagThresholds(
        green_index=Decimal(policy.green_index),
        red_index=Decimal(policy.red_index),
        red_deviation=Decimal(policy.red_deviation) / 100,
    )


def open_periods(project, today: dt.date | None = None) -> list[periods.ReportingPeriod]:
    """The periods a manager may report now: the current one and the one before."""
    today = today or timezone.localdate()
    policy = policy_for(project)
    return periods.recent_periods(policy.frequency, policy.due_weekday, today, 2)[::-1]


# --- earned value -------------------------------------------------------------------------


def status_evm(
    *, project, on: dt.date, percent_complete: Decimal, actual_cost: Decimal, baseline=None
) -> evm.EvmResult:
    """Earned value on a date: PV from the current baseline, EV = BAC × percent complete."""
    baseline = baseline if baseline is not None else current_baseline(project)
    bac = baseline.bac if baseline is not None else project.budget
    pv = evm.planned_value(bac=bac, items=planned_items(baseline), on=on)
    ev = evm.earned_amount(bac=bac, percent_complete=percent_complete)
    return evm.earned_value(bac=bac, pv=pv, ev=ev, ac=actual_cost)


def suggested_ratings(result: evm.EvmResult, policy: ReportingPolicy) -> dict[str, str]:
    """The schedule and cost ratings the figures suggest under the policy's thresholds."""
    thresholds = thresholds_of(policy)
    return {
        "schedule": evm.schedule_rag(result, thresholds),
        "cost": evm.cost_rag(result, thresholds),
        "overall": evm.rag_for(result, thresholds),
    }


def progress_percent(project, progress: dict[int, Decimal]) -> Decimal | None:
    """Percent complete weighted over the project's deliverables, None without any."""
    deliverables = list(Deliverable.objects.filter(project=project))
    if not deliverables:
        return None
    value = evm.weighted_progress(
        (d.weight, progress.get(d.pk, d.percent_complete)) for d in deliverables
    )
    return None if value is None else value.quantize(Decimal("0.1"))


def _q(value, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(places))


# --- the status report --------------------------------------------------------------------


def last_submitted(project, before: dt.date | None = None) -> StatusReport | None:
    qs = StatusReport.objects.filter(project=project, status=StatusReport.Status.SUBMITTED)
    if before is not None:
        qs = qs.filter(period_start__lt=before)
    return qs.order_by("-period_start").first()


def _validate_reasons(report: StatusReport) -> None:
    errors = {}
    for key in DIMENSIONS:
        if (
            getattr(report, f"{key}_rag") != Rag.GREEN
            and not getattr(report, f"{key}_reason").strip()
        ):
            errors[f"{key}_reason"] = _("Give a reason for a rating that is not green.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def status_report_save(
    *,
    project,
    actor,
    period_start: dt.date,
    submit: bool,
    progress: dict[int, Decimal] | None = None,
    milestones_reached=(),
    today: dt.date | None = None,
    **fields,
) -> StatusReport:
    """Save a period's status report as a draft, or submit it.

    Submitting computes and stores the earned value, writes the deliverables' progress
    and the milestones reached to the plan, and updates the core project summary
    (health, progress, spend, forecast, SPI, CPI) when this is the latest report.
    """
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown status fields: {sorted(unknown)}")
    require_manage(actor, project)
    today = today or timezone.localdate()
    policy = policy_for(project)
    period = period_of(policy, period_start)
    if period.start != period_start or period.start > today:
        raise ValidationError({"period": _("Choose a reporting period that has begun.")})
    report = StatusReport.objects.filter(project=project, period_start=period.start).first()
    report = report or StatusReport(project=project, period_start=period.start)
    report.period_end, report.due_date = period.end, period.due
    for key, value in fields.items():
        setattr(report, key, value)
    progress = {int(k): Decimal(v) for k, v in (progress or {}).items()}
    deliverables = {d.pk: d for d in Deliverable.objects.filter(project=project)}
    if set(progress) - set(deliverables):
        raise ValidationError(_("The progress names a deliverable of another project."))
    weighted = progress_percent(project, progress)
    if weighted is not None:
        report.percent_complete = weighted
    report.overall = worst(*(getattr(report, f"{d}_rag") for d in DIMENSIONS))
    report.full_clean(exclude=["project"], validate_unique=False)
    _validate_reasons(report)
    milestones = list(Milestone.objects.filter(project=project, pk__in=list(milestones_reached)))
    if len(milestones) != len(set(milestones_reached)):
        raise ValidationError(_("A milestone reached belongs to another project."))
    status_date = min(period.end, today)
    if submit:
        result = status_evm(
            project=project,
            on=status_date,
            percent_complete=report.percent_complete,
            actual_cost=report.actual_cost,
        )
        report.bac, report.pv, report.ev = _q(result.bac), _q(result.pv), _q(result.ev)
        report.spi, report.cpi = _q(result.spi, "0.001"), _q(result.cpi, "0.001")
        report.eac, report.vac = _q(result.eac), _q(result.vac)
        report.tcpi = _q(result.tcpi, "0.001")
        if report.submitted_at is None:
            report.on_time = today <= report.due_date
        report.status = StatusReport.Status.SUBMITTED
        report.submitted_at, report.submitted_by = timezone.now(), user_or_none(actor)
    set_history_user(report, actor)
    report.save()
    report.progress.all().delete()
    DeliverableProgress.objects.bulk_create(
        [
            DeliverableProgress(report=report, deliverable_id=pk, percent_complete=value)
            for pk, value in progress.items()
        ]
    )
    report.milestones_reached.set(milestones)
    if submit:
        _apply_to_plan(report, deliverables, progress, milestones, status_date, actor)
        _update_summary(report, today)
    return report


def _apply_to_plan(report, deliverables, progress, milestones, status_date, actor) -> None:
    for pk, value in progress.items():
        deliverable = deliverables[pk]
        if deliverable.percent_complete != value:
            deliverable.percent_complete = value
            set_history_user(deliverable, actor)
            deliverable.save(update_fields=["percent_complete"])
    for milestone in milestones:
        if milestone.actual_date is None:
            milestone.actual_date = status_date
            set_history_user(milestone, actor)
            milestone.save(update_fields=["actual_date"])


def _summary_note(report: StatusReport) -> str:
    for key in DIMENSIONS:
        if getattr(report, f"{key}_rag") == report.effective_overall:
            reason = getattr(report, f"{key}_reason").strip()
            if reason:
                return reason
    if report.override_reason:
        return report.override_reason
    return (report.accomplishments.strip().splitlines() or [""])[0]


def _update_summary(report: StatusReport, today: dt.date) -> None:
    later = StatusReport.objects.filter(
        project_id=report.project_id,
        status=StatusReport.Status.SUBMITTED,
        period_start__gt=report.period_start,
    )
    if later.exists():
        return
    project_summary_update(
        project=report.project,
        health=report.effective_overall,
        percent_complete=report.percent_complete,
        spend_to_date=report.actual_cost,
        forecast_cost=report.eac,
        last_status_date=today,
        note=_summary_note(report),
        spi=report.spi,
        cpi=report.cpi,
    )


@transaction.atomic
def status_report_override(*, report: StatusReport, actor, overall: str, reason: str):
    """The PMO sets a report's overall rating with a reason (empty rating: back to the
    worst dimension); the project summary follows when it is the latest report."""
    require_pmo(actor)
    if report.status != StatusReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be overridden."))
    if overall and overall not in Rag.values:
        raise ValidationError({"overall": _("Unknown rating.")})
    if overall and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for overriding the rating.")})
    report.override_overall = overall
    report.override_reason = reason.strip()[:300] if overall else ""
    report.override_by = user_or_none(actor) if overall else None
    set_history_user(report, actor)
    report.save(update_fields=["override_overall", "override_reason", "override_by"])
    later = StatusReport.objects.filter(
        project_id=report.project_id, status="submitted", period_start__gt=report.period_start
    )
    if not later.exists():
        project_summary_update(
            project=report.project,
            health=report.effective_overall,
            note=_summary_note(report),
        )
    return report


# --- overdue reports, reminders, timeliness --------------------------------------------------


def overdue_period(policy: ReportingPolicy, today: dt.date) -> periods.ReportingPeriod:
    """The latest period whose due date has passed."""
    return periods.last_due_period(
        policy.frequency, policy.due_weekday, today - dt.timedelta(days=1)
    )


def all_policies() -> list[ReportingPolicy]:
    """Every reporting policy (a handful of rows), for callers that judge many projects."""
    return list(ReportingPolicy.objects.all())


def overdue_projects(projects, today: dt.date | None = None, policies=None):
    """Active projects among ``projects`` whose report for the last period due is missing.

    A queryset: projects with a policy of their own are judged by it, the others by the
    default policy. Pass ``policies`` (from :func:`all_policies`) to save its query.
    """
    today = today or timezone.localdate()
    policies = all_policies() if policies is None else policies
    default = next((p for p in policies if p.project_id is None), None) or ReportingPolicy()
    own = {p.project_id: p for p in policies if p.project_id is not None}
    # Programmes roll up their projects' status instead of reporting their own.
    active = projects.filter(stage=Stage.ACTIVE, is_program=False)
    submitted = StatusReport.objects.filter(
        project=OuterRef("pk"), status=StatusReport.Status.SUBMITTED
    )
    default_period = overdue_period(default, today)
    late = (Q(actual_start__isnull=True) | Q(actual_start__lte=default_period.end)) & ~Q(
        Exists(submitted.filter(period_start=default_period.start))
    )
    if own:
        late &= ~Q(pk__in=list(own))
    for pid, policy in own.items():
        period = overdue_period(policy, today)
        late |= Q(pk=pid) & ~Q(Exists(submitted.filter(period_start=period.start)))
    return active.filter(late)


def timeliness(person, today: dt.date | None = None, count: int = 12) -> dict:
    """The PM's status-report timeliness KPI over the last ``count`` periods due:
    reports on time / reports due, with the late and missing ones counted."""
    today = today or timezone.localdate()
    projects = list(
        Project.objects.filter(
            manager=person, actual_start__isnull=False, is_program=False
        ).exclude(stage__in=[Stage.CANCELLED, Stage.REJECTED])
    )
    policies = policies_for([p.pk for p in projects])
    due = []
    for project in projects:
        policy = policies[project.pk]
        last = overdue_period(policy, today)
        for period in periods.recent_periods(
            policy.frequency, policy.due_weekday, last.start, count
        ):
            if period.end < project.actual_start:
                continue
            if project.actual_finish and period.start > project.actual_finish:
                continue
            due.append((project.pk, period.start))
    reports = {
        (r.project_id, r.period_start): r
        for r in StatusReport.objects.filter(
            project__in=projects, status="submitted", period_start__in={d[1] for d in due}
        ).only("project_id", "period_start", "on_time")
    }
    on_time = sum(1 for key in due if key in reports and reports[key].on_time)
    late = sum(1 for key in due if key in reports and not reports[key].on_time)
    from delivery.measures import share

    return {
        "due": len(due),
        "on_time": on_time,
        "late": late,
        "missing": len(due) - on_time - late,
        "rate": share(on_time, len(due)),
    }


def status_reminders_send(*, today: dt.date | None = None) -> Counter:
    """Remind managers before a report is due and notify them once when it is overdue.

    Safe to run more than once a day: each reminder is logged per project and period
    and sent once.
    """
    today = today or timezone.localdate()
    projects = list(
        Project.objects.filter(
            stage=Stage.ACTIVE, is_program=False, manager__user__isnull=False
        ).select_related("manager__user")
    )
    policies = policies_for([p.pk for p in projects])
    wanted = []
    for project in projects:
        policy = policies[project.pk]
        current = period_of(policy, today)
        if current.due - dt.timedelta(days=policy.reminder_days) <= today <= current.due:
            wanted.append((project, current, ReminderLog.Kind.REMINDER))
        late = overdue_period(policy, today)
        if project.actual_start is None or late.end >= project.actual_start:
            wanted.append((project, late, ReminderLog.Kind.OVERDUE))
    starts = {period.start for _p, period, _k in wanted}
    submitted = set(
        StatusReport.objects.filter(
            project__in=projects, period_start__in=starts, status="submitted"
        ).values_list("project_id", "period_start")
    )
    logged = set(
        ReminderLog.objects.filter(project__in=projects, period_start__in=starts).values_list(
            "project_id", "period_start", "kind"
        )
    )
    sent: Counter = Counter()
    for project, period, kind in wanted:
        if (project.pk, period.start) in submitted or (project.pk, period.start, kind) in logged:
            continue
        with transaction.atomic():
            _log, created = ReminderLog.objects.get_or_create(
                project=project, period_start=period.start, kind=kind
            )
            if not created:
                continue
            _send_reminder(project, period, kind)
        sent[kind] += 1
    return sent


def _send_reminder(project, period, kind: str) -> None:
    url = reverse("delivery:status_edit", args=[project.pk]) + f"?period={period.start}"
    values = {"code": project.code, "name": project.name, "due": period.due.isoformat()}
    if kind == ReminderLog.Kind.REMINDER:
        title = _("Status report of %(code)s %(name)s is due on %(due)s") % values
        level = "action"
    else:
        title = _("Status report of %(code)s %(name)s is overdue (due %(due)s)") % values
        level = "warning"
    notification_send(
        recipients=[project.manager.user],
        title=title,
        url=url,
        level=level,
        email=True,
        event="status_due" if kind == ReminderLog.Kind.REMINDER else "status_overdue",
    )
