"""Fixtures of the talent tests: the ladder with a competency model, and the ``pm`` in
the pool with ``pmo`` as line manager's stand-in (``other_pm`` reports to ``pm``)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.talent.factories import ladder


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def model(db):
    """Two dimensions with two competencies each, three levels, PMP and IPMP."""
    return ladder()


@pytest.fixture
def pool(model, pm_user, other_pm_user, today):
    """``pm`` at level 1 in the pool, line manager of ``other_pm`` (also level 1)."""
    from talent.models import TalentProfile

    pm = TalentProfile.objects.create(
        person=pm_user.person,
        level=model.levels[0],
        pool_since=today - dt.timedelta(days=800),
        pm_since=today - dt.timedelta(days=1200),
    )
    other = TalentProfile.objects.create(
        person=other_pm_user.person,
        level=model.levels[0],
        line_manager=pm_user.person,
        pool_since=today - dt.timedelta(days=400),
        pm_since=today - dt.timedelta(days=400),
    )
    return pm, other


@pytest.fixture
def world(model, pool, pmo_user, pm_user, other_pm_user, member_user, project, today):
    """One of everything, made through the services as the PMO: a course with a held
    session ``pm`` attended, a draft training plan, a selection round with ``other_pm``
    as candidate, a scheme and an appraisal round, a team design with two positions and
    a survey answer for ``project``, a recruitment plan with a vacancy and a candidate,
    and an onboarding plan for ``other_pm`` mentored by ``pm``."""
    from decimal import Decimal
    from types import SimpleNamespace

    from pmo.core.models import Role
    from talent import services
    from talent.models import Course

    pmo = pmo_user
    course = services.course_save(
        code="PMS-101",
        name="项目管理体系导入",
        name_en="PM system induction",
        category=Course.Category.PM_SYSTEM,
        hours=Decimal(8),
        competencies=model.competencies[:2],
        actor=pmo,
    )
    session = services.session_save(
        course=course, starts_on=today - dt.timedelta(days=10), location="A101", actor=pmo
    )
    enrolment = services.enrolment_create(session=session, person=pm_user.person, actor=pmo)
    services.attendance_record(session=session, attended={enrolment.pk: True}, actor=pmo)
    enrolment.refresh_from_db()
    services.certificate_add(
        person=pm_user.person,
        certification=model.pmp,
        issued_on=today - dt.timedelta(days=1000),
        expires_on=today + dt.timedelta(days=30),
        number="PMP-1",
        actor=pmo,
    )
    plan = services.training_plan_generate(year=today.year, actor=pmo)
    selection = services.selection_round_open(
        title="2025 项目经理选拔", level=model.levels[1], actor=pmo
    )
    candidate = services.selection_candidate_add(
        round=selection, person=other_pm_user.person, actor=pmo
    )
    scheme = services.appraisal_scheme_save(
        code="PM-KPI",
        name="项目经理考核",
        name_en="PM appraisal",
        kpis={"evaluation_score": (Decimal(100), Decimal(90))},
        actor=pmo,
    )
    appraisal_round = services.appraisal_round_open(
        scheme=scheme,
        title="2025 H1",
        period_start=today - dt.timedelta(days=180),
        period_end=today,
        actor=pmo,
    )
    role = Role.objects.create(code="dev", name="开发", name_en="Developer")
    lead = services.team_position_save(project=project, title="项目经理", count=1, actor=pmo)
    position = services.team_position_save(
        project=project,
        title="开发工程师",
        role=role,
        count=2,
        reports_to=lead,
        skills=model.competencies[:1],
        actor=pmo,
    )
    action = services.team_action_save(project=project, title="团队建设活动", actor=pmo)
    services.team_survey_respond(
        project=project, respondent=member_user.person, collaboration=4, clarity=3, workload=3
    )
    rplan = services.recruitment_plan_save(title="2025 招聘计划", year=today.year, actor=pmo)
    vacancy = services.vacancy_save(
        plan=rplan, title="高级项目经理", level=model.levels[2], actor=pmo
    )
    applicant = services.candidate_add(
        vacancy=vacancy, name="王五", applied_on=today, channel="猎头", actor=pmo
    )
    onboarding = services.onboarding_save(
        person=other_pm_user.person,
        mentor=pm_user.person,
        starts_on=today,
        ends_on=today + dt.timedelta(days=90),
        goals="熟悉项目管理体系",
        actor=pmo,
    )
    return SimpleNamespace(
        course=course,
        session=session,
        enrolment=enrolment,
        certificate=pm_user.person.certificates.get(),
        plan=plan,
        selection=selection,
        candidate=candidate,
        scheme=scheme,
        appraisal_round=appraisal_round,
        appraisal=appraisal_round.appraisals.get(person=other_pm_user.person),
        position=position,
        action=action,
        rplan=rplan,
        vacancy=vacancy,
        applicant=applicant,
        onboarding=onboarding,
        project=project,
        pm=pm_user.person,
        other=other_pm_user.person,
        level=model.levels[1],
        dimension=model.competencies[0].dimension,
        competency=model.competencies[0],
        certification=model.pmp,
    )
