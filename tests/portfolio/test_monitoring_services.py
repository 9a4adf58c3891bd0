"""Services of the monitoring of strategic projects: plans, KPIs, the attention-flag
rules, flag resolution and recommendations from proposal to implementation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pmo.core.models import Classification, Health, Notification, Stage
from pmo.core.services import project_stage_change, project_summary_update
from portfolio.models import AttentionFlag, MonitoringKpi, MonitoringPlan, Objective, Recommendation
from portfolio.selectors.monitoring import is_strategic, strategic_projects
from portfolio.services import monitoring as services
from portfolio.services.monitoring import ProjectFacts, flag_conditions
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory
from tests.portfolio.factories import (
    AttentionFlagFactory,
    MonitoringKpiFactory,
    MonitoringPlanFactory,
    ObjectiveFactory,
    ObjectiveLinkFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db
Rule = AttentionFlag.Rule
TODAY = dt.date(2026, 3, 16)


def facts(**changes) -> ProjectFacts:
    values = {
        "stage": Stage.ACTIVE,
        "health": Health.GREEN,
        "spi": Decimal("1.00"),
        "cpi": Decimal("1.00"),
        "spi_threshold": Decimal("0.90"),
        "cpi_threshold": Decimal("0.90"),
        "last_status_date": TODAY - dt.timedelta(days=3),
        "stale_after_days": 14,
        "budget": Decimal("1000000"),
        "forecast_cost": Decimal("1000000"),
    }
    values.update(changes)
    return ProjectFacts(**values)


def current(project):
    """The project with a fresh green status report, so that no rule fires."""
    return project_summary_update(
        project=project,
        health=Health.GREEN,
        last_status_date=timezone.localdate(),
        spi=Decimal("1.0"),
        cpi=Decimal("1.0"),
        forecast_cost=project.budget,
    )


def open_rules(project) -> set[str]:
    return set(
        AttentionFlag.objects.filter(project=project, resolved_at__isnull=True).values_list(
            "rule", flat=True
        )
    )


# --- the rules, as a pure function ------------------------------------------------------


def test_a_healthy_project_raises_nothing():
    assert flag_conditions(facts(), TODAY) == {}


def test_each_rule_fires_with_its_figures():
    found = flag_conditions(
        facts(
            health=Health.RED,
            summary_note="关键路径延误",
            spi=Decimal("0.82"),
            cpi=Decimal("0.85"),
            last_status_date=TODAY - dt.timedelta(days=20),
            forecast_cost=Decimal("1200000"),
            objectives_at_risk=("SO-1 数字化覆盖率",),
            kpis_breached=("系统可用率 98.5 < 99 %",),
        ),
        TODAY,
    )
    assert found == {
        Rule.RED_HEALTH: "关键路径延误",
        Rule.LOW_SPI: "SPI 0.82 < 0.90",
        Rule.LOW_CPI: "CPI 0.85 < 0.90",
        Rule.STALE_STATUS: "2026-02-24 · 20 d > 14 d",
        Rule.OVER_BUDGET: "EAC 1,200,000 > BAC 1,000,000 CNY (+20.0%)",
        Rule.OBJECTIVE_AT_RISK: "SO-1 数字化覆盖率",
        Rule.KPI_BREACHED: "系统可用率 98.5 < 99 %",
    }


def test_thresholds_are_strict_and_follow_the_plan():
    assert flag_conditions(facts(spi=Decimal("0.90"), cpi=Decimal("0.90")), TODAY) == {}
    tight = facts(spi=Decimal("0.93"), spi_threshold=Decimal("0.95"))
    assert set(flag_conditions(tight, TODAY)) == {Rule.LOW_SPI}


def test_stale_status_counts_days_after_the_limit():
    on_limit = facts(last_status_date=TODAY - dt.timedelta(days=14))
    assert flag_conditions(on_limit, TODAY) == {}
    never = flag_conditions(facts(last_status_date=None, stale_after_days=7), TODAY)
    assert never == {Rule.STALE_STATUS: "— > 7 d"}


def test_only_active_projects_can_be_stale_and_only_projects_in_delivery_are_checked():
    approved = facts(stage=Stage.APPROVED, last_status_date=None)
    assert flag_conditions(approved, TODAY) == {}
    proposed = facts(stage=Stage.PROPOSED, health=Health.RED, spi=Decimal("0.5"))
    assert flag_conditions(proposed, TODAY) == {}


# --- who is strategic ---------------------------------------------------------------------


def test_strategic_projects_serve_objectives_are_major_or_have_a_plan():
    linked = ObjectiveLinkFactory().project
    major = ProjectFactory(classification=Classification.MAJOR)
    planned = MonitoringPlanFactory().project
    inactive_plan = MonitoringPlanFactory(is_active=False).project
    ordinary = ProjectFactory()
    closed_major = ProjectFactory(classification=Classification.MAJOR, stage=Stage.CLOSED)
    found = set(strategic_projects())
    assert {linked, major, planned} <= found
    assert not {inactive_plan, ordinary, closed_major} & found
    assert is_strategic(major) and not is_strategic(ordinary)


# --- the refresh ----------------------------------------------------------------------------


def test_refresh_raises_flags_once_and_keeps_details_current(project):
    plan = MonitoringPlanFactory(project=project)
    current(project)
    project_summary_update(project=project, health=Health.RED, note="核心人员流失", spi=0.8)
    first = services.attention_flags_refresh()
    assert {f.rule for f in first.raised} == {Rule.RED_HEALTH, Rule.LOW_SPI}
    again = services.attention_flags_refresh()
    assert again.raised == [] and again.cleared == []
    project_summary_update(project=project, spi=0.7)
    third = services.attention_flags_refresh()
    assert third.updated == 1
    flag = AttentionFlag.objects.get(project=project, rule=Rule.LOW_SPI)
    assert flag.detail == "SPI 0.70 < 0.90"
    assert plan.project_id == project.pk
    assert flag.history.count() == 2  # raised, then its detail changed


def test_flags_clear_by_themselves_when_the_condition_clears(project):
    MonitoringPlanFactory(project=project)
    current(project)
    project_summary_update(project=project, health=Health.RED)
    services.attention_flags_refresh()
    project_summary_update(project=project, health=Health.GREEN)
    result = services.attention_flags_refresh()
    assert [f.rule for f in result.cleared] == [Rule.RED_HEALTH]
    flag = AttentionFlag.objects.get(project=project)
    assert flag.resolved_at is not None and flag.resolution == ""


def test_a_project_leaving_delivery_or_the_strategy_loses_its_flags(project, pmo_user):
    plan = MonitoringPlanFactory(project=project)
    services.attention_flags_refresh()  # no status report yet: stale
    assert open_rules(project) == {Rule.STALE_STATUS}
    plan.is_active = False
    plan.save()
    services.attention_flags_refresh()
    assert open_rules(project) == set()


def test_closed_project_flags_are_cleared(pmo_user):
    project = ProjectFactory(classification=Classification.MAJOR)
    services.attention_flags_refresh()
    assert open_rules(project) == {Rule.STALE_STATUS}
    project_stage_change(project=project, to_stage=Stage.CLOSING, actor=pmo_user)
    project_stage_change(project=project, to_stage=Stage.CLOSED, actor=pmo_user)
    services.attention_flags_refresh()
    assert open_rules(project) == set()


def test_objective_at_risk_and_breached_kpi_raise_flags(project):
    plan = MonitoringPlanFactory(project=project)
    current(project)
    objective = ObjectiveFactory(
        code="SO-9", name="海外收入占比", status=Objective.Status.OFF_TRACK
    )
    ObjectiveLinkFactory(project=project, objective=objective)
    MonitoringKpiFactory(plan=plan, name="系统可用率", actual=Decimal("98.5"))
    services.attention_flags_refresh()
    flags = dict(AttentionFlag.objects.filter(project=project).values_list("rule", "detail"))
    assert flags == {
        Rule.OBJECTIVE_AT_RISK: "SO-9 海外收入占比",
        Rule.KPI_BREACHED: "系统可用率 98.5 < 99 %",
    }


def test_lower_is_better_kpi_breaches_above_its_threshold(project):
    plan = MonitoringPlanFactory(project=project)
    kpi = MonitoringKpiFactory(
        plan=plan,
        name="安全事故数",
        unit="起",
        direction=MonitoringKpi.Direction.LOWER,
        target=0,
        threshold=0,
        actual=1,
    )
    assert kpi.breached
    assert services.kpi_breach_text(kpi) == "安全事故数 1 > 0 起"


def test_a_flag_closed_by_hand_is_not_raised_again_within_the_review_cycle(project, pmo_user):
    MonitoringPlanFactory(project=project, frequency=MonitoringPlan.Frequency.WEEKLY)
    services.attention_flags_refresh()
    flag = AttentionFlag.objects.get(project=project, rule=Rule.STALE_STATUS)
    services.attention_flag_resolve(flag=flag, actor=pmo_user, note="已督促补交周报")
    assert services.attention_flags_refresh().raised == []
    AttentionFlag.objects.filter(pk=flag.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=8)
    )
    raised = services.attention_flags_refresh().raised
    assert [f.rule for f in raised] == [Rule.STALE_STATUS]


def test_new_flags_notify_the_plan_owner_in_their_language(project):
    owner_user = UserFactory(username="watcher")
    owner = PersonFactory(user=owner_user)
    from pmo.core.services import user_language_set

    user_language_set(user=owner_user, language="en")
    MonitoringPlanFactory(project=project, owner=owner)
    services.attention_flags_refresh()
    note = Notification.objects.get(recipient=owner_user)
    assert note.title == f"New attention flags on {project.code} Smart factory I"
    assert "Status report is stale" in note.body
    assert note.url.endswith("?tab=monitoring")


def test_refresh_task_runs_the_rules_and_is_scheduled():
    """The schedule's data migration is run again: a browser test may have flushed its row."""
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from portfolio.tasks import REFRESH_FLAGS_TASK, refresh_attention_flags

    project = ProjectFactory(classification=Classification.MAJOR)
    result = refresh_attention_flags.delay().get()
    assert result["raised"] == 1 and open_rules(project) == {Rule.STALE_STATUS}
    migration = importlib.import_module("portfolio.migrations.0002_monitoring_flag_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    schedule = PeriodicTask.objects.get(task=REFRESH_FLAGS_TASK)
    assert schedule.enabled and schedule.crontab.minute == "15"


# --- plans and KPIs ------------------------------------------------------------------------


def plan_fields(**changes):
    fields = {
        "owner": None,
        "frequency": MonitoringPlan.Frequency.MONTHLY,
        "checks": "里程碑、成本偏差",
        "spi_threshold": Decimal("0.95"),
        "cpi_threshold": Decimal("0.90"),
        "stale_after_days": 10,
        "next_review": None,
        "is_active": True,
    }
    fields.update(changes)
    return fields


def test_plan_save_creates_the_plan_sets_the_next_review_and_runs_the_rules(project, pmo_user):
    plan = services.monitoring_plan_save(project=project, actor=pmo_user, **plan_fields())
    assert plan.next_review == timezone.localdate() + dt.timedelta(days=30)
    assert plan.history.get().history_user == pmo_user
    assert open_rules(project) == {Rule.STALE_STATUS}  # a plan makes it strategic
    again = services.monitoring_plan_save(
        project=project, actor=pmo_user, **plan_fields(stale_after_days=20)
    )
    assert again.pk == plan.pk and MonitoringPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"spi_threshold": Decimal("0")}, "spi_threshold"),
        ({"cpi_threshold": Decimal("2.5")}, "cpi_threshold"),
        ({"stale_after_days": 0}, "stale_after_days"),
        ({"checks": "   "}, "checks"),
    ],
)
def test_plan_save_refuses_bad_values_and_writes_nothing(project, pmo_user, changes, field):
    with pytest.raises(ValidationError) as error:
        services.monitoring_plan_save(project=project, actor=pmo_user, **plan_fields(**changes))
    assert field in error.value.message_dict
    assert not MonitoringPlan.objects.exists()
    assert not AttentionFlag.objects.exists()


def test_plan_save_is_for_the_pmo_only(project, pm_user, executive_user):
    for actor in (pm_user, executive_user):
        with pytest.raises(PermissionDenied):
            services.monitoring_plan_save(project=project, actor=actor, **plan_fields())
    assert not MonitoringPlan.objects.exists()


def test_closed_projects_get_no_new_plan(pmo_user):
    project = ProjectFactory(stage=Stage.CLOSED)
    with pytest.raises(ValidationError):
        services.monitoring_plan_save(project=project, actor=pmo_user, **plan_fields())
    assert not MonitoringPlan.objects.exists()


def test_kpi_threshold_must_lie_on_the_bad_side_of_the_target(project, pmo_user):
    plan = MonitoringPlanFactory(project=project)
    with pytest.raises(ValidationError) as error:
        services.monitoring_kpi_save(
            plan=plan,
            actor=pmo_user,
            name="用户采纳率",
            unit="%",
            direction=MonitoringKpi.Direction.HIGHER,
            target=Decimal("80"),
            threshold=Decimal("90"),
        )
    assert "threshold" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.monitoring_kpi_save(
            plan=plan,
            actor=pmo_user,
            name="流程周期",
            direction=MonitoringKpi.Direction.LOWER,
            target=Decimal("10"),
            threshold=Decimal("5"),
        )
    assert not MonitoringKpi.objects.exists()


def test_kpi_names_are_unique_within_a_plan(project, pmo_user):
    plan = MonitoringPlanFactory(project=project)
    MonitoringKpiFactory(plan=plan, name="系统可用率")
    with pytest.raises(ValidationError):
        services.monitoring_kpi_save(
            plan=plan,
            actor=pmo_user,
            name="系统可用率 ",
            direction=MonitoringKpi.Direction.HIGHER,
            target=Decimal("99"),
            threshold=Decimal("98"),
        )
    assert plan.kpis.count() == 1


def test_recording_actuals_keeps_each_one_and_raises_the_kpi_flag(project, pmo_user):
    plan = MonitoringPlanFactory(project=project)
    current(project)
    kpi = MonitoringKpiFactory(plan=plan)
    today = timezone.localdate()
    services.monitoring_kpi_record(
        kpi=kpi, actor=pmo_user, actual=Decimal("99.5"), measured_on=today - dt.timedelta(7)
    )
    assert open_rules(project) == set()
    services.monitoring_kpi_record(kpi=kpi, actor=pmo_user, actual=Decimal("97"), measured_on=today)
    kpi.refresh_from_db()
    assert (kpi.actual, kpi.measured_on) == (Decimal("97"), today)
    assert open_rules(project) == {Rule.KPI_BREACHED}
    from portfolio.selectors.monitoring import kpi_series

    points = kpi_series([kpi])[kpi.pk]
    assert [p.actual for p in points] == [Decimal("99.5"), Decimal("97")]


def test_recording_refuses_future_and_older_measurements(project, pmo_user):
    kpi = MonitoringKpiFactory(plan=MonitoringPlanFactory(project=project))
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.monitoring_kpi_record(
            kpi=kpi, actor=pmo_user, actual=Decimal("99"), measured_on=today + dt.timedelta(1)
        )
    services.monitoring_kpi_record(kpi=kpi, actor=pmo_user, actual=Decimal("99"), measured_on=today)
    with pytest.raises(ValidationError):
        services.monitoring_kpi_record(
            kpi=kpi, actor=pmo_user, actual=Decimal("90"), measured_on=today - dt.timedelta(1)
        )
    kpi.refresh_from_db()
    assert kpi.actual == Decimal("99")


def test_a_pm_cannot_record_kpi_actuals(project, pm_user):
    kpi = MonitoringKpiFactory(plan=MonitoringPlanFactory(project=project))
    with pytest.raises(PermissionDenied):
        services.monitoring_kpi_record(kpi=kpi, actor=pm_user, actual=Decimal("50"))
    kpi.refresh_from_db()
    assert kpi.actual is None


# --- flag resolution --------------------------------------------------------------------------


def test_the_pmo_closes_a_flag_with_a_note(project, pmo_user):
    flag = AttentionFlagFactory(project=project)
    services.attention_flag_resolve(flag=flag, actor=pmo_user, note="已召开专题会")
    flag.refresh_from_db()
    assert flag.resolution == "已召开专题会" and flag.resolved_at is not None
    assert flag.history.latest().history_user == pmo_user
    with pytest.raises(ValidationError):
        services.attention_flag_resolve(flag=flag, actor=pmo_user, note="again")


def test_closing_a_flag_needs_a_note_and_the_pmo(project, pmo_user, executive_user):
    flag = AttentionFlagFactory(project=project)
    with pytest.raises(ValidationError):
        services.attention_flag_resolve(flag=flag, actor=pmo_user, note="  ")
    with pytest.raises(PermissionDenied):
        services.attention_flag_resolve(flag=flag, actor=executive_user, note="看过了")
    flag.refresh_from_db()
    assert flag.is_open


# --- recommendations ---------------------------------------------------------------------


@pytest.fixture
def sponsor_executive(executive_user, project):
    from pmo.core.services import project_update

    project_update(project=project, actor=None, sponsor=executive_user.person)
    return executive_user


def test_recommendation_lifecycle_notifies_the_decider_and_the_pm(
    project, pmo_user, pm_user, sponsor_executive
):
    flag = AttentionFlagFactory(project=project)
    rec = services.recommendation_create(
        project=project,
        actor=pmo_user,
        kind=Recommendation.Kind.REPLAN,
        title="重新制定进度基线",
        rationale="关键路径延误四周。",
        due_date=timezone.localdate() + dt.timedelta(days=7),
        flag=flag,
    )
    assert rec.status == Recommendation.Status.PROPOSED and rec.proposed_by == pmo_user
    asked = Notification.objects.get(recipient=sponsor_executive)
    assert asked.level == Notification.Level.ACTION and "重新制定进度基线" in asked.title
    assert asked.url.endswith(f"/recommendations/{rec.pk}/decide/")
    assert Notification.objects.filter(recipient=pm_user).count() == 1

    rec = services.recommendation_decide(
        recommendation=rec, actor=sponsor_executive, accept=True, note="同意，两周内提交变更。"
    )
    assert (rec.status, rec.decided_by) == (Recommendation.Status.ACCEPTED, sponsor_executive)
    assert Notification.objects.filter(recipient=pm_user).count() == 2
    assert Notification.objects.filter(recipient=pmo_user).count() == 1

    rec = services.recommendation_done(recommendation=rec, actor=pmo_user, note="计划已重排")
    assert rec.status == Recommendation.Status.DONE and rec.done_at is not None
    assert "计划已重排" in rec.decision_note
    assert Notification.objects.filter(recipient=sponsor_executive).count() == 2
    assert [h.status for h in rec.history.order_by("history_date")] == [
        "proposed",
        "accepted",
        "done",
    ]


def test_without_an_executive_sponsor_every_executive_is_asked(project, pmo_user, executive_user):
    other = UserFactory(username="exec2", groups=["executive"])
    services.recommendation_create(
        project=project,
        actor=pmo_user,
        kind=Recommendation.Kind.BUDGET,
        title="追加预算",
        rationale="成本超支。",
    )
    asked = set(
        Notification.objects.filter(level=Notification.Level.ACTION).values_list(
            "recipient__username", flat=True
        )
    )
    assert asked == {"executive", other.username}


def test_rejection_needs_a_reason_and_a_decision_is_final(project, pmo_user, executive_user):
    rec = RecommendationFactory(project=project)
    with pytest.raises(ValidationError):
        services.recommendation_decide(
            recommendation=rec, actor=executive_user, accept=False, note=""
        )
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.PROPOSED
    services.recommendation_decide(
        recommendation=rec, actor=executive_user, accept=False, note="先做成本复盘"
    )
    with pytest.raises(ValidationError):
        services.recommendation_decide(
            recommendation=rec, actor=pmo_user, accept=True, note="改为同意"
        )
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.REJECTED


def test_only_accepted_recommendations_are_implemented(project, pmo_user):
    rec = RecommendationFactory(project=project)
    with pytest.raises(ValidationError):
        services.recommendation_done(recommendation=rec, actor=pmo_user)
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.PROPOSED and rec.done_at is None


def test_recommendation_rules_for_who_proposes_and_decides(project, pm_user, member_user):
    with pytest.raises(PermissionDenied):
        services.recommendation_create(
            project=project, actor=pm_user, kind="replan", title="x", rationale="y"
        )
    rec = RecommendationFactory(project=project)
    with pytest.raises(PermissionDenied):
        services.recommendation_decide(recommendation=rec, actor=pm_user, accept=True, note="ok")
    with pytest.raises(PermissionDenied):
        services.recommendation_decide(
            recommendation=rec, actor=member_user, accept=False, note="no"
        )
    assert Recommendation.objects.filter(status=Recommendation.Status.PROPOSED).count() == 1


def test_recommendation_input_is_checked(project, pmo_user):
    other_flag = AttentionFlagFactory()
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(
            project=project,
            actor=pmo_user,
            kind="replan",
            title="重排计划",
            rationale="延误",
            flag=other_flag,
        )
    assert "flag" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(
            project=project,
            actor=pmo_user,
            kind="replan",
            title="重排计划",
            rationale="延误",
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "due_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.recommendation_create(
            project=project, actor=pmo_user, kind="nonsense", title="x", rationale="y"
        )
    assert not Recommendation.objects.exists()
    assert not Notification.objects.exists()
