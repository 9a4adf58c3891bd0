"""A worker killed (SIGKILL) while it renders a subscription's report: the broker hands
the task to another worker after the visibility timeout (acks_late), which takes the
run over after its lease. One run, one PDF, one e-mail per recipient.
"""

from __future__ import annotations

import email
import os
import signal

import pytest
from celery import Celery

from pmo.core import roles
from pmo.reports import services
from pmo.reports.models import Delivery, ReportRun
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory
from tests.reliability.servers import PrivateRedis, Processes, app_env, wait_until

pytestmark = pytest.mark.reliability
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@pytest.fixture
def servers(transactional_db, tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    processes = Processes(tmp_path)
    yield redis, processes
    processes.stop_all()
    redis.stop()


def recipients_in(folder) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk)["To"])
    return sorted(found)


def test_a_report_interrupted_by_a_dead_worker_is_produced_and_sent_once(servers, tmp_path):
    redis, processes = servers
    env = app_env(
        tmp_path,
        REDIS_URL=redis.url,
        CELERY_BROKER_URL=redis.url,
        CELERY_VISIBILITY_TIMEOUT="6",
        CELERY_UNACKED_RESTORE_INTERVAL="1",
        CELERY_UNACKED_RESTORE_THROTTLE="1",
        PMO_REPORT_RUN_LEASE_SECONDS="3",
        PMO_SEND_LEASE_SECONDS="3",
    )
    pmo = UserFactory(username="rel-pmo", email="pmo@example.com", groups=[roles.PMO_STAFF])
    executive = UserFactory(username="rel-exec", email="exec@example.com", groups=[roles.EXECUTIVE])
    for user in (pmo, executive):
        PersonFactory(user=user)
    ProjectFactory(code="REL-2", name="容灾项目", name_en="Recovery project")
    subscription = services.subscription_save(
        actor=pmo,
        name="Weekly portfolio status",
        kind="portfolio_status",
        language="en",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[pmo, executive],
        channels=[],
    )

    slow, slow_log = processes.worker({**env, "PMO_RENDER_DELAY_SECONDS": "120"})
    client = Celery(broker=redis.url)
    client.send_task(services.DELIVER_TASK, args=[subscription.pk])
    wait_until(
        lambda: ReportRun.objects.filter(status=ReportRun.Status.RUNNING).exists(),
        "the first worker to start rendering",
        logs=(slow_log,),
    )
    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    assert not Delivery.objects.exists()

    _second, log = processes.worker(env)
    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2,
        "the second worker to deliver the report",
        timeout=180,
        logs=(log,),
    )
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.DONE
    pdfs = list((tmp_path / "private").rglob("*.pdf"))
    assert len(pdfs) == 1
    assert recipients_in(tmp_path / "mail") == ["exec@example.com", "pmo@example.com"]
    assert Delivery.objects.count() == 2
