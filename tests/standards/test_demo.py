"""The standards demo: complete, coherent, idempotent; compliance differs by unit."""

import datetime as dt

import pytest
from django.db import transaction

from pmo.core.demo import seed_core
from standards import demo as standards_demo
from standards.models import (
    ChangeRequest,
    DeliverableRecord,
    DocumentTemplate,
    Methodology,
    MethodologyVersion,
    ProjectMethodology,
    Suggestion,
    TailoringRequest,
    TemplateRevision,
    ToolEvaluation,
)
from standards.selectors.compliance import compliance_overview
from standards.selectors.library import review_findings, version_content, version_diff

TODAY = dt.date(2026, 3, 16)
MODELS = (
    Methodology,
    MethodologyVersion,
    DocumentTemplate,
    TemplateRevision,
    ProjectMethodology,
    DeliverableRecord,
    TailoringRequest,
    ChangeRequest,
    Suggestion,
    ToolEvaluation,
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo = seed_core(today=TODAY, log=lambda line: None)
        standards_demo.seed(demo)
        yield demo
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_every_demo_project_type_has_a_published_methodology(demo):
    for code in demo.project_types:
        methodology = Methodology.objects.get(project_type__code=code)
        assert methodology.versions.filter(status="published").count() == 1
    assert all(t.current_id for t in DocumentTemplate.objects.all())


def test_version_two_of_the_it_methodology_is_in_review_with_differences(demo):
    v1, v2 = MethodologyVersion.objects.filter(methodology__code="M-IT").order_by("number")
    assert (v1.status, v2.status) == ("published", "review")
    found = {(c.kind, c.key, c.action) for c in version_diff(v1, v2)}
    assert {
        ("process", "P-AGILE", "added"),
        ("deliverable", "D-GOLIVE", "removed"),
        ("gate", "G2", "changed"),
    } <= found
    kinds = {f.kind for f in review_findings(version_content(v2))}
    assert kinds == {"duplicate", "no_step_owner"}
    assert not review_findings(version_content(v1))


def test_compliance_rates_differ_by_unit(demo):
    from pmo.core.models import Project

    overview = compliance_overview(Project.objects.all(), TODAY)
    rates = {g.key.code: g.rate for g in overview.by_unit if g.rate is not None}
    assert len(rates) >= 5
    assert max(rates.values()) - min(rates.values()) > 25
    assert len(overview.unassigned) == 3
    assert 0 < overview.tally.missing < overview.tally.due


def test_the_showcase_project_has_files_and_tailoring_is_pending_and_approved(demo):
    erp = demo.projects["HC-PRJ-001"]
    assert DeliverableRecord.objects.filter(project=erp).exclude(file="").exists()
    assert set(TailoringRequest.objects.values_list("status", flat=True)) == {"approved", "pending"}
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == {
        "submitted",
        "accepted",
        "deferred",
        "rejected",
    }
    evaluation = ToolEvaluation.objects.get()
    assert (evaluation.status, evaluation.evaluators.count()) == ("decided", 2)


def test_a_second_run_writes_nothing(demo):
    before = {m.__name__: m.objects.count() for m in MODELS}
    standards_demo.seed(demo)
    assert {m.__name__: m.objects.count() for m in MODELS} == before
