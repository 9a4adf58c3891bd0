"""Writes of the strategy part: themes, objectives and their measurements, the links of
projects to objectives, portfolios and their candidates.

Every function is keyword-only, validates with ``full_clean()``, runs in a transaction
and records who made the change (django-simple-history). Permission checks are the
views' job; these functions trust their caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core.models import Person, Project, Stage
from portfolio.models import (
    DriverRating,
    Objective,
    ObjectiveLink,
    Portfolio,
    PortfolioItem,
    RatingLevel,
    RatingScale,
    StrategicTheme,
)
from portfolio.selectors.strategy import INTAKE_STAGES, expected_share, suggested_status
from portfolio.services.prioritisation import portfolio_scores_refresh

# Projects that serve no objective any more.
UNLINKABLE_STAGES = (Stage.REJECTED, Stage.CANCELLED)

OBJECTIVE_FIELDS = (
    "code",
    "theme",
    "parent",
    "name",
    "name_en",
    "description",
    "owner",
    "period_start",
    "period_end",
    "kpi",
    "unit",
    "baseline",
    "target",
    "weight",
    "is_key",
    "status",
    "sort_order",
    "is_active",
)
PORTFOLIO_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "owner",
    "budget",
    "horizon_start",
    "horizon_end",
    "framework",
    "rating_scale",
    "status",
)
CANDIDATE_FIELDS = (
    "cost",
    "mandate",
    "feasibility",
    "risk",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "job_size",
    "note",
)
# The field each check constraint of the strategy's models is about.
CONSTRAINT_FIELDS = {
    "objective_period_end_after_start": "period_end",
    "portfolio_horizon_end_after_start": "horizon_end",
    "portfolio_budget_not_negative": "budget",
    "portfolio_item_cost_not_negative": "cost",
}
# The default rating scale (REFERENCE.md "Project score"): value, Chinese, English.
IMPACT_SCALE_CODE = "impact"
IMPACT_LEVELS = (
    (0, "无", "None"),
    (1, "低", "Low"),
    (3, "中", "Moderate"),
    (6, "强", "Strong"),
    (9, "极强", "Extreme"),
)


def _audit(obj, actor, reason: str = "") -> None:
    """Name the user (and the reason) on the history record the save will write."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]


def _full_clean(obj, **kwargs) -> None:
    """``full_clean()`` with each check constraint's message moved to the field it is about,
    so that a form shows it next to that field."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        if not hasattr(error, "error_dict") or NON_FIELD_ERRORS not in error.error_dict:
            raise
        fields = {
            str(c.get_violation_error_message()): CONSTRAINT_FIELDS[c.name]
            for c in obj._meta.constraints
            if c.name in CONSTRAINT_FIELDS
        }
        errors: dict[str, list] = {}
        for name, messages in error.error_dict.items():
            for message in messages:
                text = " ".join(ValidationError(message).messages)
                target = fields.get(text, name) if name == NON_FIELD_ERRORS else name
                errors.setdefault(target, []).append(message)
        raise ValidationError(errors) from None


def _check_fields(fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


# --- themes and objectives -----------------------------------------------------------------


@transaction.atomic
def theme_save(
    *,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    owner: Person | None = None,
    sort_order: int = 0,
    is_active: bool = True,
    theme: StrategicTheme | None = None,
    actor=None,
) -> StrategicTheme:
    """Create or update a strategic theme."""
    theme = theme or StrategicTheme()
    theme.code, theme.name, theme.name_en = code.strip(), name.strip(), name_en.strip()
    theme.description, theme.owner = description, owner
    theme.sort_order, theme.is_active = sort_order, is_active
    theme.full_clean()
    _audit(theme, actor)
    theme.save()
    return theme


def _check_parent(objective: Objective) -> None:
    parent = objective.parent
    if parent is None:
        return
    if objective.pk and parent.pk == objective.pk:
        raise ValidationError({"parent": _("An objective cannot refine itself.")})
    if parent.theme_id != objective.theme_id:
        raise ValidationError(
            {"parent": _("The parent objective must belong to the same strategic theme.")}
        )
    if objective.pk:
        seen = {objective.pk}
        ancestor_id = parent.parent_id
        while ancestor_id is not None:
            if ancestor_id in seen:
                raise ValidationError(
                    {"parent": _("This parent would make the objective refine itself.")}
                )
            seen.add(ancestor_id)
            ancestor_id = (
                Objective.objects.filter(pk=ancestor_id).values_list("parent_id", flat=True).first()
            )


@transaction.atomic
def objective_save(*, objective: Objective | None = None, actor=None, **fields) -> Objective:
    """Create or update an objective (fields as on the model).

    A parent must be of the same theme and not below the objective; the target must
    differ from the baseline, or progress could not be measured. ``actual`` and
    ``measured_on`` may be given by an import; the browser records them through
    :func:`objective_measure`.
    """
    _check_fields(fields, (*OBJECTIVE_FIELDS, "actual", "measured_on"))
    objective = objective or Objective()
    for key, value in fields.items():
        setattr(objective, key, value)
    for key in ("code", "name", "name_en", "kpi", "unit"):
        setattr(objective, key, (getattr(objective, key) or "").strip())
    _full_clean(objective)
    _check_parent(objective)
    if objective.target == objective.baseline:
        raise ValidationError({"target": _("The target must differ from the baseline.")})
    if objective.actual is not None and objective.measured_on is None:
        objective.measured_on = timezone.localdate()
    _audit(objective, actor)
    objective.save()
    return objective


@transaction.atomic
def objective_measure(
    *,
    objective: Objective,
    actual: Decimal,
    measured_on: dt.date,
    status: str = "",
    note: str = "",
    actor=None,
) -> Objective:
    """Record a new actual value of the objective's KPI.

    The previous values stay in the objective's history, each with its date and note.
    Without a status, the suggested one is set (progress against the time elapsed).
    """
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    today = timezone.localdate()
    if measured_on > today:
        raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})
    if objective.measured_on and measured_on < objective.measured_on:
        raise ValidationError(
            {
                "measured_on": _(
                    "The latest measurement is of %(date)s; a new one cannot be older."
                )
                % {"date": objective.measured_on.isoformat()}
            }
        )
    objective.actual, objective.measured_on = actual, measured_on
    if not status:
        status = suggested_status(
            objective.progress,
            expected_share(objective.period_start, objective.period_end, measured_on),
        )
    objective.status = status
    objective.full_clean()
    _audit(objective, actor, note.strip())
    objective.save()
    return objective


@transaction.atomic
def objective_link_save(
    *,
    objective: Objective,
    project: Project,
    contribution: int,
    justification: str = "",
    actor=None,
) -> ObjectiveLink:
    """Link a project to an objective, or change the contribution of an existing link.

    The contributions of all projects to one objective add up to at most 100 %.
    """
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if project.stage in UNLINKABLE_STAGES:
        raise ValidationError(
            {"project": _("A rejected or cancelled project serves no objective.")}
        )
    link = ObjectiveLink.objects.filter(objective=objective, project=project).first()
    link = link or ObjectiveLink(objective=objective, project=project)
    link.contribution, link.justification = contribution, justification.strip()
    link.full_clean(validate_unique=False)
    others = (
        ObjectiveLink.objects.filter(objective=objective)
        .exclude(pk=link.pk)
        .aggregate(total=Sum("contribution"))["total"]
        or 0
    )
    if others + contribution > 100:
        raise ValidationError(
            {
                "contribution": _(
                    "Other projects already carry %(taken)s %% of this objective; "
                    "at most %(left)s %% is left."
                )
                % {"taken": others, "left": max(0, 100 - others)}
            }
        )
    _audit(link, actor)
    link.save()
    return link


@transaction.atomic
def objective_link_delete(*, link: ObjectiveLink, actor=None) -> None:
    """Remove a project's link to an objective (kept in the history)."""
    _audit(link, actor)
    link.delete()


# --- portfolios and candidates -----------------------------------------------------------


@transaction.atomic
def default_rating_scale() -> RatingScale:
    """The five-level impact scale (none … extreme = 0/1/3/6/9), created when missing."""
    scale, created = RatingScale.objects.get_or_create(
        code=IMPACT_SCALE_CODE, defaults={"name": "影响程度", "name_en": "Impact"}
    )
    if created or not scale.levels.exists():
        for value, name, name_en in IMPACT_LEVELS:
            RatingLevel.objects.create(scale=scale, value=value, name=name, name_en=name_en)
    return scale


def _refresh_scores(portfolio: Portfolio, actor) -> None:
    """Scores are normalised over the candidates, so they change with the candidate set."""
    portfolio_scores_refresh(portfolio=portfolio, actor=actor)


def _ensure_open(portfolio: Portfolio) -> None:
    if portfolio.status == Portfolio.Status.CLOSED:
        raise ValidationError(_("The portfolio is closed; its candidates can no longer change."))


@transaction.atomic
def portfolio_save(*, portfolio: Portfolio | None = None, actor=None, **fields) -> Portfolio:
    """Create or update a portfolio; without a rating scale it gets the impact scale.

    The scale cannot change once candidates are rated on it.
    """
    _check_fields(fields, PORTFOLIO_FIELDS)
    portfolio = portfolio or Portfolio()
    # A form may have changed the instance already; compare with what is stored.
    stored = Portfolio.objects.filter(pk=portfolio.pk).first() if portfolio.pk else None
    if fields.get("rating_scale") is None:
        fields["rating_scale"] = stored.rating_scale if stored else default_rating_scale()
    if (
        stored is not None
        and fields["rating_scale"].pk != stored.rating_scale_id
        and DriverRating.objects.filter(item__portfolio=portfolio).exists()
    ):
        raise ValidationError(
            {
                "rating_scale": _(
                    "The candidates are already rated on the current scale; "
                    "the scale can no longer change."
                )
            }
        )
    for key, value in fields.items():
        setattr(portfolio, key, value.strip() if isinstance(value, str) else value)
    _full_clean(portfolio)
    _audit(portfolio, actor)
    portfolio.save()
    if stored is not None and stored.framework != portfolio.framework:
        _refresh_scores(portfolio, actor)
    return portfolio


@transaction.atomic
def portfolio_candidates_add(
    *, portfolio: Portfolio, projects: Iterable[Project], actor=None
) -> list[PortfolioItem]:
    """Take several projects into a portfolio as candidates, all or none.

    Each must be proposed, under review or approved, and not in the portfolio yet; its
    cost starts as the project's budget.
    """
    projects = list(projects)
    if not projects:
        raise ValidationError({"projects": _("Choose at least one project.")})
    _ensure_open(portfolio)
    present = set(
        PortfolioItem.objects.filter(
            portfolio=portfolio, project__in=[p.pk for p in projects]
        ).values_list("project_id", flat=True)
    )
    problems = []
    for project in projects:
        if project.pk in present:
            problems.append(_("%(code)s is already in this portfolio.") % {"code": project.code})
        elif project.stage not in INTAKE_STAGES:
            problems.append(
                _(
                    "%(code)s is %(stage)s; only proposed, under-review or approved projects can be candidates."
                )
                % {"code": project.code, "stage": project.get_stage_display()}
            )
    if problems:
        raise ValidationError({"projects": problems})
    items = []
    for project in projects:
        item = PortfolioItem(portfolio=portfolio, project=project, cost=project.budget)
        item.full_clean(validate_unique=False)
        _audit(item, actor)
        item.save()
        items.append(item)
    _refresh_scores(portfolio, actor)
    return items


@transaction.atomic
def candidate_update(*, item: PortfolioItem, actor=None, **fields) -> PortfolioItem:
    """Change what the portfolio knows of a candidate: cost, mandate, ratings, WSJF inputs."""
    _check_fields(fields, CANDIDATE_FIELDS)
    _ensure_open(item.portfolio)
    for key, value in fields.items():
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    _full_clean(item)
    _audit(item, actor)
    item.save()
    _refresh_scores(item.portfolio, actor)
    return item


@transaction.atomic
def candidate_remove(*, item: PortfolioItem, actor=None) -> None:
    """Take a candidate out of its portfolio with its ratings; a selected one stays."""
    if item.decision == PortfolioItem.Decision.SELECTED:
        raise ValidationError(
            _(
                "%(code)s was selected by a committed scenario; it leaves the portfolio "
                "only through a new committed scenario."
            )
            % {"code": item.project.code}
        )
    portfolio = item.portfolio
    _ensure_open(portfolio)
    _audit(item, actor)
    item.delete()
    _refresh_scores(portfolio, actor)
