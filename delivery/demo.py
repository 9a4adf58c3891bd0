"""Delivery's part of ``seed_demo``: goals, RACI, signed agreements, plans and baselines,
status history, issues with escalations, gates, closeouts and lessons.

Every running, closing and closed demo project (not the programmes) gets:

* five SMART goals and a RACI matrix of seven key activities, frozen in a responsibility
  agreement signed by its manager, sponsor and the PMO (HC-PRJ-001, the demo ``pm``'s
  project, has a second version that waits for its sponsor, the demo ``exec``);
* four phases with a gate between each two, a milestone and a weighted deliverable per
  phase, and an approved baseline (two red projects wait for a re-baseline);
* 8–12 weeks of status reports ending at the project's last status date, whose latest
  rating, progress and spend are the project summary's, with earned value from the
  baseline (SPI and CPI are written to the summary);
* issues, risks and change requests; the red and amber ones escalated to the PMO, with
  interventions (one escalation is past its response target).

Closed projects have an approved closeout with evidence, goal attainment and lessons
learned (curated); closing projects a closeout in preparation. Everything is looked up
first, so a second run writes nothing; draws come from ``demo.rng``.

Rows are bulk-inserted (the demo's own history is not audited) except where a service
carries meaning: lessons go through ``knowledge.services``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from delivery import evm
from delivery.measures import attainment, overall_attainment
from delivery.models import (
    AgreementSignoff,
    Baseline,
    Closeout,
    ClosureItem,
    ClosureItemTemplate,
    CommunicationLog,
    Deliverable,
    Gate,
    GateCondition,
    GateCriterion,
    GateEvidence,
    Goal,
    GoalFramework,
    GoalFrameworkItem,
    Intervention,
    Issue,
    IssueAction,
    Level,
    Milestone,
    Phase,
    RaciActivity,
    RaciAssignment,
    ReportingPolicy,
    ResourceRequest,
    ResponseTarget,
    ResponsibilityAgreement,
    StatusReport,
)
from delivery.services.closeout import DEFAULT_ITEMS
from delivery.services.goals import agreement_snapshot, snapshot_hash
from delivery.services.issues import DEFAULT_TARGET_HOURS
from delivery.services.plan import planned_items
from knowledge import services as knowledge
from pmo.core.models import Health, Project, ProjectMember, Stage
from pmo.core.services import notification_send, project_summary_update

STAGES = (Stage.ACTIVE, Stage.CLOSING, Stage.CLOSED, Stage.ON_HOLD)
D = Decimal

# Phases (name, share of the duration) and the deliverable each produces, per type.
PHASES = {
    "it": (
        ("需求与设计", 0.25, "需求规格与系统设计"),
        ("开发与集成", 0.40, "系统功能开发"),
        ("测试与上线", 0.25, "测试报告与生产上线"),
        ("验收与收尾", 0.10, "验收报告与运维移交"),
    ),
    "rd": (
        ("概念与方案", 0.20, "技术方案"),
        ("样机开发", 0.40, "工程样机"),
        ("测试验证", 0.25, "型式试验报告"),
        ("定型与转产", 0.15, "设计定型资料"),
    ),
    "construction": (
        ("设计与报批", 0.20, "施工图与施工许可"),
        ("土建施工", 0.45, "主体结构"),
        ("安装调试", 0.25, "机电安装与调试"),
        ("竣工验收", 0.10, "竣工验收备案"),
    ),
    "marketing": (
        ("策划", 0.25, "推广方案"),
        ("筹备", 0.35, "物料与渠道准备"),
        ("执行", 0.30, "活动执行"),
        ("复盘", 0.10, "效果评估报告"),
    ),
    "process": (
        ("现状诊断", 0.20, "诊断报告"),
        ("方案设计", 0.30, "流程与制度方案"),
        ("试点推行", 0.30, "试点总结"),
        ("固化推广", 0.20, "制度发布与培训"),
    ),
}

# dimension: (title, KPI, unit, baseline, target, direction, how it is measured)
QUALITY = {
    "it": (
        "上线后系统稳定可靠",
        "上线后三个月重大缺陷数",
        "个",
        "8",
        "0",
        "decrease",
        "运维工单统计",
    ),
    "rd": ("样机性能达标", "型式试验一次通过率", "%", "70", "95", "increase", "第三方检测报告"),
    "construction": (
        "工程质量优良",
        "分部工程验收合格率",
        "%",
        "95",
        "100",
        "increase",
        "质监站验收记录",
    ),
    "marketing": ("活动体验良好", "参与客户满意度", "分", "80", "90", "increase", "现场问卷调查"),
    "process": ("流程执行规范", "流程执行合规率", "%", "75", "95", "increase", "内审抽查结果"),
}
BENEFITS = {
    "it": (
        "业务处理效率提升",
        "单据平均处理时长缩短比例",
        "%",
        "0",
        "30",
        "increase",
        "系统日志统计",
    ),
    "rd": ("形成新产品收入", "量产后首年销售收入", "万元", "0", "3000", "increase", "财务报表"),
    "construction": ("新增产能", "年新增产能利用率", "%", "0", "85", "increase", "生产统计月报"),
    "marketing": (
        "带动销售增长",
        "活动带动的销售线索数",
        "条",
        "0",
        "500",
        "increase",
        "CRM系统统计",
    ),
    "process": ("降本增效", "相关运营成本下降比例", "%", "0", "10", "increase", "财务分析报告"),
}

ACTIVITIES = (
    # name, letters for sponsor, manager, members, PMO
    ("目标设定与确认", "A", "R", "I", "C"),
    ("计划编制", "I", "A", "R", "C"),
    ("范围与需求确认", "A", "R", "C", ""),
    ("进度与状态报告", "I", "A", "R", "I"),
    ("变更审批", "A", "R", "", "C"),
    ("阶段关口评审", "C", "R", "", "A"),
    ("验收与收尾", "A", "R", "R", "C"),
)

TYPE_CLOSURE_ITEMS = {
    "it": (("handover", "系统已移交运维", "System handed over to operations", True),),
    "construction": (("filing", "竣工验收已备案", "Completion filed with the authorities", True),),
    "rd": (("design_freeze", "设计资料已定型归档", "Design documents frozen and filed", True),),
}

ISSUES = {
    "cost": ("外包费用超出预算", "外包单价上涨，累计超支约{pct}%。"),
    "schedule": ("关键路径任务延期", "关键供应商交付延迟，影响后续集成。"),
}
RISKS = (
    ("核心技术人员流失风险", "两名骨干收到外部邀约。"),
    ("需求范围蔓延风险", "业务部门持续提出新需求。"),
    ("关键设备到货延迟风险", "进口设备清关周期不确定。"),
)
CHANGES = (("增加移动端审批功能", Decimal("180000"), 20), ("调整上线批次", Decimal("0"), 30))

LESSONS = (
    {
        "title": "立项阶段即锁定关键供应商",
        "description": "关键设备到货延迟三周，压缩了测试时间。",
        "recommendation": "在立项阶段签订框架协议并设置违约条款，每周跟踪交付。",
        "phase": "planning",
        "knowledge_area": "procurement",
        "polarity": "negative",
        "root_cause": "external",
        "impact": "schedule",
    },
    {
        "title": "业务骨干全程参与需求确认",
        "description": "业务骨干参与每次需求评审，上线后变更很少。",
        "recommendation": "在RACI中明确业务负责人为需求确认的批准人（A）。",
        "phase": "execution",
        "knowledge_area": "stakeholders",
        "polarity": "positive",
        "root_cause": "people",
        "impact": "quality",
    },
    {
        "title": "周报按偏差预警而非按进度描述",
        "description": "早期周报只描述进展，成本偏差发现较晚。",
        "recommendation": "周报同时报告SPI/CPI，偏差超阈值即上报PMO。",
        "phase": "execution",
        "knowledge_area": "cost",
        "polarity": "negative",
        "root_cause": "process",
        "impact": "cost",
    },
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _quantize(value, places="0.01"):
    return None if value is None else D(value).quantize(D(places))


def seed(demo) -> None:
    """Seed the delivery demo (see the module docstring)."""
    _reference_data(demo)
    projects = list(
        Project.objects.filter(code__startswith="HC-PRJ-", stage__in=STAGES, is_program=False)
        .select_related("project_type", "manager__user", "sponsor__user")
        .order_by("code")
    )
    fresh = [p for p in projects if not Goal.objects.filter(project=p).exists()]
    if fresh:
        _goals_and_raci(demo, fresh)
        _agreements(demo, fresh)
        _plans(demo, fresh)
        _status_history(demo, fresh)
        _issues(demo, fresh)
        _resource_requests(demo, fresh)
        _closeouts(demo, fresh)
        demo.created["delivery projects"] += len(fresh)
    if demo.scale:
        _scaled_status(demo)


# --- reference data --------------------------------------------------------------------------


def _reference_data(demo) -> None:
    if not ReportingPolicy.objects.filter(project=None).exists():
        ReportingPolicy.objects.create()
    for severity, hours in DEFAULT_TARGET_HOURS.items():
        ResponseTarget.objects.get_or_create(severity=severity, defaults={"response_hours": hours})
    if not GoalFramework.objects.exists():
        _frameworks(demo)
    if not ClosureItemTemplate.objects.exists():
        rows = [
            ClosureItemTemplate(
                project_type=None,
                code=code,
                name=name,
                name_en=name_en,
                evidence_required=evidence,
                sort_order=i,
            )
            for i, (code, name, name_en, evidence) in enumerate(DEFAULT_ITEMS)
        ]
        for type_code, items in TYPE_CLOSURE_ITEMS.items():
            ptype = demo.project_types[type_code]
            rows += [
                ClosureItemTemplate(
                    project_type=ptype,
                    code=code,
                    name=name,
                    name_en=name_en,
                    evidence_required=evidence,
                    sort_order=10 + i,
                )
                for i, (code, name, name_en, evidence) in enumerate(items)
            ]
        ClosureItemTemplate.objects.bulk_create(rows)


def _frameworks(demo) -> None:
    process = (
        "1. 立项批准后两周内，项目经理按框架起草目标（SMART：具体、可衡量、可实现、相关、有时限）。\n"
        "2. 目标启动会：发起人、业务负责人、财务和PMO逐项讨论，记录沟通纪要。\n"
        "3. 项目经理编制RACI矩阵，每项关键活动只有一个批准人（A）。\n"
        "4. 目标与RACI冻结为目标责任书，由项目经理、发起人、PMO依次签署。\n"
        "5. 目标变更须重新签署新版本责任书。"
    )
    proposers = {
        "scope": ("manager", "sponsor", "业务负责人"),
        "schedule": ("manager", "pmo", "项目团队"),
        "cost": ("manager", "finance", "PMO"),
        "quality": ("manager", "sponsor", "质量管理部"),
        "benefits": ("business", "sponsor", "财务部、PMO"),
    }
    for ptype in [None, *demo.project_types.values()]:
        framework = GoalFramework.objects.create(project_type=ptype, process=process)
        required = {"scope", "schedule", "cost", "quality", "benefits"}
        if ptype is not None and ptype.code == "marketing":
            required -= {"quality"}
        GoalFrameworkItem.objects.bulk_create(
            [
                GoalFrameworkItem(
                    framework=framework,
                    dimension=dimension,
                    required=dimension in required,
                    proposed_by=proposed,
                    agreed_by=agreed,
                    consulted=consulted,
                    guidance="目标须有KPI、基线值、目标值、完成日期和衡量方法。",
                )
                for dimension, (proposed, agreed, consulted) in proposers.items()
            ]
        )


# --- goals, RACI, agreements ------------------------------------------------------------------


def _members(project) -> list:
    return [
        m.person
        for m in ProjectMember.objects.filter(project=project, project_role="member")
        .select_related("person__user")
        .order_by("person__employee_no")[:2]
    ]


def _goals_and_raci(demo, projects) -> None:
    goals, activities, cells = [], [], []
    pmo_person = demo.person("pmo")
    for project in projects:
        code = project.project_type.code if project.project_type else "it"
        finish = project.planned_finish
        rows = [
            ("scope", "按范围交付全部约定成果", "约定成果完成率", "%", "0", "100", "increase", "验收清单核对"),
            ("schedule", "按期完成并投入使用", "关键里程碑按期完成率", "%", None, "90", "increase", "里程碑计划与实际对比"),
            ("cost", "总投资控制在批准预算内", "项目决算金额", "万元", None, str((project.budget / 10000).quantize(D("0.01"))), "decrease", "财务决算报告"),
            ("quality", *QUALITY[code]),
            ("benefits", *BENEFITS[code]),
        ]  # fmt: skip
        for order, (dim, title, kpi, unit, base, target, direction, how) in enumerate(rows):
            goals.append(
                Goal(
                    project=project,
                    dimension=dim,
                    title=title,
                    kpi=kpi,
                    unit=unit,
                    baseline_value=None if base is None else D(base),
                    target_value=D(target),
                    direction=direction,
                    due_date=finish + dt.timedelta(days=180 if dim == "benefits" else 0),
                    measurement=how,
                    owner=project.sponsor if dim == "benefits" else project.manager,
                    sort_order=order,
                    benefit_review_date=finish + dt.timedelta(days=180)
                    if dim == "benefits"
                    else None,
                )
            )
        for order, (name, *_letters) in enumerate(ACTIVITIES):
            activities.append(RaciActivity(project=project, name=name, sort_order=order))
    Goal.objects.bulk_create(goals)
    RaciActivity.objects.bulk_create(activities)
    by_project: dict[int, list] = {}
    for activity in activities:
        by_project.setdefault(activity.project_id, []).append(activity)
    for project in projects:
        people = {"sponsor": [project.sponsor], "manager": [project.manager]}
        people["members"] = _members(project)
        people["pmo"] = [pmo_person]
        for activity, (_name, *letters) in zip(by_project[project.pk], ACTIVITIES, strict=True):
            seen = set()
            for key, letter in zip(("sponsor", "manager", "members", "pmo"), letters, strict=True):
                for person in people[key]:
                    if letter and person is not None and person.pk not in seen:
                        seen.add(person.pk)
                        cells.append(
                            RaciAssignment(activity=activity, person=person, letter=letter)
                        )
    RaciAssignment.objects.bulk_create(cells)


def _signer(person):
    return getattr(person, "user", None)


def _agreements(demo, projects) -> None:
    signoffs, logs = [], []
    pmo = demo.users["pmo"]
    for project in projects:
        start = project.actual_start or project.planned_start
        snapshot = agreement_snapshot(project)
        issued = _at(start + dt.timedelta(days=7))
        agreement = ResponsibilityAgreement.objects.create(
            project=project,
            version=1,
            status=ResponsibilityAgreement.Status.SIGNED,
            snapshot=snapshot,
            content_hash=snapshot_hash(snapshot),
            issued_by=_signer(project.manager),
            issued_at=issued,
            signed_at=issued + dt.timedelta(days=5),
        )
        for offset, (step, person, user) in enumerate(
            (
                ("manager", project.manager, _signer(project.manager)),
                ("sponsor", project.sponsor, _signer(project.sponsor)),
                ("pmo", pmo.person, pmo),
            )
        ):
            signoffs.append(
                AgreementSignoff(
                    agreement=agreement,
                    step=step,
                    signer=user,
                    signer_name=person.name,
                    signed_at=issued + dt.timedelta(days=offset * 2 + 1),
                )
            )
        logs += [
            CommunicationLog(
                project=project,
                occurred_on=start + dt.timedelta(days=3),
                kind="workshop",
                topic="目标启动会",
                participants=f"{project.sponsor.name}、{project.manager.name}、PMO",
                summary="按目标设置框架讨论范围、进度、成本、质量和效益目标，明确各方分工。",
                outcome="形成目标初稿，约定一周内确认",
                recorded_by=_signer(project.manager),
            ),
            CommunicationLog(
                project=project,
                occurred_on=start + dt.timedelta(days=10),
                kind="meeting",
                topic="目标确认会",
                participants=f"{project.sponsor.name}、{project.manager.name}、PMO",
                summary="逐项确认目标值与衡量方法，RACI中每项活动明确唯一批准人。",
                outcome="目标责任书第1版签署",
                agreement=agreement,
                recorded_by=_signer(project.manager),
            ),
        ]
        if project.code == "HC-PRJ-001":
            signoffs += _second_version(demo, project, agreement)
    AgreementSignoff.objects.bulk_create(signoffs)
    CommunicationLog.objects.bulk_create(logs)


def _second_version(demo, project, first) -> list:
    """HC-PRJ-001's benefits target was raised: v2 waits for the sponsor's signature."""
    Goal.objects.filter(project=project, dimension="benefits").update(target_value=D("35"))
    snapshot = agreement_snapshot(project)
    issued = _at(demo.today - dt.timedelta(days=2))
    first.status = ResponsibilityAgreement.Status.SUPERSEDED
    first.superseded_at = issued
    first.save(update_fields=["status", "superseded_at"])
    second = ResponsibilityAgreement.objects.create(
        project=project,
        version=2,
        status=ResponsibilityAgreement.Status.SIGNING,
        snapshot=snapshot,
        content_hash=snapshot_hash(snapshot),
        change_note="效益目标由30%提高到35%",
        issued_by=_signer(project.manager),
        issued_at=issued,
    )
    sponsor = _signer(project.sponsor)
    if sponsor is not None:
        notification_send(
            recipients=[sponsor],
            title=f"{project.code} 目标责任书第2版等待您签署",
            url=reverse("delivery:agreement_detail", args=[second.pk]),
            level="action",
        )
    return [
        AgreementSignoff(
            agreement=second,
            step="manager",
            signer=_signer(project.manager),
            signer_name=project.manager.name,
            signed_at=issued + dt.timedelta(hours=2),
            comment="效益目标上调已与业务部门确认",
        )
    ]


# --- plans, baselines, gates ----------------------------------------------------------------------


def _phase_windows(project) -> list[tuple[str, dt.date, dt.date, str]]:
    code = project.project_type.code if project.project_type else "it"
    start, finish = project.planned_start, project.planned_finish
    total = (finish - start).days
    windows, cursor = [], start
    for index, (name, share, deliverable) in enumerate(PHASES[code]):
        end = (
            finish
            if index == len(PHASES[code]) - 1
            else cursor + dt.timedelta(days=max(int(total * share), 7))
        )
        windows.append((name, cursor, min(end, finish), deliverable))
        cursor = min(end, finish) + dt.timedelta(days=1)
        cursor = min(cursor, finish)
    return windows


def _plans(demo, projects) -> None:
    """Phases, deliverables, milestones, the baseline and the gates of every project, in a
    handful of bulk inserts: deliverables are filled in plan order up to the summary's
    percent complete, phases before the current one are done and their gates passed."""
    today = demo.today
    plans = []
    for project in projects:
        windows = _phase_windows(project)
        span = max((windows[-1][2] - windows[0][1]).days, 1)
        weights = [
            max(D(str(round((f - s).days / span * 10, 2))), D("0.5")) for _n, s, f, _d in windows
        ]
        done_share = D(project.percent_complete) / 100 * sum(weights)
        progress = []
        for weight in weights:
            part = min(weight, done_share)
            done_share -= part
            progress.append((part / weight * 100).quantize(D("0.1")))
        current = next((i for i, p in enumerate(progress) if p < 100), len(progress) - 1)
        if project.stage == Stage.CLOSED:
            current = len(windows)
        phases = []
        for index, (name, start, finish, _deliverable) in enumerate(windows):
            status = (
                "done" if index < current else ("active" if index == current else "not_started")
            )
            phases.append(
                Phase(
                    project=project,
                    name=name,
                    sort_order=index + 1,
                    planned_start=start,
                    planned_finish=finish,
                    status=status,
                    started_on=start if index <= current else None,
                    finished_on=finish if index < current else None,
                )
            )
        plans.append((project, windows, weights, progress, current, phases))
    Phase.objects.bulk_create([phase for plan in plans for phase in plan[5]])
    deliverables, milestones = [], []
    for project, windows, weights, progress, current, phases in plans:
        rng = demo.rng(f"delivery.plan.{project.code}")
        late = project.health in (Health.RED, Health.AMBER)
        for index, ((name, start, finish, deliverable), weight, done, phase) in enumerate(
            zip(windows, weights, progress, phases, strict=True)
        ):
            deliverables.append(
                Deliverable(
                    project=project,
                    phase=phase,
                    name=deliverable,
                    weight=weight,
                    planned_start=start,
                    planned_finish=finish,
                    percent_complete=done,
                    accepted_on=finish if done >= 100 and finish <= today else None,
                )
            )
            reached = None
            if index < current and finish <= today:
                slip = rng.randint(3, 20) if late and rng.random() < 0.6 else -rng.randint(0, 3)
                reached = min(finish + dt.timedelta(days=slip), today)
            milestones.append(
                Milestone(
                    project=project,
                    phase=phase,
                    name=f"{name}完成",
                    planned_date=finish,
                    actual_date=reached,
                    is_key=index in (0, len(phases) - 1),
                )
            )
    Deliverable.objects.bulk_create(deliverables)
    Milestone.objects.bulk_create(milestones)
    pmo_user = demo.users["pmo"]
    baselines = []
    for project, _windows, _weights, _progress, _current, phases in plans:
        snapshot = {
            "phases": [
                {
                    "id": p.pk,
                    "name": p.name,
                    "planned_start": p.planned_start.isoformat(),
                    "planned_finish": p.planned_finish.isoformat(),
                }
                for p in phases
            ],
            "milestones": [
                {
                    "id": m.pk,
                    "name": m.name,
                    "planned_date": m.planned_date.isoformat(),
                    "is_key": m.is_key,
                }
                for m in milestones
                if m.project_id == project.pk
            ],
            "deliverables": [
                {
                    "id": d.pk,
                    "name": d.name,
                    "weight": str(d.weight),
                    "planned_start": d.planned_start.isoformat(),
                    "planned_finish": d.planned_finish.isoformat(),
                }
                for d in deliverables
                if d.project_id == project.pk
            ],
        }
        started = project.actual_start or project.planned_start
        baselines.append(
            Baseline(
                project=project,
                version=1,
                status=Baseline.Status.APPROVED,
                bac=project.budget,
                snapshot=snapshot,
                requested_by=_signer(project.manager),
                requested_at=_at(started),
                decided_by=pmo_user,
                decided_at=_at(started, 15),
                decision_note="项目首个基线",
            )
        )
        rng = demo.rng(f"delivery.baseline.{project.code}")
        if project.health == Health.RED and project.stage == Stage.ACTIVE and rng.random() < 0.6:
            baselines.append(
                Baseline(
                    project=project,
                    version=2,
                    status=Baseline.Status.PROPOSED,
                    bac=project.forecast_cost or project.budget,
                    snapshot=snapshot,
                    reason=f"{project.summary_note}，申请按预测调整基线。",
                    requested_by=_signer(project.manager),
                    requested_at=_at(today - dt.timedelta(days=rng.randint(2, 9))),
                )
            )
    Baseline.objects.bulk_create(baselines)
    _gates(demo, plans, deliverables)


def _gates(demo, plans, deliverables) -> None:
    today = demo.today
    pmo_user = demo.users["pmo"]
    reviewer, pmo_person = demo.person("reviewer"), demo.person("pmo")
    gates, details = [], []
    for project, windows, _weights, _progress, current, phases in plans:
        rng = demo.rng(f"delivery.gates.{project.code}")
        for index, phase in enumerate(phases[:-1]):
            passed = index < current
            status = "planned"
            if passed:
                status = "conditional" if rng.random() < 0.25 else "passed"
            elif index == current and project.code in ("HC-PRJ-001", "HC-PRJ-025"):
                status = "in_review"
            submitted = status != "planned"
            gate = Gate(
                project=project,
                kind="gate",
                name=f"{phase.name}评审关口",
                phase=phase,
                planned_date=phase.planned_finish,
                status=status,
                submitted_by=_signer(project.manager) if submitted else None,
                submitted_at=_at(phase.planned_finish - dt.timedelta(days=3))
                if submitted
                else None,
                decided_by=pmo_user if passed else None,
                decided_at=_at(phase.planned_finish) if passed else None,
                decision_note={"passed": "评审通过", "conditional": "有条件通过"}.get(status, ""),
            )
            gates.append(gate)
            details.append((gate, windows[index][3], passed, status, project, index == current))
    Gate.objects.bulk_create(gates)
    criteria, conditions, reviewers = [], [], []
    for gate, deliverable, passed, status, project, is_current in details:
        for order, text in enumerate(
            (
                f"{deliverable}已完成并经评审",
                "阶段风险已识别并有应对措施",
                "下一阶段计划与资源已落实",
            )
        ):
            criteria.append(
                GateCriterion(gate=gate, text=text, sort_order=order, met=True if passed else None)
            )
        reviewers.append(Gate.reviewers.through(gate_id=gate.pk, person_id=pmo_person.pk))
        if is_current and project.code in ("HC-PRJ-001", "HC-PRJ-025"):
            reviewers.append(Gate.reviewers.through(gate_id=gate.pk, person_id=reviewer.pk))
        if status == "conditional":
            due = gate.planned_date + dt.timedelta(days=30)
            closed = due < today
            conditions.append(
                GateCondition(
                    gate=gate,
                    text="补充遗留问题的整改计划",
                    owner=project.manager,
                    due_date=due,
                    status="met" if closed else "open",
                    closed_at=_at(due) if closed else None,
                )
            )
    GateCriterion.objects.bulk_create(criteria)
    GateCondition.objects.bulk_create(conditions)
    Gate.reviewers.through.objects.bulk_create(reviewers)
    for gate, deliverable, _passed, status, project, _current in details:
        if status == "in_review":
            _evidence(gate, deliverable, project)


def _evidence(gate, deliverable, project) -> None:
    """A short review package as evidence of a gate in review (kept in private storage)."""
    text = (
        f"{project.code} {project.name}\n{gate.name} 评审材料\n\n"
        f"1. {deliverable}：已完成，见附件清单。\n2. 阶段风险与应对措施清单。\n3. 下一阶段计划。\n"
    ).encode()
    evidence = GateEvidence(
        gate=gate,
        original_name="评审材料.txt",
        size=len(text),
        checksum=hashlib.sha256(text).hexdigest(),
        description="阶段评审材料汇总",
        uploaded_by=_signer(project.manager),
    )
    evidence.file.save("评审材料.txt", ContentFile(text), save=False)
    evidence.save()


# --- status history ------------------------------------------------------------------------------


def _driver(project) -> str:
    note = project.summary_note or ""
    return "cost" if any(word in note for word in ("成本", "预算", "费用", "超支")) else "schedule"


def _status_history(demo, projects) -> None:
    reports = []
    latest: dict[int, StatusReport] = {}
    for project in projects:
        if project.last_status_date is None or project.actual_start is None:
            continue
        rng = demo.rng(f"delivery.status.{project.code}")
        baseline = Baseline.objects.filter(project=project, status="approved").first()
        items = planned_items(baseline)
        weeks = rng.randint(8, 12)
        last_monday = project.last_status_date - dt.timedelta(
            days=project.last_status_date.weekday()
        )
        elapsed_weeks = max((last_monday - project.actual_start).days / 7, 1)
        percent, spend = D(project.percent_complete), D(project.spend_to_date)
        driver = _driver(project)
        for back in range(weeks):
            start = last_monday - dt.timedelta(weeks=back)
            if start < project.actual_start - dt.timedelta(days=6):
                break
            share = D(str(max(1 - back / elapsed_weeks, 0)))
            pct = (percent * share).quantize(D("0.1"))
            cost = (spend * share).quantize(D("0.01"))
            health = project.health if project.health in ("green", "amber", "red") else "green"
            if back >= 3 and health == "red":
                health = "amber"
            if back >= 6 and health == "amber":
                health = "green"
            ratings = {
                f"{d}_rag": "green"
                for d in ("schedule", "cost", "scope", "quality", "risk", "resources")
            }
            reasons = {}
            if health != "green":
                ratings[f"{driver}_rag"] = health
                reasons[f"{driver}_reason"] = project.summary_note or "偏差正在分析"
                if health == "red":
                    ratings["risk_rag"] = "amber"
                    reasons["risk_reason"] = "偏差可能继续扩大"
            due = start + dt.timedelta(days=4)
            late_submit = project.health == "red" and rng.random() < 0.3
            submitted = _at(due + dt.timedelta(days=2 if late_submit else 0), 17)
            if back == 0:
                submitted = _at(min(project.last_status_date, due + dt.timedelta(days=2)), 17)
            result = evm.earned_value(
                bac=baseline.bac,
                pv=evm.planned_value(
                    bac=baseline.bac, items=items, on=min(start + dt.timedelta(days=6), demo.today)
                ),
                ev=evm.earned_amount(bac=baseline.bac, percent_complete=pct),
                ac=cost,
            )
            report = StatusReport(
                project=project,
                period_start=start,
                period_end=start + dt.timedelta(days=6),
                due_date=due,
                status="submitted",
                overall=health,
                percent_complete=pct,
                actual_cost=cost,
                accomplishments=f"完成第{max(int(elapsed_weeks) - back, 1)}周计划任务，累计完成{pct}%。",
                next_steps="推进当前阶段剩余工作，准备阶段评审材料。",
                help_needed="" if health == "green" else "需要PMO协调资源或审批变更。",
                bac=_quantize(result.bac),
                pv=_quantize(result.pv),
                ev=_quantize(result.ev),
                spi=_quantize(result.spi, "0.001")
                if result.spi is not None and result.spi < 1000
                else None,
                cpi=_quantize(result.cpi, "0.001")
                if result.cpi is not None and result.cpi < 1000
                else None,
                eac=_quantize(result.eac),
                vac=_quantize(result.vac),
                tcpi=_quantize(result.tcpi, "0.001")
                if result.tcpi is not None and abs(result.tcpi) < 1000
                else None,
                submitted_by=_signer(project.manager),
                submitted_at=submitted,
                on_time=submitted.date() <= due,
                **ratings,
                **reasons,
            )
            reports.append(report)
            if back == 0:
                latest[project.pk] = report
    StatusReport.objects.bulk_create(reports, batch_size=500)
    for project in projects:
        report = latest.get(project.pk)
        if report is not None and (report.spi is not None or report.cpi is not None):
            project_summary_update(project=project, spi=report.spi, cpi=report.cpi)


# --- issues, interventions, resource requests ----------------------------------------------------------


def _issues(demo, projects) -> None:
    pmo = demo.users["pmo"]
    today = demo.today
    actions, interventions = [], []
    late_code = next(
        (p.code for p in projects if p.health == Health.RED and p.stage == Stage.ACTIVE), None
    )
    for project in projects:
        if project.stage not in (Stage.ACTIVE, Stage.ON_HOLD, Stage.CLOSING):
            continue
        rng = demo.rng(f"delivery.issues.{project.code}")
        manager = _signer(project.manager)
        rows = []
        if project.health in ("amber", "red"):
            driver = _driver(project)
            title, text = ISSUES[driver]
            raised = _at(today - dt.timedelta(days=rng.randint(6, 30)), 9)
            issue = Issue(
                project=project,
                kind="issue",
                title=title,
                description=text.format(pct=rng.randint(8, 25)),
                severity="high" if project.health == "red" else "medium",
                owner=project.manager,
                due_date=today + dt.timedelta(days=rng.randint(7, 30)),
                status="in_progress",
                raised_by=manager,
                raised_at=raised,
                level_since=raised,
                first_response_at=raised + dt.timedelta(hours=rng.randint(2, 30)),
                level_response_at=raised + dt.timedelta(hours=rng.randint(2, 30)),
            )
            if project.health == "red":
                escalated = raised + dt.timedelta(days=2)
                issue.level, issue.level_since = Level.PMO, escalated
                issue.pmo_escalated_at = escalated
                answered = project.code != late_code  # one escalation is past its target
                issue.level_response_at = issue.pmo_response_at = (
                    escalated + dt.timedelta(hours=rng.randint(4, 60)) if answered else None
                )
            rows.append(issue)
        risk_title, risk_text = RISKS[rng.randrange(len(RISKS))]
        raised = _at(today - dt.timedelta(days=rng.randint(10, 60)), 11)
        rows.append(
            Issue(
                project=project,
                kind="risk",
                title=risk_title,
                description=risk_text,
                severity=rng.choice(["medium", "high", "low"]),
                probability=rng.choice(["low", "medium", "high"]),
                owner=project.manager,
                status="open",
                raised_by=manager,
                raised_at=raised,
                level_since=raised,
                level_response_at=raised + dt.timedelta(hours=3),
            )
        )
        if rng.random() < 0.4:
            change_title, cost, days = CHANGES[rng.randrange(len(CHANGES))]
            raised = _at(today - dt.timedelta(days=rng.randint(15, 50)), 14)
            decided = rng.random() < 0.6
            rows.append(
                Issue(
                    project=project,
                    kind="change",
                    title=change_title,
                    description="业务部门提出，已评估对成本和进度的影响。",
                    severity="medium",
                    owner=project.manager,
                    status="resolved" if decided else "open",
                    raised_by=manager,
                    raised_at=raised,
                    level_since=raised,
                    cost_impact=cost,
                    schedule_impact_days=days,
                    decision="approved" if decided else "pending",
                    decided_by=pmo if decided else None,
                    decided_at=raised + dt.timedelta(days=3) if decided else None,
                    decision_note="纳入变更基线" if decided else "",
                    resolution="纳入变更基线" if decided else "",
                    resolved_at=raised + dt.timedelta(days=3) if decided else None,
                    first_response_at=raised + dt.timedelta(days=3) if decided else None,
                    level_response_at=raised + dt.timedelta(days=3) if decided else None,
                )
            )
        Issue.objects.bulk_create(rows)
        for issue in rows:
            if issue.first_response_at and issue.kind == "issue":
                actions.append(
                    IssueAction(
                        issue=issue,
                        kind="action",
                        text="已与相关方沟通并制定应对措施。",
                        actor=manager,
                        created_at=issue.first_response_at,
                    )
                )
            if issue.pmo_escalated_at:
                actions.append(
                    IssueAction(
                        issue=issue,
                        kind="escalation",
                        text="超出项目层面处理能力，需要PMO协调。",
                        actor=manager,
                        to_level=Level.PMO,
                        created_at=issue.pmo_escalated_at,
                    )
                )
            if issue.pmo_response_at:
                actions.append(
                    IssueAction(
                        issue=issue,
                        kind="intervention",
                        text="召开督导会，明确整改措施与时限。",
                        actor=pmo,
                        created_at=issue.pmo_response_at,
                    )
                )
                follow_up = issue.pmo_response_at.date() + dt.timedelta(days=14)
                closed = follow_up < today
                interventions.append(
                    Intervention(
                        project=project,
                        issue=issue,
                        kind="supervision",
                        finding=f"{issue.title}：原因分析不充分，应对措施滞后。",
                        actions="每周向PMO汇报整改进展；两周内提交纠偏计划。",
                        follow_up_date=follow_up,
                        follow_up_owner=project.manager,
                        status="closed" if closed else "open",
                        outcome="纠偏计划已执行，偏差收窄。" if closed else "",
                        effective=True if closed else None,
                        recorded_by=pmo,
                        recorded_at=issue.pmo_response_at,
                        closed_by=pmo if closed else None,
                        closed_at=_at(follow_up) if closed else None,
                    )
                )
            if issue.kind == "change" and issue.decided_at:
                actions.append(
                    IssueAction(
                        issue=issue,
                        kind="decision",
                        text="已批准",
                        actor=pmo,
                        created_at=issue.decided_at,
                    )
                )
    IssueAction.objects.bulk_create(actions)
    Intervention.objects.bulk_create(interventions)


def _resource_requests(demo, projects) -> None:
    by_code = {p.code: p for p in projects}
    rows = []
    today = demo.today
    for code, role, hours, reason, status in (
        ("HC-PRJ-001", "developer", "160", "集成测试阶段开发人员不足，申请增加一名开发工程师。", "pending"),
        ("HC-PRJ-022", "tester", "120", "型式试验延期，需要测试工程师支持三个月。", "pending"),
        ("HC-PRJ-017", "ops", "80", "上线切换需要运维支持。", "approved"),
    ):  # fmt: skip
        project = by_code.get(code)
        if project is None:
            continue
        member = (
            ProjectMember.objects.filter(project=project, project_role="member")
            .select_related("person")
            .first()
        )
        rows.append(
            ResourceRequest(
                project=project,
                kind="add",
                person=member.person if status == "approved" and member else None,
                role=demo.roles[role],
                allocation_percent=50,
                monthly_hours=D(hours),
                start=today.replace(day=1),
                end=(today.replace(day=1) + dt.timedelta(days=85)),
                reason=reason,
                status=status,
                requested_by=_signer(project.manager),
                requested_at=_at(today - dt.timedelta(days=3)),
                decided_by=demo.users["pmo"] if status == "approved" else None,
                decided_at=_at(today - dt.timedelta(days=1)) if status == "approved" else None,
                decision_note="同意，从运维部调配" if status == "approved" else "",
            )
        )
    ResourceRequest.objects.bulk_create(rows)


# --- closeouts and lessons -----------------------------------------------------------------------------


def _closeouts(demo, projects) -> None:
    pmo = demo.users["pmo"]
    templates = list(ClosureItemTemplate.objects.all())
    for project in projects:
        if project.stage not in (Stage.CLOSED, Stage.CLOSING):
            continue
        rng = demo.rng(f"delivery.closeout.{project.code}")
        closed = project.stage == Stage.CLOSED
        finish = project.actual_finish or demo.today
        closeout = Closeout.objects.create(
            project=project,
            status=Closeout.Status.APPROVED if closed else Closeout.Status.OPEN,
            summary="项目成果全部交付并通过验收，运行稳定。" if closed else "",
            improvements="建议在立项阶段引入供应商交付风险评估；周报增加挣值指标。"
            if closed
            else "",
            benefits_review_date=finish + dt.timedelta(days=180),
            submitted_by=_signer(project.manager) if closed else None,
            submitted_at=_at(finish - dt.timedelta(days=5)) if closed else None,
            decided_by=pmo if closed else None,
            decided_at=_at(finish) if closed else None,
            decision_note="同意关闭" if closed else "",
        )
        items = [t for t in templates if t.project_type_id in (None, project.project_type_id)]
        rows = []
        for i, t in enumerate(items):
            done = closed or i < 2
            rows.append(ClosureItem(closeout=closeout, code=t.code, name=t.name, name_en=t.name_en, evidence_required=t.evidence_required, sort_order=t.sort_order, done=done, evidence_note=f"档案编号 {project.code}-{t.code.upper()}" if done else "", done_by=_signer(project.manager) if done else None, done_at=_at(finish - dt.timedelta(days=10)) if done else None))  # fmt: skip
        ClosureItem.objects.bulk_create(rows)
        scores = []
        for goal in Goal.objects.filter(project=project):
            if not closed or goal.dimension == "benefits":
                continue
            factor = D(str(round(rng.uniform(0.85, 1.05), 2)))
            if goal.dimension == "cost":  # the final cost is the project's spend, in 万元
                actual = (D(project.spend_to_date) / 10000).quantize(D("0.01"))
            elif goal.direction == Goal.Direction.DECREASE:
                actual = (
                    (goal.target_value / factor).quantize(D("0.01")) if goal.target_value else D(0)
                )
            else:
                actual = (goal.target_value * factor).quantize(D("0.01"))
            goal.actual_value = actual
            goal.attainment = attainment(
                target=goal.target_value,
                actual=actual,
                baseline=goal.baseline_value,
                increase=goal.direction == "increase",
            )
            goal.actual_note = "以验收和决算数据为准"
            goal.save(update_fields=["actual_value", "attainment", "actual_note"])
            scores.append(goal.attainment)
        if scores:
            closeout.overall_attainment = overall_attainment(scores)
            closeout.save(update_fields=["overall_attainment"])
        lessons = LESSONS if closed else LESSONS[:1]
        for spec in lessons:
            lesson = knowledge.lesson_create(
                actor=_signer(project.manager), project=project, source="closeout", **spec
            )
            if closed:
                knowledge.lesson_curate(lesson=lesson, actor=pmo, approve=True)


# --- benchmark projects ------------------------------------------------------------------------------


STATUS_PER_SCALED_PROJECT = 20
KICK_OFF_WEEKS = 8


def _scaled_status(demo) -> None:
    """Weekly status history for the generated ``--scale`` projects: 20 reports per
    generated project on average (100,000 at ``--scale 5000``), spread over the projects
    that have started, each history ending in the week of the project's last status and
    never reaching back before its kick-off. Weeks already reported are kept, so a
    second run adds nothing and a larger scale adds only the new projects' weeks."""
    scaled = demo.scaled_projects()
    target = STATUS_PER_SCALED_PROJECT * scaled.count()
    started = list(
        scaled.filter(last_status_date__isnull=False)
        .order_by("code")
        .only(
            "pk", "health", "percent_complete", "spend_to_date", "last_status_date", "actual_start"
        )
    )
    if not started:
        return
    weeks = {}
    for project in started:
        last = project.last_status_date - dt.timedelta(days=project.last_status_date.weekday())
        # A project reports from its kick-off, about two months before the actual start.
        first = (project.actual_start or last) - dt.timedelta(weeks=KICK_OFF_WEEKS)
        weeks[project.pk] = (last, max(1, (last - first).days // 7 + 1))
    quota = _share_out(target, {pk: available for pk, (_last, available) in weeks.items()})
    have = set(
        StatusReport.objects.filter(project__in=scaled).values_list("project_id", "period_start")
    )
    rows = []
    for project in started:
        last, _available = weeks[project.pk]
        count = quota[project.pk]
        health = project.health if project.health in ("green", "amber", "red") else "green"
        for back in range(count):
            start = last - dt.timedelta(weeks=back)
            if (project.pk, start) in have:
                continue
            share = D(count - back) / D(count)
            rows.append(StatusReport(project=project, period_start=start, period_end=start + dt.timedelta(days=6), due_date=start + dt.timedelta(days=4), status="submitted", overall=health, percent_complete=(D(project.percent_complete) * share).quantize(D("0.1")), actual_cost=(D(project.spend_to_date) * share).quantize(D("0.01")), submitted_at=_at(start + dt.timedelta(days=4), 17), on_time=back % 7 != 3))  # fmt: skip
    with transaction.atomic():
        StatusReport.objects.bulk_create(rows, batch_size=5000)
    demo.created["scaled status reports"] += len(rows)


def _share_out(total: int, capacity: dict[int, int]) -> dict[int, int]:
    """Split ``total`` as evenly as the capacities allow: the smallest capacities are
    filled first and what they cannot take goes to the others (deterministic)."""
    share, left = {}, total
    ordered = sorted(capacity.items(), key=lambda item: (item[1], item[0]))
    for position, (key, room) in enumerate(ordered):
        remaining = len(ordered) - position
        take = min(room, -(-left // remaining))
        share[key] = take
        left -= take
    return share


def link_standard_gates(demo) -> None:
    """Link each project's phase gates to the gates of the methodology it follows, in
    lifecycle order, so the gate pages show the required deliverables. Runs after the
    standards demo has assigned methodologies; gates already linked are left alone."""
    from standards import services as standards

    open_gates = (
        Gate.objects.filter(
            kind=Gate.Kind.GATE, standard_gate__isnull=True, project__code__startswith="HC-PRJ-"
        )
        .select_related("project")
        .order_by("project_id", "planned_date", "pk")
    )
    by_project: dict[int, list[Gate]] = {}
    for gate in open_gates:
        by_project.setdefault(gate.project_id, []).append(gate)
    linked = []
    for gates in by_project.values():
        project = gates[0].project
        if Gate.objects.filter(project=project, standard_gate__isnull=False).exists():
            continue
        for gate, standard_gate in zip(gates, standards.project_gates(project), strict=False):
            gate.standard_gate = standard_gate
            linked.append(gate)
    Gate.objects.bulk_update(linked, ["standard_gate"], batch_size=500)
    demo.created["gates linked to the methodology"] += len(linked)
