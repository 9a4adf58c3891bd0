"""Chat channels on subscriptions: one card per channel and period, signed, retried."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from pmo.core.models import Channel
from pmo.reports import services
from pmo.reports.models import Delivery
from pmo.reports.tasks import send_delivery
from tests.webhooks import FakeWebhookServer, verify_dingtalk_signature

TODAY = dt.date(2026, 3, 4)
SECRET = "SEC-test-secret"


@pytest.fixture
def robot(settings):
    settings.CHAT_WEBHOOK_EXTRA_HOSTS = ["127.0.0.1"]
    with FakeWebhookServer() as server:
        yield server


@pytest.fixture
def channel(robot, db):
    return Channel.objects.create(
        name="项目群", kind="dingtalk", webhook_url=robot.url(), secret=SECRET
    )


@pytest.fixture
def subscription(pmo_user, executive_user, channel, project):
    return services.subscription_save(
        actor=pmo_user,
        name="Weekly status",
        kind="portfolio_status",
        language="en",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[executive_user],
        channels=[channel],
    )


def test_one_signed_card_per_channel_and_period(subscription, robot, channel):
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert len(robot.requests) == 1
    request = robot.requests[0]
    assert verify_dingtalk_signature(request.query, SECRET)
    card = request.body["actionCard"]
    assert card["title"] == "Portfolio status for 2026-W10"
    assert "2026-W10" in card["text"]
    row = Delivery.objects.get(channel=channel)
    assert (row.status, row.attempts, row.channel_name) == (Delivery.Status.SENT, 1, "项目群")
    assert card["singleURL"].endswith(f"/reports/{row.run_id}/preview/")
    assert [m.to for m in mail.outbox] == [["executive@example.com"]]


def test_a_refused_card_is_failed_then_retried_once(subscription, robot, channel):
    robot.queue(body={"errcode": 310000, "errmsg": "sign not match"})
    with pytest.raises(services.DeliveryIncomplete):
        services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    row = Delivery.objects.get(channel=channel)
    assert row.status == Delivery.Status.FAILED
    assert "310000" in row.error
    assert len(mail.outbox) == 1  # the e-mail went out regardless
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (Delivery.Status.SENT, 2, "")
    assert len(robot.requests) == 2
    assert len(mail.outbox) == 1


def test_cards_only_without_email(pmo_user, channel, robot, project):
    subscription = services.subscription_save(
        actor=pmo_user,
        name="Cards only",
        kind="portfolio_status",
        language="zh-hans",
        frequency="weekly",
        weekday=0,
        hour=8,
        send_email=False,
        channels=[channel],
    )
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert mail.outbox == []
    assert len(robot.requests) == 1
    assert robot.requests[0].body["actionCard"]["title"] == "2026-W10项目组合状态"


def test_a_switched_off_channel_is_skipped(subscription, robot, channel):
    channel.is_active = False
    channel.save()
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert robot.requests == []
    row = Delivery.objects.get(channel=channel)
    assert (row.status, row.skip_reason) == (
        Delivery.Status.SKIPPED,
        Delivery.SkipReason.CHANNEL_INACTIVE,
    )


def test_no_card_when_the_owner_may_no_longer_read_the_report(subscription, robot, pmo_user):
    pmo_user.groups.clear()
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert robot.requests == []
    row = Delivery.objects.get(channel_name="项目群")
    assert row.skip_reason == Delivery.SkipReason.OWNER_GONE


def test_a_failed_row_is_sent_again_by_its_own_task(subscription, robot, channel):
    robot.queue(status=500)
    with pytest.raises(services.DeliveryIncomplete):
        services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    row = Delivery.objects.get(channel=channel)
    assert "500" in row.error
    assert send_delivery(row.pk) == Delivery.Status.SENT
    assert send_delivery(row.pk) == Delivery.Status.SENT  # a second delivery does nothing
    assert len(robot.requests) == 2


def test_saving_needs_email_or_a_channel(english, pmo_user):
    with pytest.raises(ValidationError, match="chat channel"):
        services.subscription_save(
            actor=pmo_user,
            name="Nowhere",
            kind="portfolio_status",
            language="en",
            frequency="weekly",
            weekday=0,
            hour=8,
            send_email=False,
        )
