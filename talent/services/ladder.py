"""The competency model and the career ladder (PMO only)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from talent.models import (
    BehaviourIndicator,
    CareerLevel,
    Competency,
    CompetencyDimension,
    LevelRequirement,
)
from talent.models.competency import PROFICIENCY_MAX, PROFICIENCY_MIN
from talent.services.common import require_pmo, save, set_history_user


@transaction.atomic
def dimension_save(
    *,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    sort_order: int = 0,
    dimension: CompetencyDimension | None = None,
    actor=None,
) -> CompetencyDimension:
    require_pmo(actor)
    return save(
        dimension or CompetencyDimension(),
        actor,
        code=code.strip(),
        name=name,
        name_en=name_en,
        description=description,
        sort_order=sort_order,
    )


@transaction.atomic
def competency_save(
    *,
    dimension: CompetencyDimension,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    sort_order: int = 0,
    is_active: bool = True,
    behaviours: dict[int, str] | None = None,
    competency: Competency | None = None,
    actor=None,
) -> Competency:
    """Create or change a competency with its behavioural description per proficiency
    level (an empty description removes that level's indicator)."""
    require_pmo(actor)
    competency = save(
        competency or Competency(),
        actor,
        dimension=dimension,
        code=code.strip(),
        name=name,
        name_en=name_en,
        description=description,
        sort_order=sort_order,
        is_active=is_active,
    )
    for level, text in (behaviours or {}).items():
        if not PROFICIENCY_MIN <= level <= PROFICIENCY_MAX:
            raise ValidationError(_("Proficiency levels run from 1 to 5."))
        row = BehaviourIndicator.objects.filter(competency=competency, proficiency=level).first()
        text = (text or "").strip()
        if not text:
            if row is not None:
                set_history_user(row, actor)
                row.delete()
            continue
        save(
            row or BehaviourIndicator(competency=competency, proficiency=level),
            actor,
            description=text,
        )
    return competency


@transaction.atomic
def level_save(
    *,
    code: str,
    rank: int,
    name: str,
    name_en: str = "",
    description: str = "",
    selection_standards: str = "",
    min_projects_managed: int = 0,
    min_budget_managed: Decimal = Decimal(0),
    min_years: Decimal = Decimal(0),
    min_appraisal_grade: str = "",
    max_project_budget: Decimal | None = None,
    required_certifications=(),
    requirements: dict[Competency, int | None] | None = None,
    level: CareerLevel | None = None,
    actor=None,
) -> CareerLevel:
    """Create or change a level of the ladder with its promotion criteria; ``requirements``
    maps competencies to the proficiency asked (``None`` = not asked)."""
    require_pmo(actor)
    level = save(
        level or CareerLevel(),
        actor,
        code=code.strip(),
        rank=rank,
        name=name,
        name_en=name_en,
        description=description,
        selection_standards=selection_standards,
        min_projects_managed=min_projects_managed,
        min_budget_managed=min_budget_managed,
        min_years=min_years,
        min_appraisal_grade=min_appraisal_grade,
        max_project_budget=max_project_budget,
    )
    level.required_certifications.set(list(required_certifications))
    for competency, proficiency in (requirements or {}).items():
        row = LevelRequirement.objects.filter(level=level, competency=competency).first()
        if proficiency is None:
            if row is not None:
                set_history_user(row, actor)
                row.delete()
            continue
        save(
            row or LevelRequirement(level=level, competency=competency),
            actor,
            min_proficiency=proficiency,
        )
    return level
