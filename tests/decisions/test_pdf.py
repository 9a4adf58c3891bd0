"""The decision pack: printed by a Celery task through the reports pipeline, with the
Chinese content of the study (checked with pdftotext)."""

import shutil

import pytest
from django.urls import reverse

from decisions.services import outcome
from pmo.core.models import SecurityEvent
from pmo.reports import services as reports
from pmo.reports.models import ReportRun
from tests.pdf import pdf_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils"),
]


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def recommended(reviewed_study, pmo_user):
    outcome.study_recommend(
        study=reviewed_study,
        actor=pmo_user,
        recommendation="invest_conditions",
        reasoning="净现值为正，建议分期投资。",
    )
    reviewed_study.refresh_from_db()
    return reviewed_study


def generate(study, actor, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = outcome.decision_pack_request(study=study, actor=actor, language=language)
    run.refresh_from_db()
    return run


def test_the_pack_prints_summary_financials_ranking_risks_and_opinions_in_chinese(
    recommended, pmo_user, django_capture_on_commit_callbacks
):
    run = generate(recommended, pmo_user, "zh-hans", django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.DONE, run.error
    recommended.refresh_from_db()
    assert recommended.pack_run == run
    text = pdf_text(run)
    assert "智能仓储二期" in text  # the project
    assert "净现值为正，建议分期投资。" in text  # the PMO's reasoning
    assert "213.36万元" in text  # NPV of the worked example, in 万元
    assert "22.8%" in text  # IRR
    assert "维持现状" in text  # the alternative, ranked
    assert "关键供应商交付" in text  # the top risk (its cell wraps)
    assert "方案可行，建议投资。" in text  # the reviewer's opinion
    assert "□" not in text and "\ufffd" not in text


def test_the_pack_in_english(recommended, pmo_user, django_capture_on_commit_callbacks):
    run = generate(recommended, pmo_user, "en", django_capture_on_commit_callbacks)
    text = pdf_text(run)
    assert "Investment decision pack" in text
    assert "Invest with conditions" in text
    assert "¥2,133,568" in text
    assert "Alternatives ranked" in text and "Reviewers' opinions" in text


def test_the_pack_is_downloaded_by_those_who_may(
    recommended, pmo_user, client_for, django_capture_on_commit_callbacks
):
    generate(recommended, pmo_user, "zh-hans", django_capture_on_commit_callbacks)
    url = reverse("decisions:pack_download", args=[recommended.pk])
    response = client_for("pm").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert SecurityEvent.objects.filter(kind="download", username="pm").exists()
    assert client_for("member").get(url).status_code == 403
    # The assigned reviewer reads the study, not the other reviewers' opinions in the pack.
    assert client_for("reviewer").get(url).status_code == 403


def test_from_the_catalogue_the_pack_covers_every_study_awaiting_a_decision(recommended):
    from django.utils import timezone

    from pmo.reports.periods import period_containing

    run = reports.report_run_request(
        kind="decision_pack",
        period=period_containing("weekly", timezone.localdate()),
        language="zh-hans",
        enqueue=False,
    )
    run = reports.report_run_render(run_id=run.pk)
    assert run.status == ReportRun.Status.DONE, run.error
    text = pdf_text(run)
    assert "智能仓储二期" in text and "净现值为正" in text
