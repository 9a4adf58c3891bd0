"""Resource adjustments: requests to add or move people, decided by the PMO."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delivery.querysets import ResourceRequestQuerySet


class ResourceRequest(models.Model):
    """A request to add a person (or a role's hours) to a project, or to move someone in.

    Approval by the PMO writes the membership and the resource demand through the core
    services; a move also takes the person off the project they come from.
    """

    class Kind(models.TextChoices):
        ADD = "add", _("Add a person or hours")
        MOVE = "move", _("Move a person from another project")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting PMO decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="resource_requests",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.ADD)
    person = models.ForeignKey(
        "core.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_project = models.ForeignKey(
        "core.Project",
        verbose_name=_("from project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.ForeignKey(
        "core.Role", verbose_name=_("resource role"), on_delete=models.PROTECT, related_name="+"
    )
    allocation_percent = models.PositiveSmallIntegerField(_("allocation (%)"), default=100)
    monthly_hours = models.DecimalField(_("hours per month"), max_digits=7, decimal_places=1)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ResourceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource adjustment")
        verbose_name_plural = _("resource adjustments")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="resource_request_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=models.Q(allocation_percent__lte=100),
                name="resource_request_allocation_max_100",
                violation_error_message=_("An allocation cannot exceed 100%%."),
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_hours__gte=0),
                name="resource_request_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()}"

    @property
    def is_decided(self) -> bool:
        return self.status != self.Status.PENDING
