"""Fixtures of the evaluation tests: a published scheme version (two dimensions, two
scored criteria and one computed from SPI, bands A/B/C), an open cycle on it with the
``project`` of the role fixtures in scope, and a second expert reviewer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation import services
from evaluation.models import Criterion
from pmo.core import roles
from pmo.core.services import project_summary_update
from tests.conftest import _person_user


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def make_version(actor, *, threshold="1.5", aggregation="mean", panel_size=2, **scope):
    scheme = services.scheme_create(
        code="T-EVAL", name="测试评价", name_en="Test evaluation", actor=actor
    )
    version = scheme.versions.get()
    services.version_update(
        version=version,
        actor=actor,
        disagreement_threshold=Decimal(threshold),
        aggregation=aggregation,
        panel_size=panel_size,
        **scope,
    )
    process = services.dimension_save(
        version=version,
        actor=actor,
        code="PROC",
        name="过程",
        name_en="Process",
        weight=Decimal(60),
        sort_order=1,
    )
    results = services.dimension_save(
        version=version,
        actor=actor,
        code="RES",
        name="结果",
        name_en="Results",
        weight=Decimal(40),
        sort_order=2,
    )
    services.criterion_save(
        dimension=process,
        actor=actor,
        code="R1",
        name="风险管理",
        name_en="Risk management",
        weight=Decimal(50),
        rubric_1="无",
        rubric_3="有",
        rubric_5="优",
    )
    services.criterion_save(
        dimension=process,
        actor=actor,
        code="C1",
        name="沟通",
        name_en="Communication",
        weight=Decimal(50),
    )
    services.criterion_save(
        dimension=results,
        actor=actor,
        code="SPI",
        name="进度绩效",
        name_en="Schedule performance",
        weight=Decimal(100),
        method=Criterion.Method.COMPUTED,
        metric_key="spi",
        value_at_1=Decimal("0.8"),
        value_at_5=Decimal("1.0"),
    )
    for code, name, name_en, lower in (
        ("A", "优秀", "Excellent", 80),
        ("B", "良好", "Good", 60),
        ("C", "合格", "Pass", 0),
    ):
        services.band_save(
            version=version,
            actor=actor,
            code=code,
            name=name,
            name_en=name_en,
            min_score=Decimal(lower),
        )
    return services.version_publish(version=version, actor=actor)


@pytest.fixture
def version(pmo_user):
    return make_version(pmo_user)


@pytest.fixture
def expert2_user(db):
    return _person_user("expert2", roles.REVIEWER)


@pytest.fixture
def cycle(version, project, pmo_user):
    """An open cycle whose only project is ``project`` (SPI 0.9 → computed score 3)."""
    project_summary_update(project=project, spi=Decimal("0.9"))
    today = timezone.localdate()
    cycle = services.cycle_create(
        version=version,
        code="2026H1",
        name="2026上半年",
        name_en="2026 H1",
        period_start=today - dt.timedelta(days=180),
        period_end=today - dt.timedelta(days=1),
        self_assessment_due=today + dt.timedelta(days=7),
        review_due=today + dt.timedelta(days=21),
        chair=pmo_user,
        actor=pmo_user,
    )
    return services.cycle_open(cycle=cycle, actor=pmo_user)


@pytest.fixture
def evaluation(cycle, project):
    return cycle.evaluations.get(project=project)


def scored(evaluation):
    return {
        c.code: c for c in Criterion.objects.filter(dimension__version=evaluation.cycle.version)
    }


def submit_self(evaluation, pm_user, r1=4, c1=3):
    c = scored(evaluation)
    return services.self_assessment_save(
        evaluation=evaluation,
        scores={c["R1"].pk: (r1, "周报"), c["C1"].pk: (c1, "会议纪要")},
        summary="按计划推进。",
        submit=True,
        actor=pm_user,
    )


def expert_scores(evaluation, expert, r1, c1, submit=True):
    c = scored(evaluation)
    assignment = evaluation.panel.get(reviewer=expert)
    return services.expert_scores_save(
        assignment=assignment,
        scores={c["R1"].pk: (r1, ""), c["C1"].pk: (c1, "")},
        submit=submit,
        actor=expert,
    )


@pytest.fixture
def reviewed(evaluation, pm_user, pmo_user, reviewer_user, expert2_user):
    """Self-assessed; two experts submitted: R1 2 and 5 (spread 3 > 1.5: flagged), C1 3 and 4."""
    submit_self(evaluation, pm_user)
    services.panel_assign(evaluation=evaluation, reviewer=reviewer_user, actor=pmo_user)
    services.panel_assign(evaluation=evaluation, reviewer=expert2_user, actor=pmo_user)
    expert_scores(evaluation, reviewer_user, 2, 3)
    expert_scores(evaluation, expert2_user, 5, 4)
    evaluation.refresh_from_db()
    return evaluation


@pytest.fixture
def published(reviewed, pmo_user):
    result = reviewed.results.get(criterion__code="R1")
    services.result_calibrate(
        result=result, score=Decimal("4"), note="取材料支持的分数", actor=pmo_user
    )
    services.evaluation_finalise(
        evaluation=reviewed, rationale="风险管理良好，沟通一般。", actor=pmo_user
    )
    services.cycle_publish(cycle=reviewed.cycle, actor=pmo_user)
    reviewed.refresh_from_db()
    return reviewed


@pytest.fixture
def client_for(client_for):
    """Clients of the role fixtures whose pages come back in English."""

    def make(role: str):
        client = client_for(role)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
