"""Scheduled delivery: each recipient gets each period's report once, in its language."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from pmo.core import roles
from pmo.reports import services
from pmo.reports.models import Delivery, ReportRun
from pmo.reports.tasks import deliver_subscription
from tests.core.factories import UserFactory

TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def subscription(pmo_user, executive_user, project):
    """Weekly, in English, to the executive directly and to the PMO staff group."""
    pmo_user.email = "PMO@example.com"  # same address twice, differently spelled
    pmo_user.save()
    return services.subscription_save(
        actor=pmo_user,
        name="Weekly register",
        kind="project_register",
        language="en",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[executive_user, pmo_user],
        group=Group.objects.get(name=roles.PMO_STAFF),
    )


def test_delivering_twice_sends_one_email_per_recipient(subscription, pmo_user):
    UserFactory(username="pmo2", email="pmo2@example.com", groups=[roles.PMO_STAFF])
    UserFactory(
        username="gone", email="gone@example.com", groups=[roles.PMO_STAFF], is_active=False
    )
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["executive@example.com", "pmo@example.com", "pmo2@example.com"])
    rows = Delivery.objects.filter(subscription=subscription)
    assert rows.count() == 3
    assert set(rows.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert ReportRun.objects.count() == 1


def test_the_email_is_in_the_subscription_language_with_the_pdf(subscription):
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    message = mail.outbox[0]
    assert message.subject == "Project register for 2026-W10"
    assert "Attached is the Project register for 2026-W10 (2026-03-02 – 2026-03-08)" in message.body
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("Project register-2026-W10.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    run = ReportRun.objects.get()
    assert (run.language, run.period_label) == ("en", "2026-W10")


def test_a_new_period_is_sent_again(subscription):
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    sent = len(mail.outbox)
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY + dt.timedelta(7))
    assert len(mail.outbox) == 2 * sent
    assert ReportRun.objects.count() == 2


def test_a_failed_send_is_retried_but_sent_ones_are_not(subscription):
    real_send = mail.EmailMessage.send

    def flaky(message, *args, **kwargs):
        if "executive@example.com" in message.to:
            raise OSError("connection refused")
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(mail.EmailMessage, "send", flaky),
        pytest.raises(services.DeliveryIncomplete),
    ):
        services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    failed = Delivery.objects.get(email="executive@example.com")
    assert failed.status == Delivery.Status.FAILED
    assert "connection refused" in failed.error
    first_round = len(mail.outbox)
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert [m.to for m in mail.outbox[first_round:]] == [["executive@example.com"]]


def test_a_report_that_cannot_be_made_sends_nothing_and_retries(subscription, broken_kind):
    subscription.kind = "broken"
    subscription.save()
    with pytest.raises(services.DeliveryIncomplete):
        services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_an_inactive_subscription_sends_nothing(subscription):
    subscription.is_active = False
    subscription.save()
    assert deliver_subscription(subscription.pk) == 0
    assert mail.outbox == []


def test_the_beat_task_delivers_by_id(subscription):
    assert deliver_subscription(subscription.pk) == 2
    assert len(mail.outbox) == 2


def test_only_recipients_who_may_read_the_report_are_sent_it(subscription, member_user):
    subscription.users.add(member_user)
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert "member@example.com" not in [a for m in mail.outbox for a in m.to]
    skipped = Delivery.objects.get(email="member@example.com")
    assert skipped.status == Delivery.Status.SKIPPED
    assert skipped.skip_reason == Delivery.SkipReason.NOT_ALLOWED


def test_users_without_an_email_address_are_skipped(subscription, executive_user):
    executive_user.email = ""
    executive_user.save()
    executive_user.person.email = ""
    executive_user.person.save()
    emails = [email for _user, email in services.subscription_recipients(subscription)]
    assert emails == ["pmo@example.com"]


def test_a_deactivated_recipient_is_logged_as_skipped_not_sent(subscription, executive_user):
    executive_user.is_active = False
    executive_user.save()
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert "executive@example.com" not in [a for m in mail.outbox for a in m.to]
    row = Delivery.objects.get(email="executive@example.com")
    assert (row.status, row.skip_reason, row.attempts) == (
        Delivery.Status.SKIPPED,
        Delivery.SkipReason.DEACTIVATED,
        0,
    )


def test_permission_is_checked_again_when_a_failed_email_is_retried(subscription, executive_user):
    real_send = mail.EmailMessage.send

    def refuse_executive(message, *args, **kwargs):
        if "executive@example.com" in message.to:
            raise OSError("421 try later")
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(mail.EmailMessage, "send", refuse_executive),
        pytest.raises(services.DeliveryIncomplete),
    ):
        services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    executive_user.groups.clear()  # no longer an executive: may not read the register
    sent = len(mail.outbox)
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert len(mail.outbox) == sent
    row = Delivery.objects.get(email="executive@example.com")
    assert (row.status, row.skip_reason, row.attempts) == (
        Delivery.Status.SKIPPED,
        Delivery.SkipReason.NOT_ALLOWED,
        1,
    )


def test_a_skipped_recipient_given_the_permission_back_is_sent_the_report(
    subscription, executive_user
):
    group = executive_user.groups.get()
    executive_user.groups.clear()
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    executive_user.groups.add(group)
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert [m.to for m in mail.outbox].count(["executive@example.com"]) == 1
    assert Delivery.objects.get(email="executive@example.com").status == Delivery.Status.SENT


def test_a_quarterly_subscription_sends_the_quarters_report(subscription):
    subscription.frequency, subscription.weekday, subscription.day_of_month = "quarterly", None, 1
    subscription.save()
    services.subscription_deliver(subscription_id=subscription.pk, today=dt.date(2026, 11, 2))
    run = ReportRun.objects.get()
    assert (run.period_label, run.period_start, run.period_end) == (
        "2026-Q4",
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert mail.outbox[0].subject == "Project register for 2026-Q4"


def test_each_email_links_to_its_report(subscription):
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    run = ReportRun.objects.get()
    assert f"/reports/{run.pk}/preview/" in mail.outbox[0].body
