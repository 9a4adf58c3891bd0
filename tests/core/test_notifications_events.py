"""The duty apps emit their kinds of events: overdue status, escalations, waiting gates."""

import datetime as dt

import pytest
from django.utils import timezone

from delivery import tasks as delivery_tasks
from delivery.models import Issue
from delivery.services import issues
from pmo.core import services
from pmo.core.models import ChannelPost, EventRoute, Notification, NotificationPreference
from pmo.core.registry import registry
from tests import webhooks
from tests.webhooks import make_channel, verify_feishu_signature

pytestmark = pytest.mark.django_db
fake_webhook = webhooks.fake_webhook

APP_KINDS = {
    "status_due",
    "status_overdue",
    "escalation_raised",
    "escalation_overdue",
    "gate_waiting",
    "loan_due",
    "loan_overdue",
    "evaluation_deadline",
}


def test_the_apps_register_their_kinds_of_events():
    assert set(registry.event_kinds) >= APP_KINDS
    for code in APP_KINDS:
        kind = registry.event_kinds[code]
        assert str(kind.label) and str(kind.description)
        assert kind.default in ("instant", "digest", "app")


def test_an_overdue_status_report_is_an_event(
    project, mailoutbox, django_capture_on_commit_callbacks
):
    from pmo.core.models import Project

    Project.objects.filter(pk=project.pk).update(actual_start=dt.date(2024, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        delivery_tasks.send_status_reminders()
    note = Notification.objects.get(event="status_overdue")
    assert note.recipient == project.manager.user
    assert note.delivery == "instant"
    assert [m.to for m in mailoutbox] == [[project.manager.user.email]]


def test_escalations_reach_the_routed_group_and_honour_preferences(
    project, pm_user, pmo_user, fake_webhook, mailoutbox, django_capture_on_commit_callbacks
):
    channel = make_channel(fake_webhook, kind="feishu", secret="esc-secret")
    EventRoute.objects.create(event="escalation_raised", channel=channel)
    EventRoute.objects.create(event="escalation_overdue", channel=channel)
    services.notification_preferences_set(user=pmo_user, choices={"escalation_overdue": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        issue = issues.issue_raise(
            project=project, actor=pm_user, title="停机", severity="critical"
        )
    Issue.objects.filter(pk=issue.pk).update(level_since=timezone.now() - dt.timedelta(hours=30))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_tasks.escalate_overdue_issues() == 1
    notes = Notification.objects.filter(event="escalation_overdue")
    assert notes.exists()
    mine = notes.filter(recipient=pmo_user).get()
    assert mine.delivery == "digest"
    assert pmo_user.email not in [m.to[0] for m in mailoutbox]
    (post,) = ChannelPost.objects.filter(event="escalation_overdue")
    assert post.status == ChannelPost.Status.SENT
    (request,) = [r for r in fake_webhook.requests if "停机" in r.text]
    assert verify_feishu_signature(request.body, "esc-secret")


def test_preferences_for_an_app_kind_show_on_the_page(client_for, member_user):
    NotificationPreference.objects.create(user=member_user, event="loan_due", delivery="digest")
    client = client_for("member")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/notifications/preferences/").content.decode()
    assert "Archive loan due soon" in page and "Gate waiting for a decision" in page


def test_demo_channels_are_valid_inactive_and_seeded_once(pmo_user, executive_user):
    from collections import Counter
    from types import SimpleNamespace

    from pmo.core import notify
    from pmo.core.models import Channel

    demo = SimpleNamespace(users={"pmo": pmo_user, "exec": executive_user}, created=Counter())
    notify.seed_demo(demo)
    notify.seed_demo(demo)
    channels = list(Channel.objects.all())
    assert {c.kind for c in channels} == {"dingtalk", "feishu"}
    for channel in channels:
        channel.full_clean()
        assert not channel.is_active
        assert channel.routes.exists() and channel.posts.count() == 2
    assert set(
        NotificationPreference.objects.filter(user=executive_user).values_list("event", flat=True)
    ) == {"escalation_raised", "gate_waiting"}
