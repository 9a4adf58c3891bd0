"""The decisions part of ``seed_demo``: feasibility studies of four demo proposals.

* HC-PRJ-039 东南亚市场拓展 — complete, in expert review: two experts have submitted
  (and disagree), the demo ``reviewer`` still has to; the PMO has recommended.
* HC-PRJ-019 设备预测性维护 — reviewed (by ``reviewer`` and another expert) and decided:
  approved with conditions, which moves the project to approved.
* HC-PRJ-024 产品平台化与模块化 — submitted, waiting for the PMO to assign reviewers (the
  ``reviewer`` works in the project's unit and is excluded as conflicted).
* HC-PRJ-011 电子签章与合同管理 — a draft of the demo ``pm`` without an alternative yet.

Only the approved project has resource lines: they become business-case demand in the
core, and the core demo keeps projects that are not approved free of demand (its own
test checks that). Every write goes through ``decisions.services``; a project that has a study already is
left alone, so the seeder is idempotent. Amounts and texts are fixed; dates follow the
projects' planned start, which follows the demo's anchor date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from decisions.models import (
    Alternative,
    CostLine,
    Decision,
    ReadinessQuestion,
    Recommendation,
    ResourceLine,
    Risk,
    ScopeItem,
    SectionKind,
    SocialCriterion,
    Study,
)
from decisions.services import appraisal, outcome, reviews, studies
from decisions.services.appraisal import FlowRow
from pmo.core.models import Person, Project

W = Decimal(10_000)  # amounts below are in 万元


def _flows(rows) -> list[FlowRow]:
    return [
        FlowRow(y, Decimal(i) * W, Decimal(o) * W, Decimal(b) * W)
        for y, (i, o, b) in enumerate(rows)
    ]


def _month(start: dt.date, offset: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class AltSpec:
    name: str
    kind: str
    description: str
    strengths: str
    weaknesses: str
    flows: list
    risks: list = field(default_factory=list)
    scores: list = field(default_factory=list)  # one 0–10 score per default criterion


@dataclass
class StudySpec:
    code: str
    texts: dict
    proposal_flows: list
    proposal_strengths: str
    proposal_weaknesses: str
    proposal_scores: list
    alternatives: list
    costs: list  # (item, category, year, 万元, basis)
    milestones: list  # (months after start, name, deliverable, roadmap point)
    resources: list  # (role code, first month, last month, hours per month, sourcing)
    risks: list  # (title, P, I, strategy, response)
    scope: list  # (kind, text)
    social: dict  # criterion code → (score, evidence)
    readiness: dict
    advantage: str


SPECS = {
    "HC-PRJ-039": StudySpec(
        code="HC-PRJ-039",
        texts={
            SectionKind.BASIC: "在越南、泰国设立销售与服务子公司，建立本地经销网络和备件中心，"
            "三年内实现东南亚销售收入4.5亿元。项目分两期：一期越南（首年），二期泰国（次年）。",
            SectionKind.MARKET: "东南亚新能源商用车及储能市场年增速约18%，越南、泰国合计市场规模约"
            "120亿元。客户调研（32家潜在经销商、15家终端客户）显示，对价格和本地服务响应最为敏感。"
            "主要竞争对手为日系和本土品牌，日系价格高出约20%。",
            SectionKind.ECONOMICS: "收入按保守情景测算：首年2个代表处、次年12家经销商；毛利率28%。"
            "运营成本含子公司人员、仓储及市场推广费用。",
            SectionKind.RISKS: "主要风险集中在海外合规、渠道与汇率，已逐项制定对策并明确责任人。",
            SectionKind.ALTERNATIVES: "比较了自建子公司、代理分销和维持现状三种方案。",
        },
        proposal_flows=[
            (1800, 0, 0),
            (1200, 450, 300),
            (300, 600, 1300),
            (0, 700, 2300),
            (0, 750, 3000),
            (0, 800, 3500),
        ],
        proposal_strengths="掌控渠道与服务质量；品牌直接触达客户；毛利率高。",
        proposal_weaknesses="前期投入大；海外团队组建与合规管理难度高。",
        proposal_scores=[9, 8, 5, 7, 6],
        alternatives=[
            AltSpec(
                "维持现状（不投资）",
                Alternative.Kind.DO_NOTHING,
                "仅通过国内出口商零星出口。",
                "无新增投资和风险。",
                "错失窗口期，海外收入目标无法实现；竞争对手抢占渠道。",
                [(0, 0, 0), (0, 0, -150), (0, 0, -300), (0, 0, -450), (0, 0, -600), (0, 0, -700)],
                [("市场份额被竞争对手永久占据", 4, 4, Risk.Response.ACCEPT, "")],
                [2, 3, 8, 9, 3],
            ),
            AltSpec(
                "代理分销模式",
                Alternative.Kind.OTHER,
                "委托两家区域总代理负责销售和售后，公司提供培训与备件。",
                "投入小、上市快；借助代理商现有网络。",
                "毛利被代理商分走约12个百分点；服务质量难以管控。",
                [
                    (500, 0, 0),
                    (200, 200, 250),
                    (0, 250, 550),
                    (0, 300, 700),
                    (0, 300, 800),
                    (0, 300, 850),
                ],
                [
                    (
                        "代理商服务质量不达标",
                        3,
                        3,
                        Risk.Response.MITIGATE,
                        "合同约定服务KPI与退出条款",
                    )
                ],
                [6, 7, 7, 8, 5],
            ),
        ],
        costs=[
            ("越南子公司注册与办公设施", "capex", 0, 600, "当地律所与装修报价"),
            ("备件中心与仓储", "capex", 0, 900, "仓储租赁与设备清单"),
            ("泰国子公司注册与办公设施", "capex", 1, 1000, "类比越南一期"),
            ("泰国展厅装修", "capex", 2, 300, "装修公司报价"),
            ("营销推广与认证", "capex", 0, 300, "认证机构报价"),
            ("IT系统与DMS部署", "capex", 1, 200, "CRM扩展报价"),
            ("海外团队人员费用", "opex", 1, 300, "8人×12个月"),
            ("海外团队人员费用", "opex", 2, 450, "12人×12个月"),
            ("市场推广费用", "opex", 1, 150, "展会与数字营销"),
            ("市场推广费用", "opex", 2, 150, "展会与数字营销"),
        ],
        milestones=[
            (0, "项目启动与团队组建", "项目章程、核心团队到位", True),
            (3, "越南子公司注册完成", "营业执照、税务登记", False),
            (6, "越南首批经销商签约", "6家经销商协议", True),
            (12, "泰国子公司注册完成", "营业执照", False),
            (17, "二期评估与扩张决策", "一期经营复盘报告", True),
        ],
        resources=[],
        risks=[
            ("当地外资准入与合规审查延误", 3, 4, Risk.Response.MITIGATE, "聘请当地律所，提前预审"),
            ("汇率大幅波动侵蚀利润", 3, 3, Risk.Response.TRANSFER, "远期结汇锁定50%敞口"),
            ("关键海外人才招聘困难", 4, 3, Risk.Response.MITIGATE, "外派+本地招聘结合，提前储备"),
            ("经销商回款风险", 2, 4, Risk.Response.MITIGATE, "信用评级与保证金制度"),
            ("竞争对手价格战", 3, 5, Risk.Response.ACCEPT, ""),
        ],
        scope=[
            (ScopeItem.Kind.IN_SCOPE, "越南、泰国两国的销售子公司、经销网络和备件中心"),
            (ScopeItem.Kind.OUT_OF_SCOPE, "当地生产制造与组装"),
            (ScopeItem.Kind.ASSUMPTION, "人民币兑越南盾汇率年波动不超过±5%"),
            (ScopeItem.Kind.CONSTRAINT, "首年投资不超过1800万元"),
        ],
        social={
            "employment": (4, "当地新增就业约60人，国内新增外派岗位12个"),
            "environment": (3, "新能源产品替代燃油车辆，预计年减排CO₂约8000吨"),
            "service": (3, "备件本地化后客户停机等待时间由15天缩短至3天"),
        },
        readiness={
            ReadinessQuestion.STRATEGY: "直接支撑海外收入占比20%的战略目标（SO-MKT-1，贡献60%）。",
            ReadinessQuestion.BENEFITS: "NPV为正，IRR高于8%的资本成本；带动当地就业与减排。",
            ReadinessQuestion.BUDGET: "成本估算含10%不可预见费，与预算基本一致。",
            ReadinessQuestion.SCHEDULE: "分两期推进，以路标节点决定二期投入。",
            ReadinessQuestion.RESOURCES: "市场人员以新招聘为主，已与猎头签约。",
            ReadinessQuestion.RISKS: "识别5项主要风险，其中价格战暂无有效对策。",
        },
        advantage="相比代理模式，自建渠道在第三年后净现金流明显更高，并掌握客户数据与服务质量；"
        "相比维持现状，可避免市场窗口期丧失带来的持续损失。",
    ),
    "HC-PRJ-019": StudySpec(
        code="HC-PRJ-019",
        texts={
            SectionKind.BASIC: "对冲压、焊装两条产线的关键设备加装振动与温度传感器，建设预测性维护"
            "模型与工单联动，减少非计划停机。",
            SectionKind.MARKET: "内部需求：2025年非计划停机累计186小时，影响产值约2300万元。",
            SectionKind.ECONOMICS: "收益为减少停机损失和备件库存；按停机减少40%测算。",
        },
        proposal_flows=[
            (600, 0, 0),
            (350, 80, 300),
            (0, 120, 560),
            (0, 120, 600),
            (0, 130, 620),
            (0, 130, 620),
        ],
        proposal_strengths="停机损失显著下降；数据可复用于质量分析。",
        proposal_weaknesses="依赖MES数据采集完成；算法需要持续调优。",
        proposal_scores=[8, 8, 6, 6, 5],
        alternatives=[
            AltSpec(
                "维持定期检修",
                Alternative.Kind.DO_NOTHING,
                "继续按固定周期检修。",
                "无新增投入。",
                "非计划停机持续，检修过度与不足并存。",
                [(0, 0, 0), (0, 0, 0), (0, 0, -50), (0, 0, -80), (0, 0, -100), (0, 0, -120)],
                [],
                [3, 2, 7, 9, 2],
            ),
        ],
        costs=[
            ("传感器与边缘网关", "capex", 0, 420, "供应商报价"),
            ("平台软件与模型开发", "capex", 0, 180, "外包合同"),
            ("二期产线扩展", "capex", 1, 350, "一期单价推算"),
            ("平台运维", "opex", 1, 80, "年度维保"),
        ],
        milestones=[
            (0, "传感器选型与安装", "安装验收报告", False),
            (4, "模型上线试运行", "预警准确率≥80%", True),
            (9, "推广至二号产线", "推广总结", True),
        ],
        resources=[
            ("data", 0, 5, 160, ResourceLine.Sourcing.INTERNAL),
            ("process_eng", 0, 5, 80, ResourceLine.Sourcing.INTERNAL),
            ("developer", 1, 5, 160, ResourceLine.Sourcing.CONTRACTOR),
        ],
        risks=[
            (
                "MES数据采集延期",
                3,
                4,
                Risk.Response.MITIGATE,
                "与MES项目共享里程碑，优先采集关键设备",
            ),
            ("模型误报导致过度维护", 3, 2, Risk.Response.MITIGATE, "试运行期人工复核"),
        ],
        scope=[
            (ScopeItem.Kind.IN_SCOPE, "冲压、焊装两条产线的42台关键设备"),
            (ScopeItem.Kind.ASSUMPTION, "MES设备数据接口在项目启动前可用"),
        ],
        social={
            "safety": (4, "设备故障引发的安全隐患减少"),
            "environment": (2, "减少备件浪费"),
        },
        readiness={
            ReadinessQuestion.STRATEGY: "支撑OEE提升目标（SO-MFG-1.1，贡献40%）。",
            ReadinessQuestion.BUDGET: "含10%不可预见费。",
            ReadinessQuestion.SCHEDULE: "与MES项目里程碑联动。",
            ReadinessQuestion.RESOURCES: "数据工程师内部调配，开发外包。",
            ReadinessQuestion.RISKS: "主要依赖风险已明确应对措施。",
            ReadinessQuestion.BENEFITS: "停机损失下降，投资回收期约两年。",
        },
        advantage="相比定期检修，按设备状态维护可同时减少停机和过度检修。",
    ),
    "HC-PRJ-024": StudySpec(
        code="HC-PRJ-024",
        texts={
            SectionKind.BASIC: "建立电控产品公共平台与模块库，新产品复用率达到60%。",
            SectionKind.MARKET: "产品线扩张导致重复开发，平台化可缩短研发周期约三分之一。",
        },
        proposal_flows=[
            (900, 0, 0),
            (700, 150, 300),
            (0, 200, 700),
            (0, 200, 900),
            (0, 200, 1000),
            (0, 200, 1000),
        ],
        proposal_strengths="显著缩短研发周期；降低物料种类。",
        proposal_weaknesses="短期内占用骨干研发力量。",
        proposal_scores=[9, 7, 5, 6, 4],
        alternatives=[
            AltSpec(
                "按项目独立开发（维持现状）",
                Alternative.Kind.DO_NOTHING,
                "各产品线继续独立开发。",
                "无组织调整成本。",
                "重复开发持续，研发周期无法缩短。",
                [(0, 0, 0)] * 6,
                [],
                [3, 3, 8, 8, 3],
            ),
        ],
        costs=[
            ("平台架构设计与验证", "capex", 0, 900, "内部人工折算"),
            ("模块库与测试平台", "capex", 1, 700, "设备与软件报价"),
        ],
        milestones=[
            (0, "平台架构评审", "架构说明书", True),
            (8, "首个平台化产品立项", "立项报告", True),
        ],
        resources=[],
        risks=[("骨干研发人员被产品项目占用", 4, 3, Risk.Response.MITIGATE, "成立专职平台团队")],
        scope=[(ScopeItem.Kind.IN_SCOPE, "电控产品的软硬件公共平台")],
        social={"employment": (2, "培养平台化研发人才")},
        readiness={ReadinessQuestion.STRATEGY: "支撑研发周期缩短三分之一的目标（SO-INN-2）。"},
        advantage="平台化是缩短研发周期的唯一系统性方案。",
    ),
    "HC-PRJ-011": StudySpec(
        code="HC-PRJ-011",
        texts={SectionKind.BASIC: "上线电子签章与合同全生命周期管理，合同审批周期由7天缩短到2天。"},
        proposal_flows=[
            (90, 0, 0),
            (40, 20, 60),
            (0, 20, 90),
            (0, 20, 90),
            (0, 20, 90),
            (0, 20, 90),
        ],
        proposal_strengths="",
        proposal_weaknesses="",
        proposal_scores=[],
        alternatives=[],
        costs=[("SaaS订阅与实施", "capex", 0, 90, "供应商报价")],
        milestones=[],
        resources=[],
        risks=[],
        scope=[],
        social={},
        readiness={},
        advantage="",
    ),
}


def _actor_for(demo, project: Project):
    manager = project.manager
    return manager.user if manager is not None and manager.user_id else demo.users["pmo"]


def _fill(demo, project: Project, spec: StudySpec):
    """Create the study and write everything the team wrote, through the services."""
    actor = _actor_for(demo, project)
    study = studies.study_create(project=project, actor=actor)
    start = project.planned_start or demo.today
    sections = {s.kind: s for s in study.sections.all()}
    for kind, text in spec.texts.items():
        studies.section_update(section=sections[kind], actor=actor, content=text)
    proposal = study.alternatives.get(kind=Alternative.Kind.PROPOSAL)
    appraisal.cash_flows_save(alternative=proposal, rows=_flows(spec.proposal_flows), actor=actor)
    if spec.proposal_strengths:
        appraisal.alternative_save(
            study=study,
            actor=actor,
            alternative=proposal,
            strengths=spec.proposal_strengths,
            weaknesses=spec.proposal_weaknesses,
        )
    criteria = list(study.criteria.all())
    scores = {}
    for alt_spec in spec.alternatives:
        alternative = appraisal.alternative_save(
            study=study,
            actor=actor,
            name=alt_spec.name,
            kind=alt_spec.kind,
            description=alt_spec.description,
            strengths=alt_spec.strengths,
            weaknesses=alt_spec.weaknesses,
        )
        appraisal.cash_flows_save(alternative=alternative, rows=_flows(alt_spec.flows), actor=actor)
        for title, p, i, strategy, response in alt_spec.risks:
            studies.risk_save(
                alternative=alternative,
                actor=actor,
                title=title,
                probability=p,
                impact=i,
                strategy=strategy,
                response=response,
            )
        scores.update(
            {
                (alternative.pk, c.pk): Decimal(s)
                for c, s in zip(criteria, alt_spec.scores, strict=False)
            }
        )
    scores.update(
        {
            (proposal.pk, c.pk): Decimal(s)
            for c, s in zip(criteria, spec.proposal_scores, strict=False)
        }
    )
    if scores:
        appraisal.criterion_scores_set(study=study, scores=scores, actor=actor)
    for item, category, year, amount, basis in spec.costs:
        studies.cost_line_save(
            study=study,
            actor=actor,
            item=item,
            category=CostLine.Category(category),
            year=year,
            amount=Decimal(amount) * W,
            basis=basis,
        )
    for offset, name, deliverable, roadmap in spec.milestones:
        studies.milestone_save(
            study=study,
            actor=actor,
            name=name,
            due=_month(start, offset),
            deliverable=deliverable,
            is_roadmap_point=roadmap,
        )
    for role, first, last, hours, sourcing in spec.resources:
        studies.resource_line_save(
            study=study,
            actor=actor,
            role=demo.roles[role],
            start_month=_month(start, first),
            end_month=_month(start, last),
            hours_per_month=Decimal(hours),
            sourcing=sourcing,
        )
    owners = [project.manager, project.sponsor]
    for n, (title, p, i, strategy, response) in enumerate(spec.risks):
        studies.risk_save(
            alternative=proposal,
            actor=actor,
            title=title,
            probability=p,
            impact=i,
            strategy=strategy,
            response=response,
            owner=owners[n % 2],
        )
    for kind, text in spec.scope:
        studies.scope_item_save(study=study, actor=actor, kind=kind, text=text)
    criteria_by_code = {c.code: c for c in SocialCriterion.objects.all()}
    for code, (score, evidence) in spec.social.items():
        if code in criteria_by_code:
            studies.social_score_set(
                study=study,
                criterion=criteria_by_code[code],
                actor=actor,
                score=score,
                evidence=evidence,
            )
    for question, answer in spec.readiness.items():
        studies.readiness_answer_set(study=study, question=question, answer=answer, actor=actor)
    if spec.advantage:
        studies.study_analysis_update(
            study=study, actor=actor, competitive_advantage=spec.advantage
        )
    for kind in (SectionKind.BASIC, SectionKind.ECONOMICS):
        if kind in spec.texts:
            studies.section_review(
                section=sections[kind], actor=demo.users["pmo"], accept=True, comment=""
            )
    return study


def _expert(demo, unit_code: str, exclude: Project) -> Person:
    """A generated senior colleague of a unit to act as an expert (deterministic)."""
    candidates = sorted(
        (
            p
            for p in demo.people.values()
            if p.org_unit_id == demo.units[unit_code].pk
            and p.pk not in (exclude.manager_id, exclude.sponsor_id)
            and p.user_id is None
        ),
        key=lambda p: p.employee_no,
    )
    return candidates[0]


def _review(
    study, reviewer: Person, actor, scores: list[int], verdicts, recommendation, comment, due
):
    review = reviews.review_assign(study=study, reviewer=reviewer, actor=actor, due_date=due)
    if not scores:
        return review
    criteria = list(study.criteria.all())
    return reviews.review_save(
        review=review,
        actor=None,  # written on the expert's behalf
        scores={c.pk: (s, "") for c, s in zip(criteria, scores, strict=False)},
        verdicts={q: (v, c) for q, (v, c) in verdicts.items()},
        recommendation=recommendation,
        comment=comment,
        submit=True,
    )


def _verdicts(default: str, **overrides) -> dict:
    out = {q.value: (default, "") for q in ReadinessQuestion}
    out.update(overrides)
    return out


def seed(demo) -> None:
    """Seed the four demo studies (those whose project has a study already are skipped)."""
    pmo, executive = demo.users["pmo"], demo.users["exec"]
    reviewer = demo.person("reviewer")
    # A due date lies ahead; a demo built around an earlier anchor date gets none.
    due = demo.today + dt.timedelta(days=14)
    if due < timezone.localdate():
        due = None
    for code, spec in SPECS.items():
        project = demo.projects.get(code)
        if project is None or project.studies.exists():
            continue
        project.refresh_from_db()
        study = _fill(demo, project, spec)
        demo.created["feasibility studies"] += 1
        if code == "HC-PRJ-011":
            continue
        studies.study_submit(study=study, actor=_actor_for(demo, project))
        if code == "HC-PRJ-024":
            continue
        study.refresh_from_db()
        if code == "HC-PRJ-039":
            _review(
                study,
                _expert(demo, "HC-FIN", project),
                pmo,
                [9, 6, 4, 6, 6],
                _verdicts(
                    "yes", budget=("partly", "汇率假设偏乐观"), risks=("no", "价格战缺少对策")
                ),
                Recommendation.INVEST_WITH_CONDITIONS,
                "战略意义明确，但需补充价格战应对预案并分期拨付投资。",
                due,
            )
            _review(
                study,
                _expert(demo, "HC-STR", project),
                pmo,
                [9, 9, 7, 7, 7],
                _verdicts("yes"),
                Recommendation.INVEST,
                "窗口期明确，建议尽快实施。",
                due,
            )
            _review(study, reviewer, pmo, [], {}, "", "", due)
            study.refresh_from_db()
            outcome.study_recommend(
                study=study,
                actor=pmo,
                recommendation=Recommendation.INVEST_WITH_CONDITIONS,
                reasoning="项目NPV为正且直接支撑海外收入战略目标；专家对风险应对意见不一，建议附条件投资："
                "二期投入以一期经营复盘为前提，并在实施前补充价格战应对预案。",
            )
        else:  # HC-PRJ-019: reviewed and decided
            _review(
                study,
                reviewer,
                pmo,
                [8, 8, 6, 7, 5],
                _verdicts("yes", schedule=("partly", "依赖MES进度")),
                Recommendation.INVEST_WITH_CONDITIONS,
                "技术路线成熟，建议与MES数据采集同步推进。",
                due,
            )
            _review(
                study,
                _expert(demo, "HC-QA", project),
                pmo,
                [8, 7, 6, 7, 6],
                _verdicts("yes"),
                Recommendation.INVEST,
                "收益测算合理。",
                due,
            )
            study.refresh_from_db()
            outcome.study_recommend(
                study=study,
                actor=pmo,
                recommendation=Recommendation.INVEST_WITH_CONDITIONS,
                reasoning="回收期短、风险可控；条件：MES关键设备数据采集先行完成。",
            )
            _decide(demo, study, project, executive)
            demo.created["investment decisions"] += 1


def _decide(demo, study, project, executive) -> None:
    from portfolio.models import Portfolio

    portfolio = Portfolio.objects.filter(code="PF-2027").first()
    outcome.decision_record(
        study=study,
        actor=executive,
        meeting="投资决策委员会第3次会议",
        meeting_date=demo.today - dt.timedelta(days=3),
        outcome=Decision.Outcome.APPROVE_WITH_CONDITIONS,
        rationale="同意立项。投资回收期约两年，支撑设备综合效率提升目标。",
        decision_makers=[demo.person("exec"), demo.person("pmo")],
        conditions=[
            outcome.Condition(
                "MES关键设备数据采集在项目启动前完成",
                project.manager,
                demo.today + dt.timedelta(days=60),
            ),
            outcome.Condition(
                "试运行期预警准确率达到80%后再推广二号产线",
                project.manager,
                demo.today + dt.timedelta(days=150),
            ),
        ],
        portfolio=portfolio,
    )


# --- Business cases of live projects and the benefits they realised ----------------------

BENEFIT_PROJECTS = 8
# Share of the budget a business case plans as benefit in each year from go-live on.
PLANNED_SHARE = (
    Decimal("0.10"),
    Decimal("0.35"),
    Decimal("0.50"),
    Decimal("0.50"),
    Decimal("0.45"),
)


def seed_benefits(demo) -> None:
    """Approved business cases for live projects (studies decided before their start)
    and the benefit each realised per year since go-live: most on plan, some behind, so
    the executive dashboard and the business-case tabs show the comparison. Bulk inserts;
    projects with a study already are left alone."""
    from decisions.models import CashFlow, RealisedBenefit, StudySection
    from pmo.core.models import Stage

    rng = demo.rng("decisions-benefits")
    live = sorted(
        (
            p
            for p in demo.projects.values()
            if p.stage in (Stage.ACTIVE, Stage.CLOSING, Stage.CLOSED)
            and (p.actual_start or p.planned_start)
            and p.budget
            and not p.is_program
        ),
        key=lambda p: p.code,
    )
    with_study = set(Study.objects.filter(project__in=live).values_list("project_id", flat=True))
    chosen = [p for p in live if p.pk not in with_study][:BENEFIT_PROJECTS]
    if not chosen:
        return
    executive = demo.users["exec"]
    studies_ = []
    for project in chosen:
        start = project.actual_start or project.planned_start
        studies_.append(
            Study(
                project=project,
                version=1,
                status=Study.Status.DECIDED,
                base_year=start.year,
                horizon_years=len(PLANNED_SHARE),
                discount_rate=Decimal("8"),
                recommendation=Recommendation.INVEST,
                recommendation_reasoning="商业论证充分，收益测算可信。",
                submitted_at=timezone.make_aware(
                    dt.datetime.combine(start - dt.timedelta(days=90), dt.time(10))
                ),
            )
        )
    Study.objects.bulk_create(studies_)
    StudySection.objects.bulk_create(
        [
            StudySection(study=s, kind=kind, owner_id=s.project.manager_id)
            for s in studies_
            for kind in SectionKind.values
        ]
    )
    proposals = Alternative.objects.bulk_create(
        [
            Alternative(
                study=s,
                kind=Alternative.Kind.PROPOSAL,
                name=f"实施方案：{s.project.name}"[:200],
                total_cost=s.project.budget,
                total_benefit=sum(s.project.budget * share for share in PLANNED_SHARE),
            )
            for s in studies_
        ]
    )
    flows, realised = [], []
    today = demo.today
    for study, proposal in zip(studies_, proposals, strict=True):
        budget = study.project.budget
        # Most projects realise close to plan; every third one falls well behind.
        rate = rng.uniform(0.45, 0.65) if len(realised) % 3 == 2 else rng.uniform(0.85, 1.1)
        for year, share in enumerate(PLANNED_SHARE):
            planned = (budget * share).quantize(Decimal("1"))
            flows.append(
                CashFlow(
                    alternative=proposal,
                    year=year,
                    investment=budget if year == 0 else Decimal(0),
                    operating_cost=(budget * Decimal("0.05")).quantize(Decimal("1")),
                    benefit=planned,
                )
            )
            calendar_year = study.base_year + year
            if calendar_year <= today.year:
                # The running year counts what has come in so far.
                part = Decimal(today.month) / 12 if calendar_year == today.year else Decimal(1)
                realised.append(
                    RealisedBenefit(
                        project=study.project,
                        year=calendar_year,
                        amount=(planned * Decimal(str(round(rate, 2))) * part).quantize(
                            Decimal("1")
                        ),
                        note="财务部年度收益核算" if part == 1 else "年初至今收益",
                        recorded_by=executive,
                    )
                )
    CashFlow.objects.bulk_create(flows)
    decisions_ = Decision.objects.bulk_create(
        [
            Decision(
                study=s,
                meeting="投资决策委员会",
                meeting_date=(s.project.actual_start or s.project.planned_start)
                - dt.timedelta(days=45),
                outcome=Decision.Outcome.APPROVE,
                rationale="商业论证充分，同意立项。",
                recorded_by=executive,
            )
            for s in studies_
        ]
    )
    RealisedBenefit.objects.bulk_create(realised, ignore_conflicts=True)
    demo.created["approved business cases"] += len(decisions_)
    demo.created["realised benefits"] += len(realised)
