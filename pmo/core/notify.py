"""How event notifications reach people: preferences, chat-robot routes and the digest.

``pmo.core.services.notification_send(..., event=code)`` asks this module how each
recipient wants that kind of event (in the app only, e-mail at once, or the daily
digest) and which chat channels the PMO routed it to. The Celery tasks in
``pmo.core.tasks`` then post the cards and e-mail the digests, each claiming its work
so that a task delivered twice does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pmo.core.channels import ChannelError, absolute_url, post_card
from pmo.core.models import (
    ChannelPost,
    Delivery,
    EventRoute,
    Notification,
    NotificationPreference,
    UserPreference,
)
from pmo.core.registry import EventKind, registry

logger = logging.getLogger(__name__)

CHANNEL_POST_MAX_ATTEMPTS = 4


def event_kind(code: str) -> EventKind | None:
    return registry.event_kinds.get(code)


def default_delivery(code: str) -> str:
    kind = event_kind(code)
    if kind is not None and kind.default in Delivery.values:
        return kind.default
    return Delivery.INSTANT


def deliveries_for(user_ids, code: str) -> dict[int, str]:
    """How each user wants events of kind ``code``: their choice, else the kind's default
    (one query)."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=list(user_ids), event=code).values_list(
            "user_id", "delivery"
        )
    )
    fallback = default_delivery(code)
    return {uid: chosen.get(uid, fallback) for uid in user_ids}


def preferences_of(user) -> list[tuple[EventKind, str, bool]]:
    """Every registered event kind with the user's delivery for it and whether it is
    their own choice (False: the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("event", "delivery"))
    return [
        (kind, chosen.get(kind.code, default_delivery(kind.code)), kind.code in chosen)
        for kind in registry.event_kind_list()
    ]


def card_lines(code: str, body: str, recipients: int) -> list[tuple[str, str]]:
    """The label/value lines of an event's chat card (in the active language)."""
    kind = event_kind(code)
    lines: list[tuple[str, str]] = []
    if kind is not None:
        lines.append((_("Event"), str(kind.label)))
    for row in (body or "").splitlines():
        row = row.strip()
        if row:
            lines.append((_("Details"), row))
    lines.append(
        (
            _("Notified"),
            ngettext("%(count)s person", "%(count)s people", recipients) % {"count": recipients},
        )
    )
    return lines[:12]


def channel_posts_create(*, event: str, title: str, body: str, url: str, recipients: int):
    """One pending post per active channel the event kind is routed to, sent after commit."""
    routes = EventRoute.objects.filter(event=event, channel__is_active=True).values_list(
        "channel_id", flat=True
    )
    channel_ids = list(routes)
    if not channel_ids:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        lines = [list(pair) for pair in card_lines(event, body, recipients)]
        title = str(title)
    posts = ChannelPost.objects.bulk_create(
        [
            ChannelPost(channel_id=cid, event=event, title=title[:200], lines=lines, url=url[:500])
            for cid in channel_ids
        ]
    )
    from pmo.core import queue
    from pmo.core.tasks import channel_post_send

    # With the broker down the posts stay pending and the queue sweeper sends them.
    for post in posts:
        queue.enqueue(channel_post_send, post.pk)
    return posts


def channel_post_send(post_id: int) -> str:
    """Post one pending card; returns the post's status afterwards.

    The claim (pending → sending) makes a second delivery of the task a no-op. A
    robot's error leaves the post pending for a retry until the last attempt, when it
    is marked failed with the error the channel page shows.
    """
    claimed = ChannelPost.objects.filter(pk=post_id, status=ChannelPost.Status.PENDING).update(
        status=ChannelPost.Status.SENDING
    )
    if not claimed:
        return ""
    post = ChannelPost.objects.select_related("channel").get(pk=post_id)
    post.attempts += 1
    if not post.channel.is_active:
        post.status = ChannelPost.Status.FAILED
        with translation.override(settings.LANGUAGE_CODE):
            post.error = _("The channel was deactivated before the card was posted.")
        post.save(update_fields=["status", "error", "attempts"])
        return post.status
    try:
        with translation.override(settings.LANGUAGE_CODE):
            post_card(
                post.channel, title=post.title, lines=[tuple(x) for x in post.lines], url=post.url
            )
    except ChannelError as exc:
        post.error = str(exc)[:500]
        last = post.attempts >= CHANNEL_POST_MAX_ATTEMPTS
        post.status = ChannelPost.Status.FAILED if last else ChannelPost.Status.PENDING
        post.save(update_fields=["status", "error", "attempts"])
        logger.warning("chat post %s to channel %s failed: %s", post.pk, post.channel_id, exc)
        return post.status
    post.status = ChannelPost.Status.SENT
    post.sent_at = timezone.now()
    post.error = ""
    post.save(update_fields=["status", "error", "attempts", "sent_at"])
    return post.status


# --- the daily digest ------------------------------------------------------------------


def digest_due_user_ids() -> list[int]:
    """Users with digest notifications not yet e-mailed."""
    return list(
        Notification.objects.filter(delivery=Delivery.DIGEST, digested_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def digest_send(*, user, today: dt.date | None = None) -> int:
    """E-mail ``user`` one message listing their digest notifications not yet sent.

    At most one digest per user and day: the day is claimed on the user's preference
    row, the notifications by ``digested_at``; both claims are released when the mail
    server refuses, so the retry sends the same digest. Returns the number listed.
    """
    today = today or timezone.localdate()
    pref, _created = UserPreference.objects.get_or_create(user=user)
    previous = pref.digest_sent_on
    with transaction.atomic():
        day_claimed = (
            UserPreference.objects.filter(pk=pref.pk)
            .exclude(digest_sent_on=today)
            .update(digest_sent_on=today)
        )
        if not day_claimed:
            return 0
        now = timezone.now()
        notes = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient=user, delivery=Delivery.DIGEST, digested_at__isnull=True)
            .order_by("created_at", "id")
        )
        if not notes:
            UserPreference.objects.filter(pk=pref.pk).update(digest_sent_on=previous)
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(digested_at=now)
    if not user.email:
        return len(notes)
    try:
        _digest_mail(user, pref.language or settings.LANGUAGE_CODE, notes).send()
    except OSError:
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(digested_at=None)
            UserPreference.objects.filter(pk=pref.pk).update(digest_sent_on=previous)
        raise
    return len(notes)


def _digest_mail(user, language: str, notes) -> EmailMultiAlternatives:
    with translation.override(language):
        kinds = registry.event_kinds
        rows = [
            {
                "title": n.title,
                "body": n.body,
                "url": absolute_url(n.url) if n.url else "",
                "created_at": n.created_at,
                "kind": str(kinds[n.event].label) if n.event in kinds else "",
            }
            for n in notes
        ]
        context = {
            "user": user,
            "rows": rows,
            "count": len(rows),
            "site_url": settings.SITE_URL,
            "notifications_url": absolute_url(reverse("core:notifications")),
            "preferences_url": absolute_url(reverse("core:notification_preferences")),
        }
        subject = ngettext(
            "PMO daily digest: %(count)s notification",
            "PMO daily digest: %(count)s notifications",
            len(rows),
        ) % {"count": len(rows)}
        text = render_to_string("core/email/notification_digest.txt", context)
        html = render_to_string("core/email/notification_digest.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    return message


# --- demo ----------------------------------------------------------------------------

DEMO_CHANNELS = (
    # name, kind, webhook address, secret, routed event kinds
    (
        "PMO 周报群（钉钉）",
        "dingtalk",
        "https://oapi.dingtalk.com/robot/send?access_token=3f9c2a7d51e84b06a1c5d8e2f4b7a903",
        "SEC8d2f6a1b9c4e7d0f3a5b8c1e4d7f0a2b5c8e1d4f7a0b3c6d9e2f5a8b1c4d7e0f",
        ("status_overdue", "gate_waiting"),
    ),
    (
        "重大事项升级群（飞书）",
        "feishu",
        "https://open.feishu.cn/open-apis/bot/v2/hook/6b1e9d42-7c3a-4f85-9e20-a5d8c3b7f164",
        "qW8rT2yU6iO0pA4sD9fG",
        ("escalation_raised", "escalation_overdue"),
    ),
)

DEMO_PREFERENCES = (
    # login, event kind, delivery
    ("exec", "escalation_raised", Delivery.DIGEST),
    ("exec", "gate_waiting", Delivery.DIGEST),
    ("pm", "status_due", Delivery.APP),
    ("pm", "loan_due", Delivery.DIGEST),
    ("pmo_staff", "escalation_overdue", Delivery.INSTANT),
    ("member", "loan_due", Delivery.DIGEST),
)


def seed_demo(demo) -> None:
    """Two chat robots (inactive: a demo posts nothing), their routes, a few past posts
    and some users' notification preferences. Idempotent: rows are found by name."""
    from pmo.core.models import Channel

    admin = demo.users.get("pmo")
    existing = {c.name: c for c in Channel.objects.filter(name__in=[c[0] for c in DEMO_CHANNELS])}
    routes, posts = [], []
    base = timezone.now().replace(minute=0, second=0, microsecond=0)
    for index, (name, kind, url, secret, events) in enumerate(DEMO_CHANNELS):
        if name in existing:
            continue
        channel = Channel.objects.create(
            name=name, kind=kind, webhook_url=url, secret=secret, is_active=False, created_by=admin
        )
        routes += [
            EventRoute(event=code, channel=channel)
            for code in events
            if code in registry.event_kinds
        ]
        for day, status in ((6, ChannelPost.Status.SENT), (3, ChannelPost.Status.SENT)):
            kind_label = registry.event_kinds.get(events[0])
            with translation.override("zh-hans"):
                title = str(kind_label.label) if kind_label else name
            posts.append(
                ChannelPost(
                    channel=channel,
                    event=events[0],
                    title=title,
                    lines=[],
                    status=status,
                    attempts=1,
                    sent_at=base - dt.timedelta(days=day + index),
                )
            )
        demo.created["chat channels"] += 1
    EventRoute.objects.bulk_create(routes, ignore_conflicts=True)
    created_posts = ChannelPost.objects.bulk_create(posts)
    for post in created_posts:
        # created_at is set on insert; date the demo posts like their sending.
        ChannelPost.objects.filter(pk=post.pk).update(created_at=post.sent_at)
    users = {
        login: demo.users[login] for login, _code, _d in DEMO_PREFERENCES if login in demo.users
    }
    have = set(
        NotificationPreference.objects.filter(user__in=list(users.values())).values_list(
            "user_id", "event"
        )
    )
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=users[login], event=code, delivery=delivery)
            for login, code, delivery in DEMO_PREFERENCES
            if login in users and (users[login].pk, code) not in have
        ],
        ignore_conflicts=True,
    )
