"""Each question of seed section 8 (项目管理理念和文化建设) answered by a page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from culture import services
from culture.models import IdeaPractice
from pmo.core.registry import ProjectMetric, registry
from tests.core.factories import OrgUnitFactory, PersonFactory, UserFactory
from tests.culture.factories import (
    IdeaFactory,
    QuestionFactory,
    RoundFactory,
    SessionFactory,
    SurveyFactory,
    launched_campaign,
    unit_with_people,
)
from tests.talent.factories import CertificationFactory, CourseFactory

pytestmark = pytest.mark.django_db


def test_idea_list_shows_why_each_idea_fits_the_company(pmo):
    IdeaFactory(
        title_en="Value-driven delivery", fit="公司预算紧,价值排序可砍掉低价值需求。", fit_rating=5
    )
    page = pmo.get(reverse("culture:idea_list")).content.decode()
    assert "Value-driven delivery" in page and "价值排序可砍掉低价值需求" in page
    assert "Why it fits the company" in page


def test_idea_list_shows_in_which_lifecycle_phases_each_idea_is_applied(pmo, project):
    idea = IdeaFactory(title_en="Risks first")
    for phase in ("initiation", "planning", "execution", "closing"):
        IdeaPractice.objects.create(idea=idea, phase=phase, project=project, note="应用")
    partial = IdeaFactory(title_en="Retrospectives")
    IdeaPractice.objects.create(idea=partial, phase="closing", project=project, note="复盘")
    response = pmo.get(reverse("culture:idea_list"))
    rows = {r["idea"].title_en: r for r in response.context["rows"]}
    assert rows["Risks first"]["complete"] and rows["Risks first"]["cells"] == [1, 1, 1, 1]
    assert (
        rows["Retrospectives"]["cells"] == [0, 0, 0, 1] and not rows["Retrospectives"]["complete"]
    )
    detail = pmo.get(reverse("culture:idea_detail", args=[idea.pk])).content.decode()
    assert project.code in detail


def test_campaign_page_shows_acknowledgement_and_quiz_rates_per_unit(pmo_user, pmo, client_for):
    unit, people = unit_with_people(0)
    users = [UserFactory(username=f"staff{i}") for i in range(4)]
    for user in users:
        PersonFactory(user=user, org_unit=unit)
    campaign = launched_campaign(pmo_user, [unit])
    for user, choice in zip(users[:3], (1, 1, 2), strict=True):
        client = client_for("anonymous")
        client.force_login(user)
        client.get(campaign.get_absolute_url())
        client.post(campaign.get_absolute_url(), {"quiz_choice": choice})
    response = pmo.get(campaign.get_absolute_url())
    (row,) = response.context["coverage"]
    assert (row.recipients, row.read_rate, row.ack_rate, row.quiz_rate) == (4, 75.0, 75.0, 66.7)
    assert 'data-testid="ack-rate">75.0%' in response.content.decode()


def test_coverage_shows_read_and_acknowledged_rates_per_unit(pmo_user, pmo, member_user):
    other, _people = unit_with_people(3)
    campaign = launched_campaign(pmo_user, [member_user.person.org_unit, other], quiz=False)
    services.campaign_acknowledge(campaign=campaign, person=member_user.person, actor=member_user)
    response = pmo.get(reverse("culture:coverage"))
    rates = {r.unit: r.ack_rate for r in response.context["coverage"]}
    assert rates == {member_user.person.org_unit: 100.0, other: 0.0}
    assert response.context["total"].ack_rate == 25.0


def test_survey_results_show_units_over_time_without_identities(pmo):
    survey = SurveyFactory(min_group_size=3, title_en="Culture pulse")
    question = QuestionFactory(survey=survey)
    unit, _people = unit_with_people(0, name="研发中心", name_en="R&D Centre")
    today = timezone.localdate()
    first = RoundFactory(survey=survey, label="Q1", opens_on=today - dt.timedelta(days=100),
                         closes_on=today + dt.timedelta(days=1))  # fmt: skip
    second = RoundFactory(survey=survey, label="Q2")
    for i, (r, value) in enumerate(
        [(first, 2), (first, 3), (first, 4), (second, 4), (second, 5), (second, 3)]
    ):
        user = UserFactory(username=f"answer{i}", first_name=f"Name{i}")
        PersonFactory(user=user, org_unit=unit, name=f"答者{i}", name_en=f"Responder {i}")
        services.survey_answer(survey_round=r, actor=user, answers={question.pk: value})
    response = pmo.get(reverse("culture:survey_results", args=[survey.pk]))
    page = response.content.decode()
    assert [r.overall[question.pk] for r in response.context["results"]] == [3.0, 4.0]
    assert "R&amp;D Centre" in page and "Responder" not in page and "答者" not in page
    assert response.context["trend_chart"]["series"][0]["data"] == [3.0, 4.0]


def test_sharing_page_shows_sessions_per_division_and_regularity(pmo):
    company = OrgUnitFactory(kind="company")
    division = OrgUnitFactory(parent=company, kind="division", name_en="Digital division")
    department = OrgUnitFactory(parent=division)
    speaker = PersonFactory(org_unit=department)
    now = timezone.now()
    for days in (5, 40, 70):
        SessionFactory(speaker=speaker, org_unit=department, status="held",
                       starts_at=now - dt.timedelta(days=days))  # fmt: skip
    response = pmo.get(reverse("culture:sharing"))
    row = next(r for r in response.context["rows"] if r.unit == division)
    assert row.sessions == 3 and row.months == 12 and row.months_with_session == 3
    assert row.regularity == 25.0
    assert "Digital division" in response.content.decode()


def _with_metric(key):
    registry.add_metric(
        ProjectMetric(key=key, label=key, compute="tests.culture.test_answers.fake_metric")
    )


def fake_metric(project_ids, start, end):
    """A metric that rises by one per quarter, so the change is known."""
    return {pid: float(start.month // 3 + start.year * 4) for pid in project_ids}


def test_dashboard_outcomes_answer_the_three_questions_over_quarters(pmo, project, monkeypatch):
    monkeypatch.setattr(registry, "metrics", dict(registry.metrics))
    _with_metric("deliverable_compliance")
    _with_metric("issue_resolution_days")
    _with_metric("spi")
    project.stage = "active"
    project.save()
    response = pmo.get(reverse("culture:dashboard"))
    groups = {key: indicators for key, _question, indicators in response.context["outcomes"]}
    assert [i.key for i in groups["methods"]][:1] == ["deliverable_compliance"]
    assert "issue_resolution_days" in [i.key for i in groups["risks"]]
    assert "spi" in [i.key for i in groups["performance"]]
    spi = next(i for i in groups["performance"] if i.key == "spi")
    assert len(spi.values) == 4 and spi.change == 3.0 and spi.improved is True
    page = response.content.decode()
    assert "Are project risks managed more proactively?" in page
    assert "Has project performance improved?" in page
    assert "Are project methods used more efficiently?" in page


def test_dashboard_shows_training_hours_per_person_and_certification(pmo, pmo_user, member_user):
    from talent import services as talent

    today = timezone.localdate()
    course = CourseFactory(hours=Decimal(6))
    talent.enrolment_create_attended(person=member_user.person, course=course, on=today)
    talent.profile_save(person=member_user.person, pool_since=today - dt.timedelta(days=1))
    talent.certificate_add(
        person=member_user.person, certification=CertificationFactory(code="PMP"), issued_on=today
    )
    response = pmo.get(reverse("culture:dashboard"))
    assert response.context["hours_per_person"] == 3.0  # 6 hours over pmo and member
    assert response.context["certification"]["rate"] == 100.0
    assert 'data-testid="training-hours">3.0' in response.content.decode()


def test_dashboard_shows_whether_managers_drive_the_culture_and_people_take_part(
    pmo, pmo_user, member_user
):
    unit = member_user.person.org_unit
    from pmo.core.services import orgunit_save

    orgunit_save(code=unit.code, name=unit.name, unit=unit, head=pmo_user.person)
    SessionFactory(speaker=pmo_user.person, status="held",
                   starts_at=timezone.now() - dt.timedelta(days=3))  # fmt: skip
    campaign = launched_campaign(pmo_user, [unit], quiz=False)
    services.campaign_acknowledge(campaign=campaign, person=member_user.person, actor=member_user)
    response = pmo.get(reverse("culture:dashboard"))
    lead = response.context["leadership"]
    assert (lead["heads"], lead["talks_by_heads"], lead["heads_speaking"]) == (1, 1, 1)
    assert response.context["participation_rate"] == 50.0  # member of pmo and member
    assert "unit heads" in response.content.decode()
