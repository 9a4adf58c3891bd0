"""Realised benefits: what a project brought in a year after go-live, recorded by its
manager or the PMO and compared with the approved business case."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.models import RealisedBenefit
from decisions.services.common import audit, clean_text
from pmo.core.models import Project, Stage

LIVE_STAGES = (Stage.ACTIVE, Stage.CLOSING, Stage.CLOSED)


@transaction.atomic
def realised_benefit_record(
    *, project: Project, year: int, amount: Decimal, note: str = "", actor
) -> RealisedBenefit:
    """Record (or correct) the benefit realised in ``year``; only for a project that
    has gone live, and not for a year that has not started."""
    if project.stage not in LIVE_STAGES:
        raise ValidationError(
            _("Benefits are recorded once the project has gone live (active, closing or closed).")
        )
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("A benefit is recorded for a year that has started.")})
    benefit = RealisedBenefit.objects.filter(project=project, year=year).first()
    if benefit is None:
        benefit = RealisedBenefit(project=project, year=year)
    benefit.amount = amount
    benefit.note = clean_text(note)
    benefit.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    benefit.full_clean()
    audit(benefit, actor)
    benefit.save()
    return benefit


@transaction.atomic
def realised_benefit_delete(*, benefit: RealisedBenefit, actor) -> None:
    audit(benefit, actor)
    benefit.delete()
