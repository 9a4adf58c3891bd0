"""End to end: a real Celery worker with beat sends a weekly report pack.

The worker runs in a subprocess with the production settings (not eager) against the
test database and the test Redis; beat (django-celery-beat's database scheduler) fires
the subscription's schedule, which is pointed at a few-second interval. The test then
reads the mailbox folder and the fake chat robot: one e-mail per recipient with the PDF,
one signed card, and nothing more when the task is delivered again through the broker.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from pmo.core import roles
from pmo.core.models import Channel, Classification
from pmo.reports import services
from pmo.reports.models import Delivery, ReportRun
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory
from tests.pdf import needs_pdftotext
from tests.webhooks import FakeWebhookServer, verify_dingtalk_signature

SECRET = "SEC-e2e-secret"
# A worker's start alone can take most of a minute on a busy two-core CI machine.
TIMEOUT_S = 120
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"

pytestmark = [
    needs_pdftotext,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"), reason="needs the Redis broker"
    ),
]


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def wait_until(check, what: str, timeout: float = TIMEOUT_S, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    pytest.fail(f"Timed out waiting for {what}.\n--- worker log ---\n{tail}")


def mailbox(folder: Path) -> list[email.message.Message]:
    """Every message the file-based e-mail backend wrote to ``folder``."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(MESSAGE_SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


def pdf_text(data: bytes, folder: Path) -> str:
    path = folder / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture
def robot():
    with FakeWebhookServer() as server:
        yield server


@pytest.fixture
def worker(transactional_db, tmp_path, request):
    """Starts ``celery -A pmo worker -B`` lazily (after the test created its data)."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pmo.settings",
        "DJANGO_SECRET_KEY": "e2e-secret-key",
        "DATABASE_URL": database_url(),
        "DJANGO_CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        "CHAT_WEBHOOK_EXTRA_HOSTS": "127.0.0.1",
        "PMO_VAR_DIR": str(tmp_path / "var"),
        "PMO_PRIVATE_ROOT": str(tmp_path / "private"),
        "PMO_SITE_URL": "http://pmo.test",
    }
    started: list[subprocess.Popen] = []

    def start() -> Path:
        command = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "pmo",
            "worker",
            "-B",
            "--pool",
            "solo",
            "--purge",
            "-l",
            "info",
            "-n",
            f"e2e-{uuid.uuid4().hex[:8]}@%h",
            "-s",
            str(tmp_path / "beat-schedule"),
        ]
        handle = log_path.open("wb")
        started.append(
            subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        return log_path

    def stop() -> None:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    request.addfinalizer(stop)
    return start


def test_beat_sends_the_weekly_pack_once_per_recipient_and_channel(worker, robot, tmp_path):
    pmo = UserFactory(username="e2e-pmo", email="pmo@example.com", groups=[roles.PMO_STAFF])
    executive = UserFactory(username="e2e-exec", email="exec@example.com", groups=[roles.EXECUTIVE])
    for user in (pmo, executive):
        PersonFactory(user=user)
    ProjectFactory(
        code="E2E-1",
        name="数据中台建设",
        name_en="Data platform build",
        classification=Classification.MAJOR,
        budget=Decimal("3000000"),
    )
    channel = Channel.objects.create(
        name="管理层群",
        kind="dingtalk",
        webhook_url=robot.url(),
        secret=SECRET,
        created_by=pmo,
    )
    subscription = services.subscription_save(
        actor=pmo,
        name="Weekly portfolio status",
        kind="portfolio_status",
        language="en",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[pmo, executive],
        channels=[channel],
    )
    # Beat fires the subscription every few seconds instead of Mondays at 08:00; every
    # other schedule stays quiet during the test.
    every = IntervalSchedule.objects.create(every=3, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(pk=subscription.periodic_task_id).update(
        crontab=None, interval=every
    )
    PeriodicTask.objects.exclude(pk=subscription.periodic_task_id).update(enabled=False)

    log = worker()
    rows = Delivery.objects.filter(subscription=subscription)
    wait_until(
        lambda: rows.count() == 3 and not rows.exclude(status=Delivery.Status.SENT).exists(),
        "the deliveries to be sent",
        log=log,
    )
    wait_until(lambda: len(robot.requests) >= 1, "the chat card", log=log)

    messages = mailbox(tmp_path / "mail")
    assert sorted(m["To"] for m in messages) == ["exec@example.com", "pmo@example.com"]
    for message in messages:
        assert message["Subject"] == "Portfolio status for " + ReportRun.objects.get().period_label
        pdfs = [
            part.get_payload(decode=True)
            for part in message.walk()
            if part.get_content_type() == "application/pdf"
        ]
        assert len(pdfs) == 1
        text = pdf_text(pdfs[0], tmp_path)
        assert "Portfolio status" in text
        assert "Data platform build" in text

    assert len(robot.requests) == 1
    card = robot.requests[0]
    assert card.path == "/robot/send"
    assert verify_dingtalk_signature(card.query, SECRET)
    assert card.body["msgtype"] == "actionCard"
    assert card.body["actionCard"]["singleURL"].startswith("http://pmo.test/reports/")

    # The same task delivered again through the broker sends nothing more.
    from pmo.celery import app

    again = app.send_task(services.DELIVER_TASK, args=[subscription.pk]).id
    wait_until(
        lambda: f"[{again}] succeeded" in log.read_text(errors="replace"),
        "the second delivery",
        log=log,
    )
    assert len(mailbox(tmp_path / "mail")) == 2
    assert len(robot.requests) == 1
    assert rows.count() == 3
    assert ReportRun.objects.count() == 1
