"""Many generated projects for benchmarks (``seed_demo --scale N``).

Rows are bulk-inserted for speed, bypassing the services but not the rules: tree
paths, the manager and sponsor member rows and the summaries are made as the services
would make them, and every constraint holds. These rows carry no audit history.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction

from pmo.core.demo.apply import DemoData
from pmo.core.demo.catalogue import (
    COMPANY,
    EMAIL_DOMAIN,
    GENERAL,
    KEY,
    MAJOR,
    NOT_STARTED,
    ROLE_RATES,
    ROLE_TITLES,
    SCALE_PROJECT_PREFIX,
    SEED,
    TYPE_ROLES,
    table,
    words,
)
from pmo.core.demo.generate import (
    ProjectSpec,
    budget_for,
    money,
    person_name,
    plan_dates,
)
from pmo.core.demo.plan import spec_demand, spec_summary
from pmo.core.models import OrgUnit, Person, Project, ProjectMember, ResourceDemand, Stage

# 5,000 projects → 100 departments of 20 people: 2,000 generated people.
PROJECTS_PER_UNIT, PEOPLE_PER_UNIT, UNITS_PER_DIVISION = 50, 20, 10
PROGRAMME_CHILDREN = 5  # the first project of each generated unit is a programme of 5
REGIONS = table("""
华北|North China
华东|East China
华南|South China
华中|Central China
西南|Southwest
西北|Northwest
东北|Northeast
""")
# department name | English name | usual project type
DEPARTMENT_KINDS = table("""
工程部|Engineering|construction
信息部|IT|it
研发部|R&D|rd
生产部|Production|process
营销部|Sales & Marketing|marketing
运营部|Operations|process
质量部|Quality|process
采购部|Procurement|process
技术部|Engineering Services|rd
项目部|Projects|it
""")


def _by_type(rows: list[list[str]]) -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for project_type, name, name_en in rows:
        grouped.setdefault(project_type, []).append((name, name_en))
    return grouped


# project type | subject | English subject
SUBJECTS = _by_type(
    table("""
it|仓储管理系统|warehouse management system
it|客户服务平台|customer service platform
it|数据分析平台|analytics platform
it|财务系统|finance system
it|门户网站|web portal
it|移动应用|mobile app
rd|新产品|new product
rd|检测设备|test equipment
rd|实验平台|test platform
rd|控制软件|control software
construction|办公楼|office building
construction|物流中心|logistics centre
construction|厂区道路|site roads
construction|仓库|warehouse
marketing|品牌推广|brand campaign
marketing|渠道建设|channel development
marketing|展会|trade fair
marketing|会员体系|loyalty scheme
process|生产线自动化|production line automation
process|质量体系|quality system
process|采购流程|procurement process
process|能源管理|energy management
""")
)
# what is done to the subject | English
ACTIONS = table("""
升级|upgrade
建设|build-out
优化|optimisation
改造|refit
实施|rollout
二期|phase II
试点|pilot
推广|roll-out
""")
SCALE_STAGES = {
    Stage.ACTIVE: 45,
    Stage.APPROVED: 8,
    Stage.CLOSING: 4,
    Stage.CLOSED: 12,
    Stage.IDEA: 6,
    Stage.PROPOSED: 6,
    Stage.UNDER_REVIEW: 5,
    Stage.ON_HOLD: 4,
    Stage.REJECTED: 4,
    Stage.CANCELLED: 3,
}
# The resource roles of a generated unit's 20 people: four project managers first,
# then the head (an analyst), then the specialists.
SCALE_ROLES = words("""
pm pm pm pm analyst architect developer developer developer tester
tester ops designer data process_eng civil_eng marketing developer analyst process_eng
""")
BATCH = 2000


def _region(index: int) -> tuple[str, str, str]:
    """The region of a generated division; later rounds over the regions get a number."""
    zh, en = REGIONS[index % len(REGIONS)]
    round_ = index // len(REGIONS) + 1
    return zh, en, "" if round_ == 1 else str(round_)


def seed_scale(count: int, *, demo: DemoData) -> Counter:
    """Make sure ``count`` generated projects exist, with their units, people, teams, demand.

    Row *i* comes from a generator seeded with *i*, so growing the scale later adds
    exactly the missing rows and repeating a run adds none.
    """
    created: Counter = Counter()
    if count <= 0:
        return created
    units_needed = math.ceil(count / PROJECTS_PER_UNIT)
    with transaction.atomic():
        divisions = _scale_divisions(math.ceil(units_needed / UNITS_PER_DIVISION), demo, created)
        departments = _scale_departments(units_needed, divisions, created)
        people = _scale_people(units_needed * PEOPLE_PER_UNIT, departments, demo, created)
        _scale_heads(departments, people)
        _scale_projects(count, departments, people, demo, created)
    return created


def _bulk_units(units: list[OrgUnit], parents: dict[int, OrgUnit]) -> None:
    """Insert units, then give them the tree paths ``orgunit_save`` would have given them."""
    OrgUnit.objects.bulk_create(units, batch_size=BATCH)
    for unit in units:
        parent = parents[unit.parent_id]
        unit.path, unit.depth = f"{parent.path}{unit.pk}/", parent.depth + 1
    OrgUnit.objects.bulk_update(units, ["path", "depth"], batch_size=BATCH)


def _scale_divisions(needed: int, demo: DemoData, created: Counter) -> list[OrgUnit]:
    codes = [f"SC-D{d + 1:03d}" for d in range(needed)]
    found = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    company = demo.units[COMPANY]
    new = []
    for index, code in enumerate(codes):
        if code not in found:
            zh, en, number = _region(index)
            found[code] = OrgUnit(
                code=code,
                name=f"{zh}区域公司{number}",
                name_en=f"{en} Region {number}".strip(),
                kind=OrgUnit.Kind.DIVISION,
                parent=company,
                path="/",
                sort_order=100 + index,
            )
            new.append(found[code])
    _bulk_units(new, {company.pk: company})
    created["units"] += len(new)
    return [found[c] for c in codes]


def _scale_departments(needed: int, divisions: list[OrgUnit], created: Counter) -> list[OrgUnit]:
    codes = [f"SC-U{u + 1:04d}" for u in range(needed)]
    found = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    new = []
    for index, code in enumerate(codes):
        if code not in found:
            zh, en, number = _region(index // UNITS_PER_DIVISION)
            kind_zh, kind_en, _ptype = DEPARTMENT_KINDS[index % UNITS_PER_DIVISION]
            found[code] = OrgUnit(
                code=code,
                name=f"{zh}{kind_zh}{number}",
                name_en=f"{en} {kind_en} {number}".strip(),
                kind=OrgUnit.Kind.DEPARTMENT,
                parent=divisions[index // UNITS_PER_DIVISION],
                path="/",
                sort_order=index % UNITS_PER_DIVISION,
            )
            new.append(found[code])
    _bulk_units(new, {d.pk: d for d in divisions})
    created["units"] += len(new)
    return [found[c] for c in codes]


def _scale_people(needed: int, departments, demo: DemoData, created: Counter) -> list[Person]:
    codes = [f"SC-E{j + 1:06d}" for j in range(needed)]
    found = {p.employee_no: p for p in Person.objects.filter(employee_no__in=codes)}
    new = []
    for index, code in enumerate(codes):
        if code in found:
            continue
        rng = random.Random(f"{SEED}:scale:person:{index}")
        name, name_en, stem = person_name(rng, set())
        role = SCALE_ROLES[index % PEOPLE_PER_UNIT]
        level = rng.choices((0, 1, 2), weights=(5, 4, 1))[0]
        found[code] = Person(
            employee_no=code,
            name=name,
            name_en=name_en,
            email=f"{stem}.{index + 1}@{EMAIL_DOMAIN}",
            title=ROLE_TITLES[role][level],
            org_unit=departments[index // PEOPLE_PER_UNIT],
            role=demo.roles[role],
            weekly_capacity_hours=Decimal(40),
            cost_rate=money(ROLE_RATES[role] * (1 + 0.25 * level), 5),
        )
        new.append(found[code])
    Person.objects.bulk_create(new, batch_size=BATCH)
    created["people"] += len(new)
    return [found[c] for c in codes]


def _scale_heads(departments: list[OrgUnit], people: list[Person]) -> None:
    """The analyst after the four project managers heads each generated department."""
    changed = []
    for index, unit in enumerate(departments):
        if unit.head_id is None:
            unit.head = people[index * PEOPLE_PER_UNIT + 4]
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["head"], batch_size=BATCH)


def _scale_projects(count: int, departments, people, demo: DemoData, created: Counter) -> None:
    codes = [f"{SCALE_PROJECT_PREFIX}{i + 1:06d}" for i in range(count)]
    found = dict(Project.objects.filter(code__in=codes).values_list("code", "pk"))
    specs = [
        _scale_project_spec(index, code, departments, people, demo.today)
        for index, code in enumerate(codes)
        if code not in found
    ]
    # Programmes first, so that their children can point at them.
    for group in ([s for s in specs if s[0].is_program], [s for s in specs if not s[0].is_program]):
        projects = [
            _scale_project(spec, unit, manager, sponsor, found, demo)
            for spec, unit, manager, sponsor in group
        ]
        Project.objects.bulk_create(projects, batch_size=BATCH)
        found.update({p.code: p.pk for p in projects})
        _scale_teams_and_demand(group, projects, demo, created)
        created["projects"] += len(projects)


def _scale_project(spec: ProjectSpec, unit, manager, sponsor, found, demo: DemoData) -> Project:
    project = Project(
        code=spec.code,
        name=spec.name,
        name_en=spec.name_en,
        description=spec.description,
        project_type=demo.project_types[spec.project_type],
        org_unit=unit,
        sponsor=sponsor,
        manager=manager,
        program_id=found.get(spec.program),
        is_program=spec.is_program,
        stage=spec.stage,
        classification=spec.classification,
        planned_start=spec.planned_start,
        planned_finish=spec.planned_finish,
        actual_start=spec.actual_start,
        actual_finish=spec.actual_finish,
        budget=spec.budget,
    )
    if spec.summary:
        project.health = spec.summary.health
        project.percent_complete = spec.summary.percent_complete
        project.spend_to_date = spec.summary.spend_to_date
        project.forecast_cost = spec.summary.forecast_cost
        project.last_status_date = spec.summary.last_status_date
        project.summary_note = spec.summary.note
    return project


def _scale_project_spec(index: int, code: str, departments, people, today: dt.date):
    rng = random.Random(f"{SEED}:scale:project:{index}")
    unit_index, local = divmod(index, PROJECTS_PER_UNIT)
    staff = people[unit_index * PEOPLE_PER_UNIT : (unit_index + 1) * PEOPLE_PER_UNIT]
    ptype = DEPARTMENT_KINDS[unit_index % UNITS_PER_DIVISION][2]
    if rng.random() < 0.3:
        ptype = rng.choice(list(TYPE_ROLES))
    subject, subject_en = rng.choice(SUBJECTS[ptype])
    action, action_en = rng.choice(ACTIONS)
    zh, en, _number = _region(unit_index // UNITS_PER_DIVISION)
    is_program = local == 0
    if is_program:
        stage, classification = Stage.ACTIVE, MAJOR
    else:
        stage = rng.choices(list(SCALE_STAGES), weights=list(SCALE_STAGES.values()))[0]
        classification = rng.choices((MAJOR, KEY, GENERAL), weights=(1, 3, 8))[0]
    start, finish, actual_start, actual_finish = plan_dates(rng, stage, classification, today)
    name, name_en = f"{zh}{subject}{action}", f"{en} {subject_en} {action_en}"
    spec = ProjectSpec(
        code=code,
        name=name + ("项目群" if is_program else ""),
        name_en=name_en + (" programme" if is_program else ""),
        project_type=ptype,
        unit=departments[unit_index].code,
        classification=classification,
        stage=stage,
        budget=budget_for(rng, classification),
        planned_start=start,
        planned_finish=finish,
        actual_start=actual_start,
        actual_finish=actual_finish,
        is_program=is_program,
        program=(
            f"{SCALE_PROJECT_PREFIX}{index - local + 1:06d}"
            if 0 < local <= PROGRAMME_CHILDREN
            else ""
        ),
    )
    spec.summary = spec_summary(rng, spec, today)
    manager, sponsor = staff[rng.randrange(4)], staff[4]
    team = rng.sample(staff[5:], rng.randint(2, 4))
    if stage not in NOT_STARTED:
        spec.members = [(p, "member", rng.choice((20, 30, 50, 80, 100))) for p in team]
    if not is_program:
        spec.demand = spec_demand(rng, spec, today, max_roles=3)
    return spec, departments[unit_index], manager, sponsor


def _scale_teams_and_demand(group, projects: list[Project], demo: DemoData, created) -> None:
    """Member rows as ``project_create`` and ``project_member_add`` would write them."""
    members, demand = [], []
    project_role = ProjectMember.ProjectRole
    for (spec, _unit, manager, sponsor), project in zip(group, projects, strict=True):
        start = spec.actual_start or spec.planned_start
        end = spec.actual_finish or spec.planned_finish
        rows = [(manager, project_role.MANAGER, 50), (sponsor, project_role.SPONSOR, 5)]
        members += [
            ProjectMember(
                project=project,
                person=person,
                project_role=role,
                allocation_percent=allocation,
                start=start,
                end=end,
            )
            for person, role, allocation in rows + spec.members
        ]
        demand += [
            ResourceDemand(project=project, role=demo.roles[r], month=m, hours=h, source=s)
            for r, m, h, s in spec.demand
        ]
    ProjectMember.objects.bulk_create(members, batch_size=BATCH)
    ResourceDemand.objects.bulk_create(demand, batch_size=BATCH)
    created["memberships"] += len(members)
    created["demand rows"] += len(demand)
