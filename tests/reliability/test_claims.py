"""The rules behind the fault tests, one at a time and in-process: the fail-soft cache,
the broker's visibility timeout check, what a request does when the broker refuses a
task, and messages left "sending" by a dead worker."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import checks, mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from pmo.core import queue
from pmo.core.cache import FailSoftRedisCache
from pmo.core.models import Channel, ChannelPost
from pmo.core.tasks import _channel_post_abandoned
from pmo.reports import periods, services
from pmo.reports.models import Delivery, ReportRun
from pmo.reports.tasks import deliver_subscription, render_report_run
from tests.reliability.servers import free_port

pytestmark = pytest.mark.reliability


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"


def test_the_cache_behaves_as_empty_when_redis_is_unreachable():
    cache = FailSoftRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    started = time.monotonic()
    assert cache.get("tile", "default") == "default"
    assert cache.set("tile", 1) is None
    assert cache.add("tile", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("tile", lambda: 42) == 42
    assert cache.delete("tile") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert time.monotonic() - started < 5


def test_the_visibility_timeout_must_exceed_the_longest_task(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200}
    assert queue.check_visibility_timeout() == []
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
    assert [e.id for e in queue.check_visibility_timeout()] == ["pmo.E101"]
    settings.PMO_REPORT_RUN_LEASE_SECONDS = 60
    errors = queue.check_visibility_timeout()
    assert {e.id for e in errors} == {"pmo.E101", "pmo.E102"}
    assert all(e.level == checks.ERROR for e in errors)


def refuse(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def subscription(pmo_user, executive_user, project):
    return services.subscription_save(
        actor=pmo_user,
        name="Weekly register",
        kind="project_register",
        language="en",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[executive_user],
    )


def test_generate_now_without_broker_keeps_the_run_waiting_and_says_so(
    transactional_db, client_for, monkeypatch, english
):
    # Real commits: the task is sent when the service's transaction commits, before
    # the view answers.
    monkeypatch.setattr(render_report_run, "apply_async", refuse)
    response = client_for("pmo").post(
        "/reports/catalogue/project_register/generate/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "is generated as soon as the service is back" in response.text
    assert "was requested" not in response.text
    assert ReportRun.objects.get().status == ReportRun.Status.PENDING


def test_the_sweeper_queues_a_waiting_run_once_the_broker_is_back(pmo_user, settings):
    run = services.report_run_request(
        kind="project_register",
        period=periods.period_containing("weekly", dt.date(2026, 3, 4)),
        language="en",
        enqueue=False,
    )
    ReportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert services.runs_waiting_requeue() == 1  # eager here: rendered at once
    assert ReportRun.objects.get().status == ReportRun.Status.DONE


def test_send_now_without_broker_is_refused_and_leaves_nothing(
    subscription, client_for, monkeypatch, english
):
    monkeypatch.setattr(deliver_subscription, "apply_async", refuse)
    response = client_for("pmo").post(
        f"/reports/subscriptions/{subscription.pk}/send/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "nothing was started" in response.text
    assert not Delivery.objects.exists()
    assert not ReportRun.objects.exists()


def test_a_message_left_sending_by_a_dead_worker_is_not_sent_twice(subscription, settings):
    services.subscription_deliver(subscription_id=subscription.pk)
    assert len(mail.outbox) == 1
    row = Delivery.objects.get()
    # As if the worker died between the claim and the SMTP answer.
    long_ago = timezone.now() - dt.timedelta(seconds=settings.PMO_SEND_LEASE_SECONDS + 5)
    Delivery.objects.filter(pk=row.pk).update(
        status=Delivery.Status.SENDING, last_attempt_at=long_ago
    )

    services.subscription_deliver(subscription_id=subscription.pk)

    row.refresh_from_db()
    assert row.status == Delivery.Status.UNKNOWN
    # The reason is written in the site's language (Chinese by default).
    assert "may or may not have been delivered" in row.error or "可能已送达" in row.error
    assert row.can_retry
    assert len(mail.outbox) == 1

    # The PMO decides to send it again from the log.
    services.delivery_retry(delivery=row)
    row.refresh_from_db()
    assert row.status == Delivery.Status.SENT
    assert len(mail.outbox) == 2


def test_a_message_still_sending_within_its_lease_is_left_alone(subscription):
    services.subscription_deliver(subscription_id=subscription.pk)
    Delivery.objects.update(status=Delivery.Status.SENDING, last_attempt_at=timezone.now())
    assert services.deliveries_mark_unknown() == 0
    assert Delivery.objects.get().status == Delivery.Status.SENDING


def test_a_chat_post_left_sending_by_a_dead_worker_is_marked_failed(pmo_user):
    channel = Channel.objects.create(
        name="群", kind="dingtalk", webhook_url="https://oapi.dingtalk.com/robot/send?x=1"
    )
    post = ChannelPost.objects.create(
        channel=channel, title="Gate waiting", status=ChannelPost.Status.SENDING
    )
    _channel_post_abandoned(post.pk)
    post.refresh_from_db()
    assert post.status == ChannelPost.Status.FAILED
    assert "may or may not have reached the group" in post.error or "可能已到达群聊" in post.error
