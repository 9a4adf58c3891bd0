"""Baselines, phases behind gates, status reports with earned value, reminders, overdue."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from delivery.models import (
    Baseline,
    Deliverable,
    Gate,
    Milestone,
    Phase,
    ReminderLog,
    StatusReport,
)
from delivery.services import plan, status
from pmo.core.models import Notification, Project
from tests.core.factories import ProjectFactory
from tests.delivery.factories import StatusReportFactory

pytestmark = pytest.mark.django_db

GREEN = {f"{d}_rag": "green" for d in ("schedule", "cost", "scope", "quality", "risk", "resources")}


def _submit(project, actor, period_start, *, today, progress=None, **fields):
    values = {**GREEN, "actual_cost": Decimal("300000"), **fields}
    return status.status_report_save(
        project=project,
        actor=actor,
        period_start=period_start,
        submit=True,
        progress=progress or {},
        today=today,
        **values,
    )


def test_first_baseline_takes_effect_and_a_re_baseline_needs_the_pmo(planned, pm_user, pmo_user):
    first = plan.baseline_propose(project=planned, actor=pm_user)
    assert first.status == Baseline.Status.APPROVED and first.bac == planned.budget
    assert len(first.snapshot["deliverables"]) == 2
    with pytest.raises(ValidationError) as error:
        plan.baseline_propose(project=planned, actor=pm_user)
    assert "reason" in error.value.message_dict
    Deliverable.objects.filter(project=planned, name="生产系统").update(
        planned_finish=dt.date(2027, 3, 31)
    )
    second = plan.baseline_propose(project=planned, actor=pm_user, reason="需求变更，延期一个季度")
    assert second.status == Baseline.Status.PROPOSED
    assert Notification.objects.filter(recipient=pmo_user, title__contains=planned.code).exists()
    with pytest.raises(PermissionDenied):
        plan.baseline_decide(baseline=second, actor=pm_user, approve=True)
    plan.baseline_decide(baseline=second, actor=pmo_user, approve=True, note="同意")
    first.refresh_from_db()
    assert first.status == Baseline.Status.SUPERSEDED
    assert plan.current_baseline(planned).pk == second.pk
    assert Baseline.objects.filter(project=planned).count() == 2


def test_a_rejection_needs_a_reason_and_keeps_the_current_baseline(planned, pm_user, pmo_user):
    first = plan.baseline_propose(project=planned, actor=pm_user)
    second = plan.baseline_propose(project=planned, actor=pm_user, reason="调整")
    with pytest.raises(ValidationError):
        plan.baseline_decide(baseline=second, actor=pmo_user, approve=False)
    plan.baseline_decide(baseline=second, actor=pmo_user, approve=False, note="理由不充分")
    assert plan.current_baseline(planned).pk == first.pk


def test_a_phase_waits_for_the_gate_of_the_phase_before(planned, pm_user):
    first, second = Phase.objects.filter(project=planned).order_by("sort_order")
    plan.phase_start(phase=first, actor=pm_user, on=dt.date(2026, 1, 5))
    with pytest.raises(ValidationError) as error:
        plan.phase_start(phase=second, actor=pm_user)
    assert "设计评审关口" in error.value.messages[0]
    Gate.objects.filter(project=planned).update(status=Gate.Status.CONDITIONAL)
    plan.phase_start(phase=second, actor=pm_user, on=dt.date(2026, 4, 1))
    first.refresh_from_db()
    assert first.status == Phase.Status.DONE and first.finished_on == dt.date(2026, 4, 1)


def test_submitting_computes_earned_value_and_updates_the_project_summary(planned, pm_user):
    plan.baseline_propose(project=planned, actor=pm_user)
    spec, system = Deliverable.objects.filter(project=planned).order_by("planned_finish")
    reached = Milestone.objects.get(project=planned, name="需求评审通过")
    report = _submit(
        planned,
        pm_user,
        dt.date(2026, 4, 27),
        today=dt.date(2026, 5, 1),
        progress={spec.pk: Decimal(100), system.pk: Decimal(10)},
        actual_cost=Decimal("400000"),
        schedule_rag="amber",
        schedule_reason="接口联调滞后一周",
        accomplishments="完成需求评审",
    )
    # Percent complete = (1 × 100 + 3 × 10) / 4 = 32.5 %; BAC 1,200,000 → EV 390,000.
    assert report.percent_complete == Decimal("32.5")
    assert report.ev == Decimal("390000.00")
    # PV on 1 May: the spec fully (300,000) + 31/275 of the system's 900,000.
    expected_pv = Decimal(300000) + Decimal(900000) * 31 / 275
    assert report.pv == expected_pv.quantize(Decimal("0.01"))
    assert report.spi == (Decimal(390000) / expected_pv).quantize(Decimal("0.001"))
    assert report.cpi == Decimal("0.975")
    assert report.overall == "amber" and report.on_time is True
    project = Project.objects.get(pk=planned.pk)
    assert project.health == "amber"
    assert project.percent_complete == Decimal("32.5")
    assert project.spend_to_date == Decimal("400000")
    assert project.spi == report.spi and project.cpi == report.cpi
    assert project.forecast_cost == report.eac
    assert project.summary_note == "接口联调滞后一周"
    spec.refresh_from_db()
    assert spec.percent_complete == 100
    # The milestone reached is dated with the status date.
    status.status_report_save(
        project=planned,
        actor=pm_user,
        period_start=dt.date(2026, 4, 27),
        submit=True,
        progress={},
        milestones_reached=[reached.pk],
        today=dt.date(2026, 5, 1),
        **GREEN,
        actual_cost=Decimal("400000"),
    )
    reached.refresh_from_db()
    assert reached.actual_date == dt.date(2026, 5, 1)


def test_a_rating_that_is_not_green_needs_a_reason_and_nothing_is_written(planned, pm_user):
    before = Project.objects.values("health", "spend_to_date").get(pk=planned.pk)
    with pytest.raises(ValidationError) as error:
        _submit(planned, pm_user, dt.date(2026, 4, 27), today=dt.date(2026, 5, 1), cost_rag="red")
    assert "cost_reason" in error.value.message_dict
    assert not StatusReport.objects.exists()
    assert Project.objects.values("health", "spend_to_date").get(pk=planned.pk) == before


def test_a_future_period_or_a_foreign_deliverable_is_refused(planned, other_project, pm_user):
    with pytest.raises(ValidationError):
        _submit(planned, pm_user, dt.date(2026, 6, 1), today=dt.date(2026, 5, 1))
    foreign = Deliverable.objects.create(
        project=other_project,
        name="x",
        weight=1,
        planned_start=dt.date(2026, 1, 1),
        planned_finish=dt.date(2026, 2, 1),
    )
    with pytest.raises(ValidationError):
        _submit(
            planned,
            pm_user,
            dt.date(2026, 4, 27),
            today=dt.date(2026, 5, 1),
            progress={foreign.pk: 50},
        )
    assert not StatusReport.objects.exists()


def test_a_late_report_is_marked_and_an_older_period_does_not_overwrite_the_summary(
    planned, pm_user
):
    late = _submit(planned, pm_user, dt.date(2026, 4, 20), today=dt.date(2026, 4, 28))
    assert late.on_time is False
    _submit(
        planned,
        pm_user,
        dt.date(2026, 4, 27),
        today=dt.date(2026, 4, 30),
        risk_rag="red",
        risk_reason="供应商破产",
    )
    _submit(planned, pm_user, dt.date(2026, 4, 20), today=dt.date(2026, 4, 30))
    assert Project.objects.get(pk=planned.pk).health == "red"


def test_only_the_pmo_overrides_the_overall_rating(planned, pm_user, pmo_user):
    report = _submit(planned, pm_user, dt.date(2026, 4, 27), today=dt.date(2026, 5, 1))
    with pytest.raises(PermissionDenied):
        status.status_report_override(report=report, actor=pm_user, overall="red", reason="x")
    with pytest.raises(ValidationError):
        status.status_report_override(report=report, actor=pmo_user, overall="red", reason="")
    status.status_report_override(report=report, actor=pmo_user, overall="red", reason="客户投诉")
    assert Project.objects.get(pk=planned.pk).health == "red"
    status.status_report_override(report=report, actor=pmo_user, overall="", reason="")
    assert Project.objects.get(pk=planned.pk).health == "green"


def test_reminders_and_overdue_notices_go_out_once(planned, pm_user):
    Project.objects.filter(pk=planned.pk).update(actual_start=dt.date(2026, 1, 5))
    # Thursday 30 April: the report of the week is due on Friday 1 May.
    # and the report of the week before (due 24 April) never came.
    sent = status.status_reminders_send(today=dt.date(2026, 4, 30))
    assert sent == {"reminder": 1, "overdue": 1}
    # Monday 4 May: last week's report is overdue, this week's not yet due.
    sent = status.status_reminders_send(today=dt.date(2026, 5, 4))
    assert sent["overdue"] == 1 and sent["reminder"] == 0
    assert status.status_reminders_send(today=dt.date(2026, 5, 4)) == {}
    assert ReminderLog.objects.filter(project=planned).count() == 3
    titles = list(Notification.objects.filter(recipient=pm_user).values_list("title", flat=True))
    assert any("2026-05-01" in t for t in titles)


def test_overdue_projects_and_timeliness(planned, pm_user):
    Project.objects.filter(pk=planned.pk).update(actual_start=dt.date(2026, 3, 30))
    on_time = ProjectFactory(manager=pm_user.person)
    Project.objects.filter(pk=on_time.pk).update(actual_start=dt.date(2026, 3, 30))
    for start in (dt.date(2026, 4, 20), dt.date(2026, 4, 27)):
        StatusReportFactory(project=on_time, period_start=start)
    StatusReportFactory(project=planned, period_start=dt.date(2026, 4, 20), on_time=False)
    overdue = status.overdue_projects(Project.objects.all(), today=dt.date(2026, 5, 4))
    assert list(overdue) == [Project.objects.get(pk=planned.pk)]
    kpi = status.timeliness(pm_user.person, today=dt.date(2026, 5, 4), count=2)
    assert kpi == {
        "due": 4,
        "on_time": 2,
        "late": 1,
        "missing": 1,
        "rate": Decimal("50.0"),
    }


def test_a_project_policy_changes_the_cycle(planned, pmo_user, pm_user):
    with pytest.raises(PermissionDenied):
        status.policy_save(actor=pm_user, project=planned, frequency="monthly")
    status.policy_save(actor=pmo_user, project=planned, frequency="monthly")
    periods = status.open_periods(planned, today=dt.date(2026, 5, 13))
    assert periods[0].start == dt.date(2026, 5, 1) and periods[0].due == dt.date(2026, 5, 31)
