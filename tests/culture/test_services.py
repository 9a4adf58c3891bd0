"""The culture services: campaigns, surveys that identify nobody, sessions with their
materials in the knowledge base, improvement ideas, the programme and recognition."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from culture import insights, selectors, services
from culture.models import (
    Attendance,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
)
from pmo.core.models import Notification
from tests.core.factories import OrgUnitFactory, PersonFactory, RoleFactory, UserFactory
from tests.culture.factories import (
    ImprovementFactory,
    QuestionFactory,
    RoundFactory,
    SessionFactory,
    SurveyFactory,
    launched_campaign,
    unit_with_people,
)
from tests.talent.factories import CertificationFactory, CourseFactory

pytestmark = pytest.mark.django_db


def _login_person(unit, name="user"):
    user = UserFactory(username=name)
    return user, PersonFactory(user=user, org_unit=unit)


# --- campaigns ----------------------------------------------------------------------


def test_a_campaign_reaches_the_units_below_and_the_chosen_roles_only(pmo_user):
    division = OrgUnitFactory(kind="division")
    department, _people = unit_with_people(2, parent=division)
    pm_role = RoleFactory(code="pm")
    user, manager = _login_person(department, "pm.li")
    manager.role = pm_role
    manager.save()
    elsewhere = PersonFactory(role=pm_role)
    campaign = services.campaign_save(
        actor=pmo_user,
        title="宣贯",
        message="请确认",
        target_units=[division],
        target_roles=[pm_role],
    )
    assert list(services.campaign_audience(campaign)) == [manager]
    services.campaign_launch(campaign=campaign, actor=pmo_user)
    assert list(campaign.recipients.values_list("person_id", flat=True)) == [manager.pk]
    assert not campaign.recipients.filter(person=elsewhere).exists()
    note = Notification.objects.get(recipient=user)
    assert note.url == campaign.get_absolute_url() and note.level == "action"
    with pytest.raises(ValidationError):
        services.campaign_launch(campaign=campaign, actor=pmo_user)
    with pytest.raises(ValidationError):
        services.campaign_save(
            actor=pmo_user, campaign=campaign, title="改", message="…", target_units=[division]
        )


def test_a_quiz_needs_options_and_the_right_number(pmo_user):
    unit = OrgUnitFactory()
    with pytest.raises(ValidationError) as error:
        services.campaign_save(
            actor=pmo_user, title="t", message="m", target_units=[unit],
            quiz_question="?", quiz_options=["只有一个"], quiz_answer=1,
        )  # fmt: skip
    assert "quiz_options" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.campaign_save(
            actor=pmo_user, title="t", message="m", target_units=[unit],
            quiz_question="?", quiz_options=["a", "b"], quiz_answer=3,
        )  # fmt: skip
    assert "quiz_answer" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.campaign_save(actor=pmo_user, title="t", message="m", target_units=[])
    assert "target_units" in error.value.error_dict


def test_acknowledging_records_the_quiz_answer_once(pmo_user, member_user):
    person = member_user.person
    campaign = launched_campaign(pmo_user, [person.org_unit])
    services.campaign_read(campaign=campaign, person=person)
    with pytest.raises(ValidationError):
        services.campaign_acknowledge(campaign=campaign, person=person, actor=member_user)
    recipient = services.campaign_acknowledge(
        campaign=campaign, person=person, actor=member_user, quiz_choice=2
    )
    assert recipient.quiz_correct is False and recipient.acknowledged_at and recipient.read_at
    with pytest.raises(ValidationError):
        services.campaign_acknowledge(
            campaign=campaign, person=person, actor=member_user, quiz_choice=1
        )
    rows, total = selectors.campaign_coverage([campaign.pk])
    assert (total.recipients, total.acknowledged, total.quiz_rate) == (1, 1, 0.0)
    assert rows[0].unit == person.org_unit and rows[0].ack_rate == 100.0


# --- surveys ------------------------------------------------------------------------


@pytest.fixture
def survey_round():
    survey = SurveyFactory(anonymous=True, min_group_size=3)
    QuestionFactory(survey=survey)
    QuestionFactory(survey=survey, kind="text", required=False)
    return RoundFactory(survey=survey)


def test_an_anonymous_answer_keeps_no_link_to_its_author(survey_round, member_user):
    scale, text = survey_round.survey.questions.all()
    response = services.survey_answer(
        survey_round=survey_round, actor=member_user, answers={scale.pk: 4, text.pk: "多分享"}
    )
    response.refresh_from_db()
    assert response.person is None and response.org_unit == member_user.person.org_unit
    assert response.answered_on == timezone.localdate()  # the day, no time
    assert not hasattr(response, "history") and not hasattr(SurveyAnswer, "history")
    assert SurveyParticipation.objects.get().person == member_user.person
    assert {f.name for f in SurveyParticipation._meta.fields} == {"id", "round", "person"}
    with pytest.raises(ValidationError):
        services.survey_answer(survey_round=survey_round, actor=member_user, answers={scale.pk: 5})
    assert SurveyResponse.objects.count() == 1


def test_a_bad_answer_writes_nothing(survey_round, member_user):
    scale = survey_round.survey.questions.first()
    for answers in ({}, {scale.pk: 9}, {scale.pk: "x"}):
        with pytest.raises(ValidationError):
            services.survey_answer(survey_round=survey_round, actor=member_user, answers=answers)
    assert not SurveyParticipation.objects.exists() and not SurveyResponse.objects.exists()
    closed = RoundFactory(
        survey=survey_round.survey,
        opens_on=timezone.localdate() - dt.timedelta(days=30),
        closes_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.survey_answer(survey_round=closed, actor=member_user, answers={scale.pk: 3})


def test_a_named_survey_keeps_the_person_and_anonymity_cannot_be_lifted(pmo_user, member_user):
    survey = SurveyFactory(anonymous=False)
    question = QuestionFactory(survey=survey)
    survey_round = RoundFactory(survey=survey)
    response = services.survey_answer(
        survey_round=survey_round, actor=member_user, answers={question.pk: 3}
    )
    assert response.person == member_user.person
    anonymous = SurveyFactory(anonymous=True)
    q = QuestionFactory(survey=anonymous)
    services.survey_answer(
        survey_round=RoundFactory(survey=anonymous), actor=member_user, answers={q.pk: 3}
    )
    with pytest.raises(ValidationError) as error:
        services.survey_save(actor=pmo_user, survey=anonymous, title="x", anonymous=False)
    assert "anonymous" in error.value.error_dict


def test_results_show_only_groups_of_the_minimum_size(survey_round):
    scale = survey_round.survey.questions.first()
    big, _p = unit_with_people(0)
    small, _q = unit_with_people(0)
    for i, (unit, value) in enumerate([(big, 4), (big, 5), (big, 3), (small, 1)]):
        user, _person = _login_person(unit, f"u{i}")
        services.survey_answer(survey_round=survey_round, actor=user, answers={scale.pk: value})
    _questions, results = selectors.survey_results(survey_round.survey, audience_size=10)
    result = results[0]
    assert result.respondents == 4 and result.response_rate == 40.0
    assert result.overall[scale.pk] == 3.25
    groups = {getattr(g, "unit", None): g for g in result.groups}
    assert groups[big].means == {scale.pk: 4.0}
    assert small not in groups and groups[None].suppressed and groups[None].means == {}


def test_a_round_in_the_future_waits_for_the_daily_invitations(pmo_user, member_user):
    from django_celery_beat.models import PeriodicTask

    survey = SurveyFactory()
    QuestionFactory(survey=survey)
    later = timezone.localdate() + dt.timedelta(days=5)
    survey_round = services.survey_round_add(
        actor=pmo_user, survey=survey, label="下季度", opens_on=later, closes_on=later
    )
    assert survey_round.notified_at is None
    assert PeriodicTask.objects.filter(task="culture.tasks.survey_invitations").count() == 1
    assert services.survey_rounds_due(today=later) == 2  # pmo and member have logins
    assert services.survey_rounds_due(today=later) == 0


# --- sessions -----------------------------------------------------------------------


def test_registration_respects_the_places_and_attendance_holds_the_session(
    pmo_user, member_user, pm_user
):
    session = SessionFactory(speaker=pm_user.person, capacity=1)
    services.session_register(session=session, person=member_user.person, actor=member_user)
    with pytest.raises(ValidationError):
        services.session_register(session=session, person=pmo_user.person, actor=pmo_user)
    walk_in = PersonFactory()
    services.session_attendance_record(
        session=session, attended=[member_user.person, walk_in], actor=pm_user
    )
    session.refresh_from_db()
    assert session.status == "held"
    assert set(Attendance.objects.filter(attended=True).values_list("person_id", flat=True)) == {
        member_user.person.pk,
        walk_in.pk,
    }
    with pytest.raises(ValidationError):
        services.session_feedback(session=session, person=pmo_user.person, rating=5, actor=pmo_user)
    services.session_feedback(
        session=session, person=member_user.person, rating=4, feedback="实用", actor=member_user
    )


def test_materials_are_filed_as_a_published_article(pm_user):
    from knowledge.models import Article

    session = SessionFactory(speaker=pm_user.person)
    services.session_materials_file(
        session=session,
        actor=pm_user,
        title="分享材料",
        body="要点:风险前移。",
        files=[SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    article = Article.objects.get()
    assert session.materials == article and article.title == "分享材料"
    assert article.status == Article.Status.PUBLISHED


# --- improvements -------------------------------------------------------------------


def test_an_improvement_is_voted_and_tracked_to_its_outcome(pmo_user, member_user):
    idea = services.improvement_submit(actor=member_user, title="简化周报", description="减少字段")
    assert idea.org_unit == member_user.person.org_unit
    assert services.improvement_vote(idea=idea, actor=pmo_user) is True
    assert services.improvement_vote(idea=idea, actor=member_user) is True
    assert services.improvement_vote(idea=idea, actor=member_user) is False
    assert idea.votes.count() == 1
    with pytest.raises(ValidationError) as error:
        services.improvement_decide(idea=idea, actor=pmo_user, status="accepted")
    assert "outcome" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.improvement_decide(idea=idea, actor=pmo_user, status="implemented", outcome="x")
    services.improvement_decide(idea=idea, actor=pmo_user, status="accepted", outcome="下月执行")
    services.improvement_decide(idea=idea, actor=pmo_user, status="implemented", outcome="已上线")
    assert Notification.objects.filter(recipient=member_user).count() == 2
    with pytest.raises(ValidationError):
        services.improvement_vote(idea=idea, actor=member_user)


# --- programme ----------------------------------------------------------------------


def _pool(*people):
    from talent import services as talent

    for person in people:
        talent.profile_save(person=person, pool_since=timezone.localdate() - dt.timedelta(days=30))


def test_certification_progress_counts_valid_certificates_of_the_units_managers(pmo_user):
    from talent import services as talent

    today = timezone.localdate()
    division = OrgUnitFactory(kind="division")
    department, managers = unit_with_people(4, parent=division)
    _pool(*managers, PersonFactory())
    pmp = CertificationFactory(code="PMP")
    talent.certificate_add(person=managers[0], certification=pmp, issued_on=today)
    talent.certificate_add(
        person=managers[1],
        certification=pmp,
        issued_on=today - dt.timedelta(days=2000),
        expires_on=today - dt.timedelta(days=1),
    )
    target = services.certification_target_save(
        actor=pmo_user, org_unit=division, codes=["pmp"], target_percent=50, due_on=today
    )
    assert target.codes == ["PMP"]
    (progress,) = insights.certification_progress(today)
    assert (progress.managers, progress.holders, progress.percent) == (4, 1, 25.0)
    assert not progress.met and progress.missing == 1


def test_recognition_counts_sharing_certificates_and_improvements(pmo_user, pm_user, member_user):
    from talent import services as talent

    today = timezone.localdate()
    session = SessionFactory(
        speaker=pm_user.person, starts_at=timezone.now() - dt.timedelta(days=3)
    )
    services.session_attendance_record(
        session=session, attended=[member_user.person], actor=pm_user
    )
    talent.certificate_add(
        person=member_user.person, certification=CertificationFactory(code="PMP"), issued_on=today
    )
    ImprovementFactory(submitted_by=pm_user.person)
    board = insights.leaderboard(today - dt.timedelta(days=30), today)
    by_person = {s.person: s for s in board}
    assert by_person[pm_user.person].points == 20 and "speaker" in by_person[pm_user.person].badges
    assert by_person[member_user.person].points == 2 + 30
    assert board[0].person == member_user.person and board[0].rank == 1


def test_training_hours_per_person_come_from_talent(db):
    from talent import services as talent

    people = [PersonFactory() for _i in range(4)]
    course = CourseFactory(hours=Decimal(8))
    talent.enrolment_create_attended(person=people[0], course=course, on=timezone.localdate())
    per_person, hours = insights.training_per_person(
        timezone.localdate() - dt.timedelta(days=10), timezone.localdate()
    )
    assert hours == {people[0].pk: 8.0}
    assert per_person == 2.0
