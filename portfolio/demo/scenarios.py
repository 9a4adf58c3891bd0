"""Demo rows of the scenarios part: the business-case demand of the 2027 candidates that
have none yet, dependencies between them, and three solved scenarios of ``PF-2027``
("预算5000万", "预算3500万", "含产能约束"), none committed.

The portfolio and its scores come from the strategy and prioritisation parts; without
``PF-2027`` nothing is written. Rows are looked up before they are written (demand per
project, dependencies per pair, scenarios by name), so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pmo.core.demo.catalogue import ROLE_RATES, TYPE_ROLES
from pmo.core.models import ResourceDemand, Stage
from pmo.core.services import resource_demand_replace
from portfolio.models import Portfolio, ProjectDependency, Scenario, ScenarioCapacity, ScenarioItem
from portfolio.selectors.scenarios import CANDIDATE_STAGES, period_start, periods_between
from portfolio.services import scenarios as services

PORTFOLIO = "PF-2027"
# Share of a candidate's cost that pays for people, by project type (the rest buys
# equipment, licences, construction or media).
LABOUR_SHARE = {"it": 0.6, "rd": 0.6, "process": 0.7, "marketing": 0.3, "construction": 0.25}

# project | kind | other project | note
DEPENDENCIES = (
    ("HC-PRJ-054", "requires", "HC-PRJ-013", "库存周转提升依赖供应商协同门户的在途与库存数据"),
    ("HC-PRJ-049", "requires", "HC-PRJ-004", "全面预算需要主数据管理提供统一的组织与科目主数据"),
    ("HC-PRJ-019", "requires", "HC-PRJ-017", "预测性维护需要MES采集的设备运行数据"),
    ("HC-PRJ-057", "requires", "HC-PRJ-004", "知识管理平台复用主数据中的组织与人员"),
    ("HC-PRJ-024", "excludes", "HC-PRJ-039", "研发与市场的骨干同一时期只能支撑一个新业务方向"),
)

# name | description | budget | respect capacity | forced choices | shifts | what-if hours
SCENARIOS = (
    (
        "预算5000万",
        "在5000万元预算内按优先级得分优选候选项目，遵守项目依赖，不考虑岗位产能。",
        Decimal("50000000"),
        False,
        {},
        {},
        (),
    ),
    (
        "预算3500万",
        "预算压缩到3500万元时的最优组合：比较哪些项目被挤出及其原因。",
        Decimal("35000000"),
        False,
        {},
        {},
        (),
    ),
    (
        "含产能约束",
        "5000万元预算，并以各岗位2027年每月剩余工时为约束。为保证已批准的研发实验室扩建，"
        "2月从基建工程部临时借调土建工程师40小时。",
        Decimal("50000000"),
        True,
        {},
        {},
        (("civil_eng", dt.date(2027, 2, 1), Decimal("40")),),
    ),
)


def seed(demo) -> None:
    portfolio = Portfolio.objects.filter(code=PORTFOLIO).first()
    if portfolio is None:
        return
    actor = demo.users["pmo"]
    items = {item.project.code: item for item in portfolio.items.select_related("project")}
    _candidate_demand(demo, portfolio, items, actor)
    _dependencies(demo, actor)
    for spec in SCENARIOS:
        _scenario(demo, portfolio, items, actor, *spec)


def _candidate_demand(demo, portfolio, items, actor) -> None:
    """Business-case hours of the proposals that have no demand recorded yet.

    A business case prices mostly people: the labour share of the candidate's cost in
    the portfolio's year, at the blended hourly rate of the roles its project type
    needs, spread over the months its planned dates cover (ramping up and down).
    """
    with_demand = set(
        ResourceDemand.objects.filter(project__in=[i.project for i in items.values()])
        .values_list("project_id", flat=True)
        .distinct()
    )
    for code, item in sorted(items.items()):
        project = item.project
        if project.pk in with_demand or project.stage not in CANDIDATE_STAGES:
            continue
        rows = _business_case(demo.rng(f"portfolio-scenarios:demand:{code}"), item, portfolio)
        resource_demand_replace(
            project=project,
            source=ResourceDemand.Source.BUSINESS_CASE,
            rows=[(demo.roles[role], month, hours) for role, month, hours in rows],
            actor=actor,
        )
        demo.created["candidate demand rows"] += len(rows)


def _business_case(rng, item, portfolio) -> list[tuple[str, dt.date, Decimal]]:
    project = item.project
    kind = project.project_type.code if project.project_type else "it"
    weights = TYPE_ROLES[kind]
    start = max(project.planned_start or portfolio.horizon_start, portfolio.horizon_start)
    finish = min(project.planned_finish or portfolio.horizon_end, portfolio.horizon_end)
    if finish < start:
        return []
    months = [period_start(p) for p in periods_between(start, finish)]
    rate = sum(ROLE_RATES[r] * w for r, w in weights.items()) / sum(weights.values())
    hours = float(item.cost) * LABOUR_SHARE.get(kind, 0.5) / rate
    ramps = [
        min(1.0, 0.5 + 0.25 * i, 0.5 + 0.25 * (len(months) - 1 - i)) for i in range(len(months))
    ]
    per_step = hours / sum(ramps) / sum(weights.values())
    rows = []
    for month, ramp in zip(months, ramps, strict=True):
        for role, weight in weights.items():
            value = per_step * ramp * weight * (0.85 + rng.random() * 0.3)
            rows.append((role, month, Decimal(max(8, int(value / 8) * 8))))
    return rows


def _dependencies(demo, actor) -> None:
    for code, kind, other_code, note in DEPENDENCIES:
        project, other = demo.projects.get(code), demo.projects.get(other_code)
        if project is None or other is None:
            continue
        if ProjectDependency.objects.filter(project=project, other=other, kind=kind).exists():
            continue
        services.dependency_create(project=project, other=other, kind=kind, note=note, actor=actor)
        demo.created["project dependencies"] += 1


def _scenario(
    demo, portfolio, items, actor, name, description, budget, capacity, forced, shifts, extra
):
    scenario = Scenario.objects.filter(portfolio=portfolio, name=name).first()
    if scenario is None:
        scenario = services.scenario_create(
            portfolio=portfolio,
            name=name,
            description=description,
            budget=budget,
            use_capacity=capacity,
            use_dependencies=True,
            actor=actor,
        )
        for code in sorted(set(forced) | set(shifts)):
            item = items.get(code)
            if item is not None and item.project.stage != Stage.ACTIVE:
                services.scenario_setting_set(
                    scenario=scenario,
                    item=item,
                    force=forced.get(code, ScenarioItem.Force.NONE),
                    shift_months=shifts.get(code, 0),
                    actor=actor,
                )
        for role_code, month, hours in extra:
            role = demo.roles.get(role_code)
            if (
                role is not None
                and not ScenarioCapacity.objects.filter(
                    scenario=scenario, role=role, month=month
                ).exists()
            ):
                services.scenario_capacity_add(
                    scenario=scenario, role=role, month=month, hours=hours, actor=actor
                )
        demo.created["scenarios"] += 1
    if scenario.status == Scenario.Status.DRAFT and not scenario.result:
        services.scenario_solve(scenario=scenario, actor=actor)
