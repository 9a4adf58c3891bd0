"""The PMO's appraisal settings and social-benefit criteria."""

from __future__ import annotations

from django.db import transaction

from decisions.models import AppraisalSettings, SocialCriterion
from decisions.services.appraisal import validate_rate
from decisions.services.common import audit, clean_text

SETTINGS_FIELDS = (
    "default_discount_rate",
    "default_horizon_years",
    "exclude_same_unit",
    "disagreement_spread",
)
CRITERION_FIELDS = ("code", "name", "name_en", "description", "weight", "sort_order", "is_active")


@transaction.atomic
def appraisal_settings_save(*, actor, **fields) -> AppraisalSettings:
    """Change the PMO's appraisal settings (the single row is made when missing)."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    if "default_discount_rate" in fields:
        validate_rate(fields["default_discount_rate"], "default_discount_rate")
    config = AppraisalSettings.objects.select_for_update().first() or AppraisalSettings()
    for key, value in fields.items():
        setattr(config, key, value)
    config.full_clean()
    audit(config, actor)
    config.save()
    return config


@transaction.atomic
def social_criterion_save(
    *, actor, criterion: SocialCriterion | None = None, **fields
) -> SocialCriterion:
    """Add or change a social-benefit criterion; a retired one is kept inactive."""
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"unknown criterion fields: {sorted(unknown)}")
    criterion = criterion or SocialCriterion()
    for key, value in fields.items():
        setattr(criterion, key, clean_text(value) if isinstance(value, str) else value)
    criterion.full_clean()
    audit(criterion, actor)
    criterion.save()
    return criterion
