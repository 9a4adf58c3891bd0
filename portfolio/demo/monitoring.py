"""Demo rows of the monitoring part: monitoring plans for the strategic demo projects in
delivery, their KPIs with recorded actuals (some beyond their thresholds), the attention
flags the rules raise, one flag closed by the PMO, and PMO recommendations in every
state (proposed, accepted, rejected, implemented).

Plans are found by project, KPIs by name and recommendations by title before anything
is written, so a second run writes nothing new.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from pmo.core.models import Classification, Project
from portfolio.models import AttentionFlag, MonitoringKpi, MonitoringPlan, Recommendation
from portfolio.selectors.monitoring import DELIVERY_STAGES, strategic_projects
from portfolio.services import monitoring as services

PLAN_LIMIT = 20
HIGHER, LOWER = MonitoringKpi.Direction.HIGHER, MonitoringKpi.Direction.LOWER

# KPIs by project type: name, unit, direction, target, threshold
KPIS = {
    "it": (
        ("系统可用率", "%", HIGHER, "99.5", "99.0"),
        ("关键用户采纳率", "%", HIGHER, "85", "70"),
        ("需求按期交付率", "%", HIGHER, "90", "80"),
    ),
    "rd": (
        ("样机测试通过率", "%", HIGHER, "95", "85"),
        ("关键技术指标达成率", "%", HIGHER, "100", "90"),
    ),
    "construction": (
        ("安全事故数", "起", LOWER, "0", "0"),
        ("工程形象进度偏差", "%", LOWER, "0", "5"),
    ),
    "marketing": (
        ("新增签约客户数", "家", HIGHER, "200", "150"),
        ("市场活动投入产出比", "倍", HIGHER, "3", "2"),
    ),
    "process": (
        ("流程平均周期", "天", LOWER, "10", "14"),
        ("体系覆盖率", "%", HIGHER, "100", "85"),
    ),
}

CHECKS = {
    Classification.MAJOR: "里程碑达成、关键路径、成本偏差（CPI）、进度偏差（SPI）、重大风险与问题、战略目标贡献",
    Classification.KEY: "里程碑达成、成本与进度偏差、关键风险、KPI达成情况",
    Classification.GENERAL: "里程碑达成、成本与进度偏差",
}

# kind | title | rationale | status the demo leaves it in | decision note
RECOMMENDATIONS = (
    (
        Recommendation.Kind.REPLAN,
        "重新制定进度基线并压缩关键路径",
        "连续三期进度偏差扩大，关键路径上的集成测试已延误四周；建议重排计划并增加并行测试。",
        Recommendation.Status.PROPOSED,
        "",
    ),
    (
        Recommendation.Kind.RESOURCES,
        "从研发中心抽调两名架构师支援",
        "技术方案评审多次返工，核心架构人员不足；建议抽调两名架构师支援三个月。",
        Recommendation.Status.PROPOSED,
        "",
    ),
    (
        Recommendation.Kind.RESCOPE,
        "二期范围后移，优先上线财务与采购模块",
        "预算执行偏高且需求变更频繁；建议将非关键模块移入二期，保证年底核心模块上线。",
        Recommendation.Status.ACCEPTED,
        "同意。请项目经理在两周内提交范围变更申请。",
    ),
    (
        Recommendation.Kind.BUDGET,
        "追加预算800万元",
        "外包费用高于预期，按当前预测完工成本将超出预算约一成。",
        Recommendation.Status.REJECTED,
        "暂不追加。先完成成本复盘和外包合同重新议价，下月再议。",
    ),
    (
        Recommendation.Kind.PAUSE,
        "暂停非关键子项目的供应商招标",
        "状态报告长期未更新，供应商招标与主计划脱节；建议暂停招标直至计划更新。",
        Recommendation.Status.DONE,
        "同意，招标暂停至计划更新后。",
    ),
)


def _today(demo) -> dt.date:
    """The demo's anchor date, never after the real date (measurements cannot be future)."""
    return min(demo.today, timezone.localdate())


def seed(demo) -> None:
    pmo, staff = demo.users["pmo"], demo.users.get("pmo_staff") or demo.users["pmo"]
    projects = list(
        strategic_projects(Project.objects.filter(code__startswith="HC-PRJ-"))
        .filter(stage__in=DELIVERY_STAGES)
        .select_related("project_type")
        .order_by("-classification", "code")[:PLAN_LIMIT]
    )
    rng = demo.rng("portfolio.monitoring")
    for index, project in enumerate(projects):
        owner = (pmo if index % 2 == 0 else staff).person
        plan = _plan(demo, project, owner, rng, pmo)
        _kpis(demo, plan, project, rng, pmo)
    services.attention_flags_refresh(today=demo.today)
    _close_one_flag(demo, pmo)
    _recommendations(demo, pmo, demo.users["exec"])


def _plan(demo, project: Project, owner, rng, actor) -> MonitoringPlan:
    existing = MonitoringPlan.objects.filter(project=project).first()
    major = project.classification == Classification.MAJOR
    draw = rng.randint(-6, 24)  # drawn for every project, so the stream stays aligned
    if existing is not None:
        return existing
    demo.created["monitoring plans"] += 1
    return services.monitoring_plan_save(
        project=project,
        actor=actor,
        owner=owner,
        frequency=(
            MonitoringPlan.Frequency.BIWEEKLY if major else MonitoringPlan.Frequency.MONTHLY
        ),
        checks=CHECKS.get(project.classification, CHECKS[Classification.GENERAL]),
        spi_threshold=Decimal("0.95") if major else Decimal("0.90"),
        cpi_threshold=Decimal("0.95") if major else Decimal("0.90"),
        stale_after_days=14,
        next_review=_today(demo) + dt.timedelta(days=draw),
        is_active=True,
    )


def _kpis(demo, plan: MonitoringPlan, project: Project, rng, actor) -> None:
    have = set(plan.kpis.values_list("name", flat=True))
    today = _today(demo)
    type_code = project.project_type.code if project.project_type else "it"
    for name, unit, direction, target, threshold in KPIS.get(type_code, KPIS["it"]):
        breach = rng.random() < 0.3
        drift = [rng.random() for _ in range(3)]
        if name in have:
            continue
        kpi = services.monitoring_kpi_save(
            plan=plan,
            actor=actor,
            name=name,
            unit=unit,
            direction=direction,
            target=Decimal(target),
            threshold=Decimal(threshold),
        )
        demo.created["monitored KPIs"] += 1
        for days, share in zip((63, 35, 7), drift, strict=True):
            services.monitoring_kpi_record(
                kpi=kpi,
                actor=actor,
                actual=_actual(direction, Decimal(target), Decimal(threshold), share, breach),
                measured_on=today - dt.timedelta(days=days),
            )


def _actual(direction, target: Decimal, threshold: Decimal, share: float, breach: bool):
    """A value between threshold and target, or beyond the threshold when ``breach``."""
    span = abs(target - threshold) or Decimal(1)
    offset = span * Decimal(str(round(share, 2)))
    if direction == HIGHER:
        value = threshold - offset - span / 4 if breach else threshold + offset
    else:
        value = threshold + offset + span / 4 if breach else threshold - offset
    return max(value, Decimal(0)).quantize(Decimal("0.01"))


def _close_one_flag(demo, actor) -> None:
    """The PMO has dealt with one stale status by chasing the project manager."""
    if AttentionFlag.objects.filter(resolved_at__isnull=False).exclude(resolution="").exists():
        return
    flag = (
        AttentionFlag.objects.filter(
            resolved_at__isnull=True,
            rule=AttentionFlag.Rule.STALE_STATUS,
            project__code__startswith="HC-PRJ-",
        )
        .order_by("project__code")
        .first()
    )
    if flag is not None:
        services.attention_flag_resolve(
            flag=flag, actor=actor, note="已电话督促项目经理，本周五前补交周报。"
        )
        demo.created["closed attention flags"] += 1


def _recommendations(demo, pmo, executive) -> None:
    done = set(
        Recommendation.objects.filter(title__in=[r[1] for r in RECOMMENDATIONS]).values_list(
            "title", flat=True
        )
    )
    flags = list(
        AttentionFlag.objects.filter(resolved_at__isnull=True, project__code__startswith="HC-PRJ-")
        .select_related("project")
        .order_by("rule", "project__code")
    )
    if not flags:
        return
    for index, (kind, title, rationale, status, note) in enumerate(RECOMMENDATIONS):
        if title in done:
            continue
        flag = flags[index % len(flags)]
        recommendation = services.recommendation_create(
            project=flag.project,
            actor=pmo,
            kind=kind,
            title=title,
            rationale=rationale,
            due_date=timezone.localdate() + dt.timedelta(days=7 + 7 * index),
            flag=flag,
        )
        if status != Recommendation.Status.PROPOSED:
            recommendation = services.recommendation_decide(
                recommendation=recommendation,
                actor=executive,
                accept=status != Recommendation.Status.REJECTED,
                note=note,
            )
        if status == Recommendation.Status.DONE:
            services.recommendation_done(
                recommendation=recommendation, actor=pmo, note="供应商招标已暂停。"
            )
        demo.created["recommendations"] += 1


def refresh_flags(demo) -> None:
    """The last demo seeder of all: other apps' status reports change the summaries the
    rules read, so the demo's flags are brought up to date once everything is seeded."""
    services.attention_flags_refresh(today=demo.today)
