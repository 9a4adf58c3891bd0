"""Background jobs of the core: notification e-mails, chat-robot posts, the daily digest."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from pmo.core.models import Notification, UserPreference


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

    status = notify.channel_post_send(post_id)
    while status == ChannelPost.Status.PENDING and self.request.is_eager:
        # Run inline (tests, CELERY_TASK_ALWAYS_EAGER): the attempts follow at once.
        status = notify.channel_post_send(post_id)
    if status == ChannelPost.Status.PENDING:
        attempts = ChannelPost.objects.filter(pk=post_id).values_list("attempts", flat=True)[0]
        raise self.retry(countdown=min(30 * 2 ** (attempts - 1), 900))


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
