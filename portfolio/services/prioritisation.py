"""Writes of prioritisation: rating scales, business drivers, pairwise comparisons,
manual weights and the framework, the rating grid, and the scores they give.

Every function is keyword-only, validates before it writes, runs in one transaction and
is audited (django-simple-history, with the acting user). A function that changes an
input of the scores ends with ``portfolio_scores_refresh``, so the stored driver
weights, candidate scores and ranks always match the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pmo.core.services import set_history_user, user_or_none
from portfolio.models import (
    BusinessDriver,
    DriverComparison,
    DriverRating,
    Portfolio,
    PortfolioItem,
    RatingLevel,
    RatingScale,
)
from portfolio.selectors.prioritisation import (
    SAATY_CHOICES,
    Scoring,
    driver_pairs,
    ordered_drivers,
    portfolio_scoring,
    saaty_value,
)

SAATY_VALUES = tuple(saaty_value(code) for code in SAATY_CHOICES)
WSJF_FIELDS = ("business_value", "time_criticality", "risk_reduction", "job_size")


def _ensure_open(portfolio: Portfolio) -> None:
    if portfolio.status == Portfolio.Status.CLOSED:
        raise ValidationError(
            _("The portfolio is closed; its prioritisation can no longer change.")
        )


# --- scores ---------------------------------------------------------------------------------


@transaction.atomic
def portfolio_scores_refresh(*, portfolio: Portfolio, actor=None) -> Scoring:
    """Write the portfolio's driver weights, candidate scores (0–100, summing to 100 over
    the scored candidates) and ranks from its current inputs and framework.

    Only rows whose figures changed are written (with history). Returns the scoring,
    which explains every figure (see ``portfolio.selectors.prioritisation``).
    """
    portfolio = (
        Portfolio.objects.select_for_update().select_related("rating_scale").get(pk=portfolio.pk)
    )
    scoring = portfolio_scoring(portfolio)
    user = user_or_none(actor)
    drivers = []
    for driver, weight in zip(scoring.weights.drivers, scoring.weights.weights, strict=True):
        if driver.weight != weight:
            driver.weight = weight
            drivers.append(driver)
    if drivers:
        bulk_update_with_history(drivers, BusinessDriver, ["weight"], default_user=user)
    items = []
    for row in scoring.candidates:
        if row.stale:
            row.item.score, row.item.rank = row.score, row.rank
            items.append(row.item)
    if items:
        bulk_update_with_history(items, PortfolioItem, ["score", "rank"], default_user=user)
    return scoring


# --- business drivers -----------------------------------------------------------------------


def _check_driver_name(driver: BusinessDriver) -> None:
    clash = BusinessDriver.objects.filter(portfolio=driver.portfolio, name=driver.name)
    if driver.pk:
        clash = clash.exclude(pk=driver.pk)
    if clash.exists():
        raise ValidationError({"name": _("This portfolio has a driver of that name already.")})


@transaction.atomic
def driver_create(
    *, portfolio: Portfolio, name: str, name_en: str = "", description: str = "", actor=None
) -> BusinessDriver:
    """Add a business driver at the end of the portfolio's list.

    Until every evaluator has compared it with the others, their judgements are
    incomplete and do not count (see ``driver_weights``).
    """
    _ensure_open(portfolio)
    last = BusinessDriver.objects.filter(portfolio=portfolio).aggregate(m=Max("sort_order"))["m"]
    driver = BusinessDriver(
        portfolio=portfolio,
        name=name.strip(),
        name_en=name_en.strip(),
        description=description.strip(),
        sort_order=0 if last is None else last + 1,
    )
    driver.full_clean()
    _check_driver_name(driver)
    set_history_user(driver, actor)
    driver.save()
    portfolio_scores_refresh(portfolio=portfolio, actor=actor)
    return driver


@transaction.atomic
def driver_update(
    *, driver: BusinessDriver, name: str, name_en: str = "", description: str = "", actor=None
) -> BusinessDriver:
    """Rename or describe a driver (its weight and ratings stay)."""
    _ensure_open(driver.portfolio)
    driver.name, driver.name_en, driver.description = (
        name.strip(),
        name_en.strip(),
        description.strip(),
    )
    driver.full_clean()
    _check_driver_name(driver)
    set_history_user(driver, actor)
    driver.save()
    return driver


@transaction.atomic
def driver_delete(*, driver: BusinessDriver, actor=None) -> None:
    """Delete a driver with its comparisons and ratings, then re-score the portfolio."""
    portfolio = driver.portfolio
    _ensure_open(portfolio)
    set_history_user(driver, actor)
    driver.delete()
    _renumber(ordered_drivers(portfolio), actor)
    portfolio_scores_refresh(portfolio=portfolio, actor=actor)


def _renumber(drivers: list[BusinessDriver], actor) -> None:
    changed = []
    for position, driver in enumerate(drivers):
        if driver.sort_order != position:
            driver.sort_order = position
            changed.append(driver)
    if changed:
        bulk_update_with_history(
            changed, BusinessDriver, ["sort_order"], default_user=user_or_none(actor)
        )


@transaction.atomic
def driver_move(*, driver: BusinessDriver, offset: int, actor=None) -> BusinessDriver:
    """Move a driver ``offset`` places up (negative) or down the list; the order is the
    order of the comparison form and of the rating grid, weights do not depend on it."""
    _ensure_open(driver.portfolio)
    drivers = ordered_drivers(driver.portfolio)
    index = next(i for i, d in enumerate(drivers) if d.pk == driver.pk)
    target = max(0, min(len(drivers) - 1, index + offset))
    drivers.insert(target, drivers.pop(index))
    _renumber(drivers, actor)
    return next(d for d in drivers if d.pk == driver.pk)


# --- framework and manual weights -------------------------------------------------------------


@transaction.atomic
def portfolio_weights_set(
    *,
    portfolio: Portfolio,
    framework: str,
    manual_weights: Mapping[int, Decimal | None],
    actor=None,
) -> Portfolio:
    """Choose the portfolio's prioritisation framework and keep the manual weights.

    Manual weights are percentages per driver; when the framework is ``manual`` every
    driver needs one and together they must make exactly 100 %.
    """
    _ensure_open(portfolio)
    if framework not in Portfolio.Framework.values:
        raise ValidationError({"framework": _("Choose a prioritisation framework.")})
    drivers = ordered_drivers(portfolio)
    known = {d.pk for d in drivers}
    unknown = set(manual_weights) - known
    if unknown:
        raise ValidationError(_("A weight was given for a driver of another portfolio."))
    errors = {}
    changed = []
    for driver in drivers:
        weight = manual_weights.get(driver.pk, driver.manual_weight)
        if weight != driver.manual_weight:
            driver.manual_weight = weight
            changed.append(driver)
        try:
            driver.full_clean()
        except ValidationError as error:
            errors[f"w_{driver.pk}"] = error.message_dict.get("manual_weight", error.messages)
    if errors:
        raise ValidationError(errors)
    if framework == Portfolio.Framework.MANUAL:
        if not drivers:
            raise ValidationError(_("Add business drivers before weighting them by hand."))
        if any(d.manual_weight is None for d in drivers):
            raise ValidationError(_("Give every driver a manual weight."))
        total = sum(d.manual_weight for d in drivers)
        if total != 100:
            raise ValidationError(
                _("The manual weights add up to %(total)s %%; they must make 100 %%.")
                % {"total": f"{total:g}"}
            )
    if changed:
        bulk_update_with_history(
            changed, BusinessDriver, ["manual_weight"], default_user=user_or_none(actor)
        )
    if portfolio.framework != framework:
        portfolio.framework = framework
        portfolio.full_clean()
        set_history_user(portfolio, actor)
        portfolio.save()
    portfolio_scores_refresh(portfolio=portfolio, actor=actor)
    return portfolio


# --- pairwise comparisons -------------------------------------------------------------------


def _saaty(value) -> float:
    """The step of Saaty's scale a judgement stands for, or ValidationError."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0.0
    for step in SAATY_VALUES:
        if number > 0 and abs(number - step) <= 1e-9 * max(1.0, step):
            return step
    raise ValidationError(_("A judgement is a step of Saaty's scale, 1/9 to 9."))


@transaction.atomic
def driver_comparisons_save(
    *,
    portfolio: Portfolio,
    evaluator,
    judgements: Mapping[tuple[int, int], float],
    actor=None,
) -> list[DriverComparison]:
    """Save one evaluator's judgements of every pair of the portfolio's drivers.

    ``judgements`` maps (driver id, driver id) to a_ij on Saaty's scale (how many times
    the first matters more than the second). Each evaluator keeps their own rows; the
    weights come from the geometric mean of all complete evaluators.
    """
    _ensure_open(portfolio)
    drivers = ordered_drivers(portfolio)
    position = {d.pk: i for i, d in enumerate(drivers)}
    given: dict[frozenset, float] = {}
    for (first, second), value in judgements.items():
        if first not in position or second not in position or first == second:
            raise ValidationError(_("Only drivers of this portfolio can be compared."))
        pair = frozenset((first, second))
        if pair in given:
            raise ValidationError(_("Each pair of drivers is judged once."))
        step = _saaty(value)
        # Stored with ``first`` before ``second`` in the drivers' order.
        given[pair] = step if position[first] < position[second] else 1 / step
    pairs = driver_pairs(drivers)
    if len(given) != len(pairs):
        raise ValidationError(_("Judge every pair of drivers."))
    existing = {
        frozenset((c.first_id, c.second_id)): c
        for c in DriverComparison.objects.filter(portfolio=portfolio, evaluator=evaluator)
    }
    saved = []
    for first, second in pairs:
        pair = frozenset((first.pk, second.pk))
        value = given[pair]
        row = existing.pop(pair, None) or DriverComparison(portfolio=portfolio, evaluator=evaluator)
        if row.pk and (row.first_id, row.second_id, row.value) == (first.pk, second.pk, value):
            saved.append(row)
            continue
        row.first, row.second, row.value = first, second, value
        row.full_clean(validate_unique=False, validate_constraints=False)
        set_history_user(row, actor)
        row.save()
        saved.append(row)
    for stale in existing.values():
        set_history_user(stale, actor)
        stale.delete()
    portfolio_scores_refresh(portfolio=portfolio, actor=actor)
    return saved


# --- the rating grid ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingRow:
    """One row of the rating grid: a candidate's level per driver (None clears it), its
    feasibility, risk and mandate, and — when given — its WSJF inputs."""

    item: PortfolioItem
    levels: Mapping[int, RatingLevel | None]
    feasibility: int | None
    risk: int | None
    mandate: str
    wsjf: Mapping[str, int | None] | None = None


@transaction.atomic
def candidate_ratings_save(
    *, portfolio: Portfolio, rows: Sequence[RatingRow], actor=None
) -> Scoring:
    """Save a page of the rating grid, all or nothing, then re-score the portfolio.

    Every level must belong to the portfolio's rating scale; feasibility and risk are
    1–5; WSJF inputs 0–100 and a job size of at least 1. Any error leaves every row
    as it was.
    """
    _ensure_open(portfolio)
    drivers = {d.pk: d for d in ordered_drivers(portfolio)}
    errors: list[ValidationError] = []
    items: list[PortfolioItem] = []
    changed: list[PortfolioItem] = []
    cells: dict[tuple[int, int], RatingLevel | None] = {}
    item_fields = {"feasibility", "risk", "mandate"}
    for row in rows:
        item = row.item
        before = [getattr(item, name) for name in ("feasibility", "risk", "mandate", *WSJF_FIELDS)]
        if item.portfolio_id != portfolio.pk:
            raise ValidationError(_("Only candidates of this portfolio can be rated."))
        code = item.project.code
        for driver_id, level in row.levels.items():
            if driver_id not in drivers:
                raise ValidationError(_("Only drivers of this portfolio can be rated."))
            if level is not None and level.scale_id != portfolio.rating_scale_id:
                errors.append(
                    ValidationError(
                        _("%(code)s: the rating is not a level of the portfolio's scale.")
                        % {"code": code}
                    )
                )
            cells[(item.pk, driver_id)] = level
        item.feasibility, item.risk, item.mandate = row.feasibility, row.risk, row.mandate or ""
        if row.wsjf is not None:
            item_fields.update(WSJF_FIELDS)
            for name in WSJF_FIELDS:
                setattr(item, name, row.wsjf.get(name))
        try:
            # The item's own fields only: its portfolio and project are not edited here.
            item.full_clean(
                exclude=["portfolio", "project"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                label = PortfolioItem._meta.get_field(field_name).verbose_name
                for message in messages:
                    errors.append(
                        ValidationError(
                            _("%(code)s, %(field)s: %(message)s")
                            % {"code": code, "field": label, "message": message}
                        )
                    )
        items.append(item)
        if before != [getattr(item, n) for n in ("feasibility", "risk", "mandate", *WSJF_FIELDS)]:
            changed.append(item)
    if errors:
        raise ValidationError(errors)

    user = user_or_none(actor)
    if changed:
        bulk_update_with_history(changed, PortfolioItem, sorted(item_fields), default_user=user)
    existing = {
        (r.item_id, r.driver_id): r
        for r in DriverRating.objects.filter(item__in=[i.pk for i in items], driver__in=drivers)
    }
    create, update, delete = [], [], []
    for key, level in cells.items():
        current = existing.get(key)
        if level is None:
            if current is not None:
                delete.append(current)
        elif current is None:
            create.append(DriverRating(item_id=key[0], driver_id=key[1], level=level))
        elif current.level_id != level.pk:
            current.level = level
            update.append(current)
    if create:
        bulk_create_with_history(create, DriverRating, default_user=user)
    if update:
        bulk_update_with_history(update, DriverRating, ["level"], default_user=user)
    for rating in delete:
        set_history_user(rating, actor)
        rating.delete()
    return portfolio_scores_refresh(portfolio=portfolio, actor=actor)


# --- rating scales ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelInput:
    """A level of a scale as edited: ``level`` is the existing row (None for a new one)."""

    name: str
    value: Decimal
    name_en: str = ""
    description: str = ""
    level: RatingLevel | None = None
    delete: bool = False


@transaction.atomic
def rating_scale_save(
    *,
    code: str,
    name: str,
    levels: Sequence[LevelInput],
    name_en: str = "",
    scale: RatingScale | None = None,
    actor=None,
) -> RatingScale:
    """Create or update a rating scale and its levels together.

    A scale keeps at least two levels with distinct values; a level that rates a
    candidate cannot be deleted. The open portfolios using the scale are re-scored,
    since their candidates' values change with the levels'.
    """
    scale = scale or RatingScale()
    scale.code, scale.name, scale.name_en = code.strip(), name.strip(), name_en.strip()
    scale.full_clean()
    kept = [level for level in levels if not level.delete]
    if len(kept) < 2:
        raise ValidationError(_("A rating scale needs at least two levels."))
    values = [level.value for level in kept]
    if len(set(values)) != len(values):
        raise ValidationError(_("Two levels of a scale cannot have the same value."))
    for level in levels:
        if level.level is not None and (scale.pk is None or level.level.scale_id != scale.pk):
            raise ValidationError(_("A level can only be edited on its own scale."))
    doomed = [level.level for level in levels if level.delete and level.level is not None]
    if doomed:
        used = dict(
            RatingLevel.objects.filter(pk__in=[lv.pk for lv in doomed])
            .annotate(n=Count("driverrating"))
            .filter(n__gt=0)
            .values_list("name", "n")
        )
        if used:
            raise ValidationError(
                [
                    _("The level %(level)s rates %(n)s candidates and cannot be deleted.")
                    % {"level": level_name, "n": n}
                    for level_name, n in used.items()
                ]
            )
    set_history_user(scale, actor)
    scale.save()
    for level in doomed:
        set_history_user(level, actor)
        level.delete()
    # Values are unique per scale: park changed ones out of the way first, so that
    # swapping two values does not trip the constraint half-way.
    moving = [lv.level for lv in kept if lv.level is not None and lv.level.value != lv.value]
    for offset, level in enumerate(moving, start=1):
        RatingLevel.objects.filter(pk=level.pk).update(value=Decimal(-9000 - offset))
    for entry in kept:
        level = entry.level or RatingLevel(scale=scale)
        level.name, level.name_en = entry.name.strip(), entry.name_en.strip()
        level.value, level.description = entry.value, entry.description.strip()
        level.full_clean(validate_unique=False, validate_constraints=False)
        set_history_user(level, actor)
        level.save()
    for portfolio in Portfolio.objects.filter(rating_scale=scale).exclude(
        status=Portfolio.Status.CLOSED
    ):
        portfolio_scores_refresh(portfolio=portfolio, actor=actor)
    return scale
