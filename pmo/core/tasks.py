"""Background jobs of the core: notification e-mails, chat-robot posts, the daily digest."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pmo.core.models import Delivery, Notification, UserPreference


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90
)
def notification_email(notification_id: int) -> None:
    """E-mail one notification once: the claim (emailed_at) makes a repeat delivery a no-op."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not note.recipient.email:
        return
    language = (
        UserPreference.objects.filter(user=note.recipient)
        .values_list("language", flat=True)
        .first()
        or settings.LANGUAGE_CODE
    )
    link = f"{settings.SITE_URL}{note.url}" if note.url.startswith("/") else note.url
    with translation.override(language):
        body = "\n\n".join(filter(None, [note.body, link]))
        try:
            send_mail(note.title, body, None, [note.recipient.email])
        except OSError:
            Notification.objects.filter(pk=notification_id).update(emailed_at=None)
            raise


@shared_task(bind=True, max_retries=None, soft_time_limit=60, time_limit=90)
def channel_post_send(self, post_id: int) -> None:
    """Post one routed event card; a robot's error is retried with backoff, then kept."""
    from pmo.core import notify
    from pmo.core.models import ChannelPost

    if (self.request.delivery_info or {}).get("redelivered"):
        # The broker hands a task out again only after its worker died (the visibility
        # timeout exceeds the time limit): a post still "sending" may have gone out.
        _channel_post_abandoned(post_id)
    status = notify.channel_post_send(post_id)
    while status == ChannelPost.Status.PENDING and self.request.is_eager:
        # Run inline (tests, CELERY_TASK_ALWAYS_EAGER): the attempts follow at once.
        status = notify.channel_post_send(post_id)
    if status == ChannelPost.Status.PENDING:
        attempts = ChannelPost.objects.filter(pk=post_id).values_list("attempts", flat=True)[0]
        raise self.retry(countdown=min(30 * 2 ** (attempts - 1), 900))


def _channel_post_abandoned(post_id: int) -> None:
    """Mark a post its dead worker left "sending" as failed, with why, instead of posting
    it twice; the channel page lists it."""
    from pmo.core.models import ChannelPost

    with translation.override(settings.LANGUAGE_CODE):
        note = str(
            _(
                "The worker stopped while posting this card; it may or may not have "
                "reached the group, so it is not posted again."
            )
        )
    ChannelPost.objects.filter(pk=post_id, status=ChannelPost.Status.SENDING).update(
        status=ChannelPost.Status.FAILED, error=note[:500]
    )


# Work saved as waiting while the broker was down is queued again after one sweep
# (shorter waits are the normal path: the task was queued after commit); notifications
# older than the window are no longer worth an e-mail.
SWEEP_GRACE = dt.timedelta(seconds=settings.PMO_SWEEP_SECONDS)
SWEEP_WINDOW = dt.timedelta(hours=6)
SWEEP_BATCH = 500


@shared_task(name="pmo.core.tasks.queue_sweep", soft_time_limit=60, time_limit=90)
def queue_sweep() -> int:
    """Beat, every minute: queue the chat posts never attempted and the instant
    notification e-mails never sent (their task was lost while the broker was down).
    The tasks' claims make a duplicate harmless. Returns how many were queued."""
    from pmo.core import queue
    from pmo.core.models import ChannelPost

    now = timezone.now()
    posts = ChannelPost.objects.filter(
        status=ChannelPost.Status.PENDING, attempts=0, created_at__lt=now - SWEEP_GRACE
    ).values_list("pk", flat=True)
    notes = Notification.objects.filter(
        delivery=Delivery.INSTANT,
        emailed_at__isnull=True,
        created_at__lt=now - SWEEP_GRACE,
        created_at__gte=now - SWEEP_WINDOW,
    ).values_list("pk", flat=True)
    jobs = [(channel_post_send, pk) for pk in posts.order_by("pk")[:SWEEP_BATCH]]
    jobs += [(notification_email, pk) for pk in notes.order_by("pk")[:SWEEP_BATCH]]
    queued = 0
    for task, pk in jobs:
        try:
            queue.send(task, pk)
        except queue.QueueUnavailable:
            break
        queued += 1
    return queued


@shared_task(soft_time_limit=300, time_limit=360)
def notification_digest() -> int:
    """Beat, daily: one digest e-mail task per user with digest notifications waiting."""
    from pmo.core import notify

    user_ids = notify.digest_due_user_ids()
    for user_id in user_ids:
        notification_digest_user.delay(user_id)
    return len(user_ids)


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90
)
def notification_digest_user(user_id: int) -> int:
    """E-mail one user's daily digest (at most once a day, see ``notify.digest_send``)."""
    from django.contrib.auth import get_user_model

    from pmo.core import notify

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    return notify.digest_send(user=user)


@shared_task
def search_rebuild() -> int:
    """Rebuild the global search index (e.g. nightly, after bulk imports)."""
    from pmo.core import search

    return search.rebuild()


@shared_task(soft_time_limit=1800, time_limit=1900)
def security_events_purge() -> int:
    """Beat, monthly: delete the security events older than the retention."""
    from pmo.core import audit

    return audit.security_events_purge()


# A 10,000-row file takes well under a minute; the limits leave room for a slow machine.
@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def import_job_check(job_id: int) -> None:
    """Check a big import file and store its preview (once, however often delivered)."""
    from pmo.core import importing

    importing.import_job_check(job_pk=job_id)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def import_job_write(job_id: int, user_id: int | None) -> None:
    """Write a previewed big import file, all or nothing (once, however often delivered)."""
    from django.contrib.auth import get_user_model

    from pmo.core import importing

    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    importing.import_job_write(job_pk=job_id, actor=actor)
