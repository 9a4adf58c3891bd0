"""Alternatives, their yearly cash flows and appraisal figures, criteria and scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import finance
from decisions.models import (
    Alternative,
    CashFlow,
    Criterion,
    CriterionScore,
    Study,
)
from decisions.services.common import audit, clean_text, ensure_editable

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FlowRow:
    """One year of cash flows as entered: investment, operating cost, revenue/savings."""

    year: int
    investment: Decimal
    operating_cost: Decimal
    benefit: Decimal


RATE_FLOOR_MESSAGE = gettext_lazy(
    "A discount rate of %(limit)s or below has no meaning: money would lose all its value "
    "in a year. Enter a rate above %(limit)s."
)


def rate_floor_error() -> ValidationError:
    return ValidationError(RATE_FLOOR_MESSAGE, code="rate_floor", params={"limit": "−100 %"})


def validate_rate(rate: Decimal | None, field: str = "discount_rate") -> Decimal:
    """A discount rate in percent must be a number above −100 %."""
    if rate is None:
        raise ValidationError({field: _("Enter the discount rate.")})
    if rate <= Decimal(-100):
        raise ValidationError({field: rate_floor_error()})
    return rate


def flows_of(alternative: Alternative, horizon: int, cash_flows=None) -> list[FlowRow]:
    """The alternative's rows for years 0 … horizon, zero where nothing is entered."""
    rows = cash_flows if cash_flows is not None else alternative.cash_flows.all()
    by_year = {cf.year: cf for cf in rows}
    zero = Decimal(0)
    return [
        FlowRow(
            year,
            by_year[year].investment if year in by_year else zero,
            by_year[year].operating_cost if year in by_year else zero,
            by_year[year].benefit if year in by_year else zero,
        )
        for year in range(horizon + 1)
    ]


def appraise_rows(rate_percent: Decimal, rows: Iterable[FlowRow]) -> finance.Appraisal:
    rows = list(rows)
    return finance.appraise(
        float(rate_percent) / 100,
        [r.investment for r in rows],
        [r.operating_cost for r in rows],
        [r.benefit for r in rows],
    )


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2))).quantize(CENT)


def alternative_metrics_refresh(*, alternative: Alternative) -> Alternative:
    """Recompute the appraisal figures kept on the alternative from its cash flows."""
    study = alternative.study
    rows = flows_of(alternative, study.horizon_years)
    has_flows = any(r.investment or r.operating_cost or r.benefit for r in rows)
    if has_flows:
        result = appraise_rows(study.discount_rate, rows)
        alternative.npv = _money(result.npv)
        alternative.irr = result.irr
        alternative.payback = result.payback
        alternative.discounted_payback = result.discounted_payback
        alternative.benefit_cost_ratio = result.benefit_cost_ratio
        alternative.total_cost = _money(result.total_cost)
        alternative.total_benefit = _money(result.total_benefit)
    else:
        alternative.npv = alternative.irr = alternative.payback = None
        alternative.discounted_payback = alternative.benefit_cost_ratio = None
        alternative.total_cost = alternative.total_benefit = Decimal(0)
    Alternative.objects.filter(pk=alternative.pk).update(
        npv=alternative.npv,
        irr=alternative.irr,
        payback=alternative.payback,
        discounted_payback=alternative.discounted_payback,
        benefit_cost_ratio=alternative.benefit_cost_ratio,
        total_cost=alternative.total_cost,
        total_benefit=alternative.total_benefit,
    )
    return alternative


def study_metrics_refresh(*, study: Study) -> None:
    """Recompute every alternative's figures (after the rate or horizon changed)."""
    for alternative in study.alternatives.select_related("study"):
        alternative_metrics_refresh(alternative=alternative)


@transaction.atomic
def cash_flows_save(
    *,
    alternative: Alternative,
    rows: Iterable[FlowRow],
    actor,
    discount_rate: Decimal | None = None,
    horizon_years: int | None = None,
) -> Alternative:
    """Replace an alternative's cash flows; optionally set the study's rate and horizon.

    Rows after the horizon are dropped. The figures of every alternative are refreshed
    when the rate or horizon changes, else only this one's.
    """
    study = Study.objects.select_for_update().get(pk=alternative.study_id)
    ensure_editable(study)
    rows = list(rows)
    study_changed = False
    if discount_rate is not None and discount_rate != study.discount_rate:
        study.discount_rate = validate_rate(discount_rate)
        study_changed = True
    if horizon_years is not None and horizon_years != study.horizon_years:
        study.horizon_years = horizon_years
        study_changed = True
    if study_changed:
        study.full_clean()
        audit(study, actor)
        study.save()
    years = [r.year for r in rows]
    if len(years) != len(set(years)):
        raise ValidationError(_("Each year can appear only once."))
    existing = {cf.year: cf for cf in alternative.cash_flows.all()}
    for row in rows:
        if row.year > study.horizon_years:
            continue
        flow = existing.pop(row.year, None) or CashFlow(alternative=alternative, year=row.year)
        if (flow.investment, flow.operating_cost, flow.benefit) == (
            row.investment,
            row.operating_cost,
            row.benefit,
        ) and flow.pk:
            continue
        flow.investment, flow.operating_cost, flow.benefit = (
            row.investment,
            row.operating_cost,
            row.benefit,
        )
        flow.full_clean(validate_unique=False)
        audit(flow, actor)
        flow.save()
    for flow in existing.values():  # years no longer given, or after the horizon
        audit(flow, actor)
        flow.delete()
    alternative.study = study
    if study_changed:
        study_metrics_refresh(study=study)
        alternative.refresh_from_db()
        return alternative
    return alternative_metrics_refresh(alternative=alternative)


ALTERNATIVE_FIELDS = ("name", "kind", "description", "strengths", "weaknesses")


@transaction.atomic
def alternative_save(
    *, study: Study, actor, alternative: Alternative | None = None, **fields
) -> Alternative:
    """Add an alternative (do nothing or another option) or change one.

    The proposal is made with the study and cannot be added twice; an alternative's
    kind cannot become or stop being the proposal.
    """
    unknown = set(fields) - set(ALTERNATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown alternative fields: {sorted(unknown)}")
    ensure_editable(study)
    alternative = alternative or Alternative(study=study)
    was_proposal = alternative.pk is not None and alternative.is_proposal
    kind = fields.get("kind", alternative.kind)
    if (kind == Alternative.Kind.PROPOSAL) != was_proposal:
        raise ValidationError({"kind": _("The study has its proposal already.")})
    for key, value in fields.items():
        setattr(alternative, key, clean_text(value) if isinstance(value, str) else value)
    if alternative.pk is None:
        alternative.sort_order = study.alternatives.count()
    alternative.full_clean()
    audit(alternative, actor)
    alternative.save()
    return alternative


@transaction.atomic
def alternative_delete(*, alternative: Alternative, actor) -> None:
    """Remove an alternative with its cash flows, scores and risks; never the proposal."""
    ensure_editable(alternative.study)
    if alternative.is_proposal:
        raise ValidationError(_("The proposal itself cannot be removed."))
    audit(alternative, actor)
    alternative.delete()


@transaction.atomic
def criterion_save(
    *,
    study: Study,
    actor,
    name: str,
    weight: Decimal,
    description: str = "",
    criterion: Criterion | None = None,
) -> Criterion:
    """Add or change a weighted criterion of the alternatives' comparison."""
    ensure_editable(study)
    criterion = criterion or Criterion(study=study, sort_order=study.criteria.count())
    criterion.name, criterion.weight = clean_text(name), weight
    criterion.description = clean_text(description)
    criterion.full_clean()
    audit(criterion, actor)
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor) -> None:
    ensure_editable(criterion.study)
    if criterion.review_scores.exists():
        raise ValidationError(_("Reviewers have scored this criterion; it stays."))
    audit(criterion, actor)
    criterion.delete()


@transaction.atomic
def criterion_scores_set(
    *, study: Study, scores: Mapping[tuple[int, int], Decimal | None], actor
) -> int:
    """Set the study team's scores: ``{(alternative id, criterion id): score or None}``.

    ``None`` removes a score. Returns how many scores changed.
    """
    ensure_editable(study)
    alternatives = set(study.alternatives.values_list("pk", flat=True))
    criteria = set(study.criteria.values_list("pk", flat=True))
    existing = {
        (s.alternative_id, s.criterion_id): s
        for s in CriterionScore.objects.filter(alternative__study=study)
    }
    changed = 0
    for (alt_id, crit_id), value in scores.items():
        if alt_id not in alternatives or crit_id not in criteria:
            raise ValidationError(_("A score names an alternative or criterion of another study."))
        row = existing.get((alt_id, crit_id))
        if value is None:
            if row is not None:
                audit(row, actor)
                row.delete()
                changed += 1
            continue
        if row is not None and row.score == value:
            continue
        row = row or CriterionScore(alternative_id=alt_id, criterion_id=crit_id)
        row.score = value
        row.full_clean(validate_unique=False)
        audit(row, actor)
        row.save()
        changed += 1
    return changed
