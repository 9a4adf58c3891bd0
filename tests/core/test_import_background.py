"""Big import files are checked and written by Celery tasks while the page shows progress."""

import pytest
from django.urls import reverse

from pmo.core import importing, queue, tasks
from pmo.core.models import ImportJob, Project, SecurityEvent
from tests.core.data import table_file
from tests.core.factories import OrgUnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "english")]

ROWS = [["code", "name", "org_unit_code", "budget"]] + [
    [f"BG-{n:02d}", f"后台项目{n}", "RD", str(1000 + n)] for n in range(12)
]


@pytest.fixture
def big(settings):
    """Files of more than 5 rows run in the background (tasks run eagerly in tests)."""
    settings.PMO_IMPORT_BACKGROUND_ROWS = 5
    OrgUnitFactory(code="RD")


def upload(client, captured):
    with captured() as callbacks:
        response = client.post(
            reverse("core:import_start"), {"kind": "projects", "file": table_file(ROWS, "csv")}
        )
    assert response.status_code == 302
    return ImportJob.objects.get(), response["Location"], callbacks


def test_a_big_file_is_checked_in_the_background_with_a_progress_page(
    pmo, big, django_capture_on_commit_callbacks
):
    job, url, callbacks = upload(pmo, lambda: django_capture_on_commit_callbacks(execute=False))
    assert job.status == ImportJob.Status.CHECKING
    page = pmo.get(url).content.decode()
    assert 'data-testid="import-progress"' in page
    assert f'hx-get="{url}?progress=1"' in page
    assert "0 of 12 rows checked" in page
    assert 'data-testid="commit-form"' not in page
    poll = pmo.get(f"{url}?progress=1", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200
    assert "<html" not in poll.content.decode()
    assert "rows checked" in poll.content.decode()

    for callback in callbacks:
        callback()  # the worker runs the check

    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.summary["counts"]["new"] == 12
    done = pmo.get(f"{url}?progress=1", HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"
    assert 'data-testid="commit-form"' in pmo.get(url).content.decode()


def test_a_big_file_is_written_in_the_background_once(
    pmo, pmo_user, big, django_capture_on_commit_callbacks
):
    job, url, _callbacks = upload(pmo, lambda: django_capture_on_commit_callbacks(execute=True))
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirmed = pmo.post(url, follow=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING
    page = confirmed.content.decode()
    assert "being imported in the background" in page
    assert "rows done" in page
    assert not Project.objects.exists()
    again = pmo.post(url, follow=True)  # a second click while it runs
    assert "This file is being imported." in again.content.decode()

    for callback in callbacks:
        callback()
    tasks.import_job_write(job.pk, pmo_user.pk)  # the task delivered a second time

    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED
    assert Project.objects.filter(code__startswith="BG-").count() == 12
    assert Project.history.count() == 12
    commits = SecurityEvent.objects.filter(detail__startswith=f"commit #{job.pk}")
    assert [event.success for event in commits] == [True]


def test_a_check_delivered_twice_stores_one_preview(
    pmo, pmo_user, big, django_capture_on_commit_callbacks
):
    job, _url, _callbacks = upload(pmo, lambda: django_capture_on_commit_callbacks(execute=True))
    job.refresh_from_db()
    summary = job.summary
    assert importing.import_job_check(job_pk=job.pk) is None
    job.refresh_from_db()
    assert job.summary == summary
    assert job.status == ImportJob.Status.PREVIEWED


def test_without_the_broker_a_big_file_is_refused_and_a_commit_can_be_retried(
    pmo, big, django_capture_on_commit_callbacks, monkeypatch
):
    job, url, _callbacks = upload(pmo, lambda: django_capture_on_commit_callbacks(execute=True))
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED

    def broker_down(task, args, options):
        raise queue.QueueUnavailable("connection refused")

    monkeypatch.setattr(queue, "_publish", broker_down)
    # Outside a test's transaction, on_commit runs at once, within the request.
    monkeypatch.setattr(queue.transaction, "on_commit", lambda func, *a, **k: func())
    page = pmo.post(url, follow=True).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED  # confirm again later
    assert "nothing was started" in page
    assert "in the background" not in page
    assert 'data-testid="commit-form"' in page
    assert not Project.objects.exists()

    pmo.post(reverse("core:import_start"), {"kind": "projects", "file": table_file(ROWS, "csv")})
    second = ImportJob.objects.exclude(pk=job.pk).get()
    assert second.status == ImportJob.Status.FAILED
    page = pmo.get(reverse("core:import_preview", args=[second.pk])).content.decode()
    assert "nothing was started" in page
