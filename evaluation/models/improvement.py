"""Improvement (改进措施): actions with a quantified target against a weakness, their
owner and status, links to a standards change request or a training, and follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.models.cycle import Cycle
from evaluation.models.scheme import Criterion, Dimension
from evaluation.querysets import ImprovementActionQuerySet


class ImprovementAction(models.Model):
    """A measure against a weakness: metric, baseline → target by a date, owner."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("from the cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("weak dimension"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("weak criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("organisational unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty = the whole organisation."),
    )
    metric_key = models.CharField(
        _("measured by metric"),
        max_length=60,
        blank=True,
        help_text=_("A project metric measured over the unit's projects; empty = entered by hand."),
    )
    measure = models.CharField(_("measure"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("target date"))
    owner = models.ForeignKey(
        "core.Person",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PLANNED, db_index=True
    )
    needs_training = models.BooleanField(_("needs training"), default=False)
    training_topic = models.CharField(_("training topic or competency"), max_length=200, blank=True)
    change_request = models.ForeignKey(
        "standards.ChangeRequest",
        verbose_name=_("standards change request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(baseline=models.F("target")),
                name="eval_action_target_differs",
                violation_error_message=_("The target must differ from the baseline."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ActionCheck(models.Model):
    """A follow-up: the measure's value on a date, measured or entered, with a note."""

    action = models.ForeignKey(
        ImprovementAction,
        verbose_name=_("improvement action"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    checked_on = models.DateField(_("checked on"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    measured = models.BooleanField(_("measured from data"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        ordering = ["action_id", "checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.checked_on}: {self.value}"
