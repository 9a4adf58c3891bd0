"""The services of evaluation: scheme rules, the cycle from opening to appeal, conflict
of interest, calibration, improvement actions and the training needs for talent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluation import selectors, services
from evaluation.models import Appeal, Cycle, Evaluation, ImprovementAction, SchemeVersion
from pmo.core.models import Project
from tests.core.factories import ProjectMemberFactory
from tests.evaluation.conftest import expert_scores, scored, submit_self

pytestmark = pytest.mark.django_db


def test_a_version_with_weights_not_adding_up_cannot_be_published(pmo_user, english):
    scheme = services.scheme_create(code="X", name="X", actor=pmo_user)
    version = scheme.versions.get()
    dimension = services.dimension_save(
        version=version, actor=pmo_user, code="D", name="D", weight=Decimal(90)
    )
    services.criterion_save(
        dimension=dimension, actor=pmo_user, code="C", name="C", weight=Decimal(80)
    )
    problems = services.version_problems(version)
    assert any("90" in p for p in problems)
    assert any("80" in p for p in problems)
    assert any("grade band" in p for p in problems)
    with pytest.raises(ValidationError):
        services.version_publish(version=version, actor=pmo_user)
    version.refresh_from_db()
    assert version.status == SchemeVersion.Status.DRAFT


def test_a_published_version_is_frozen_and_a_copy_carries_its_content(version, pmo_user):
    with pytest.raises(ValidationError):
        services.dimension_save(
            version=version, actor=pmo_user, code="N", name="N", weight=Decimal(1)
        )
    copy = services.version_copy(version=version, actor=pmo_user, change_note="范围调整")
    assert copy.number == 2 and copy.is_draft
    assert copy.dimensions.count() == 2
    assert sorted(c.code for d in copy.dimensions.all() for c in d.criteria.all()) == [
        "C1",
        "R1",
        "SPI",
    ]
    assert copy.bands.count() == 3
    assert services.version_problems(copy) == []


def test_a_computed_criterion_needs_a_known_metric_and_two_different_values(pmo_user):
    scheme = services.scheme_create(code="Y", name="Y", actor=pmo_user)
    dimension = services.dimension_save(
        version=scheme.versions.get(), actor=pmo_user, code="D", name="D", weight=Decimal(100)
    )
    with pytest.raises(ValidationError) as error:
        services.criterion_save(
            dimension=dimension,
            actor=pmo_user,
            code="M",
            name="M",
            weight=Decimal(100),
            method="computed",
            metric_key="nope",
            value_at_1=Decimal(1),
            value_at_5=Decimal(1),
        )
    assert set(error.value.error_dict) == {"metric_key", "value_at_5"}


def test_only_the_pmo_builds_schemes(pm_user):
    with pytest.raises(PermissionDenied):
        services.scheme_create(code="Z", name="Z", actor=pm_user)


def test_presets_install_once_with_weights_that_add_up(pmo_user):
    post = services.preset_install(key="post_evaluation", actor=pmo_user)
    again = services.preset_install(key="post_evaluation", actor=pmo_user)
    assert post.pk == again.pk and post.versions.count() == 1
    version = post.versions.get()
    assert version.status == SchemeVersion.Status.PUBLISHED
    assert [b.code for b in version.bands.all()] == ["A", "B", "C", "D", "E"]
    p3m3 = services.preset_install(key="p3m3", actor=pmo_user).versions.get()
    assert p3m3.dimensions.count() == 7
    assert [b.min_score for b in p3m3.bands.all()][-1] == 0


def test_opening_a_cycle_fills_computed_criteria_with_their_source(english, evaluation):
    spi = evaluation.results.get(criterion__code="SPI")
    assert spi.metric_value == Decimal("0.900")
    assert spi.final_score == Decimal("3.00")
    assert "status report" in spi.metric_source
    assert evaluation.status == Evaluation.Status.SELF_ASSESSMENT
    assert evaluation.manager_id == evaluation.project.manager_id


def test_a_cycle_needs_a_published_version(version, pmo_user):
    draft = services.version_copy(version=version, actor=pmo_user)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.cycle_create(
            version=draft,
            code="D",
            name="D",
            period_start=today,
            period_end=today,
            self_assessment_due=today,
            review_due=today,
            actor=pmo_user,
        )


def test_submitting_a_self_assessment_needs_every_scored_criterion(evaluation, pm_user):
    c = scored(evaluation)
    with pytest.raises(ValidationError):
        services.self_assessment_save(
            evaluation=evaluation,
            scores={c["R1"].pk: (4, "")},
            summary="x",
            submit=True,
            actor=pm_user,
        )
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SELF_ASSESSMENT


def test_only_the_projects_manager_writes_the_self_assessment(evaluation, other_pm_user):
    with pytest.raises(PermissionDenied):
        submit_self(evaluation, other_pm_user)


def test_conflicts_of_interest_are_refused_with_the_reason(
    evaluation, pmo_user, reviewer_user, member_user, project, english
):
    ProjectMemberFactory(project=project, person=reviewer_user.person)
    reason = services.conflict_reason(evaluation=evaluation, reviewer=reviewer_user)
    assert "member" in reason
    with pytest.raises(ValidationError) as error:
        services.panel_assign(evaluation=evaluation, reviewer=reviewer_user, actor=pmo_user)
    assert "member of the evaluated project" in str(error.value)
    assert "not an expert" in services.conflict_reason(evaluation=evaluation, reviewer=member_user)


def test_same_unit_experts_are_excluded_when_the_scheme_says_so(
    pmo_user, project, reviewer_user, english
):
    from tests.evaluation.conftest import make_version

    version = make_version(pmo_user, exclude_same_unit=True)
    reviewer_user.person.org_unit = project.org_unit
    reviewer_user.person.save()
    today = timezone.localdate()
    cycle = services.cycle_create(
        version=version,
        code="U",
        name="U",
        period_start=today,
        period_end=today,
        self_assessment_due=today,
        review_due=today,
        actor=pmo_user,
    )
    services.cycle_open(cycle=cycle, actor=pmo_user)
    evaluation = cycle.evaluations.get(project=project)
    assert "unit" in services.conflict_reason(evaluation=evaluation, reviewer=reviewer_user)


def test_experts_score_independently_then_the_spread_is_flagged(reviewed, reviewer_user):
    r1 = reviewed.results.get(criterion__code="R1")
    c1 = reviewed.results.get(criterion__code="C1")
    assert r1.expert_score == Decimal("3.50") and r1.spread == Decimal("3.0") and r1.flagged
    assert c1.expert_score == Decimal("3.50") and not c1.flagged
    with pytest.raises(ValidationError):
        expert_scores(reviewed, reviewer_user, 3, 3)  # submitted scores are final


def test_a_result_needs_calibration_of_flagged_disagreements(reviewed, pmo_user, pm_user):
    with pytest.raises(ValidationError):
        services.evaluation_finalise(evaluation=reviewed, rationale="x", actor=pmo_user)
    result = reviewed.results.get(criterion__code="R1")
    with pytest.raises(PermissionDenied):
        services.result_calibrate(result=result, score=Decimal(4), note="x", actor=pm_user)
    with pytest.raises(ValidationError):
        services.result_calibrate(result=result, score=Decimal(4), note=" ", actor=pmo_user)
    services.result_calibrate(result=result, score=Decimal(4), note="依据验收材料", actor=pmo_user)
    evaluation = services.evaluation_finalise(evaluation=reviewed, rationale="理由", actor=pmo_user)
    # Process = mean(4, 3.5) = 3.75; results = SPI 3 → 0.6 × 3.75 + 0.4 × 3 = 3.45 → 69.0 → B.
    assert evaluation.score == Decimal("69.0")
    assert evaluation.grade == "B"
    assert evaluation.coverage == Decimal("100.0")


def test_publishing_writes_the_project_summary_and_opens_the_appeal_window(published, project):
    project = Project.objects.get(pk=project.pk)
    assert project.evaluation_grade == "B"
    assert project.evaluation_score == Decimal("69.0")
    assert published.status == Evaluation.Status.PUBLISHED
    assert published.appeal_until == timezone.localdate() + dt.timedelta(days=10)
    assert published.cycle.status == Cycle.Status.PUBLISHED


def test_publishing_refuses_unfinished_evaluations(reviewed, pmo_user):
    with pytest.raises(ValidationError):
        services.cycle_publish(cycle=reviewed.cycle, actor=pmo_user)


def test_the_manager_appeals_once_within_the_window(
    published, pm_user, other_pm_user, pmo_user, project
):
    with pytest.raises(PermissionDenied):
        services.appeal_submit(evaluation=published, reason="x", actor=other_pm_user)
    late = published.appeal_until + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.appeal_submit(evaluation=published, reason="x", actor=pm_user, today=late)
    appeal = services.appeal_submit(evaluation=published, reason="供应商延误已获批", actor=pm_user)
    with pytest.raises(ValidationError):
        services.appeal_submit(evaluation=published, reason="again", actor=pm_user)
    with pytest.raises(ValidationError):
        services.cycle_close(cycle=published.cycle, actor=pmo_user)
    services.appeal_decide(
        appeal=appeal, upheld=True, note="进度扣分撤销", new_score=Decimal("81"), actor=pmo_user
    )
    appeal.refresh_from_db()
    published.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD
    assert (appeal.previous_grade, appeal.previous_score) == ("B", Decimal("69.0"))
    assert (published.grade, published.score) == ("A", Decimal("81.0"))
    assert Project.objects.get(pk=project.pk).evaluation_grade == "A"
    services.cycle_close(cycle=published.cycle, actor=pmo_user)


def test_an_upheld_appeal_needs_a_new_score(published, pm_user, pmo_user):
    appeal = services.appeal_submit(evaluation=published, reason="x", actor=pm_user)
    with pytest.raises(ValidationError):
        services.appeal_decide(appeal=appeal, upheld=True, note="ok", actor=pmo_user)


def action(pmo_user, **extra):
    fields = {
        "title": "周报提醒",
        "measure": "周报及时率",
        "unit": "%",
        "baseline": Decimal(70),
        "target": Decimal(90),
        "target_date": timezone.localdate() + dt.timedelta(days=30),
        "owner": pmo_user.person,
    }
    return services.action_save(actor=pmo_user, **{**fields, **extra})


def test_an_action_with_a_target_equal_to_its_baseline_is_refused(pmo_user):
    with pytest.raises(ValidationError):
        action(pmo_user, target=Decimal(70))
    assert not ImprovementAction.objects.exists()


def test_follow_up_checks_and_measuring_from_the_data(pmo_user, pm_user, project):
    item = action(pmo_user, metric_key="spi", baseline=Decimal("0.8"), target=Decimal("1.0"))
    Project.objects.filter(pk=project.pk).update(spi=Decimal("0.95"))
    check = services.action_measure(action=item, actor=pmo_user)
    assert check.measured and check.value == Decimal("0.95")
    with pytest.raises(PermissionDenied):
        services.action_check_record(
            action=item, checked_on=timezone.localdate(), value=1, actor=pm_user
        )


def test_training_needs_list_open_actions_asking_for_training(pmo_user):
    with pytest.raises(ValidationError):
        action(pmo_user, needs_training=True)
    needed = action(pmo_user, needs_training=True, training_topic="风险管理")
    action(pmo_user, title="不需要培训")
    rows = selectors.training_needs(year=timezone.localdate().year)
    assert [r["id"] for r in rows] == [needed.pk]
    assert rows[0]["topic"] == "风险管理" and rows[0]["url"] == needed.get_absolute_url()


def test_an_action_raises_a_linked_standards_change_request(pmo_user):
    from tests.standards.factories import published_methodology

    version = published_methodology(None)
    item = action(pmo_user)
    request = services.action_raise_change(
        action=item, methodology=version.methodology, actor=pmo_user
    )
    item.refresh_from_db()
    assert item.change_request == request
    assert request.source == "evaluation" and request.source_reference == f"IA-{item.pk}"
