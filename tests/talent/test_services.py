"""The services: validation, permissions, idempotence and what each write implies."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pmo.core.models import Notification
from pmo.core.registry import ProjectMetric, registry
from talent import services
from talent.models import Course, TalentProfile, TrainingPlanItem
from talent.services import plans
from tests.core.factories import PersonFactory, ProjectFactory


def test_certificate_reminders_go_to_holder_and_line_manager_once(world, pm_user, today):
    other_cert = services.certificate_add(
        person=world.other,
        certification=world.certification,
        issued_on=today - dt.timedelta(days=100),
        expires_on=today + dt.timedelta(days=10),
    )
    assert services.certificate_reminders_send(today=today) == 2
    # other_pm and their line manager pm; pm has no line manager.
    assert Notification.objects.filter(recipient=pm_user).count() == 2
    assert services.certificate_reminders_send(today=today) == 0
    services.certificate_update(
        certificate=other_cert,
        issued_on=other_cert.issued_on,
        expires_on=today + dt.timedelta(days=800),
    )
    other_cert.refresh_from_db()
    assert other_cert.reminded_on is None


def test_the_beat_schedule_is_created_once(db):
    """Run the data migration's function again (a browser test may have flushed its rows)."""
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("talent.migrations.0002_certificate_reminder_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.get(name=migration.NAME)
    assert task.task == "talent.tasks.send_certificate_reminders"
    assert task.crontab.hour == "7" and task.crontab.minute == "30"


def test_the_task_sends_the_reminders(world):
    from talent import tasks

    assert tasks.send_certificate_reminders() == 1
    assert tasks.send_certificate_reminders() == 0


def test_a_person_is_not_their_own_line_manager(model, pmo_user):
    person = PersonFactory()
    with pytest.raises(ValidationError):
        services.profile_save(person=person, line_manager=person, actor=pmo_user)


def test_only_the_pmo_keeps_the_ladder(model, pm_user):
    with pytest.raises(PermissionDenied):
        services.level_save(code="X", rank=9, name="X", actor=pm_user)


def test_a_pm_may_not_give_their_own_manager_assessment(pool, model, pm_user):
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            person=pm_user.person,
            kind="manager",
            ratings={model.competencies[0]: 5},
            actor=pm_user,
        )
    rows = services.assessment_record(
        person=pm_user.person.talent_reports.first().person,
        kind="manager",
        ratings={model.competencies[0]: 3},
        actor=pm_user,
    )
    assert rows[0].assessor == pm_user


def test_candidates_move_one_stage_at_a_time_and_hiring_fills_the_vacancy(world, pmo_user):
    with pytest.raises(ValidationError):
        services.candidate_move(candidate=world.applicant, stage="offer", actor=pmo_user)
    for stage in ("screened", "interviewed", "offer", "hired"):
        services.candidate_move(
            candidate=world.applicant, stage=stage, person=world.other, actor=pmo_user
        )
    world.vacancy.refresh_from_db()
    assert world.vacancy.status == "filled"
    assert world.applicant.person == world.other
    with pytest.raises(ValidationError):
        services.candidate_move(candidate=world.applicant, stage="rejected", actor=pmo_user)


def test_selecting_a_candidate_moves_them_to_the_level(world, pmo_user):
    with pytest.raises(ValidationError) as error:
        services.selection_candidate_decide(
            candidate=world.candidate, decision="not_selected", actor=pmo_user
        )
    assert "decision_note" in error.value.error_dict
    services.selection_candidate_decide(
        candidate=world.candidate, decision="selected", panel_score=Decimal(85), actor=pmo_user
    )
    assert TalentProfile.objects.get(person=world.other).level == world.selection.level
    services.selection_round_close(round=world.selection, actor=pmo_user)


def test_scheme_weights_add_up_to_100_and_name_known_measures(db, pmo_user):
    with pytest.raises(ValidationError):
        services.appraisal_scheme_save(
            code="S",
            name="S",
            kpis={"evaluation_score": (Decimal(60), Decimal(90))},
            actor=pmo_user,
        )
    with pytest.raises(ValidationError):
        services.appraisal_scheme_save(
            code="S", name="S", kpis={"nope": (Decimal(100), Decimal(1))}, actor=pmo_user
        )


def half_per_project(project_ids, start, end):
    return dict.fromkeys(project_ids, 0.5)


def test_appraisal_kpis_read_a_registered_metric(pool, pmo_user, pm_user, monkeypatch, today):
    metric = ProjectMetric(
        key="test_on_time",
        label="On-time milestones",
        compute="tests.talent.test_services.half_per_project",
    )
    monkeypatch.setitem(registry.metrics, metric.key, metric)
    ProjectFactory(manager=pm_user.person, planned_start=today - dt.timedelta(days=30))
    scheme = services.appraisal_scheme_save(
        code="S",
        name="S",
        kpis={"test_on_time": (Decimal(100), Decimal("0.8"))},
        actor=pmo_user,
    )
    round = services.appraisal_round_open(
        scheme=scheme,
        title="R",
        period_start=today - dt.timedelta(days=90),
        period_end=today,
        actor=pmo_user,
    )
    mine = round.appraisals.get(person=pm_user.person)
    assert mine.kpi_detail[0]["value"] == 0.5
    assert mine.kpi_score == Decimal("62.5")
    other = round.appraisals.exclude(person=pm_user.person).get()
    assert other.kpi_score is None and other.kpi_detail[0]["projects"] == 0


def test_the_training_plan_lists_gaps_and_evaluation_needs(
    pool, model, pmo_user, monkeypatch, today
):
    monkeypatch.setattr(
        plans,
        "evaluation_training_needs",
        lambda year: [
            {"id": 7, "title": "风险识别不足", "topic": "风险管理", "url": "/evaluation/x/"}
        ],
    )
    course = services.course_save(
        code="R1",
        name="风险管理实务",
        category=Course.Category.METHODOLOGY,
        hours=Decimal(8),
        competencies=[model.competencies[1]],
        actor=pmo_user,
    )
    plan = services.training_plan_generate(year=today.year, actor=pmo_user)
    gaps = plan.items.filter(source=TrainingPlanItem.Source.GAP)
    # both PMs at level 1 lack all four competencies level 2 asks for.
    assert gaps.count() == 4 and {i.people_count for i in gaps} == {2}
    assert gaps.get(competency=model.competencies[1]).course == course
    need = plan.items.get(source=TrainingPlanItem.Source.EVALUATION)
    assert need.topic == "风险管理 · 风险识别不足" and need.source_url == "/evaluation/x/"
    services.training_plan_item_add(plan=plan, topic="Manual", actor=pmo_user)
    plan = services.training_plan_generate(year=today.year, actor=pmo_user)
    assert plan.items.count() == 6
    services.training_plan_approve(plan=plan, actor=pmo_user)
    with pytest.raises(ValidationError):
        services.training_plan_generate(year=today.year, actor=pmo_user)


def test_enrolment_respects_capacity(db, pmo_user, today):
    from tests.talent.factories import SessionFactory

    session = SessionFactory(capacity=1)
    services.enrolment_create(session=session, person=PersonFactory(), actor=pmo_user)
    with pytest.raises(ValidationError):
        services.enrolment_create(session=session, person=PersonFactory(), actor=pmo_user)


def test_a_position_cannot_report_to_itself(world, pmo_user):
    lead = world.position.reports_to
    with pytest.raises(ValidationError):
        services.team_position_save(
            project=world.project,
            title=lead.title,
            reports_to=world.position,
            position=lead,
            actor=pmo_user,
        )


def test_bad_input_comes_back_with_what_was_typed(client_for, model, english):
    client = client_for("pmo")
    response = client.post(
        reverse("talent:course_create"),
        {
            "code": "NEW-1",
            "name": "新课程",
            "category": "pm_system",
            "delivery": "internal",
            "hours": "abc",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="NEW-1"' in html and "errorlist" in html
    assert not Course.objects.filter(code="NEW-1").exists()
    response = client.post(
        reverse("talent:level_create"), {"code": "PM", "rank": "5", "name": "重复"}
    )
    assert response.status_code == 422


def test_pool_filter_answers_htmx_with_the_table_only(client_for, world):
    client = client_for("pmo")
    response = client.get(reverse("talent:pool") + "?certificate=PMP", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="pool-table">')
    assert world.pm.label in html and world.other.label not in html
