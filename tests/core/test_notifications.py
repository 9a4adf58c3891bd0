"""Event notifications: preferences, chat-robot routes, the daily digest and their pages."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pmo.core import notify, roles, services
from pmo.core.models import (
    ChannelPost,
    Delivery,
    EventRoute,
    Notification,
    NotificationPreference,
    UserPreference,
)
from pmo.core.registry import EventKind, registry
from pmo.core.tasks import channel_post_send, notification_digest
from tests import webhooks
from tests.core.factories import UserFactory
from tests.webhooks import make_channel, verify_dingtalk_signature

pytestmark = pytest.mark.django_db
fake_webhook = webhooks.fake_webhook


@pytest.fixture
def kinds(monkeypatch):
    """Three kinds, one per default delivery."""
    made = {
        "kind_instant": EventKind(code="kind_instant", label="Instant kind", default="instant"),
        "kind_digest": EventKind(code="kind_digest", label="Digest kind", default="digest"),
        "kind_app": EventKind(
            code="kind_app", label="App kind", description="Shown in the app.", default="app"
        ),
    }
    # Only these kinds, whatever the apps register.
    monkeypatch.setattr(registry, "event_kinds", dict(made))
    return made


@pytest.fixture
def alice():
    return UserFactory(username="alice", email="alice@example.com")


@pytest.fixture
def bob():
    return UserFactory(username="bob", email="bob@example.com")


def send(recipients, event, capture, **kw):
    with capture(execute=True):
        return services.notification_send(
            recipients=recipients, title=kw.pop("title", "Gate G2 waiting"), event=event, **kw
        )


# --- preferences ---------------------------------------------------------------------------


def test_kind_default_applies_without_a_choice(
    kinds, alice, mailoutbox, django_capture_on_commit_callbacks
):
    notes = send([alice], "kind_instant", django_capture_on_commit_callbacks)
    assert notes[0].delivery == Delivery.INSTANT and notes[0].event == "kind_instant"
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]
    mailoutbox.clear()
    notes = send([alice], "kind_digest", django_capture_on_commit_callbacks)
    assert notes[0].delivery == Delivery.DIGEST and mailoutbox == []
    notes = send([alice], "kind_app", django_capture_on_commit_callbacks, email=True)
    assert notes[0].delivery == Delivery.APP and mailoutbox == []


def test_each_recipient_gets_their_own_choice(
    kinds, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    services.notification_preferences_set(user=alice, choices={"kind_instant": "digest"})
    services.notification_preferences_set(user=bob, choices={"kind_instant": "app"})
    carol = UserFactory(username="carol", email="carol@example.com")
    notes = send(
        [alice, bob, carol, None, alice], "kind_instant", django_capture_on_commit_callbacks
    )
    by_user = {n.recipient.username: n.delivery for n in notes}
    assert by_user == {"alice": "digest", "bob": "app", "carol": "instant"}
    assert [m.to for m in mailoutbox] == [["carol@example.com"]]


def test_plain_messages_keep_their_behaviour(alice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = services.notification_send(recipients=[alice], title="Hello", email=True)
        services.notification_send(recipients=[alice], title="Quiet")
    assert note.event == "" and note.delivery == Delivery.INSTANT
    assert [m.subject for m in mailoutbox] == ["Hello"]


def test_preferences_refuse_unknown_kinds_and_deliveries(kinds, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.notification_preferences_set(user=alice, choices={"nope": "app"})
    with pytest.raises(ValidationError):
        services.notification_preferences_set(user=alice, choices={"kind_app": "fax"})
    assert not NotificationPreference.objects.exists()


# --- routes to chat channels ----------------------------------------------------------------


def test_routed_event_posts_one_card_whatever_the_recipients(
    kinds, alice, bob, fake_webhook, django_capture_on_commit_callbacks
):
    channel = make_channel(fake_webhook, kind="dingtalk", secret="SECroute")
    EventRoute.objects.create(event="kind_app", channel=channel)
    send(
        [alice, bob],
        "kind_app",
        django_capture_on_commit_callbacks,
        body="ERP 升级 needs the gate decision",
        url="/projects/7/",
    )
    (request,) = fake_webhook.requests
    assert verify_dingtalk_signature(request.query, "SECroute")
    card = request.body["actionCard"]
    assert card["title"] == "Gate G2 waiting"
    assert "ERP 升级 needs the gate decision" in card["text"]
    assert card["singleURL"].endswith("/projects/7/")
    post = ChannelPost.objects.get()
    assert post.status == ChannelPost.Status.SENT and post.attempts == 1


def test_a_task_delivered_twice_posts_once(
    kinds, alice, fake_webhook, django_capture_on_commit_callbacks
):
    channel = make_channel(fake_webhook, kind="wecom")
    EventRoute.objects.create(event="kind_app", channel=channel)
    send([alice], "kind_app", django_capture_on_commit_callbacks)
    post = ChannelPost.objects.get()
    channel_post_send.delay(post.pk)
    channel_post_send.delay(post.pk)
    assert len(fake_webhook.requests) == 1


def test_unrouted_and_inactive_channels_get_nothing(
    kinds, alice, fake_webhook, django_capture_on_commit_callbacks
):
    inactive = make_channel(fake_webhook, kind="feishu", is_active=False)
    other = make_channel(fake_webhook, kind="wecom")
    EventRoute.objects.create(event="kind_app", channel=inactive)
    EventRoute.objects.create(event="kind_digest", channel=other)
    send([alice], "kind_app", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipients=[alice], title="plain")
    assert fake_webhook.requests == []
    assert not ChannelPost.objects.exists()


def test_a_refusing_robot_is_retried_then_marked_failed(
    kinds, alice, fake_webhook, django_capture_on_commit_callbacks
):
    channel = make_channel(fake_webhook, kind="feishu")
    fake_webhook.answer(body={"code": 9499, "msg": "Bad Request"})
    EventRoute.objects.create(event="kind_app", channel=channel)
    send([alice], "kind_app", django_capture_on_commit_callbacks)
    post = ChannelPost.objects.get()
    assert post.status == ChannelPost.Status.FAILED
    assert post.attempts == notify.CHANNEL_POST_MAX_ATTEMPTS
    assert "Bad Request" in post.error
    assert len(fake_webhook.requests) == notify.CHANNEL_POST_MAX_ATTEMPTS


def test_a_robot_that_recovers_is_sent(kinds, alice, fake_webhook):
    channel = make_channel(fake_webhook, kind="dingtalk")
    fake_webhook.queue(status=502)
    post = ChannelPost.objects.create(channel=channel, event="kind_app", title="t")
    assert notify.channel_post_send(post.pk) == ChannelPost.Status.PENDING
    assert notify.channel_post_send(post.pk) == ChannelPost.Status.SENT
    post.refresh_from_db()
    assert post.attempts == 2 and post.error == ""


def test_a_channel_deactivated_before_sending_gets_nothing(kinds, fake_webhook):
    channel = make_channel(fake_webhook, kind="dingtalk", is_active=False)
    post = ChannelPost.objects.create(channel=channel, event="kind_app", title="t")
    assert notify.channel_post_send(post.pk) == ChannelPost.Status.FAILED
    assert fake_webhook.requests == []


# --- the daily digest ------------------------------------------------------------------------


def test_digest_is_sent_once_a_day(
    kinds, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    send([alice, bob], "kind_digest", django_capture_on_commit_callbacks, title="First")
    send([alice], "kind_digest", django_capture_on_commit_callbacks, title="Second")
    send([bob], "kind_app", django_capture_on_commit_callbacks, title="Not in a digest")
    assert notification_digest.delay().get() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.com", "bob@example.com"]
    alice_mail = next(m for m in mailoutbox if m.to == ["alice@example.com"])
    assert "First" in alice_mail.body and "Second" in alice_mail.body
    assert "Not in a digest" not in "".join(m.body for m in mailoutbox)
    html = alice_mail.alternatives[0][0]
    assert "First" in html and "/notifications/preferences/" in html
    # The beat delivers the task again: nothing more.
    notification_digest.delay()
    assert len(mailoutbox) == 2
    # Later the same day a new digest notification waits for tomorrow.
    send([alice], "kind_digest", django_capture_on_commit_callbacks, title="Third")
    notification_digest.delay()
    assert len(mailoutbox) == 2
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert notify.digest_send(user=alice, today=tomorrow) == 1
    assert len(mailoutbox) == 3 and "Third" in mailoutbox[-1].body
    assert "First" not in mailoutbox[-1].body


def test_users_without_digest_notifications_get_no_mail(kinds, alice, mailoutbox):
    assert notification_digest.delay().get() == 0
    assert notify.digest_send(user=alice) == 0
    assert mailoutbox == []
    # No day is claimed for nothing: a digest notification later today still goes out.
    assert UserPreference.objects.get(user=alice).digest_sent_on is None


def test_digest_is_in_the_users_language(
    kinds, alice, mailoutbox, django_capture_on_commit_callbacks
):
    services.user_language_set(user=alice, language="en")
    send([alice], "kind_digest", django_capture_on_commit_callbacks)
    notify.digest_send(user=alice)
    (mail,) = mailoutbox
    assert mail.subject == "PMO daily digest: 1 notification"
    assert "Digest kind" in mail.body


def test_digest_in_chinese(kinds, alice, mailoutbox, django_capture_on_commit_callbacks):
    services.user_language_set(user=alice, language="zh-hans")
    send([alice], "kind_digest", django_capture_on_commit_callbacks)
    notify.digest_send(user=alice)
    (mail,) = mailoutbox
    assert '<html lang="zh-hans">' in mail.alternatives[0][0]


def test_a_mail_server_error_releases_the_claims(
    kinds, alice, settings, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    send([alice], "kind_digest", django_capture_on_commit_callbacks)

    def refuse(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        notify.digest_send(user=alice)
    assert Notification.objects.get().digested_at is None
    monkeypatch.undo()
    assert notify.digest_send(user=alice) == 1
    assert len(mailoutbox) == 1


def test_the_digest_is_scheduled_daily():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module(
        "pmo.core.migrations.0006_chat_channels_and_event_notifications"
    )
    # A transactional test elsewhere may have flushed the row the migration made.
    migration.create_digest_schedule(apps, None)
    migration.create_digest_schedule(apps, None)
    task = PeriodicTask.objects.get(task="pmo.core.tasks.notification_digest")
    assert task.enabled and task.crontab.hour == "8" and task.crontab.minute == "0"
    from pmo.celery import app

    app.loader.import_default_modules()
    assert task.task in app.tasks


# --- the preferences page ----------------------------------------------------------------------


def test_preferences_page_lists_every_kind(client_for, kinds):
    client = client_for("member")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("core:notification_preferences")).content.decode()
    for kind in kinds.values():
        assert str(kind.label) in page
    assert "Shown in the app." in page
    assert "Daily digest e-mail" in page


def test_preferences_are_saved_from_the_page(client_for, member_user, kinds):
    client = client_for("member")
    data = {"event_kind_instant": "digest", "event_kind_digest": "app", "event_kind_app": "app"}
    response = client.post(reverse("core:notification_preferences"), data)
    assert response.status_code == 302
    saved = dict(
        NotificationPreference.objects.filter(user=member_user).values_list("event", "delivery")
    )
    assert saved == {"kind_instant": "digest", "kind_digest": "app", "kind_app": "app"}
    page = client.get(reverse("core:notification_preferences")).content.decode()
    assert re.search(r'value="digest"[^>]*id="id_event_kind_instant_2"[^>]*checked', page)


def test_bad_preferences_rerender_and_save_nothing(client_for, member_user, kinds):
    client = client_for("member")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse("core:notification_preferences"),
        {"event_kind_instant": "fax", "event_kind_digest": "app"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice." in page and "This field is required." in page
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("role", ["pmo", "executive", "pm", "other_pm", "reviewer", "member"])
def test_everyone_signed_in_has_preferences(client_for, kinds, role):
    assert client_for(role).get(reverse("core:notification_preferences")).status_code == 200


def test_anonymous_is_sent_to_log_in(client_for):
    response = client_for("anonymous").get(reverse("core:notification_preferences"))
    assert response.status_code == 302 and "/login" in response["Location"]
    response = client_for("anonymous").post(reverse("core:notification_preferences"), {})
    assert response.status_code == 302


@pytest.mark.parametrize("count", [3, 30])
def test_preferences_page_queries_stay_flat(
    client_for, member_user, monkeypatch, count, django_assert_max_num_queries
):
    monkeypatch.setattr(
        registry,
        "event_kinds",
        {f"kind_{i}": EventKind(code=f"kind_{i}", label=f"Kind {i}") for i in range(count)},
    )
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=member_user, event=f"kind_{i}", delivery="digest")
            for i in range(0, count, 2)
        ]
    )
    client = client_for("member")
    client.get(reverse("core:notification_preferences"))
    with django_assert_max_num_queries(11):
        response = client.get(reverse("core:notification_preferences"))
    assert response.content.decode().count('value="digest"') == count


def test_the_account_page_links_to_preferences(client_for):
    page = client_for("member").get(reverse("core:account")).content.decode()
    assert reverse("core:notification_preferences") in page


def test_pmo_admins_see_the_channels_in_the_menu(client, kinds):
    admin = UserFactory(username="boss", groups=[roles.PMO_ADMIN])
    client.force_login(admin)
    assert (
        reverse("core:channel_list") in client.get(reverse("core:notifications")).content.decode()
    )


def test_the_notification_list_links_to_preferences(client_for):
    page = client_for("pm").get(reverse("core:notifications")).content.decode()
    assert reverse("core:notification_preferences") in page
