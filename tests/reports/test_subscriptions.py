"""Subscriptions: saved through the service, mirrored as a beat schedule, edited in the UI."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from pmo.reports import services
from pmo.reports.models import Delivery, Subscription
from tests.reports.factories import DeliveryFactory, SubscriptionFactory


def save(actor, **fields):
    defaults = {
        "name": "周报",
        "kind": "project_register",
        "language": "zh-hans",
        "frequency": "weekly",
        "weekday": 0,
        "hour": 8,
        "users": [actor],
    }
    return services.subscription_save(actor=actor, **{**defaults, **fields})


def test_saving_creates_a_periodic_task_with_the_crontab(pmo_user):
    subscription = save(pmo_user, weekday=4, hour=17)  # Friday 17:00
    task = PeriodicTask.objects.get(pk=subscription.periodic_task_id)
    assert task.task == "pmo.reports.tasks.deliver_subscription"
    assert json.loads(task.args) == [subscription.pk]
    assert task.enabled
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year) == (
        "0",
        "17",
        "5",
        "*",
        "*",
    )
    assert str(cron.timezone) == "Asia/Shanghai"


def test_saving_again_updates_the_same_task(pmo_user):
    subscription = save(pmo_user)
    task_id = subscription.periodic_task_id
    save(
        pmo_user,
        subscription=subscription,
        frequency="monthly",
        day_of_month=3,
        hour=9,
        is_active=False,
    )
    subscription.refresh_from_db()
    assert subscription.periodic_task_id == task_id
    assert subscription.weekday is None  # the monthly schedule keeps no weekday
    task = PeriodicTask.objects.get(pk=task_id)
    assert (task.crontab.hour, task.crontab.day_of_week, task.crontab.day_of_month) == (
        "9",
        "*",
        "3",
    )
    assert not task.enabled
    assert PeriodicTask.objects.filter(task=services.DELIVER_TASK).count() == 1


def test_sunday_is_day_zero_for_cron(pmo_user):
    subscription = save(pmo_user, weekday=6)
    assert subscription.periodic_task.crontab.day_of_week == "0"


def test_daily_schedule_runs_every_day(pmo_user):
    subscription = save(pmo_user, frequency="daily", weekday=None, hour=7)
    cron = subscription.periodic_task.crontab
    assert (cron.hour, cron.day_of_week, cron.day_of_month) == ("7", "*", "*")


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"users": []}, "users"),
        ({"frequency": "weekly", "weekday": None}, "weekday"),
        ({"frequency": "monthly", "day_of_month": None}, "day_of_month"),
        ({"frequency": "monthly", "day_of_month": 31}, "__all__"),
        ({"hour": 24}, "__all__"),
        ({"kind": "no_such_report"}, "kind"),
        ({"language": "fr"}, "language"),
    ],
)
def test_invalid_subscriptions_are_refused(pmo_user, fields, error_field):
    with pytest.raises(ValidationError) as error:
        save(pmo_user, **fields)
    assert error_field in error.value.message_dict
    assert not Subscription.objects.exists()
    assert not PeriodicTask.objects.filter(task=services.DELIVER_TASK).exists()


def test_changes_are_kept_in_the_history(pmo_user):
    subscription = save(pmo_user)
    save(pmo_user, subscription=subscription, name="新名称")
    history = subscription.history.order_by("history_date")
    assert [h.name for h in history][0] == "周报"
    latest = history.last()
    assert (latest.name, latest.history_user) == ("新名称", pmo_user)
    assert [row.user_id for row in latest.users.all()] == [pmo_user.pk]  # recipients too


def test_deleting_removes_the_schedule_and_keeps_the_log(pmo_user):
    subscription = save(pmo_user)
    task_id = subscription.periodic_task_id
    DeliveryFactory(subscription=subscription)
    services.subscription_delete(subscription=subscription, actor=pmo_user)
    assert not PeriodicTask.objects.filter(pk=task_id).exists()
    assert Delivery.objects.get().subscription is None


def test_a_recipient_has_one_delivery_row_per_period(db):
    delivery = DeliveryFactory()
    with pytest.raises(IntegrityError):
        DeliveryFactory(
            subscription=delivery.subscription,
            period_start=delivery.period_start,
            email=delivery.email,
        )


def test_pmo_creates_a_subscription_in_the_ui(client_for, pmo_user, executive_user):
    response = client_for("pmo").post(
        reverse("reports:subscription_create"),
        {
            "name": "高管周报",
            "kind": "project_register",
            "users": [executive_user.pk],
            "language": "zh-hans",
            "frequency": "weekly",
            "weekday": "0",
            "hour": "8",
            "is_active": "on",
            "send_email": "on",
        },
    )
    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == subscription.get_absolute_url()
    assert list(subscription.users.all()) == [executive_user]
    assert subscription.owner == pmo_user
    assert subscription.periodic_task.crontab.day_of_week == "1"


def test_the_form_reports_missing_recipients(client_for):
    response = client_for("pmo").post(
        reverse("reports:subscription_create"),
        {
            "name": "x",
            "kind": "project_register",
            "language": "en",
            "frequency": "daily",
            "hour": "8",
            "send_email": "on",
        },
    )
    assert response.status_code == 422
    assert "请至少选择一名接收人或一个组。" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_subscription_page_shows_its_delivery_log(client_for):
    subscription = SubscriptionFactory()
    DeliveryFactory(subscription=subscription, email="boss@example.com")
    page = client_for("pmo").get(subscription.get_absolute_url()).content.decode()
    assert "boss@example.com" in page
    assert 'id="delivery-log"' in page


def test_editing_in_the_ui_updates_the_schedule(client_for, pmo_user):
    subscription = save(pmo_user)
    response = client_for("pmo").post(
        subscription.get_absolute_url(),
        {
            "name": "月报",
            "kind": "project_register",
            "users": [pmo_user.pk],
            "language": "en",
            "frequency": "monthly",
            "day_of_month": "1",
            "hour": "6",
            "send_email": "on",
        },
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.language, subscription.is_active) == (
        "月报",
        "en",
        False,
    )
    task = subscription.periodic_task
    assert (task.crontab.day_of_month, task.crontab.hour, task.enabled) == ("1", "6", False)


def test_send_now_delivers_in_the_background(
    client_for, pmo_user, project, django_capture_on_commit_callbacks, mailoutbox
):
    subscription = save(pmo_user, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("pmo").post(reverse("reports:subscription_send", args=[subscription.pk]))
    assert [m.to for m in mailoutbox] == [["pmo@example.com"]]
