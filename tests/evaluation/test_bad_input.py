"""Odd parameters and crafted POSTs get a clear answer, never a 500 or a partial write."""

import pytest
from django.urls import reverse

from evaluation.models import CriterionResult, PanelAssignment
from tests.evaluation.conftest import scored

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("evaluation:weakness", {"scheme": "abc", "unit": "-1", "type": "x", "by": "<script>"}),
        ("evaluation:weakness", {"scheme": "999999", "unit": "999999"}),
        ("evaluation:maturity", {"scheme": "'\"%_"}),
        ("evaluation:action_list", {"status": "nonsense", "page": "last"}),
        ("evaluation:action_list", {"page": "99999"}),
        ("evaluation:cycle_create", {"version": "abc"}),
        ("evaluation:action_create", {"cycle": "x", "org_unit": "\x00"}),
    ],
)
def test_pages_survive_odd_parameters(client_for, version, name, query):
    assert client_for("pmo").get(reverse(name), query).status_code == 200


def test_an_unknown_preset_is_not_found(client_for):
    assert (
        client_for("pmo").post(reverse("evaluation:preset_install", args=["nope"])).status_code
        == 404
    )


def test_a_self_assessment_with_an_out_of_range_score_is_refused_and_nothing_written(
    client_for, evaluation
):
    c = scored(evaluation)
    url = reverse("evaluation:self_assessment", args=[evaluation.pk])
    response = client_for("pm").post(
        url, {f"score_{c['R1'].pk}": "9", f"score_{c['C1'].pk}": "3", "summary": "x", "submit": "1"}
    )
    assert response.status_code == 422
    assert not CriterionResult.objects.filter(
        evaluation=evaluation, self_score__isnull=False
    ).exists()


def test_submitting_an_incomplete_self_assessment_keeps_what_was_typed(client_for, evaluation):
    c = scored(evaluation)
    url = reverse("evaluation:self_assessment", args=[evaluation.pk])
    response = client_for("pm").post(
        url, {f"score_{c['R1'].pk}": "4", "summary": "风险登记及时", "submit": "1"}
    )
    assert response.status_code == 422
    assert "风险登记及时" in response.content.decode()
    assert "Score every criterion before submitting" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == "self" and evaluation.self_summary == ""


def test_assigning_an_unknown_expert_is_refused(client_for, evaluation):
    response = client_for("pmo").post(
        reverse("evaluation:panel", args=[evaluation.pk]), {"reviewer": "999999"}
    )
    assert response.status_code == 422
    assert not PanelAssignment.objects.exists()


def test_a_crafted_calibration_changes_nothing(client_for, reviewed):
    result = reviewed.results.get(criterion__code="R1")
    url = reverse("evaluation:calibrate", args=[reviewed.pk, result.pk])
    assert client_for("pmo").post(url, {"score": "abc", "calibration_note": ""}).status_code == 302
    assert client_for("pmo").post(url, {"score": "9", "calibration_note": "x"}).status_code == 302
    result.refresh_from_db()
    assert result.calibrated_score is None


def test_a_version_form_with_a_bad_trim_share_comes_back_with_errors(client_for, version, pmo_user):
    from evaluation import services

    draft = services.version_copy(version=version, actor=pmo_user)
    response = client_for("pmo").post(
        reverse("evaluation:version_edit", args=[draft.pk]),
        {
            "aggregation": "trimmed",
            "trim_percent": "60",
            "disagreement_threshold": "9",
            "panel_size": "0",
            "appeal_days": "5",
        },
    )
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.trim_percent == 20 and draft.panel_size == 2


def test_a_follow_up_check_through_htmx_answers_the_panel_or_its_errors(
    client_for, pmo_user, english
):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from evaluation import services

    action = services.action_save(
        actor=pmo_user,
        title="周报提醒",
        measure="周报及时率",
        baseline=Decimal(70),
        target=Decimal(90),
        target_date=timezone.localdate() + dt.timedelta(days=9),
        owner=pmo_user.person,
    )
    url = reverse("evaluation:action_check", args=[action.pk])
    client = client_for("pmo")
    bad = client.post(url, {"checked_on": "yesterday", "value": "x"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and 'data-testid="check-errors"' in bad.content.decode()
    assert not action.checks.exists()
    good = client.post(
        url, {"checked_on": str(timezone.localdate()), "value": "80"}, HTTP_HX_REQUEST="true"
    )
    html = good.content.decode()
    assert good.status_code == 200 and html.startswith('<div id="follow-up"')
    assert "50% of the way from baseline to target" in html
