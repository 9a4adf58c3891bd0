"""The talent part of ``seed_demo``.

* the certificate catalogue (PMP, PgMP, PfMP, PRINCE2, IPMP, 软考 …);
* a competency model on the PMI Talent Triangle with behaviours per proficiency, and a
  five-level ladder (project coordinator → portfolio manager) with promotion criteria,
  selection standards and salary bands;
* about fifteen PMs of the core demo in the pool, with levels, line managers, self and
  manager assessments and certificates (the ``pm`` login's PMP expires within 40 days);
* courses with held sessions, attendance, feedback and effectiveness, an upcoming
  session, and this year's training plan generated from the gaps;
* a closed appraisal round with calibration and consequences, a selection round;
* a team design with positions, a team survey and actions for the ``pm``'s project;
* a recruitment plan whose pipeline hired one PM, with onboarding and check-ins.

Rows are looked up by natural keys before they are written, so a second run writes
nothing; draws come from ``demo.rng("talent")``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count

from pmo.core.models import Person, Project
from pmo.core.registry import registry
from talent import services
from talent.demo import catalogue as c
from talent.models import (
    AppraisalScheme,
    CareerLevel,
    Certification,
    Competency,
    CompetencyAssessment,
    CompetencyDimension,
    Course,
    Enrolment,
    Onboarding,
    RecruitmentPlan,
    SelectionRound,
    TalentProfile,
    TeamDesign,
    TrainingPlan,
    TrainingSession,
)

POOL_SIZE = 15


def seed(demo) -> None:
    pmo = demo.users["pmo"]
    rng = demo.rng("talent")
    certs = _certifications(pmo)
    comps = _model(pmo)
    levels = _ladder(pmo, certs, comps)
    people = _pool(demo, pmo, levels, certs, comps, rng)
    courses = _training(demo, pmo, comps, people, rng)
    _appraisal(demo, pmo, people, rng)
    _selection(demo, pmo, levels, people)
    _team(demo, pmo, comps, rng)
    _recruitment(demo, pmo, levels, people)
    if not TrainingPlan.objects.filter(year=demo.today.year).exists() and courses:
        services.training_plan_generate(year=demo.today.year, actor=pmo)
    demo.created["talent"] += 1


def _certifications(pmo) -> dict[str, Certification]:
    found = {x.code: x for x in Certification.objects.all()}
    for code, name, name_en, issuer, months in c.CERTIFICATIONS:
        if code not in found:
            found[code] = services.certification_save(
                code=code,
                name=name,
                name_en=name_en,
                issuer=issuer,
                validity_months=months or None,
                actor=pmo,
            )
    return found


def _model(pmo) -> dict[str, Competency]:
    found = {x.code: x for x in Competency.objects.all()}
    dims = {d.code: d for d in CompetencyDimension.objects.all()}
    for order, (code, name, name_en, comps) in enumerate(c.MODEL, start=1):
        dim = dims.get(code) or services.dimension_save(
            code=code, name=name, name_en=name_en, sort_order=order, actor=pmo
        )
        for sort, (ccode, cname, cname_en, behaviours) in enumerate(comps, start=1):
            if ccode not in found:
                found[ccode] = services.competency_save(
                    dimension=dim,
                    code=ccode,
                    name=cname,
                    name_en=cname_en,
                    sort_order=sort,
                    behaviours=dict(zip((1, 3, 5), behaviours, strict=True)),
                    actor=pmo,
                )
    return found


def _ladder(pmo, certs, comps) -> dict[str, CareerLevel]:
    found = {x.code: x for x in CareerLevel.objects.all()}
    for row in c.LEVELS:
        (
            code,
            rank,
            name,
            name_en,
            projects,
            budget,
            years,
            codes,
            grade,
            max_budget,
            prof,
            band,
            std,
        ) = row
        if code in found:
            continue
        level = services.level_save(
            code=code,
            rank=rank,
            name=name,
            name_en=name_en,
            selection_standards=std,
            min_projects_managed=projects,
            min_budget_managed=Decimal(budget),
            min_years=Decimal(years),
            min_appraisal_grade=grade,
            max_project_budget=Decimal(max_budget) if max_budget else None,
            required_certifications=[certs[x] for x in codes],
            requirements=dict.fromkeys(comps.values(), prof) if rank > 1 else {},
            actor=pmo,
        )
        services.salary_band_save(
            level=level,
            minimum=Decimal(band[0]),
            midpoint=Decimal(band[1]),
            maximum=Decimal(band[2]),
            market_p50=Decimal(band[3]),
            actor=pmo,
        )
        found[code] = level
    return found


def _pool(demo, pmo, levels, certs, comps, rng) -> list[Person]:
    """The logins pm and pm2 and the people who manage most demo projects."""
    existing = list(TalentProfile.objects.select_related("person").order_by("person__employee_no"))
    if existing:
        return [p.person for p in existing]
    managers = (
        Person.objects.filter(managed_projects__isnull=False, is_active=True)
        .annotate(n=Count("managed_projects"))
        .order_by("-n", "employee_no")
    )
    chosen = [demo.person("pm"), demo.person("pm2")]
    for person in managers:
        if len(chosen) >= POOL_SIZE:
            break
        if person not in chosen and person.pk != demo.person("pmo").pk:
            chosen.append(person)
    today = demo.today
    by_rank = {lv.rank: lv for lv in levels.values()}
    head = demo.person("pmo")
    codes = list(comps)
    for i, person in enumerate(chosen):
        n = Project.objects.filter(manager=person).count()
        rank = (
            3
            if person == demo.person("pm")
            else 2
            if person == demo.person("pm2")
            else min(4, 1 + n // 2 + rng.randint(0, 1))
        )
        years = 2 + rank * 2 + rng.randint(0, 3)
        unit_head = person.org_unit.head
        line_manager = unit_head if unit_head and unit_head.pk != person.pk else head
        services.profile_save(
            person=person,
            level=by_rank[rank],
            line_manager=line_manager,
            pool_since=today - dt.timedelta(days=365 * 2),
            pm_since=today - dt.timedelta(days=365 * years),
            actor=pmo,
        )
        base = rank + 1
        rows = []
        for kind, shift in (("self", 1), ("manager", 0)):
            for code in codes:
                value = max(1, min(5, base + rng.choice((-1, 0, 0, shift))))
                rows.append(
                    CompetencyAssessment(
                        person=person,
                        competency=comps[code],
                        kind=kind,
                        proficiency=value,
                        assessed_on=today - dt.timedelta(days=60 + i),
                        note="",
                    )
                )
        CompetencyAssessment.objects.bulk_create(rows)
        held = rng.sample(["PMP", "IPMP", "PRINCE2", "RK_SENIOR", "RK_MID"], k=rng.randint(0, 2))
        if person == demo.person("pm"):
            held = ["PMP", "RK_SENIOR"]
        for code in held:
            issued = today - dt.timedelta(days=rng.randint(200, 1000))
            expires = None
            if code == "PMP" and person == demo.person("pm"):
                issued = today - dt.timedelta(days=365 * 3 - 40)
                expires = today + dt.timedelta(days=40)
            services.certificate_add(
                person=person,
                certification=certs[code],
                issued_on=issued,
                expires_on=expires,
                number=f"{code}-{person.employee_no}",
                actor=pmo,
            )
    return chosen


def _training(demo, pmo, comps, people, rng) -> list[Course]:
    found = {x.code: x for x in Course.objects.all()}
    today = demo.today
    for code, name, name_en, category, delivery, provider, hours, codes in c.COURSES:
        if code in found:
            continue
        course = services.course_save(
            code=code,
            name=name,
            name_en=name_en,
            category=category,
            delivery=delivery,
            provider=provider,
            hours=hours,
            competencies=[comps[x] for x in codes],
            actor=pmo,
        )
        found[code] = course
        for weeks, location in ((30, "总部 A101"), (8, "线上")):
            start = today - dt.timedelta(weeks=weeks)
            session = services.session_save(
                course=course,
                starts_on=start,
                ends_on=start + dt.timedelta(days=1),
                location=location,
                trainer=provider,
                capacity=30,
                actor=pmo,
            )
            attendees = rng.sample(people, k=min(len(people), rng.randint(4, 9)))
            rows = []
            for person in attendees:
                attended = rng.random() > 0.15
                rows.append(
                    Enrolment(
                        session=session,
                        person=person,
                        attended=attended,
                        hours=hours if attended else 0,
                        feedback_rating=rng.randint(3, 5) if attended else None,
                        effectiveness_rating=rng.randint(2, 5)
                        if attended and rng.random() > 0.4
                        else None,
                    )
                )
            Enrolment.objects.bulk_create(rows)
            session.status = TrainingSession.Status.HELD
            session.save(update_fields=["status"])
        services.session_save(
            course=course,
            starts_on=today + dt.timedelta(days=21),
            location="总部 B201",
            trainer=provider,
            capacity=25,
            actor=pmo,
        )
    return list(found.values())


def _appraisal(demo, pmo, people, rng) -> None:
    if AppraisalScheme.objects.filter(code="PM-STD").exists():
        return
    keys = [m.key for m in registry.metric_list()]
    kpis = {"evaluation_score": (Decimal(40), Decimal(90))}
    extra = [k for k in ("spi", "cpi") if k in keys]
    for key in extra:
        kpis[key] = (Decimal(60) / len(extra), Decimal(1))
    if not extra:
        kpis["evaluation_score"] = (Decimal(100), Decimal(90))
    scheme = services.appraisal_scheme_save(
        code="PM-STD",
        name="项目经理绩效考核方案",
        name_en="PM performance appraisal",
        description="KPI 取自项目评价得分和挣值指标，直线经理评分占 30%。",
        kpis=kpis,
        manager_weight=Decimal(30),
        actor=pmo,
    )
    end = demo.today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1) - dt.timedelta(days=150)
    round = services.appraisal_round_open(
        scheme=scheme,
        title=f"{end.year} 上半年项目经理考核"
        if end.month <= 6
        else f"{end.year} 年度项目经理考核",
        period_start=start.replace(day=1),
        period_end=end,
        actor=pmo,
    )
    for appraisal in round.appraisals.select_related("round__scheme"):
        services.appraisal_rate(
            appraisal=appraisal,
            manager_rating=rng.choice((3, 4, 4, 5)),
            manager_comment="",
            actor=pmo,
        )
    services.appraisal_round_advance(round=round, actor=pmo)
    items = list(round.appraisals.order_by("-total_score"))
    if items:
        services.appraisal_calibrate(
            appraisal=items[0],
            calibrated_grade=items[0].grade or "A",
            consequence="bonus",
            consequence_note="年度绩效奖金上浮 20%",
            actor=pmo,
        )
    if len(items) > 1:
        last = items[-1]
        services.appraisal_calibrate(
            appraisal=last,
            calibrated_grade="C",
            calibration_note="校准会：进度偏差持续两个季度",
            consequence="development",
            consequence_note="参加挣值管理培训并由高级项目经理带教",
            actor=pmo,
        )
    services.appraisal_round_advance(round=round, actor=pmo)


def _selection(demo, pmo, levels, people) -> None:
    if SelectionRound.objects.exists():
        return
    round = services.selection_round_open(
        title="高级项目经理选拔",
        level=levels["SPM"],
        opened_on=demo.today - dt.timedelta(days=14),
        actor=pmo,
    )
    for person in people[1:4]:
        services.selection_candidate_add(round=round, person=person, actor=pmo)


def _team(demo, pmo, comps, rng) -> None:
    project = Project.objects.filter(manager=demo.person("pm")).open().order_by("code").first()
    if project is None or TeamDesign.objects.filter(project=project).exists():
        return
    roles = demo.roles
    lead = services.team_position_save(
        project=project,
        title="项目经理",
        role=roles.get("pm"),
        count=1,
        skills=[comps["PWR-LEAD"], comps["WOW-PLAN"]],
        skill_level=4,
        actor=pmo,
    )
    arch = services.team_position_save(
        project=project,
        title="架构师",
        role=roles.get("architect"),
        count=1,
        reports_to=lead,
        skills=[comps["WOW-RISK"]],
        actor=pmo,
    )
    services.team_position_save(
        project=project,
        title="开发工程师",
        role=roles.get("developer"),
        count=3,
        reports_to=arch,
        skills=[comps["WOW-PLAN"]],
        skill_level=3,
        actor=pmo,
    )
    services.team_position_save(
        project=project,
        title="测试工程师",
        role=roles.get("tester"),
        count=2,
        reports_to=lead,
        actor=pmo,
    )
    services.team_position_save(
        project=project,
        title="业务分析师",
        role=roles.get("analyst"),
        count=1,
        reports_to=lead,
        skills=[comps["PWR-COMM"]],
        actor=pmo,
    )
    for member in project.members.select_related("person").filter(
        project_role__in=("manager", "member")
    ):
        services.team_survey_respond(
            project=project,
            respondent=member.person,
            collaboration=rng.randint(3, 5),
            clarity=rng.randint(2, 5),
            workload=rng.randint(2, 4),
            today=demo.today,
        )
    services.team_action_save(
        project=project,
        title="季度团队拓展与复盘会",
        owner=demo.person("pm"),
        due=demo.today + dt.timedelta(days=20),
        actor=pmo,
    )
    services.team_action_save(
        project=project,
        title="明确接口人与 RACI 矩阵",
        owner=demo.person("pm"),
        due=demo.today - dt.timedelta(days=10),
        status="done",
        outcome="角色职责在周会上确认，需求澄清时间缩短",
        actor=pmo,
    )


def _recruitment(demo, pmo, levels, people) -> None:
    if RecruitmentPlan.objects.exists():
        return
    plan = services.recruitment_plan_save(
        title=f"{demo.today.year} 年项目经理招聘计划",
        year=demo.today.year,
        rationale="人才缺口分析显示下两个季度高级项目经理供给不足。",
        actor=pmo,
    )
    senior = services.vacancy_save(
        plan=plan,
        title="高级项目经理（数字化）",
        level=levels["SPM"],
        headcount=2,
        channels="猎头, 内部推荐, 招聘网站",
        actor=pmo,
    )
    services.vacancy_save(
        plan=plan,
        title="项目经理（研发）",
        level=levels["PM"],
        headcount=1,
        channels="校园招聘, 招聘网站",
        actor=pmo,
    )
    today = demo.today
    pipeline = [
        ("赵磊", "猎头", "PMP", ["screened", "interviewed", "offer", "hired"]),
        ("孙悦", "内部推荐", "PMP, 软考高级", ["screened", "interviewed", "offer"]),
        ("周强", "招聘网站", "", ["screened", "interviewed"]),
        ("吴倩", "猎头", "PRINCE2", ["screened"]),
        ("郑凯", "招聘网站", "", ["rejected"]),
        ("冯静", "招聘网站", "IPMP", []),
    ]
    for i, (name, channel, cert, moves) in enumerate(pipeline):
        cand = services.candidate_add(
            vacancy=senior,
            name=name,
            channel=channel,
            certificates=cert,
            applied_on=today - dt.timedelta(days=60 - i * 7),
            actor=pmo,
        )
        for stage in moves:
            services.candidate_move(candidate=cand, stage=stage, actor=pmo)
    newest = people[-1] if people else None
    if newest is not None and not Onboarding.objects.filter(person=newest).exists():
        onboarding = services.onboarding_save(
            person=newest,
            mentor=demo.person("pm"),
            starts_on=today - dt.timedelta(days=45),
            ends_on=today + dt.timedelta(days=45),
            goals="熟悉公司项目管理体系与信息系统；在导师指导下负责一个一般项目的周报与风险管理。",
            actor=pmo,
        )
        for days, progress, note in (
            (30, 3, "完成体系导入培训，开始参与周报"),
            (10, 4, "独立完成风险登记与周报"),
        ):
            services.onboarding_checkin_add(
                onboarding=onboarding,
                held_on=today - dt.timedelta(days=days),
                progress=progress,
                note=note,
                actor=pmo,
            )
