"""Writes of the scenarios part: dependencies between projects, scenarios with their
forced choices, start shifts and what-if capacity, solving and committing.

Every function is keyword-only, validates with ``full_clean()``, runs in a transaction
and records who made the change (django-simple-history). Permission checks are the
views' job; these functions trust their caller.

A scenario's ``result`` is cleared whenever one of its own inputs changes; a change
elsewhere (scores, costs, demand, people, dependencies) is caught by the fingerprint
of the inputs stored with the result, and a stale result cannot be committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections import deque
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core.models import Project, Role, Stage
from pmo.core.services import TRANSITIONS, notification_send, project_stage_change
from portfolio import analysis
from portfolio.models import (
    Portfolio,
    PortfolioItem,
    ProjectDependency,
    Scenario,
    ScenarioCapacity,
    ScenarioItem,
)
from portfolio.selectors.scenarios import ScenarioInputs, period_of, scenario_inputs

logger = logging.getLogger(__name__)

FRONTIER_POINTS = 20
# Seconds a solve in a request may search; past it the best selection found is kept
# with its proven gap to the optimum (shown on the page).
SOLVE_TIME_LIMIT = 5.0
# Up to this many candidates the frontier is solved with the scenario (measured well
# under a second on the demo); larger portfolios get it from a background task.
INLINE_FRONTIER_LIMIT = 60
# A frontier still running after this long is reported as lost (the task's time limit).
FRONTIER_TIMEOUT = dt.timedelta(minutes=15)
RESULT_VERSION = 1
# Stages a chosen project is already past when a scenario is committed.
APPROVED_OR_LATER = frozenset({Stage.APPROVED, Stage.ACTIVE, Stage.CLOSING, Stage.CLOSED})
# Stages a commit never moves a project through on its way to approval.
NOT_ON_THE_WAY = frozenset({Stage.REJECTED, Stage.CANCELLED, Stage.ON_HOLD, Stage.CLOSED})

SCENARIO_FIELDS = ("name", "description", "budget", "use_capacity", "use_dependencies")
INPUT_FIELDS = ("budget", "use_capacity", "use_dependencies")
# Set by the services, possibly empty for work done by the system.
AUDIT_FIELDS = ["created_by", "committed_by"]


def _by(obj, actor):
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    return obj


def _require_draft(scenario: Scenario) -> None:
    if scenario.status != Scenario.Status.DRAFT:
        raise ValidationError(
            _(
                "A committed or superseded scenario is the record of a decision and cannot "
                "be changed. Copy it to try other settings."
            )
        )


def _clear_result(scenario: Scenario) -> None:
    scenario.result = {}
    scenario.solved_at = None


def _invalidate(scenario: Scenario, actor) -> None:
    """Clear the stored result after one of the scenario's own inputs changed."""
    if scenario.result or scenario.solved_at:
        _clear_result(scenario)
        _by(scenario, actor).save(update_fields=["result", "solved_at"])


# --- dependencies ----------------------------------------------------------------------


@transaction.atomic
def dependency_create(
    *, project: Project, other: Project, kind: str, note: str = "", actor
) -> ProjectDependency:
    """Record that ``project`` requires or excludes ``other``.

    Exclusion is mutual, so "B excludes A" is refused when "A excludes B" exists, and a
    pair cannot both require and exclude each other (no selection could hold them).
    """
    dependency = ProjectDependency(project=project, other=other, kind=kind, note=note.strip())
    dependency.full_clean()
    pair = ProjectDependency.objects.filter(
        Q(project=project, other=other) | Q(project=other, other=project)
    )
    if kind == ProjectDependency.Kind.EXCLUDES:
        if pair.filter(kind=ProjectDependency.Kind.EXCLUDES).exists():
            raise ValidationError(_("These projects exclude each other already."))
        if pair.filter(kind=ProjectDependency.Kind.REQUIRES).exists():
            raise ValidationError(
                {
                    "kind": _(
                        "One of these projects requires the other, so they cannot also "
                        "exclude each other."
                    )
                }
            )
    elif pair.filter(kind=ProjectDependency.Kind.EXCLUDES).exists():
        raise ValidationError(
            {"kind": _("These projects exclude each other, so one cannot require the other.")}
        )
    _by(dependency, actor).save()
    return dependency


@transaction.atomic
def dependency_delete(*, dependency: ProjectDependency, actor) -> None:
    _by(dependency, actor).delete()


# --- scenarios and their inputs ------------------------------------------------------------


def _clean_budget(budget) -> Decimal:
    try:
        value = Decimal(str(budget))
    except ArithmeticError:
        raise ValidationError({"budget": _("Enter the budget as an amount of CNY.")}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})
    return value


@transaction.atomic
def scenario_create(
    *,
    portfolio: Portfolio,
    name: str,
    budget,
    description: str = "",
    use_capacity: bool = True,
    use_dependencies: bool = True,
    actor,
) -> Scenario:
    """A new draft scenario of an open portfolio."""
    if portfolio.status == Portfolio.Status.CLOSED:
        raise ValidationError(_("The portfolio is closed; its scenarios cannot change."))
    scenario = Scenario(
        portfolio=portfolio,
        name=name.strip(),
        description=description.strip(),
        budget=_clean_budget(budget),
        use_capacity=use_capacity,
        use_dependencies=use_dependencies,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    scenario.full_clean(exclude=AUDIT_FIELDS)
    _by(scenario, actor).save()
    return scenario


@transaction.atomic
def scenario_update(*, scenario: Scenario, actor, **fields) -> Scenario:
    """Change a draft scenario's name, description, budget or switches; a changed
    budget or switch clears the stored result."""
    unknown = set(fields) - set(SCENARIO_FIELDS)
    if unknown:
        raise TypeError(f"unknown scenario fields: {sorted(unknown)}")
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _require_draft(scenario)
    if "budget" in fields:
        fields["budget"] = _clean_budget(fields["budget"])
    for key in ("name", "description"):
        if key in fields:
            fields[key] = fields[key].strip()
    changed = any(getattr(scenario, key) != fields[key] for key in INPUT_FIELDS if key in fields)
    for key, value in fields.items():
        setattr(scenario, key, value)
    if changed:
        _clear_result(scenario)
    scenario.full_clean(exclude=AUDIT_FIELDS)
    _by(scenario, actor).save()
    return scenario


@transaction.atomic
def scenario_copy(*, scenario: Scenario, actor, name: str = "") -> Scenario:
    """A new draft with the same budget, switches, forced choices, shifts and what-if
    capacity (handy to vary a committed scenario)."""
    copy = scenario_create(
        portfolio=scenario.portfolio,
        name=name or _("Copy of %(name)s") % {"name": scenario.name},
        budget=scenario.budget,
        description=scenario.description,
        use_capacity=scenario.use_capacity,
        use_dependencies=scenario.use_dependencies,
        actor=actor,
    )
    for setting in ScenarioItem.objects.filter(scenario=scenario):
        _by(
            ScenarioItem(
                scenario=copy,
                item_id=setting.item_id,
                force=setting.force,
                shift_months=setting.shift_months,
            ),
            actor,
        ).save()
    for change in ScenarioCapacity.objects.filter(scenario=scenario):
        _by(
            ScenarioCapacity(
                scenario=copy, role_id=change.role_id, month=change.month, hours=change.hours
            ),
            actor,
        ).save()
    return copy


@transaction.atomic
def scenario_delete(*, scenario: Scenario, actor) -> None:
    """Delete a scenario that was never committed (a committed one is a record)."""
    if scenario.status == Scenario.Status.COMMITTED:
        raise ValidationError(
            _("The committed scenario is the record of the portfolio decision; it stays.")
        )
    _by(scenario, actor).delete()


@transaction.atomic
def scenario_setting_set(
    *, scenario: Scenario, item: PortfolioItem, force: str = "", shift_months: int = 0, actor
) -> ScenarioItem | None:
    """Force a candidate in or out and/or shift its start by whole months (−24…24).

    Back to "optimise, no shift" the setting row goes away. Clears the stored result.
    """
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _require_draft(scenario)
    if item.portfolio_id != scenario.portfolio_id:
        raise ValidationError(_("This project is not a candidate of the scenario's portfolio."))
    setting = ScenarioItem.objects.filter(scenario=scenario, item=item).first()
    if not force and not shift_months:
        if setting is not None:
            _by(setting, actor).delete()
        _invalidate(scenario, actor)
        return None
    setting = setting or ScenarioItem(scenario=scenario, item=item)
    setting.force, setting.shift_months = force, shift_months
    setting.full_clean(validate_unique=False)
    _by(setting, actor).save()
    _invalidate(scenario, actor)
    return setting


@transaction.atomic
def scenario_capacity_add(
    *, scenario: Scenario, role: Role, month: dt.date, hours, actor
) -> ScenarioCapacity:
    """What-if hours of a role in a month of the horizon (negative: fewer); a second
    entry for the same role and month replaces the first. Clears the stored result."""
    scenario = Scenario.objects.select_for_update().select_related("portfolio").get(pk=scenario.pk)
    _require_draft(scenario)
    month = month.replace(day=1)
    portfolio = scenario.portfolio
    if not portfolio.horizon_start.replace(day=1) <= month <= portfolio.horizon_end:
        raise ValidationError(
            {
                "month": _("Choose a month of the portfolio's horizon (%(start)s – %(end)s).")
                % {
                    "start": period_of(portfolio.horizon_start),
                    "end": period_of(portfolio.horizon_end),
                }
            }
        )
    try:
        amount = Decimal(str(hours))
    except ArithmeticError:
        raise ValidationError({"hours": _("Enter a number of hours.")}) from None
    if not amount.is_finite() or amount == 0:
        raise ValidationError({"hours": _("Enter a number of hours other than zero.")})
    change = ScenarioCapacity.objects.filter(
        scenario=scenario, role=role, month=month
    ).first() or ScenarioCapacity(scenario=scenario, role=role, month=month)
    change.hours = amount
    change.full_clean(validate_unique=False)
    _by(change, actor).save()
    _invalidate(scenario, actor)
    return change


@transaction.atomic
def scenario_capacity_delete(*, change: ScenarioCapacity, actor) -> None:
    scenario = Scenario.objects.select_for_update().get(pk=change.scenario_id)
    _require_draft(scenario)
    _by(change, actor).delete()
    _invalidate(scenario, actor)


# --- solving ----------------------------------------------------------------------------------


def _reason(reason: analysis.Reason, item: PortfolioItem, mandated: bool) -> dict:
    found = {"code": str(reason.code)}
    for key in ("other", "relation", "role", "period", "shortfall"):
        value = getattr(reason, key)
        if value is not None:
            found[key] = value
    if mandated:
        found["mandate"] = item.mandate
    return found


def _result_of(selection: analysis.Selection, inputs: ScenarioInputs) -> dict:
    """What is kept of a selection: ids and numbers only; words are made when shown."""
    items = inputs.by_id
    roles = {key[0] for c in inputs.candidates for key in c.demand}
    return {
        "chosen": sorted(selection.chosen),
        "value": selection.value,
        "cost": selection.cost,
        "optimal": selection.optimal,
        "gap": selection.gap,
        "items": [
            {
                "id": c.id,
                "in": c.id in selection.chosen,
                "reason": _reason(selection.reasons[c.id], items[c.id], c.id in inputs.mandated),
            }
            for c in inputs.candidates
        ],
        "use": [[role, period, hours] for (role, period), hours in selection.capacity_use.items()],
        "available": [
            [role, period, hours]
            for (role, period), hours in sorted(inputs.available.items())
            if role in roles
        ],
        "capacity_enforced": inputs.scenario.use_capacity,
        "outside_dependencies": [d.pk for d in inputs.outside],
    }


def _frontier(inputs: ScenarioInputs) -> dict:
    """The best value at FRONTIER_POINTS budgets from the cheapest feasible portfolio
    to the cost of the best one with no budget limit (or why it could not be drawn)."""
    started = time.perf_counter()
    constraints = inputs.constraints()
    try:
        budgets = analysis.frontier_budgets(inputs.candidates, FRONTIER_POINTS, **constraints)
        points = analysis.efficient_frontier(inputs.candidates, budgets, **constraints)
    except (analysis.InfeasiblePortfolio, RuntimeError, ValueError) as error:
        logger.warning("Frontier of scenario %s failed: %s", inputs.scenario.pk, error)
        return {"status": "failed", "error": str(error)[:500]}
    return {
        "status": "done",
        "points": [
            {
                "budget": s.budget,
                "cost": s.cost,
                "value": s.value,
                "count": len(s.chosen),
                "optimal": s.optimal,
            }
            for s in points
        ],
        "seconds": round(time.perf_counter() - started, 3),
    }


def scenario_solve(*, scenario: Scenario, actor) -> Scenario:
    """Select the candidates of maximal total value (``analysis.select_portfolio``) and
    store the result with the reason for each candidate, the capacity use and the
    efficient frontier.

    Forced choices that cannot all hold are a result too: the conflict is stored (and
    shown in words) instead of a selection.
    """
    with transaction.atomic():
        scenario = (
            Scenario.objects.select_for_update().select_related("portfolio").get(pk=scenario.pk)
        )
        _require_draft(scenario)
        inputs = scenario_inputs(scenario)
        started = time.perf_counter()
        result: dict = {
            "version": RESULT_VERSION,
            "fingerprint": inputs.fingerprint,
            "budget": float(scenario.budget),
            "candidates": len(inputs.candidates),
        }
        try:
            selection = analysis.select_portfolio(
                inputs.candidates,
                budget=float(scenario.budget),
                time_limit=SOLVE_TIME_LIMIT,
                **inputs.constraints(),
            )
        except analysis.InfeasiblePortfolio as conflict:
            result["infeasible"] = {
                "kind": conflict.kind,
                "items": list(conflict.items),
                "role": conflict.role,
                "period": conflict.period,
                "amount": conflict.amount,
                "limit": conflict.limit,
                "message": str(conflict),
            }
        else:
            result.update(_result_of(selection, inputs))
        result["seconds"] = round(time.perf_counter() - started, 3)
        token = ""
        if "infeasible" not in result:
            if len(inputs.candidates) <= INLINE_FRONTIER_LIMIT:
                result["frontier"] = _frontier(inputs)
            else:
                token = secrets.token_hex(8)
                result["frontier"] = {"status": "pending", "token": token}
        scenario.result = result
        scenario.solved_at = timezone.now()
        _by(scenario, actor).save(update_fields=["result", "solved_at"])
        if token:
            _enqueue_frontier(scenario.pk, token)
    return scenario


def _enqueue_frontier(scenario_id: int, token: str) -> None:
    """Queue the frontier after commit; with the broker down the frontier is marked
    failed (the solve itself stands), so the page stops waiting for it."""
    from pmo.core import queue
    from portfolio.tasks import scenario_frontier

    def unavailable() -> None:
        with transaction.atomic():
            scenario = Scenario.objects.select_for_update().filter(pk=scenario_id).first()
            frontier = (scenario.result or {}).get("frontier") or {} if scenario else {}
            if frontier.get("token") == token and frontier.get("status") == "pending":
                scenario.result["frontier"] = {**frontier, "status": "failed"}
                scenario.save(update_fields=["result"])

    queue.enqueue(scenario_frontier, scenario_id, token, on_unavailable=unavailable)


def scenario_frontier_compute(*, scenario_id: int, token: str) -> bool:
    """Compute the pending frontier of a solve (the background task's body).

    The claim (pending → running, under a row lock) makes a second delivery of the task
    do nothing; the token makes a frontier of an older solve never overwrite a newer one.
    """
    with transaction.atomic():
        scenario = (
            Scenario.objects.select_for_update()
            .select_related("portfolio")
            .filter(pk=scenario_id)
            .first()
        )
        frontier = (scenario.result or {}).get("frontier") or {} if scenario else {}
        if frontier.get("token") != token or frontier.get("status") != "pending":
            return False
        scenario.result["frontier"] = {
            "status": "running",
            "token": token,
            "since": timezone.now().isoformat(),
        }
        scenario.save(update_fields=["result"])
    inputs = scenario_inputs(scenario)
    if inputs.fingerprint != scenario.result.get("fingerprint"):
        computed = {"status": "stale", "token": token}
    else:
        computed = {**_frontier(inputs), "token": token}
    with transaction.atomic():
        current = Scenario.objects.select_for_update().filter(pk=scenario_id).first()
        if current is None or (current.result.get("frontier") or {}).get("token") != token:
            return False
        current.result["frontier"] = computed
        current.save(update_fields=["result"])
    return True


def frontier_state(scenario: Scenario) -> str:
    """done, pending, running, lost, stale, failed or "" (no frontier)."""
    frontier = (scenario.result or {}).get("frontier") or {}
    status = frontier.get("status", "")
    if status == "running":
        since = dt.datetime.fromisoformat(frontier["since"])
        if timezone.now() - since > FRONTIER_TIMEOUT:
            return "lost"
    return status


# --- committing ------------------------------------------------------------------------------


def approval_path(stage: str) -> list[str] | None:
    """The lifecycle moves that bring a project from ``stage`` to approved ([] when it is
    there or past it; None when the lifecycle offers no way)."""
    if stage in APPROVED_OR_LATER:
        return []
    if stage in (Stage.REJECTED, Stage.CANCELLED):
        return None  # a decided "no" is not reversed by a portfolio commit
    queue: deque[tuple[str, list[str]]] = deque([(stage, [])])
    seen = {stage}
    while queue:
        current, path = queue.popleft()
        for following in TRANSITIONS.get(current, {}):
            if following == Stage.APPROVED:
                return [*path, following]
            if following in seen or following in NOT_ON_THE_WAY:
                continue
            seen.add(following)
            queue.append((following, [*path, following]))
    return None


@transaction.atomic
def scenario_commit(*, scenario: Scenario, actor) -> Scenario:
    """Make a solved draft scenario the portfolio's decision, all or nothing.

    Its chosen projects move to approved through the core lifecycle (via under review
    where the lifecycle requires it), their candidacies become *selected*, the other
    candidacies of the portfolio go back to *candidate* (deferred ones stay deferred),
    earlier committed scenarios of the portfolio become *superseded*, and the managers
    of newly approved projects are notified.
    """
    scenario = Scenario.objects.select_for_update().select_related("portfolio").get(pk=scenario.pk)
    if scenario.status != Scenario.Status.DRAFT:
        raise ValidationError(_("Only a draft scenario can be committed."))
    result = scenario.result or {}
    if not result.get("items"):
        raise ValidationError(_("Solve the scenario without conflicts before committing it."))
    if scenario_inputs(scenario).fingerprint != result.get("fingerprint"):
        raise ValidationError(
            _(
                "The inputs have changed since the scenario was solved (scores, costs, "
                "demand, capacity or dependencies). Solve it again before committing."
            )
        )
    portfolio = scenario.portfolio
    chosen = set(result["chosen"])
    items = list(
        PortfolioItem.objects.select_for_update(of=("self",))
        .filter(portfolio=portfolio)
        .select_related("project", "project__manager__user")
        .order_by("project__code")
    )
    paths = {}
    for item in items:
        if item.pk in chosen:
            path = approval_path(item.project.stage)
            if path is None:
                raise ValidationError(
                    _(
                        "%(project)s is %(stage)s and cannot be approved. Force it out of "
                        "the scenario and solve again."
                    )
                    % {
                        "project": f"{item.project.code} {item.project.label}",
                        "stage": item.project.get_stage_display(),
                    }
                )
            paths[item.pk] = path
    reason = _("Selected in scenario “%(scenario)s” of portfolio %(portfolio)s.") % {
        "scenario": scenario.name,
        "portfolio": portfolio.code,
    }
    approved = []
    for item in items:
        if item.pk in chosen:
            for stage in paths[item.pk]:
                project_stage_change(
                    project=item.project, to_stage=stage, actor=actor, reason=reason
                )
            if paths[item.pk]:
                approved.append(item.project)
            decision = PortfolioItem.Decision.SELECTED
        elif item.decision == PortfolioItem.Decision.SELECTED:
            decision = PortfolioItem.Decision.CANDIDATE
        else:
            continue
        if item.decision != decision:
            item.decision = decision
            _by(item, actor).save(update_fields=["decision"])
    for earlier in Scenario.objects.select_for_update().filter(
        portfolio=portfolio, status=Scenario.Status.COMMITTED
    ):
        earlier.status = Scenario.Status.SUPERSEDED
        _by(earlier, actor).save(update_fields=["status"])
    scenario.status = Scenario.Status.COMMITTED
    scenario.committed_by = actor if getattr(actor, "is_authenticated", False) else None
    scenario.committed_at = timezone.now()
    _by(scenario, actor).save(update_fields=["status", "committed_by", "committed_at"])
    for project in approved:
        manager = project.manager
        if manager is not None and manager.user_id:
            notification_send(
                recipients=[manager.user],
                title=_("%(code)s was approved in portfolio %(portfolio)s")
                % {"code": project.code, "portfolio": portfolio.code},
                body=reason,
                url=project.get_absolute_url(),
            )
    return scenario
