"""Benefits realised after go-live against the approved business case: reads, writes,
the page and its permissions, and the executive dashboard's tile."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from decisions.models import Alternative, CashFlow, Decision, RealisedBenefit, Study
from decisions.selectors import (
    benefits_by_year,
    planned_benefits,
    project_benefits,
    realised_benefits,
)
from decisions.services.benefits import realised_benefit_delete, realised_benefit_record
from pmo.core.models import Project, Stage
from tests.core.factories import ProjectFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def approved_case(project, base_year, benefits, outcome=Decision.Outcome.APPROVE, status=None):
    """A decided study of ``project`` whose proposal plans ``benefits`` from year 0 on."""
    study = Study.objects.create(
        project=project,
        version=Study.objects.filter(project=project).count() + 1,
        status=status or Study.Status.DECIDED,
        base_year=base_year,
        discount_rate=Decimal("8"),
    )
    proposal = Alternative.objects.create(
        study=study, kind=Alternative.Kind.PROPOSAL, name=f"方案 {study.version}"
    )
    CashFlow.objects.bulk_create(
        [CashFlow(alternative=proposal, year=i, benefit=Decimal(b)) for i, b in enumerate(benefits)]
    )
    Decision.objects.create(
        study=study,
        meeting="投资决策委员会",
        meeting_date=dt.date(base_year, 1, 10),
        outcome=outcome,
        rationale="同意",
    )
    return study


def test_planned_benefit_comes_from_the_approved_business_case_by_calendar_year(project):
    approved_case(project, 2024, [0, 100, 250])
    # A rejected case of another project and a superseded version plan nothing.
    other = ProjectFactory()
    approved_case(other, 2024, [999], outcome=Decision.Outcome.REJECT)
    approved_case(project, 2020, [777], status=Study.Status.SUPERSEDED)
    planned = planned_benefits(Project.objects.all())
    assert planned == {
        (project.pk, 2024): Decimal(0),
        (project.pk, 2025): Decimal(100),
        (project.pk, 2026): Decimal(250),
    }


def test_benefits_by_year_sums_projects_and_gives_the_realisation_rate():
    planned = {(1, 2025): Decimal(100), (2, 2025): Decimal(300), (1, 2026): Decimal(0)}
    realised = {(1, 2025): Decimal(90), (2, 2025): Decimal(210), (3, 2024): Decimal(5)}
    rows = benefits_by_year(planned, realised)
    assert [(r["year"], r["planned"], r["realised"]) for r in rows] == [
        (2024, Decimal(0), Decimal(5)),
        (2025, Decimal(400), Decimal(300)),
        (2026, Decimal(0), Decimal(0)),
    ]
    assert rows[0]["rate"] is None and rows[2]["rate"] is None
    assert rows[1]["rate"] == pytest.approx(75.0)
    assert [r["year"] for r in benefits_by_year(planned, realised, [2025])] == [2025]


def test_recording_a_year_again_corrects_it_and_is_audited(project, pm_user):
    realised_benefit_record(project=project, year=THIS_YEAR, amount=Decimal(50), actor=pm_user)
    benefit = realised_benefit_record(
        project=project, year=THIS_YEAR, amount=Decimal(80), note="财务核算", actor=pm_user
    )
    assert RealisedBenefit.objects.get().amount == Decimal(80)
    assert benefit.history.count() == 2
    assert benefit.history.first().history_user == pm_user
    assert realised_benefits(Project.objects.all()) == {(project.pk, THIS_YEAR): Decimal(80)}
    realised_benefit_delete(benefit=benefit, actor=pm_user)
    assert not RealisedBenefit.objects.exists()


@pytest.mark.parametrize(
    ("stage", "year", "amount", "field"),
    [
        (Stage.PROPOSED, THIS_YEAR, 10, "__all__"),
        (Stage.ACTIVE, THIS_YEAR + 1, 10, "year"),
        (Stage.ACTIVE, THIS_YEAR, -1, "amount"),
    ],
)
def test_benefits_are_refused_before_go_live_in_future_years_or_negative(
    english, stage, year, amount, field
):
    project = ProjectFactory(stage=stage)
    with pytest.raises(ValidationError) as error:
        realised_benefit_record(project=project, year=year, amount=Decimal(amount), actor=None)
    if field == "__all__":
        assert "gone live" in error.value.messages[0]
    else:
        assert field in error.value.message_dict
    assert not RealisedBenefit.objects.exists()


ROLES = [
    # role, status of GET, status of POST
    ("pmo", 200, 302),
    ("pm", 200, 302),
    ("executive", 200, 403),
    ("member", 200, 403),
    ("other_pm", 404, 404),
    ("reviewer", 404, 404),
    ("anonymous", 302, 302),
]


@pytest.mark.parametrize(("role", "get_status", "post_status"), ROLES)
def test_benefit_page_permissions(client_for, project, role, get_status, post_status):
    client = client_for(role)
    url = reverse("decisions:benefits", args=[project.pk])
    assert client.get(url).status_code == get_status
    response = client.post(url, {"year": THIS_YEAR, "amount": "1000", "note": ""})
    assert response.status_code == post_status
    assert RealisedBenefit.objects.exists() == (post_status == 302 and role != "anonymous")


@pytest.mark.parametrize(("role", "status"), [("pm", 302), ("member", 403), ("other_pm", 404)])
def test_only_the_manager_or_pmo_removes_a_benefit(client_for, project, role, status):
    benefit = realised_benefit_record(
        project=project, year=THIS_YEAR, amount=Decimal(5), actor=None
    )
    response = client_for(role).post(reverse("decisions:benefit_delete", args=[benefit.pk]))
    assert response.status_code == status
    assert RealisedBenefit.objects.exists() == (status != 302)


def test_bad_input_re_renders_with_translated_errors_and_writes_nothing(client_for, project):
    client = client_for("pm")
    client.cookies["django_language"] = "zh-hans"
    url = reverse("decisions:benefits", args=[project.pk])
    response = client.post(
        url, {"year": THIS_YEAR + 1, "amount": "100"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 422
    assert "benefit-form" in response.content.decode()
    response = client.post(url, {"year": "x", "amount": "-5"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    assert not RealisedBenefit.objects.exists()


def test_the_business_case_tab_compares_plan_and_realised(client_for, project):
    approved_case(project, THIS_YEAR - 1, [0, 1000])
    realised_benefit_record(project=project, year=THIS_YEAR, amount=Decimal(600), actor=None)
    assert [(r["year"], r["rate"]) for r in project_benefits(project)] == [
        (THIS_YEAR - 1, None),
        (THIS_YEAR, 60.0),
    ]
    html = (
        client_for("pm")
        .get(reverse("core:project_detail", args=[project.pk]) + "?tab=business_case")
        .content.decode()
    )
    assert 'data-testid="benefits"' in html and "60%" in html
    assert 'data-testid="benefit-form"' in html
    member_html = (
        client_for("member")
        .get(reverse("core:project_detail", args=[project.pk]) + "?tab=business_case")
        .content.decode()
    )
    assert 'data-testid="benefits"' in member_html
    assert 'data-testid="benefit-form"' not in member_html


def test_the_executive_tile_shows_projects_behind_plan(client_for, project):
    approved_case(project, THIS_YEAR, [1000])
    realised_benefit_record(project=project, year=THIS_YEAR, amount=Decimal(300), actor=None)
    url = reverse("core:dashboard_tile", args=["executive", "decisions_benefits"])
    response = client_for("executive").get(url + "?period=year", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="benefits-behind"' in html
    assert reverse("core:project_detail", args=[project.pk]) in html
    assert "30%" in html
