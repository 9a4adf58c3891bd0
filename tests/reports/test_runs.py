"""Report runs: requested once per period, rendered by the task, failures recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pmo.reports import services
from pmo.reports.models import ReportRun
from pmo.reports.periods import period_containing
from pmo.reports.tasks import render_report_run
from tests.reports.factories import ReportRunFactory

WEEK = period_containing("weekly", dt.date(2026, 3, 4))


def request_run(**kwargs):
    defaults = {"kind": "project_register", "period": WEEK, "language": "zh-hans"}
    return services.report_run_request(**{**defaults, **kwargs})


def test_a_run_is_made_once_per_kind_period_language_and_params(db):
    first = request_run(enqueue=False)
    assert request_run(enqueue=False).pk == first.pk
    assert request_run(language="en", enqueue=False).pk != first.pk
    assert request_run(params={"org_unit": 1}, enqueue=False).pk != first.pk
    month = period_containing("monthly", dt.date(2026, 6, 1))  # starts on a Monday, too
    week = period_containing("weekly", dt.date(2026, 6, 1))
    assert request_run(period=month, enqueue=False).pk != request_run(period=week, enqueue=False).pk
    assert ReportRun.objects.count() == 5


def test_request_enqueues_rendering_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE
    assert run.file.name.endswith(".pdf")


def test_request_of_an_unknown_kind_is_refused(db):
    with pytest.raises(ValidationError):
        request_run(kind="no_such_report")


def test_a_failing_builder_records_failed_and_the_error(db, broken_kind):
    run = request_run(kind="broken", enqueue=False)
    assert render_report_run(run.pk) == ReportRun.Status.FAILED
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert "the data source is unreachable" in run.error
    assert run.finished_at is not None
    assert not run.file


def test_a_failed_run_is_queued_again_when_asked_again(db, broken_kind):
    run = request_run(kind="broken", enqueue=False)
    services.report_run_render(run_id=run.pk)
    again = request_run(kind="broken", enqueue=False)
    assert again.pk == run.pk
    assert again.status == ReportRun.Status.PENDING
    assert again.error == ""


def test_rendering_twice_does_the_work_once(db):
    run = request_run(enqueue=False)
    done = services.report_run_render(run_id=run.pk)
    finished_at = done.finished_at
    again = services.report_run_render(run_id=run.pk)
    assert again.status == ReportRun.Status.DONE
    assert again.finished_at == finished_at


def test_a_run_claimed_by_another_worker_is_left_alone(db):
    run = ReportRunFactory(status=ReportRun.Status.RUNNING)
    ReportRun.objects.filter(pk=run.pk).update(started_at=timezone.now())
    assert services.report_run_render(run_id=run.pk).status == ReportRun.Status.RUNNING


def test_generate_now_requests_a_run_and_shows_it_in_the_archive(
    client_for, project, django_capture_on_commit_callbacks
):
    client = client_for("pmo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:generate", args=["project_register"]), {"language": "en"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:archive") + "?kind=project_register"
    run = ReportRun.objects.get()
    assert (run.status, run.language, run.created_by.username) == ("done", "en", "pmo")
    page = client.get(response["Location"]).content.decode()
    assert run.get_download_url() in page


def test_generate_now_refreshes_a_finished_run(client_for, project):
    this_week = period_containing("weekly", timezone.localdate())
    # The register is scoped: a PMO user's run is the one of the "all" scope.
    run = ReportRunFactory(done=True, period_start=this_week.start, params={"scope": "all"})
    client_for("pmo").post(
        reverse("reports:generate", args=["project_register"]), {"language": "zh-hans"}
    )
    run.refresh_from_db()
    assert run.status == ReportRun.Status.PENDING


def test_pending_rows_poll_and_finished_rows_do_not(client_for):
    pending = ReportRunFactory()
    done = ReportRunFactory(done=True)
    client = client_for("pmo")
    page = client.get(reverse("reports:archive")).content.decode()
    assert f'hx-get="{reverse("reports:run_row", args=[pending.pk])}"' in page
    assert reverse("reports:run_row", args=[done.pk]) not in page
    ReportRun.objects.filter(pk=pending.pk).update(status=ReportRun.Status.FAILED, error="boom")
    row = client.get(reverse("reports:run_row", args=[pending.pk]), headers={"HX-Request": "true"})
    html = row.content.decode()
    assert html.strip().startswith("<tr") and 'data-status="failed"' in html
    assert "hx-trigger" not in html


def test_archive_filters_by_kind(client_for, broken_kind):
    ReportRunFactory(kind="broken", period_label="2026-W01")
    ReportRunFactory(kind="project_register", period_label="2026-W02")
    page = client_for("pmo").get(reverse("reports:archive"), {"kind": "broken"}).content.decode()
    assert "2026-W01" in page and "2026-W02" not in page


def test_preview_waits_then_opens_the_pdf(client_for, project, django_capture_on_commit_callbacks):
    client = client_for("pmo")
    response = client.post(reverse("reports:preview", args=["project_register"]))
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reports:run_preview", args=[run.pk])
    waiting = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'data-status="pending"' in waiting.content.decode()
    services.report_run_render(run_id=run.pk)
    ready = client.get(response["Location"], headers={"HX-Request": "true"})
    assert ready["HX-Redirect"] == run.get_download_url() + "?inline=1"
