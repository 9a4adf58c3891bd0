"""The two schemes shipped with the product, installed by the PMO from the UI (and by
the demo): a project post-evaluation with the success rating A–E (成功度评价) and a
P3M3 maturity assessment (seven perspectives × levels 1–5). Installing is idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluation.models import Criterion, Scheme, SchemeVersion
from evaluation.services.common import require_pmo
from evaluation.services.schemes import (
    band_save,
    criterion_save,
    dimension_save,
    scheme_create,
    version_publish,
    version_update,
)
from pmo.core.registry import registry

SCORED, COMPUTED = Criterion.Method.SCORED, Criterion.Method.COMPUTED

POST_EVALUATION = {
    "code": "POST-EVAL",
    "name": "项目后评价（成功度评价）",
    "name_en": "Project post-evaluation (success rating)",
    "kind": Scheme.Kind.PERFORMANCE,
    "description": "按国资委中央企业固定资产投资项目后评价工作指南的成功度评价：目标实现、进度与成本控制、过程规范、相关方与团队四个维度，由数据计算的指标与专家评分相结合，评定 A（成功）至 E（失败）。",
    "version": {
        "aggregation": "trimmed",
        "trim_percent": 20,
        "disagreement_threshold": Decimal("2"),
        "panel_size": 2,
        "appeal_days": 10,
        "exclude_same_unit": False,
        "organisation": "PMO 组织评价专家组，每个项目两名以上无利益冲突的评审专家独立评分，由专家组组长校准分歧并审定结果。",
    },
    "dimensions": [
        (
            "GOALS",
            "目标实现",
            "Goals and results",
            30,
            [
                (
                    "G1",
                    "目标达成度",
                    "Goal attainment",
                    50,
                    COMPUTED,
                    "goal_attainment",
                    50,
                    100,
                    "",
                    "",
                    "",
                ),
                (
                    "G2",
                    "成果验收与效益",
                    "Deliverables accepted and benefits",
                    50,
                    SCORED,
                    "",
                    None,
                    None,
                    "主要成果未验收，效益无法说明",
                    "主要成果已验收，部分效益已显现",
                    "成果全部验收，效益达到或超过预期",
                ),
            ],
        ),
        (
            "CONTROL",
            "进度与成本控制",
            "Schedule and cost control",
            25,
            [
                (
                    "C1",
                    "进度绩效指数 SPI",
                    "Schedule performance index (SPI)",
                    35,
                    COMPUTED,
                    "spi",
                    Decimal("0.80"),
                    Decimal("1.00"),
                    "",
                    "",
                    "",
                ),
                (
                    "C2",
                    "成本绩效指数 CPI",
                    "Cost performance index (CPI)",
                    35,
                    COMPUTED,
                    "cpi",
                    Decimal("0.80"),
                    Decimal("1.00"),
                    "",
                    "",
                    "",
                ),
                (
                    "C3",
                    "里程碑按期完成率",
                    "Milestones on time",
                    30,
                    COMPUTED,
                    "on_time_milestones",
                    50,
                    100,
                    "",
                    "",
                    "",
                ),
            ],
        ),
        (
            "PROCESS",
            "过程规范",
            "Process discipline",
            25,
            [
                (
                    "P1",
                    "交付物合规率",
                    "Deliverable compliance",
                    40,
                    COMPUTED,
                    "deliverable_compliance",
                    50,
                    100,
                    "",
                    "",
                    "",
                ),
                (
                    "P2",
                    "周报及时率",
                    "Status reports on time",
                    30,
                    COMPUTED,
                    "status_timeliness",
                    50,
                    100,
                    "",
                    "",
                    "",
                ),
                (
                    "P3",
                    "风险与问题管理",
                    "Risk and issue management",
                    30,
                    SCORED,
                    "",
                    None,
                    None,
                    "风险未识别，问题反复出现",
                    "风险登记并有应对，问题按时处理",
                    "风险主动预警，问题闭环且有复盘",
                ),
            ],
        ),
        (
            "PEOPLE",
            "相关方与团队",
            "Stakeholders and team",
            20,
            [
                (
                    "S1",
                    "相关方满意度",
                    "Stakeholder satisfaction",
                    40,
                    SCORED,
                    "",
                    None,
                    None,
                    "主要相关方不满意",
                    "相关方基本满意",
                    "相关方高度认可",
                ),
                (
                    "S2",
                    "经验总结与分享",
                    "Lessons captured and shared",
                    40,
                    SCORED,
                    "",
                    None,
                    None,
                    "未做总结",
                    "有总结但未分享",
                    "经验总结入库并被其他项目采用",
                ),
                (
                    "S3",
                    "经验教训贡献数",
                    "Lessons contributed",
                    20,
                    COMPUTED,
                    "lessons_contributed",
                    0,
                    4,
                    "",
                    "",
                    "",
                ),
            ],
        ),
    ],
    "bands": [
        ("A", "成功", "Successful", 85),
        ("B", "基本成功", "Largely successful", 70),
        ("C", "部分成功", "Partly successful", 55),
        ("D", "不成功", "Unsuccessful", 40),
        ("E", "失败", "Failed", 0),
    ],
}

P3M3_PERSPECTIVES = [
    ("MC", "管理控制", "Management control", 15),
    ("BM", "收益管理", "Benefits management", 15),
    ("FM", "财务管理", "Financial management", 14),
    ("SE", "相关方参与", "Stakeholder engagement", 14),
    ("RM", "风险管理", "Risk management", 14),
    ("OG", "组织治理", "Organisational governance", 14),
    ("RS", "资源管理", "Resource management", 14),
]

P3M3 = {
    "code": "P3M3",
    "name": "项目管理成熟度评估（P3M3）",
    "name_en": "Project management maturity assessment (P3M3)",
    "kind": Scheme.Kind.MATURITY,
    "description": "按 P3M3 的七个视角评估项目管理成熟度，每个视角评定 1–5 级：1 意识级、2 可重复级、3 定义级、4 管理级、5 优化级。",
    "version": {
        "aggregation": "mean",
        "trim_percent": 0,
        "disagreement_threshold": Decimal("1"),
        "panel_size": 2,
        "appeal_days": 10,
        "exclude_same_unit": True,
        "organisation": "PMO 成熟度评估小组，评估专家不得来自被评估单位。",
    },
    "dimensions": [
        (
            code,
            name,
            name_en,
            weight,
            [
                (
                    f"{code}-L",
                    f"{name}成熟度级别",
                    f"{name_en} maturity level",
                    100,
                    SCORED,
                    "",
                    None,
                    None,
                    "1 意识级：有所认识，但无固定做法",
                    "3 定义级：有统一定义并在组织内执行的流程",
                    "5 优化级：持续度量并改进",
                ),
            ],
        )
        for code, name, name_en, weight in P3M3_PERSPECTIVES
    ],
    "bands": [
        ("L5", "5 优化级", "5 Optimised", 90),
        ("L4", "4 管理级", "4 Managed", 70),
        ("L3", "3 定义级", "3 Defined", 50),
        ("L2", "2 可重复级", "2 Repeatable", 30),
        ("L1", "1 意识级", "1 Awareness", 0),
    ],
}

PRESETS = {
    "post_evaluation": (POST_EVALUATION, _("Project post-evaluation (success rating A–E)")),
    "p3m3": (P3M3, _("P3M3 maturity: seven perspectives × levels 1–5")),
}


@transaction.atomic
def preset_install(*, key: str, actor) -> Scheme:
    """Install a preset scheme with a published version 1; a scheme with the preset's
    code already there is returned as it is."""
    require_pmo(actor)
    spec, _label = PRESETS[key]
    existing = Scheme.objects.filter(code=spec["code"]).first()
    if existing is not None:
        return existing
    scheme = scheme_create(
        code=spec["code"],
        name=spec["name"],
        name_en=spec["name_en"],
        kind=spec["kind"],
        description=spec["description"],
        actor=actor,
        preset=key,
    )
    version: SchemeVersion = scheme.versions.get()
    version_update(version=version, actor=actor, **spec["version"])
    for order, (code, name, name_en, weight, criteria) in enumerate(spec["dimensions"], start=1):
        dimension = dimension_save(
            version=version,
            actor=actor,
            code=code,
            name=name,
            name_en=name_en,
            weight=Decimal(weight),
            sort_order=order,
        )
        for c_order, row in enumerate(criteria, start=1):
            c_code, c_name, c_en, c_weight, method, metric, at_1, at_5, r1, r3, r5 = row
            if method == COMPUTED and metric not in registry.metrics:
                # The app that measures it is not installed: people score it instead.
                method, metric, at_1, at_5 = SCORED, "", None, None
            criterion_save(
                dimension=dimension,
                actor=actor,
                code=c_code,
                name=c_name,
                name_en=c_en,
                weight=Decimal(c_weight),
                method=method,
                metric_key=metric,
                value_at_1=None if at_1 is None else Decimal(at_1),
                value_at_5=None if at_5 is None else Decimal(at_5),
                rubric_1=r1,
                rubric_3=r3,
                rubric_5=r5,
                sort_order=c_order,
            )
    for code, name, name_en, lower in spec["bands"]:
        band_save(
            version=version,
            actor=actor,
            code=code,
            name=name,
            name_en=name_en,
            min_score=Decimal(lower),
        )
    version_publish(version=version, actor=actor)
    return scheme
