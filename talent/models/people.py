"""Certificates, talent profiles of project managers and their competency assessments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.core.models import BilingualName, Person
from talent.models.competency import PROFICIENCY_VALIDATORS, CareerLevel, Competency
from talent.querysets import (
    CertificateQuerySet,
    CompetencyAssessmentQuerySet,
    TalentProfileQuerySet,
)


class Certification(BilingualName):
    """A professional certificate in the catalogue (PMP, PgMP, PfMP, PRINCE2, IPMP, 软考高级 …)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("Empty when the certificate does not expire."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["code"]


class PersonCertificate(models.Model):
    """A certificate a person holds, with its number and validity."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="certificates"
    )
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="holders",
    )
    number = models.CharField(_("certificate number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    reminded_on = models.DateField(_("expiry reminder sent on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("person's certificate")
        verbose_name_plural = _("people's certificates")
        ordering = ["person_id", "certification__code", "-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="talent_certificate_expires_after_issue",
                violation_error_message=_("A certificate cannot expire before it is issued."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.certification.code}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)


class TalentProfile(models.Model):
    """A person's place in the PM talent pool: level, line manager and availability."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="talent_profile"
    )
    level = models.ForeignKey(
        CareerLevel,
        verbose_name=_("career level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    line_manager = models.ForeignKey(
        Person,
        verbose_name=_("line manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_reports",
    )
    in_pool = models.BooleanField(_("in the PM talent pool"), default=True)
    pool_since = models.DateField(_("in the pool since"))
    pm_since = models.DateField(
        _("project manager since"),
        null=True,
        blank=True,
        help_text=_("Counts the years of PM experience."),
    )
    level_since = models.DateField(_("at this level since"), null=True, blank=True)
    career_goal = models.CharField(_("career goal"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = TalentProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent profiles")
        ordering = ["person__name"]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("talent:profile", args=[self.person_id])


class CompetencyAssessment(models.Model):
    """One rating of a person's competency, by the person or by their manager."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        MANAGER = "manager", _("Manager assessment")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="competency_assessments",
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("assessed by"), max_length=10, choices=Kind)
    proficiency = models.PositiveSmallIntegerField(
        _("proficiency"), validators=PROFICIENCY_VALIDATORS
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("evidence"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = CompetencyAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency assessment")
        verbose_name_plural = _("competency assessments")
        ordering = ["person_id", "competency_id", "kind", "-assessed_on", "-id"]
        indexes = [models.Index(fields=["person", "competency", "kind"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.competency} {self.proficiency}"
