"""The delivery log pages, retrying from them, and the PDF preview of a subscription."""

import datetime as dt

import pytest
from django.urls import reverse

from pmo.reports.models import Delivery, ReportRun, Subscription
from tests.reports.factories import DeliveryFactory, ReportRunFactory, SubscriptionFactory
from tests.reports.test_queries import count_queries

ROLES = ("pmo", "executive", "pm", "other_pm", "reviewer", "member", "anonymous")

# url name, method, args key, status for: pmo, executive, pm, other_pm, reviewer, member, anon
MATRIX = [
    ("reports:deliveries", "get", None, (200, 403, 403, 403, 403, 403, 302)),
    ("reports:subscription_deliveries", "get", "subscription", (200, 403, 403, 403, 403, 403, 302)),
    ("reports:delivery_retry", "post", "failed", (302, 403, 403, 403, 403, 403, 302)),
    ("reports:subscription_preview", "post", None, (422, 403, 403, 403, 403, 403, 302)),
]
CASES = [
    pytest.param(name, method, key, role, codes[i], id=f"{name}-{role}")
    for name, method, key, codes in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "method", "key", "role", "expected"), CASES)
def test_log_permission_matrix(client_for, db, name, method, key, role, expected):
    objects = {
        "subscription": lambda: SubscriptionFactory().pk,
        "failed": lambda: DeliveryFactory(status=Delivery.Status.FAILED).pk,
    }
    url = reverse(name, args=[objects[key]()] if key else [])
    client = client_for(role)
    response = client.post(url) if method == "post" else client.get(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_missing_rows_are_not_found(client_for, db):
    client = client_for("pmo")
    assert client.get(reverse("reports:subscription_deliveries", args=[999999])).status_code == 404
    assert client.post(reverse("reports:delivery_retry", args=[999999])).status_code == 404


def test_the_log_shows_status_attempts_error_reason_and_the_run(client_for, english):
    run = ReportRunFactory(done=True)
    subscription = SubscriptionFactory(name="Board pack")
    DeliveryFactory(subscription=subscription, run=run, email="ok@example.com", attempts=1)
    DeliveryFactory(
        subscription=subscription,
        status=Delivery.Status.FAILED,
        email="bad@example.com",
        error="SMTPServerDisconnected: gone",
        attempts=3,
    )
    DeliveryFactory(
        subscription=subscription,
        status=Delivery.Status.SKIPPED,
        skip_reason=Delivery.SkipReason.NOT_ALLOWED,
        email="former@example.com",
    )
    page = (
        client_for("pmo")
        .get(reverse("reports:deliveries"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Board pack" in page
    assert "SMTPServerDisconnected: gone" in page
    assert "No longer allowed to read this report." in page
    assert run.get_download_url() in page
    assert page.count("Send again") == 1


def test_the_log_filters_by_status(client_for, db):
    subscription = SubscriptionFactory()
    DeliveryFactory(subscription=subscription, email="ok@example.com")
    DeliveryFactory(subscription=subscription, email="bad@example.com", status="failed")
    url = reverse("reports:subscription_deliveries", args=[subscription.pk])
    page = client_for("pmo").get(url, {"status": "failed"}).content.decode()
    assert "bad@example.com" in page
    assert "ok@example.com" not in page
    partial = client_for("pmo").get(url, {"status": "sent"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "ok@example.com" in partial.content.decode()


def test_retrying_a_failed_row_sends_it_again(
    client_for, pmo_user, project, django_capture_on_commit_callbacks, mailoutbox
):
    from pmo.reports import services

    subscription = services.subscription_save(
        actor=pmo_user,
        name="Register",
        kind="project_register",
        language="en",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[pmo_user],
    )
    services.subscription_deliver(subscription_id=subscription.pk)
    row = Delivery.objects.get()
    Delivery.objects.filter(pk=row.pk).update(status=Delivery.Status.FAILED, error="timeout")
    mailoutbox.clear()
    url = reverse("reports:delivery_retry", args=[row.pk])
    back = reverse("reports:subscription_deliveries", args=[subscription.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("pmo").post(url, {"next": back})
    assert response["Location"] == back
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (Delivery.Status.SENT, 2, "")
    assert [m.to for m in mailoutbox] == [["pmo@example.com"]]


def test_a_sent_row_is_not_retried(client_for, db, django_capture_on_commit_callbacks):
    row = DeliveryFactory(status=Delivery.Status.SENT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for("pmo").post(
            reverse("reports:delivery_retry", args=[row.pk]), {"next": "https://evil.example/"}
        )
    assert response["Location"] == reverse("reports:deliveries")
    assert callbacks == []


@pytest.mark.parametrize("scoped", [False, True], ids=["all", "one-subscription"])
def test_log_queries_stay_flat(client_for, people, django_assert_max_num_queries, scoped):
    from pmo.core.models import Channel

    client = client_for("pmo")
    channel = Channel.objects.create(
        name="群",
        kind="wecom",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    )
    subscription = SubscriptionFactory(users=people)
    run = ReportRunFactory(done=True)
    url = (
        reverse("reports:subscription_deliveries", args=[subscription.pk])
        if scoped
        else reverse("reports:deliveries")
    )

    def log(n, offset):
        for i in range(n):
            target = {"email": f"r{offset + i}@example.com", "recipient": people[i % 2]}
            if i % 3 == 0:
                target = {"channel": channel, "channel_name": channel.name, "email": ""}
                DeliveryFactory(
                    subscription=SubscriptionFactory(users=people) if not scoped else subscription,
                    run=run,
                    status="failed",
                    period_start=dt.date(2026, 1, 5) + dt.timedelta(weeks=offset + i),
                    **target,
                )
            else:
                DeliveryFactory(subscription=subscription, run=run, **target)

    log(3, 0)
    few = count_queries(client, url)
    log(27, 3)
    many = count_queries(client, url, django_assert_max_num_queries)
    assert many == few


@pytest.fixture
def people(db):
    from tests.core.factories import PersonFactory, UserFactory

    users = [UserFactory(username=f"reader{i}") for i in range(2)]
    for user in users:
        PersonFactory(user=user)
    return users


FORM = {
    "name": "预览",
    "kind": "project_register",
    "language": "en",
    "frequency": "quarterly",
    "day_of_month": "1",
    "hour": "8",
    "send_email": "on",
}


def test_preview_renders_the_pdf_inline_without_saving(client_for, pmo_user, project):
    response = client_for("pmo").post(
        reverse("reports:subscription_preview"), {**FORM, "users": [pmo_user.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    assert not Subscription.objects.exists()
    assert not ReportRun.objects.exists()


def test_an_invalid_preview_shows_the_errors_and_no_pdf(client_for, db):
    response = client_for("pmo").post(
        reverse("reports:subscription_preview"), {**FORM, "day_of_month": ""}
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "请选择发送日期（每月几号）。" in page or 'class="errorlist' in page
    assert not Subscription.objects.exists()


def test_the_form_offers_quarterly_schedules_and_saves_the_filters(client_for, pmo_user):
    from pmo.core.models import Channel
    from tests.core.factories import OrgUnitFactory

    unit = OrgUnitFactory()
    channel = Channel.objects.create(
        name="群", kind="feishu", webhook_url="https://open.feishu.cn/open-apis/bot/v2/hook/x"
    )
    response = client_for("pmo").post(
        reverse("reports:subscription_create"),
        {
            **FORM,
            "users": [pmo_user.pk],
            "org_unit": unit.pk,
            "classification": "major",
            "channels": [channel.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.params == {"org_unit": unit.pk, "classification": "major"}
    assert list(subscription.channels.all()) == [channel]
    cron = subscription.periodic_task.crontab
    assert (cron.day_of_month, cron.month_of_year) == ("1", "1,4,7,10")


def test_a_classification_is_refused_for_a_report_without_projects(client_for, pmo_user):
    from pmo.core.registry import registry

    unscoped = next(code for code, kind in registry.report_kinds.items() if not kind.scoped)
    response = client_for("pmo").post(
        reverse("reports:subscription_create"),
        {**FORM, "kind": unscoped, "users": [pmo_user.pk], "classification": "major"},
    )
    assert response.status_code == 422
    assert not Subscription.objects.exists()
