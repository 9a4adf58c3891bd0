"""Demo rows of the strategy part: the group's strategic themes and objectives with their
measurements, the demo projects linked to them, the 2027 IT investment portfolio with its
candidates and the 2026 portfolio whose selection is under way.

Rows are found by their codes before anything is written, so a second run writes
nothing. Dates follow the demo's anchor date; names and codes do not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pmo.core.demo.catalogue import table
from portfolio.models import Objective, ObjectiveLink, Portfolio, PortfolioItem, StrategicTheme
from portfolio.services import strategy as services

# code | name | English name | unit whose head owns it | description
THEMES = table("""
T-DIG|数字化转型|Digital transformation|HC-DT|以云平台和数据驱动重塑核心业务流程与管理决策
T-MFG|智能制造与卓越运营|Smart manufacturing and operational excellence|HC-MO|以自动化、精益和质量体系提升人均产值与交付能力
T-INN|产品创新与新能源|Product innovation and new energy|HC-RD|加快新能源产品研发，提升新产品收入占比
T-MKT|市场拓展与客户体验|Market expansion and customer experience|HC-MC|开拓海外市场，提升客户满意度与品牌影响力
T-ESG|绿色低碳与安全合规|Green, low-carbon and compliant operations|HC-STR|降低碳排放强度，守住安全生产与网络安全底线
""")

# code | theme | parent | name | English name | KPI | unit | baseline | target | weight |
# key (1/0) | owner unit (its head) | years the period lasts from 1 January of this year
OBJECTIVES = table("""
SO-DIG-1|T-DIG||核心业务系统全面上云|Core business systems in the cloud|核心系统上云比例|%|15|80|15|1|HC-IT|3
SO-DIG-1.1|T-DIG|SO-DIG-1|业财一体化|Integrated operations and finance|财务月结天数|天|8|3|8|0|HC-FIN|2
SO-DIG-2|T-DIG||数据驱动管理决策|Data-driven management decisions|管理报表自动化率|%|20|90|10|1|HC-DATA|3
SO-DIG-3|T-DIG||数据资产服务化|Data as a service|对外数据服务收入|万元|0|2000|5|0|HC-DATA|3
SO-MFG-1|T-MFG||人均产值提升50%|Output per employee up 50%|人均产值|万元/人|120|180|15|1|HC-MFG|3
SO-MFG-1.1|T-MFG|SO-MFG-1|设备综合效率提升|Higher overall equipment effectiveness|OEE|%|62|80|8|0|HC-MFG|2
SO-MFG-1.2|T-MFG|SO-MFG-1|库存周转加快|Faster inventory turnover|库存周转次数|次/年|5|8|6|0|HC-SCM|2
SO-MFG-2|T-MFG||质量零缺陷|Zero-defect quality|客户投诉率|PPM|350|100|8|0|HC-QA|3
SO-INN-1|T-INN||新能源产品收入占比达30%|New-energy products at 30% of revenue|新能源产品收入占比|%|8|30|15|1|HC-RD|3
SO-INN-2|T-INN||研发周期缩短三分之一|Development cycle cut by a third|新产品研发周期|月|18|12|6|0|HC-RD|3
SO-MKT-1|T-MKT||海外收入占比达20%|Overseas revenue at 20%|海外收入占比|%|5|20|10|1|HC-MKT|3
SO-MKT-2|T-MKT||客户体验领先|Leading customer experience|客户净推荐值NPS|分|32|50|6|0|HC-CS|3
SO-ESG-1|T-ESG||单位产值碳排放下降30%|Carbon intensity down 30%|单位产值碳排放|吨CO₂e/万元|0.85|0.60|8|0|HC-STR|3
SO-ESG-2|T-ESG||安全生产零重大事故|No major safety incident|安全标准化达标率|%|70|100|5|0|HC-MFG|2
SO-ESG-3|T-ESG||关键信息系统等保合规|Key systems compliant with MLPS 2.0|等保三级系统达标率|%|40|100|4|0|HC-IT|2
""")

# objective | days before the anchor date | actual | note
MEASUREMENTS = table("""
SO-DIG-1|200|24|年中IT资产盘点
SO-DIG-1|30|41|季度云资源报告
SO-DIG-1.1|120|7|财务月结统计
SO-DIG-1.1|25|6|财务月结统计
SO-DIG-2|150|32|BI平台报表清单
SO-DIG-2|20|51|BI平台报表清单
SO-MFG-1|180|126|人力与产值月报
SO-MFG-1|35|138|人力与产值月报
SO-MFG-1.1|90|63|MES设备数据
SO-MFG-1.1|14|64|MES设备数据
SO-MFG-1.2|60|5.6|供应链月报
SO-MFG-2|45|290|质量月报
SO-INN-1|160|11|经营分析会
SO-INN-1|40|16|经营分析会
SO-INN-2|100|17|研发项目复盘
SO-MKT-1|120|6|经营分析会
SO-MKT-1|40|7|经营分析会
SO-MKT-2|70|36|年度客户调研
SO-ESG-1|75|0.80|碳盘查
SO-ESG-2|30|88|安全标准化自评
SO-ESG-3|50|75|等保测评报告
""")

# objective | project number | contribution (%) | justification
LINKS = table("""
SO-DIG-1|15|50|一期迁移ERP、CRM等核心系统
SO-DIG-1|1|20|S/4HANA云上部署
SO-DIG-1|9|15|机房迁移为上云做准备
SO-DIG-1|11|5|合同管理SaaS化
SO-DIG-1.1|1|50|财务与供应链一体化核算
SO-DIG-1.1|6|30|共享中心自动化月结
SO-DIG-1.1|49|10|预算与核算打通
SO-DIG-2|2|40|统一数据底座
SO-DIG-2|14|30|管理驾驶舱报表
SO-DIG-2|4|15|主数据质量
SO-DIG-2|16|10|项目数据自动汇总
SO-DIG-2|57|5|知识数据沉淀
SO-MFG-1|17|35|生产执行数字化
SO-MFG-1|44|20|精益消除浪费
SO-MFG-1|20|15|新增产能
SO-MFG-1|19|10|减少非计划停机
SO-MFG-1.1|19|40|预测性维护提升设备可用率
SO-MFG-1.1|17|30|设备数据实时采集
SO-MFG-1.1|29|15|在线检测减少停线
SO-MFG-1.2|18|40|自动化仓储
SO-MFG-1.2|54|35|库存结构优化
SO-MFG-1.2|13|15|供应商协同补货
SO-MFG-2|21|35|全流程质量追溯
SO-MFG-2|52|30|体系认证
SO-MFG-2|29|20|视觉检测替代人工目检
SO-INN-1|22|35|电控系统量产
SO-INN-1|25|25|储能变流器产品线
SO-INN-1|23|15|车规级传感器
SO-INN-1|30|10|实验室能力
SO-INN-1|28|5|BMS算法
SO-INN-2|24|40|平台化复用缩短开发周期
SO-INN-2|30|20|实验验证提速
SO-MKT-1|39|60|东南亚渠道与本地化
SO-MKT-1|37|10|国际品牌形象
SO-MKT-2|42|40|客户旅程改进
SO-MKT-2|8|30|客户360视图
SO-MKT-2|12|15|7×24小时在线服务
SO-ESG-1|34|40|屋顶光伏替代外购电
SO-ESG-1|36|25|总部节能改造
SO-ESG-1|56|15|碳排放数据核算
SO-ESG-2|50|60|安全生产标准化
SO-ESG-3|5|70|等保2.0整改
""")

PF_2027 = ("PF-2027", "2027年IT投资组合", "2027 IT investment portfolio")
PF_2026 = ("PF-2026", "2026年IT投资组合", "2026 IT investment portfolio")

# Candidates of PF-2027: project number | mandate | feasibility | risk | business value |
# time criticality | risk reduction | job size | note
CANDIDATES_2027 = table("""
4|committed|5|2|60|50|40|8|已批准项目，2027年继续投入
21|committed|5|2|40|40|50|2|已批准项目，2027年完成
30|committed|4|3|60|30|30|10|已批准项目，实验室二期
36|regulatory|4|2|30|40|60|3|落实节能监管要求
11||5|2|40|30|20|3|
13||4|2|50|40|30|5|
19||3|3|70|50|40|8|需先完成设备数据采集（MES）
24||3|4|80|40|50|13|技术方案待评审
39||2|5|90|70|20|20|海外合规与渠道风险较高
49||5|1|30|20|30|2|
54||4|2|50|30|30|3|
57||5|2|30|10|20|3|
""")
# The 2026 portfolio: the projects its committed selection approved (now under way).
SELECTED_2026 = (3, 6, 8, 14, 15, 16, 18, 40)


def _code(number: int | str) -> str:
    return f"HC-PRJ-{int(number):03d}"


def _head(demo, unit_code: str):
    unit = demo.units.get(unit_code)
    return unit.head if unit is not None else None


def _share_in(project, start: dt.date, end: dt.date) -> Decimal:
    """The part of the project's planned duration that falls inside [start, end]."""
    if not (project.planned_start and project.planned_finish):
        return Decimal(1)
    days = (project.planned_finish - project.planned_start).days + 1
    inside = (min(project.planned_finish, end) - max(project.planned_start, start)).days + 1
    return Decimal(max(0, min(days, inside))) / Decimal(days)


def seed(demo) -> None:
    actor = demo.users["pmo"]
    themes = _themes(demo, actor)
    objectives = _objectives(demo, themes, actor)
    _measurements(demo, objectives, actor)
    _links(demo, objectives, actor)
    _portfolio_2027(demo, actor)
    _portfolio_2026(demo, actor)


def _themes(demo, actor) -> dict[str, StrategicTheme]:
    found = {t.code: t for t in StrategicTheme.objects.filter(code__in=[r[0] for r in THEMES])}
    for order, (code, name, name_en, unit, description) in enumerate(THEMES, start=1):
        if code not in found:
            found[code] = services.theme_save(
                code=code,
                name=name,
                name_en=name_en,
                description=description,
                owner=_head(demo, unit),
                sort_order=order * 10,
                actor=actor,
            )
            demo.created["strategic themes"] += 1
    return found


def _objectives(demo, themes, actor) -> dict[str, Objective]:
    found = {o.code: o for o in Objective.objects.filter(code__in=[r[0] for r in OBJECTIVES])}
    start = dt.date(demo.today.year, 1, 1)
    for order, row in enumerate(OBJECTIVES, start=1):
        code, theme, parent, name, name_en, kpi, unit, baseline, target, weight = row[:10]
        key, owner_unit, years = row[10:]
        if code in found:
            continue
        found[code] = services.objective_save(
            code=code,
            theme=themes[theme],
            parent=found[parent] if parent else None,
            name=name,
            name_en=name_en,
            owner=_head(demo, owner_unit),
            period_start=start,
            period_end=dt.date(demo.today.year + int(years) - 1, 12, 31),
            kpi=kpi,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            weight=Decimal(weight),
            is_key=key == "1",
            sort_order=order * 10,
            actor=actor,
        )
        demo.created["strategic objectives"] += 1
    return found


def _measurements(demo, objectives, actor) -> None:
    measured = set(
        Objective.objects.filter(actual__isnull=False, code__in=list(objectives)).values_list(
            "code", flat=True
        )
    )
    for code, days, actual, note in MEASUREMENTS:
        if code in measured:
            continue
        services.objective_measure(
            objective=objectives[code],
            actual=Decimal(actual),
            measured_on=demo.today - dt.timedelta(days=int(days)),
            note=note,
            actor=actor,
        )
        demo.created["objective measurements"] += 1


def _links(demo, objectives, actor) -> None:
    existing = set(
        ObjectiveLink.objects.filter(objective__in=list(objectives.values())).values_list(
            "objective__code", "project__code"
        )
    )
    for code, number, contribution, justification in LINKS:
        project = demo.projects.get(_code(number))
        if project is None or (code, project.code) in existing:
            continue
        services.objective_link_save(
            objective=objectives[code],
            project=project,
            contribution=int(contribution),
            justification=justification,
            actor=actor,
        )
        demo.created["objective links"] += 1


def _portfolio_2027(demo, actor) -> None:
    code, name, name_en = PF_2027
    portfolio = Portfolio.objects.filter(code=code).first()
    if portfolio is None:
        portfolio = services.portfolio_save(
            code=code,
            name=name,
            name_en=name_en,
            description="2027年度信息化与数字化转型投资：在预算与关键岗位产能约束下，"
            "按业务驱动因素评分优选候选项目。",
            owner=demo.person("pmo"),
            budget=Decimal("60000000"),
            horizon_start=dt.date(2027, 1, 1),
            horizon_end=dt.date(2027, 12, 31),
            framework=Portfolio.Framework.AHP,
            status=Portfolio.Status.PLANNING,
            actor=actor,
        )
        demo.created["portfolios"] += 1
    present = set(portfolio.items.values_list("project__code", flat=True))
    rows = [r for r in CANDIDATES_2027 if _code(r[0]) in demo.projects]
    missing = [demo.projects[_code(r[0])] for r in rows if _code(r[0]) not in present]
    if not missing:
        return
    services.portfolio_candidates_add(portfolio=portfolio, projects=missing, actor=actor)
    items = {i.project.code: i for i in portfolio.items.select_related("project")}
    for number, mandate, feasibility, risk, value, criticality, reduction, size, note in rows:
        item = items[_code(number)]
        if item.project not in missing:
            continue
        share = _share_in(item.project, portfolio.horizon_start, portfolio.horizon_end)
        if share < 1:
            note = note or "按计划工期折算2027年度投入"
        services.candidate_update(
            item=item,
            cost=(item.project.budget * share / 10000).quantize(Decimal(1)) * 10000,
            mandate=mandate,
            feasibility=int(feasibility),
            risk=int(risk),
            business_value=int(value),
            time_criticality=int(criticality),
            risk_reduction=int(reduction),
            job_size=int(size),
            note=note,
            actor=actor,
        )
        demo.created["portfolio candidates"] += 1


def _portfolio_2026(demo, actor) -> None:
    code, name, name_en = PF_2026
    portfolio = Portfolio.objects.filter(code=code).first()
    if portfolio is None:
        portfolio = services.portfolio_save(
            code=code,
            name=name,
            name_en=name_en,
            description="2026年度信息化投资组合，已按选定情景批准并进入实施。",
            owner=demo.person("pmo"),
            budget=Decimal("125000000"),
            horizon_start=dt.date(2026, 1, 1),
            horizon_end=dt.date(2026, 12, 31),
            framework=Portfolio.Framework.AHP,
            status=Portfolio.Status.ACTIVE,
            actor=actor,
        )
        demo.created["portfolios"] += 1
    present = set(portfolio.items.values_list("project__code", flat=True))
    for number in SELECTED_2026:
        project = demo.projects.get(_code(number))
        if project is None or project.code in present:
            continue
        # A record of last year's decision: these projects were selected and approved
        # then, and have started since, so they no longer pass the intake of proposals.
        item = PortfolioItem(
            portfolio=portfolio,
            project=project,
            cost=project.budget,
            decision=PortfolioItem.Decision.SELECTED,
            feasibility=4,
            risk=2,
        )
        item.full_clean(validate_unique=False)
        item._history_user = actor
        item.save()
        demo.created["portfolio candidates"] += 1
