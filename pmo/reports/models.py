"""Report runs (the archive), subscriptions to scheduled reports, and their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.reports import periods
from pmo.reports.querysets import DeliveryQuerySet, ReportRunQuerySet, SubscriptionQuerySet
from pmo.reports.storage import private_storage


class Frequency(models.TextChoices):
    DAILY = periods.DAILY, _("Daily")
    WEEKLY = periods.WEEKLY, _("Weekly")
    MONTHLY = periods.MONTHLY, _("Monthly")
    QUARTERLY = periods.QUARTERLY, _("Quarterly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReportRun(models.Model):
    """One rendering of a report kind for a period, a language and a set of parameters.

    A run is made once per (kind, period, language, parameters); asking again returns
    the same row. The PDF is rendered by a Celery task which claims the run by moving
    it from pending to running.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("report"), max_length=60, db_index=True)
    period_label = models.CharField(_("period"), max_length=20)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    params_hash = models.CharField(_("parameters hash"), max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    file = models.FileField(
        _("file"), upload_to="reports/%Y/%m/", storage=private_storage, blank=True
    )
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # period_end is part of the key because a week and a month can start on the
            # same day; together with period_start it names the period exactly.
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end", "language", "params_hash"],
                name="reportrun_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="reportrun_period_ordered",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_label} {self.language}"

    @property
    def kind_label(self) -> str:
        from pmo.core.registry import registry

        kind = registry.report_kinds.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    def get_download_url(self) -> str:
        return reverse("reports:download", args=[self.pk])


class Subscription(models.Model):
    """A report sent on a schedule: e-mailed to users and/or the members of a group,
    and posted as a summary card to chat channels.

    The schedule is kept here in plain fields and mirrored by the subscription service
    into a django-celery-beat ``PeriodicTask`` that calls ``deliver_subscription``.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("report"), max_length=60)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="report_subscriptions_owned",
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipients"),
        blank=True,
        related_name="report_subscriptions",
    )
    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("recipient group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_subscriptions",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    params = models.JSONField(_("filters"), default=dict, blank=True)
    send_email = models.BooleanField(_("send by e-mail"), default=True)
    channels = models.ManyToManyField(
        "core.Channel",
        verbose_name=_("chat channels"),
        blank=True,
        related_name="report_subscriptions",
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    hour = models.PositiveSmallIntegerField(_("hour"), default=8)
    is_active = models.BooleanField(_("active"), default=True)
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="report_subscription",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[users, channels])

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hour__lte=23),
                name="subscription_hour_0_23",
                violation_error_message=_("The hour must be 0–23."),
            ),
            models.CheckConstraint(
                condition=models.Q(day_of_month__isnull=True)
                | models.Q(day_of_month__gte=1, day_of_month__lte=28),
                name="subscription_day_of_month_1_28",
                violation_error_message=_("The day of the month must be 1–28."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__isnull=True) | models.Q(weekday__lte=6),
                name="subscription_weekday_0_6",
                violation_error_message=_("Choose a day of the week."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:subscription_edit", args=[self.pk])

    @property
    def kind_label(self) -> str:
        from pmo.core.registry import registry

        kind = registry.report_kinds.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def group_label(self) -> str:
        return group_label(self.group) if self.group_id else ""


def group_label(group) -> str:
    """A group's name for people: the role's label for the application's role groups."""
    from pmo.core.roles import ROLE_LABELS

    return str(ROLE_LABELS.get(group.name, group.name))


class Delivery(models.Model):
    """One e-mail of a subscription's report for one period to one recipient, or one
    card posted to one chat channel.

    The row is inserted before the message is sent and claimed by a conditional update,
    so a delivery task that runs twice sends each recipient and channel the report once.
    A row left "sending" by a worker that died is marked "outcome unknown" after its
    lease (``PMO_SEND_LEASE_SECONDS``) instead of being sent a second time.
    A recipient who may no longer read the report gets a "skipped" row with the reason.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")
        # The worker stopped while sending: the message may or may not have gone out, so
        # it is not sent again by itself; the PMO may send it again from the log.
        UNKNOWN = "unknown", _("Outcome unknown")

    class SkipReason(models.TextChoices):
        DEACTIVATED = "deactivated", _("The account is deactivated.")
        NOT_ALLOWED = "not_allowed", _("No longer allowed to read this report.")
        NO_ADDRESS = "no_address", _("No e-mail address.")
        OWNER_GONE = (
            "owner_gone",
            _(
                "The subscription's owner may no longer read this report, so the card is not posted."
            ),
        )
        CHANNEL_INACTIVE = "channel_inactive", _("The channel is switched off.")

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    run = models.ForeignKey(
        ReportRun,
        verbose_name=_("report run"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    period_start = models.DateField(_("period start"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.ForeignKey(
        "core.Channel",
        verbose_name=_("chat channel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_deliveries",
    )
    channel_name = models.CharField(_("channel name"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    error = models.TextField(_("last error"), blank=True)
    skip_reason = models.CharField(_("reason"), max_length=20, choices=SkipReason, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-period_start", "email", "id"]
        constraints = [
            # One e-mail per address; an address listed twice is sent one report.
            models.UniqueConstraint(
                fields=["subscription", "period_start", "email"],
                condition=~models.Q(email=""),
                name="delivery_once_per_period_recipient",
            ),
            # A recipient without an address is logged once per period (skipped).
            models.UniqueConstraint(
                fields=["subscription", "period_start", "recipient"],
                condition=models.Q(email="", recipient__isnull=False),
                name="delivery_once_per_period_user_without_address",
            ),
            # One card per chat channel and period.
            models.UniqueConstraint(
                fields=["subscription", "period_start", "channel"],
                condition=models.Q(channel__isnull=False),
                name="delivery_once_per_period_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.period_start} {self.get_status_display()}"

    @property
    def target(self) -> str:
        return self.email or self.channel_name or str(self.recipient or "")

    @property
    def is_card(self) -> bool:
        return bool(self.channel_name)

    @property
    def can_retry(self) -> bool:
        return (
            self.status in (self.Status.FAILED, self.Status.UNKNOWN)
            and self.subscription_id is not None
        )
