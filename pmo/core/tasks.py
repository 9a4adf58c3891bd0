"""Background jobs of the core: the e-mail channel of notifications."""

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


@shared_task
def search_rebuild() -> int:
    """Rebuild the global search index (e.g. nightly, after bulk imports)."""
    from pmo.core import search

    return search.rebuild()
