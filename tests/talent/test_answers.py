"""Each 核心关注 question of section 5 (and the training row of section 4) is answered
by a page; these tests read the answer on that page."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from pmo.core.registry import ProjectMetric, registry
from talent import services
from talent.models import Appraisal
from tests.core.factories import PersonFactory, ProjectFactory, ProjectMemberFactory


def in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(client, name, *args):
    response = in_english(client).get(reverse(f"talent:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_selection_page_shows_the_level_standards_and_each_candidates_gaps(
    client_for, world, english
):
    html = page(client_for("pmo"), "selection_detail", world.selection.pk)
    assert "Selection standards of" in html
    assert "2 projects managed" in html
    assert "Projects managed: 0, 2 needed" in html
    assert "A valid certificate: one of IPMP / PMP" in html


def test_training_page_shows_feedback_and_effectiveness_per_course(client_for, world, english):
    services.feedback_record(enrolment=world.enrolment, feedback_rating=4, effectiveness_rating=3)
    html = page(client_for("pmo"), "training")
    assert "Do the courses meet the need?" in html
    row = html[html.index("PMS-101") :]
    assert "4.0" in row[:600] and "3.0" in row[:600]


def test_appraisal_round_shows_kpis_from_the_data_and_the_manager_rating(
    client_for, world, pmo_user, english
):
    world.project.evaluation_score = Decimal(81)
    world.project.stage = "active"
    world.project.save()
    services.appraisal_kpis_compute(round=world.appraisal_round, actor=pmo_user)
    mine = world.appraisal_round.appraisals.get(person=world.pm)
    assert mine.kpi_detail[0]["value"] == 81.0 and mine.kpi_detail[0]["points"] == 90.0
    services.appraisal_rate(appraisal=mine, manager_rating=4, actor=pmo_user)
    mine.refresh_from_db()
    assert mine.total_score == Decimal("87.0") and mine.grade == "B"
    html = page(client_for("pmo"), "appraisal_round", world.appraisal_round.pk)
    assert "Evaluation score (0–100): 81.00 → 90" in html


def test_calibration_records_incentives_and_constraints(client_for, world, pmo_user, english):
    for a in world.appraisal_round.appraisals.all():
        services.appraisal_rate(appraisal=a, manager_rating=3, actor=pmo_user)
    services.appraisal_round_advance(round=world.appraisal_round, actor=pmo_user)
    services.appraisal_calibrate(
        appraisal=world.appraisal,
        calibrated_grade="B",
        calibration_note="Cross-unit calibration",
        consequence=Appraisal.Consequence.BONUS,
        consequence_note="Bonus +10%",
        actor=pmo_user,
    )
    html = page(client_for("pmo"), "appraisal_round", world.appraisal_round.pk)
    assert "Incentives and constraints" in html
    assert "Performance bonus" in html and "Bonus +10%" in html
    assert "Cross-unit calibration" in html


def test_home_shows_the_promotion_pipeline_and_the_profile_names_gaps(
    client_for, world, model, pmo_user, english
):
    html = page(client_for("pmo"), "home")
    assert "Promotion pipeline" in html
    html = page(client_for("pm"), "profile", world.pm.pk)
    assert "Risk management: proficiency —, 3 needed" in html
    assert "Projects managed: 1, 2 needed" in html


def test_team_page_shows_gaps_and_over_staffing_against_the_design(client_for, world, english):
    dev = world.position.role
    for _i in range(3):
        ProjectMemberFactory(project=world.project, person=PersonFactory(role=dev))
    html = page(client_for("pm"), "project_team", world.project.pk)
    assert "0 unfilled, 1 over" not in html  # the PM position (no role) stays empty
    assert "1 unfilled, 1 over" in html
    assert "Skills matrix" in html


def test_team_survey_answers_show_collaboration_index(client_for, world, pm_user, english):
    services.team_survey_respond(
        project=world.project, respondent=pm_user.person, collaboration=2, clarity=3, workload=4
    )
    html = page(client_for("pm"), "project_team", world.project.pk)
    # member 4/3/3 and pm 2/3/4 → means 3.0 / 3.0 / 3.5, index 63
    assert ">3.5<" in html and ">63<" in html


def test_team_page_shows_execution_indicators_from_registered_metrics(
    client_for, world, english, monkeypatch
):
    metric = ProjectMetric(
        key="test_throughput",
        label="Milestones completed",
        compute="tests.talent.test_answers.two_per_project",
    )
    monkeypatch.setitem(registry.metrics, metric.key, metric)
    html = page(client_for("pm"), "project_team", world.project.pk)
    assert "Milestones completed" in html and "2.00" in html


def two_per_project(project_ids, start, end):
    return dict.fromkeys(project_ids, 2.0)


def test_matching_ranks_pms_with_explanations_and_gap_counts_demand_by_level(
    client_for, world, model, english
):
    new = ProjectFactory(stage="proposed", budget=Decimal(5_000_000), classification="key")
    client = in_english(client_for("pmo"))
    html = client.get(reverse("talent:matching") + f"?project={new.pk}").content.decode()
    assert "Its size and complexity call for a <strong>Project manager</strong>" in html
    assert "for a project that needs level Project manager" in html
    html = page(client, "gap")
    assert new.code in html and "0.75" in html


def test_recruitment_pipeline_counts_candidates_per_stage(client_for, world, pmo_user, english):
    services.candidate_move(candidate=world.applicant, stage="screened", actor=pmo_user)
    services.candidate_add(
        vacancy=world.vacancy, name="李四", applied_on=world.applicant.applied_on, actor=pmo_user
    )
    html = page(client_for("pmo"), "recruitment_plan", world.rplan.pk)
    assert 'data-testid="count-applied">Applied: <strong>2</strong>' in html
    assert 'data-testid="count-screened">Screened: <strong>1</strong>' in html


def test_onboarding_shows_mentor_and_check_ins(client_for, world, pm_user, english):
    services.onboarding_checkin_add(
        onboarding=world.onboarding,
        held_on=world.onboarding.starts_on + dt.timedelta(days=14),
        progress=4,
        note="Runs the weekly report alone",
        actor=pm_user,
    )
    html = page(client_for("pmo"), "recruitment")
    assert "Runs the weekly report alone" in html and world.pm.label in html


def test_adoption_tile_shows_pm_system_training_coverage_per_unit(client_for, world, english):
    html = page(client_for("executive"), "adoption_tile")
    # pm attended the PM-system course (8 h); other_pm did not.
    assert "1 of 2 PMs of the pool had PM-system training" in html
    assert "4.0 h per PM" in html
    response = in_english(client_for("executive")).get(reverse("standards:adoption"))
    assert 'data-testid="widget-talent-loading"' in response.content.decode()


def test_long_lists_offer_a_bounded_choice_narrowed_by_search(client_for, world, english):
    from talent.forms import CandidateForm, MatchForm

    projects = ProjectFactory.create_batch(MatchForm.CHOICES + 3, stage="proposed")
    oldest = projects[0]
    form = MatchForm({})
    offered = [value for value, _label in form.fields["project"].widget.choices if value]
    assert len(offered) == MatchForm.CHOICES and oldest.pk not in offered
    form = MatchForm({"q": oldest.code})
    assert [v for v, _ in form.fields["project"].widget.choices if v] == [oldest.pk]
    # A project outside the offered ones is still accepted and matched.
    client = in_english(client_for("pmo"))
    html = client.get(reverse("talent:matching") + f"?project={oldest.pk}").content.decode()
    assert f'value="{oldest.pk}" selected' in html
    assert 'data-testid="suggestions"' in html

    person = PersonFactory(name="独一无二")
    form = CandidateForm(query="独一无二")
    assert [v for v, _ in form.fields["person"].widget.choices if v] == [person.pk]
    html = client.get(
        reverse("talent:selection_detail", args=[world.selection.pk]) + "?q=独一无二"
    ).content.decode()
    assert f'<option value="{person.pk}">' in html
