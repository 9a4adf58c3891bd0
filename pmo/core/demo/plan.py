"""The plan of the core demo: who works where, which projects exist and in what state."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from pmo.core.demo.catalogue import (
    CLASSIFICATIONS,
    COMPANY,
    EMAIL_DOMAIN,
    EXEC_SPONSORED,
    GENERAL,
    KEY,
    LOGIN_MEMBERSHIPS,
    LOGINS,
    MAJOR,
    NOT_STARTED,
    PROGRAMMES,
    PROJECTS,
    ROLE_RATES,
    ROLE_TITLES,
    SEED,
    STAFFING,
    TYPE_ROLES,
    UNIT_NAMES,
    UNITS,
    Login,
)
from pmo.core.demo.generate import (
    NotificationSpec,
    PersonSpec,
    Plan,
    ProjectSpec,
    SummarySpec,
    budget_for,
    email_stem,
    money,
    person_name,
    plan_dates,
    plan_demand,
    plan_summary,
    stream,
    with_source,
)
from pmo.core.models import Health, Notification, OrgUnit, Stage


def build_plan(today: dt.date) -> Plan:
    """The whole core demo as data: people, unit heads, projects and notifications."""
    people, heads = _plan_people()
    projects = _plan_projects(people, heads, today)
    return Plan(today, people, heads, projects, _plan_notifications(projects, today))


def _plan_people() -> tuple[list[PersonSpec], dict[str, str]]:
    rng = random.Random(SEED)
    used = {login.name for login in LOGINS}
    emails: set[str] = set()
    people: list[PersonSpec] = []
    heads: dict[str, str] = {}

    def add(name, name_en, unit, role, title, *, level=1, capacity=40, login="") -> str:
        stem = email_stem(name_en)
        email = stem
        for number in range(2, 100):
            if email not in emails:
                break
            email = f"{stem}{number}"
        emails.add(email)
        rate = ROLE_RATES.get(role, 800) * (1 + 0.25 * level) * (0.95 + rng.random() * 0.1)
        people.append(
            PersonSpec(
                employee_no=f"HC{10001 + len(people)}",
                name=name,
                name_en=name_en,
                unit=unit,
                role=role,
                title=title,
                email=f"{email}@{EMAIL_DOMAIN}",
                phone=f"13{rng.randint(100000000, 999999999)}",
                capacity=Decimal(capacity),
                cost_rate=money(rate, 5),
                login=login,
            )
        )
        return people[-1].employee_no

    def generated(unit, role, title, *, level, capacity=40) -> str:
        name, name_en, _stem = person_name(rng, used)
        return add(name, name_en, unit, role, title, level=level, capacity=capacity)

    def add_login(login: Login) -> str:
        level = 3 if login.unit == COMPANY else 1
        capacity = 20 if login.unit == COMPANY else 40
        return add(
            login.name,
            login.name_en,
            login.unit,
            login.role,
            login.title,
            level=level,
            capacity=capacity,
            login=login.username,
        )

    heads[COMPANY] = generated(COMPANY, "", "总裁", level=3, capacity=20)
    for code, name, _en, kind, _parent in UNITS:
        if kind == OrgUnit.Kind.DIVISION:
            heads[code] = generated(code, "", f"{name}总经理", level=3, capacity=20)
    for login in LOGINS:
        if login.unit == COMPANY:
            add_login(login)
    for unit, (head_role, staffing) in STAFFING.items():
        for login in LOGINS:
            if login.unit == unit:
                number = add_login(login)
                if login.username == "pmo":  # the PMO director heads the PMO
                    heads[unit] = number
        if unit not in heads:
            heads[unit] = generated(
                unit, head_role, f"{UNIT_NAMES[unit]}经理", level=2, capacity=32
            )
        for role, count in staffing.items():
            for _ in range(count):
                level = rng.choices((0, 1, 2), weights=(5, 4, 1))[0]
                capacity = 32 if rng.random() < 0.1 else 40
                generated(unit, role, ROLE_TITLES[role][level], level=level, capacity=capacity)
    return people, heads


def _plan_projects(
    people: list[PersonSpec], heads: dict[str, str], today: dt.date
) -> list[ProjectSpec]:
    rng = stream("projects")
    by_login = {p.login: p.employee_no for p in people if p.login}
    parent_of = {row[0]: row[4] for row in UNITS}
    pms_by_unit: dict[str, list[str]] = {}
    by_role: dict[str, list[PersonSpec]] = {}
    for person in people:
        if not person.login and person.employee_no not in heads.values():
            by_role.setdefault(person.role, []).append(person)
            if person.role == "pm":
                pms_by_unit.setdefault(person.unit, []).append(person.employee_no)

    def manager_for(unit: str) -> str:
        return rng.choice(pms_by_unit.get(unit) or pms_by_unit["HC-PMO"])

    specs: list[ProjectSpec] = []
    for code, name, name_en, ptype, unit, classification in PROGRAMMES:
        specs.append(
            ProjectSpec(
                code=code,
                name=name,
                name_en=name_en,
                project_type=ptype,
                unit=unit,
                classification=classification,
                stage=Stage.ACTIVE,
                budget=money(rng.uniform(1.0e6, 3.0e6), 10_000),
                planned_start=today,
                planned_finish=today,
                is_program=True,
                manager=manager_for(unit),
                sponsor=heads[COMPANY],
                description=f"{name}：统筹协调下属项目的目标、资源与集成。",
            )
        )
    for number, row in enumerate(PROJECTS, start=1):
        name, name_en, ptype, unit, cls, stage, programme, login = row
        classification = CLASSIFICATIONS[cls]
        start, finish, actual_start, actual_finish = plan_dates(rng, stage, classification, today)
        if number in EXEC_SPONSORED:
            sponsor = by_login["exec"]
        elif classification == GENERAL:
            sponsor = heads[unit]
        else:
            sponsor = heads[parent_of[unit]]
        spec = ProjectSpec(
            code=f"HC-PRJ-{number:03d}",
            name=name,
            name_en=name_en,
            project_type=ptype,
            unit=unit,
            classification=classification,
            stage=stage,
            budget=budget_for(rng, classification),
            planned_start=start,
            planned_finish=finish,
            actual_start=actual_start,
            actual_finish=actual_finish,
            program=PROGRAMMES[int(programme) - 1][0] if programme != "0" else "",
            manager=by_login[login] if login else manager_for(unit),
            sponsor=sponsor,
            description=f"{name}：由{UNIT_NAMES[unit]}牵头实施。",
        )
        spec.summary = spec_summary(rng, spec, today)
        spec.members = _plan_team(rng, spec, by_role, by_login, number)
        # Smaller projects plan hours for fewer roles.
        max_roles = {MAJOR: None, KEY: 4}.get(classification, 3)
        spec.demand = spec_demand(rng, spec, today, max_roles=max_roles)
        specs.append(spec)
    _roll_up_programmes(specs)
    return specs


def spec_summary(rng: random.Random, spec: ProjectSpec, today: dt.date) -> SummarySpec | None:
    """The status summary that fits the spec's stage, budget and dates."""
    return plan_summary(
        rng,
        stage=spec.stage,
        budget=spec.budget,
        planned_finish=spec.planned_finish,
        actual_start=spec.actual_start,
        actual_finish=spec.actual_finish,
        today=today,
    )


def spec_demand(
    rng: random.Random, spec: ProjectSpec, today: dt.date, *, max_roles: int | None
) -> list[tuple]:
    """The demand of an approved or active project inside its window.

    Other stages plan none and draw nothing from ``rng``, so the stream stays as it was.
    """
    if spec.stage not in (Stage.APPROVED, Stage.ACTIVE):
        return []
    rows = plan_demand(
        rng,
        project_type=spec.project_type,
        classification=spec.classification,
        start=spec.actual_start or spec.planned_start,
        finish=spec.planned_finish,
        today=today,
        max_roles=max_roles,
    )
    return with_source(spec.stage, rows)


def _plan_team(rng, spec: ProjectSpec, by_role, by_login, number: int) -> list[tuple]:
    """Members of the roles the project type needs, the PMO contact and the demo logins."""
    members: list[tuple] = []
    if spec.stage not in NOT_STARTED:
        taken = {spec.manager, spec.sponsor}
        wanted = [r for r in TYPE_ROLES[spec.project_type] if r != "pm"]
        for index in range({MAJOR: 6, KEY: 4}.get(spec.classification, 3)):
            role = wanted[index % len(wanted)]
            candidates = [p for p in by_role.get(role, []) if p.employee_no not in taken]
            same_unit = [p for p in candidates if p.unit == spec.unit]
            person = rng.choice(same_unit or candidates)
            taken.add(person.employee_no)
            members.append((person.employee_no, "member", rng.choice((20, 30, 50, 50, 80, 100))))
        if spec.classification != GENERAL:
            members.append((by_login["pmo_staff"], "pmo_contact", 10))
    for login, rows in LOGIN_MEMBERSHIPS.items():
        members += [(by_login[login], role, pct) for n, role, pct in rows if n == number]
    return members


def _roll_up_programmes(specs: list[ProjectSpec]) -> None:
    """A programme spans its children; its progress is their budget-weighted progress."""
    rank = {Health.RED: 3, Health.AMBER: 2, Health.GREEN: 1, Health.GREY: 0}
    for programme in (s for s in specs if s.is_program):
        children = [s for s in specs if s.program == programme.code]
        programme.planned_start = min(c.planned_start for c in children)
        programme.planned_finish = max(c.planned_finish for c in children)
        started = [c.actual_start for c in children if c.actual_start]
        programme.actual_start = min(started) if started else None
        weight = sum(float(c.budget) for c in children)
        done = sum(
            float(c.summary.percent_complete if c.summary else 0) * float(c.budget)
            for c in children
        )
        percent = round(done / weight, 1)
        health = max(
            (c.summary.health for c in children if c.summary), key=rank.get, default=Health.GREY
        )
        dates = [c.summary.last_status_date for c in children if c.summary]
        programme.summary = SummarySpec(
            health,
            Decimal(str(percent)),
            money(float(programme.budget) * min(1.0, percent / 100 + 0.05)),
            programme.budget,
            max((d for d in dates if d), default=None),
            "项目群进度按子项目预算加权汇总",
        )


def _plan_notifications(projects: list[ProjectSpec], today: dt.date) -> list[NotificationSpec]:
    """A few messages per demo login; titles never depend on the date (they are the key)."""
    by_code = {p.code: p for p in projects}
    erp, cloud, on_hold = by_code["HC-PRJ-001"], by_code["HC-PRJ-015"], by_code["HC-PRJ-026"]
    reviewing = next(p for p in projects if p.stage == Stage.UNDER_REVIEW)
    overdue = today - dt.timedelta(days=14)
    stale = [
        p
        for p in projects
        if p.stage == Stage.ACTIVE and p.summary and (p.summary.last_status_date or today) < overdue
    ]
    off_track = next(
        (
            p
            for p in projects
            if p.classification == MAJOR
            and not p.is_program
            and p.summary
            and p.summary.health == Health.RED
        ),
        erp,
    )
    action, info, warning = (
        Notification.Level.ACTION,
        Notification.Level.INFO,
        Notification.Level.WARNING,
    )
    notes = [
        NotificationSpec("pm", f"请提交本周状态报告：{erp.name}", action, erp.code),
        NotificationSpec("pm", f"立项已批准：{cloud.name}", info, cloud.code),
        NotificationSpec(
            "pm2", f"项目已暂停：{on_hold.name}", warning, on_hold.code, body="等待预算重新审批。"
        ),
        NotificationSpec(
            "pmo",
            "状态报告逾期提醒",
            action,
            url="/projects/?stage=active&sort=status",
            body=f"{len(stale)} 个进行中项目超过两周未提交状态报告。",
        ),
        NotificationSpec("pmo", f"新的立项申请待评审：{reviewing.name}", info, reviewing.code),
        NotificationSpec(
            "exec",
            "A major project needs your attention",
            warning,
            off_track.code,
            body=f"{off_track.name_en}: {off_track.summary.note if off_track.summary else ''}",
        ),
        NotificationSpec(
            "exec", "The weekly portfolio status report is ready", info, url="/dashboard/"
        ),
        NotificationSpec("reviewer", f"请评审可行性研究：{reviewing.name}", action, reviewing.code),
        NotificationSpec("member", f"您已加入项目：{erp.name}", info, erp.code),
    ]
    if stale:
        notes.append(
            NotificationSpec(
                "pmo_staff", "请跟进逾期的状态报告", action, stale[0].code, body=stale[0].name
            )
        )
    return notes
