"""Salary bands, recruitment plans, vacancies, the candidate pipeline and onboarding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pmo.core import roles
from pmo.core.models import Person
from talent.models import (
    Candidate,
    CareerLevel,
    Onboarding,
    OnboardingCheckIn,
    RecruitmentPlan,
    SalaryBand,
    Vacancy,
)
from talent.services.common import require_pmo, save, user_or_none

# The pipeline moves one step at a time (applied → screened → interviewed → offer →
# hired); rejection and withdrawal are possible from any open stage.
PIPELINE = ("applied", "screened", "interviewed", "offer", "hired")
CLOSED = ("hired", "rejected", "withdrawn")


@transaction.atomic
def salary_band_save(
    *,
    level: CareerLevel,
    minimum: Decimal,
    midpoint: Decimal,
    maximum: Decimal,
    market_p50: Decimal | None = None,
    actor=None,
) -> SalaryBand:
    require_pmo(actor)
    band = SalaryBand.objects.filter(level=level).first() or SalaryBand(level=level)
    return save(
        band, actor, minimum=minimum, midpoint=midpoint, maximum=maximum, market_p50=market_p50
    )


@transaction.atomic
def recruitment_plan_save(
    *, title: str, year: int, rationale: str = "", plan: RecruitmentPlan | None = None, actor=None
) -> RecruitmentPlan:
    require_pmo(actor)
    return save(
        plan or RecruitmentPlan(created_by=user_or_none(actor)),
        actor,
        title=title,
        year=year,
        rationale=rationale,
    )


@transaction.atomic
def vacancy_save(
    *,
    plan: RecruitmentPlan,
    title: str,
    level: CareerLevel,
    headcount: int = 1,
    selection_standards: str = "",
    channels: str = "",
    status: str = Vacancy.Status.OPEN,
    vacancy: Vacancy | None = None,
    actor=None,
) -> Vacancy:
    """A position of the plan; its selection standards default to the level's."""
    require_pmo(actor)
    return save(
        vacancy or Vacancy(plan=plan),
        actor,
        title=title,
        level=level,
        headcount=headcount,
        selection_standards=selection_standards or level.selection_standards,
        channels=channels,
        status=status,
    )


@transaction.atomic
def candidate_add(
    *,
    vacancy: Vacancy,
    name: str,
    applied_on: dt.date,
    channel: str = "",
    certificates: str = "",
    note: str = "",
    actor=None,
) -> Candidate:
    require_pmo(actor)
    if vacancy.status != Vacancy.Status.OPEN:
        raise ValidationError(_("The vacancy is not open."))
    return save(
        Candidate(vacancy=vacancy),
        actor,
        name=name,
        applied_on=applied_on,
        channel=channel,
        certificates=certificates,
        note=note,
    )


@transaction.atomic
def candidate_move(
    *, candidate: Candidate, stage: str, note: str = "", person: Person | None = None, actor=None
) -> Candidate:
    """Move a candidate to the next stage, or reject / withdraw them. Hiring links the
    employee record when given and fills the vacancy when its head count is reached."""
    require_pmo(actor)
    if candidate.stage in CLOSED:
        raise ValidationError(_("The candidate's application is closed."))
    if stage in PIPELINE:
        current = PIPELINE.index(candidate.stage)
        if PIPELINE.index(stage) != current + 1:
            raise ValidationError(
                {
                    "stage": _("A candidate moves one stage at a time: next is %(stage)s.")
                    % {"stage": Candidate.Stage(PIPELINE[current + 1]).label}
                }
            )
    elif stage not in ("rejected", "withdrawn"):
        raise ValidationError({"stage": _("Choose a stage.")})
    save(
        candidate,
        actor,
        stage=stage,
        note=note or candidate.note,
        person=person if stage == "hired" else candidate.person,
    )
    if stage == "hired":
        vacancy = candidate.vacancy
        if vacancy.candidates.filter(stage="hired").count() >= vacancy.headcount:
            save(vacancy, actor, status=Vacancy.Status.FILLED)
    return candidate


@transaction.atomic
def onboarding_save(
    *,
    person: Person,
    mentor: Person,
    starts_on: dt.date,
    ends_on: dt.date,
    goals: str,
    onboarding: Onboarding | None = None,
    actor=None,
) -> Onboarding:
    """The onboarding and mentoring plan of a new hire."""
    require_pmo(actor)
    if mentor.pk == person.pk:
        raise ValidationError({"mentor": _("A new hire cannot mentor themselves.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})
    return save(
        onboarding or Onboarding(person=person),
        actor,
        person=person,
        mentor=mentor,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=goals,
    )


@transaction.atomic
def onboarding_checkin_add(
    *, onboarding: Onboarding, held_on: dt.date, progress: int, note: str, actor=None
) -> OnboardingCheckIn:
    """A check-in by the mentor (or the PMO)."""
    if actor is not None and not (
        roles.is_pmo(actor) or roles.person_id_of(actor) == onboarding.mentor_id
    ):
        raise PermissionDenied(_("Only the mentor or the PMO records a check-in."))
    return save(
        OnboardingCheckIn(onboarding=onboarding),
        actor,
        held_on=held_on,
        progress=progress,
        note=note,
    )
