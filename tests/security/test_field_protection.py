"""Field-level protection: a project manager (or another non-PMO role) cannot set
approval, decision, score, status-of-review or baseline fields by crafting a POST.

Each test submits the real form as the lower role (the body a browser would send), adds
the protected fields with forged values, and reads the database afterwards. The forms
decide what is accepted on the server: a field a role may not set is not in its form,
or is disabled there, so a forged value is ignored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pmo.core.models import Project, Stage
from tests.security.test_optimistic_locking import open_form

pytestmark = pytest.mark.django_db


def _post(client, url: str, body: dict, forged: dict):
    """Post ``body`` with the forged fields on top; never a server error."""
    data = {**body, **{k: [v] if not isinstance(v, list) else v for k, v in forged.items()}}
    response = client.post(url, data)
    assert response.status_code < 500, response.status_code
    return response


# --- core: the project's master data ------------------------------------------------------


PROJECT_FORGERY = {
    "stage": "closed",
    "health": "red",
    "percent_complete": "99",
    "spend_to_date": "1",
    "last_status_date": "2020-01-01",
    "classification": "general",
    "budget": "1",
}


def test_a_pm_cannot_change_the_approved_baseline_of_their_project(client_for, project):
    project.stage, project.classification, project.budget = Stage.ACTIVE, "major", Decimal(500000)
    project.save()
    client = client_for("pm")
    url = reverse("core:project_edit", args=[project.pk])
    body = open_form(client, url)
    body["name"] = ["智慧工厂一期（更名）"]
    response = _post(client, url, body, PROJECT_FORGERY)
    assert response.status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert stored.name == "智慧工厂一期（更名）"  # what the PM may change, changed
    assert stored.stage == Stage.ACTIVE
    assert stored.classification == "major"
    assert stored.budget == Decimal(500000)
    assert stored.percent_complete == project.percent_complete
    assert stored.spend_to_date == project.spend_to_date
    assert stored.health == project.health


def test_the_pmo_changes_the_baseline_and_a_pm_shapes_a_proposal(client_for, project):
    project.stage, project.classification, project.budget = Stage.ACTIVE, "major", Decimal(500000)
    project.save()
    pmo = client_for("pmo")
    url = reverse("core:project_edit", args=[project.pk])
    body = open_form(pmo, url)
    body["budget"], body["classification"] = ["650000"], ["key"]
    assert pmo.post(url, body).status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert (stored.budget, stored.classification) == (Decimal(650000), "key")

    stored.stage = Stage.PROPOSED
    stored.save()
    pm = client_for("pm")
    body = open_form(pm, url)
    body["budget"] = ["700000"]
    assert pm.post(url, body).status_code == 302
    assert Project.objects.get(pk=project.pk).budget == Decimal(700000)


# --- delivery: issues and the weekly status -------------------------------------------------


def test_a_pm_cannot_decide_or_close_an_issue_through_its_edit_form(client_for, project, pm_user):
    from delivery.models import Issue
    from tests.delivery.factories import IssueFactory

    issue = IssueFactory(project=project, owner=pm_user.person, raised_by=pm_user)
    before = Issue.objects.get(pk=issue.pk)
    client = client_for("pm")
    url = reverse("delivery:issue_edit", args=[issue.pk])
    body = open_form(client, url)
    forged = {
        "decision": "approved",
        "level": "3",
        "status": "resolved",
        "pmo_response_at": "2026-01-01T00:00",
        "escalated_at": "2026-01-01T00:00",
        "kind": "change",
    }
    assert _post(client, url, body, forged).status_code == 302
    stored = Issue.objects.get(pk=issue.pk)
    assert (stored.decision, stored.level, stored.status, stored.kind) == (
        before.decision,
        before.level,
        before.status,
        before.kind,
    )


def test_a_pm_cannot_override_the_status_or_its_computed_figures(client_for, project):
    from delivery.models import StatusReport

    client = client_for("pm")
    url = reverse("delivery:status_edit", args=[project.pk])
    body = open_form(client, url)
    forged = {
        "override_overall": "green",
        "override_reason": "forged",
        "overall_rag": "green",
        "status": "accepted",
        "spi": "9",
        "cpi": "9",
        "earned_value": "1",
        "planned_value": "1",
        "reviewed_by": "1",
    }
    _post(client, url, body, forged)
    report = StatusReport.objects.filter(project=project).first()
    assert report is not None and report.status == "draft"
    assert report.override_overall == "" and report.override_reason == ""


# --- knowledge: a lesson's curation -----------------------------------------------------------


def test_an_author_cannot_publish_or_curate_their_own_lesson(
    client_for, project, pm_user, pmo_user
):
    from knowledge.models import Lesson

    client = client_for("pm")
    url = reverse("knowledge:lesson_create")
    body = open_form_plain(client, url)
    body.update(
        {
            "title": ["设备到货延期"],
            "description": ["供应商未按期交货"],
            "project": [str(project.pk)],
            "phase": ["planning"],
            "knowledge_area": ["scope"],
            "polarity": ["negative"],
            "root_cause": ["process"],
            "impact": ["schedule"],
        }
    )
    forged = {
        "status": "published",
        "reviewed_by": str(pmo_user.pk),
        "curated_by": str(pmo_user.pk),
        "published_at": "2026-01-01T00:00",
        "helpful_count": "999",
        "reuse_count": "999",
        "view_count": "999",
    }
    response = _post(client, url, body, forged)
    lesson = Lesson.objects.filter(title="设备到货延期").first()
    assert lesson is not None, response.context["form"].errors if response.context else response
    assert lesson.status != "published" and lesson.published_at is None
    assert lesson.reviewed_by is None and lesson.curated_by is None
    assert (lesson.helpful_count, lesson.reuse_count, lesson.view_count) == (0, 0, 0)

    # Editing it later cannot publish it either.
    url = reverse("knowledge:lesson_edit", args=[lesson.pk])
    body = open_form(client, url)
    _post(client, url, body, forged)
    lesson.refresh_from_db()
    assert lesson.status != "published" and lesson.curated_by is None


# --- standards: tailoring is decided by the PMO -----------------------------------------------


def test_a_pm_cannot_approve_their_own_tailoring_request(client_for, project, pm_user):
    from standards import services as standards_services
    from standards.models import TailoringRequest
    from tests.standards.factories import published_methodology

    version = published_methodology(project.project_type)
    standards_services.project_methodology_assign(project=project, version=version, actor=pm_user)
    client = client_for("pm")
    url = reverse("standards:tailoring_create", args=[project.pk])
    body = open_form_plain(client, url)
    body["reason"] = ["小项目不需要该交付物"]
    body["deliverables"] = [str(version.deliverables.filter(is_optional=True).first().pk)]
    forged = {"status": "approved", "decided_by": "1", "decided_at": "2026-01-01T00:00"}
    response = _post(client, url, body, forged)
    request = TailoringRequest.objects.filter(project=project).first()
    assert request is not None, response.context["form"].errors if response.context else response
    assert request.status == "pending" and request.decided_by_id is None


# --- evaluation: the PM scores themselves, only the experts and the PMO grade ------------------


def test_a_pm_cannot_set_expert_scores_or_the_grade_in_the_self_assessment(
    client_for, project, pmo_user
):
    from evaluation.models import CriterionResult, Evaluation

    evaluation = _evaluation_in_self_assessment(project, pmo_user)
    client = client_for("pm")
    url = reverse("evaluation:self_assessment", args=[evaluation.pk])
    body = open_form_plain(client, url)
    forged = {
        "grade": "A",
        "score": "100",
        "rationale": "forged",
        "status": "published",
        "expert_score": "5",
        "calibrated_score": "5",
    }
    body["submit"] = ["1"]
    _post(client, url, body, forged)
    stored = Evaluation.objects.get(pk=evaluation.pk)
    assert (stored.grade, stored.score, stored.rationale) == ("", None, "")
    assert stored.published_at is None and stored.finalised_at is None
    results = CriterionResult.objects.filter(evaluation=stored)
    assert not results.filter(expert_score__isnull=False).exists()
    assert not results.filter(calibrated_score__isnull=False).exists()


def _evaluation_in_self_assessment(project, pmo_user):
    """One evaluation of ``project`` waiting for its self-assessment."""
    from evaluation import services
    from tests.evaluation.conftest import make_version

    today = dt.date.today()
    cycle = services.cycle_create(
        version=make_version(pmo_user),
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
    cycle = services.cycle_open(cycle=cycle, actor=pmo_user)
    return cycle.evaluations.get(project=project)


# --- helpers --------------------------------------------------------------------------------


def open_form_plain(client, url: str) -> dict:
    """The first POST form of a page (create forms carry no version token)."""
    from tests.security.test_optimistic_locking import _FormReader

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = _FormReader()
    reader.feed(response.content.decode())
    forms = [
        f
        for f in reader.forms
        if f["action"] in (None, "", url)
        and any(n == "csrfmiddlewaretoken" for n, _ in f["fields"])
    ]
    assert forms, f"{url} has no form posting to itself"
    body: dict[str, list[str]] = {}
    for name, val in forms[0]["fields"]:
        body.setdefault(name, []).append(val)
    return body
