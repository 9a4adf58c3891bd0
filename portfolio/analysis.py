"""Portfolio analysis: the calculations behind prioritisation, selection and capacity.

Plain Python with NumPy and SciPy, no Django, so that every figure the portfolio pages
show can be tested against reference values and brute force. The formulas are those of
``REFERENCE.md`` ("Portfolio prioritisation"):

* **AHP** — the weights of business drivers are the principal eigenvector of the
  reciprocal pairwise comparison matrix, normalised to sum 1; λmax is its eigenvalue,
  CI = (λmax − n)/(n − 1), CR = CI/RI (acceptable when CR ≤ 0.10).
* **Scores** — Score_i = Σ_k w_k · s_ik, optionally normalised to a total of 100;
  WSJF = (business value + time criticality + risk reduction) / job size.
* **Selection** — a 0/1 multi-dimensional knapsack solved exactly as a MILP with
  SciPy's ``milp`` (HiGHS, zero gap): maximise Σ v_i x_i subject to Σ c_i x_i ≤ B,
  Σ d_ikt x_i ≤ Cap_kt for every role k and period t, x_A ≤ x_B when A requires B,
  x_A + x_B ≤ 1 when A excludes B, forced projects fixed by their bounds. Among
  selections of equal value the cheaper one wins. Every search has a time limit: within
  it the answer is proven optimal, past it the best selection found comes with a proven
  gap. The efficient frontier re-solves the model for several budgets.
* **Capacity** — demand against supply per (role, period), shifting a project's demand
  by whole months, and greedy suggestions of which low-priority projects to shift.

Periods are ``"YYYY-MM"`` strings; demand and capacity are hours keyed by
``(role, period)``.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

Key = tuple[str, str]
"""A capacity or demand key: (role, period)."""

# ---------------------------------------------------------------------------------------
# AHP
# ---------------------------------------------------------------------------------------

RECIPROCAL_TOLERANCE = 1e-9
"""|a_ij · a_ji − 1| above this makes a comparison matrix not reciprocal."""

CONSISTENCY_THRESHOLD = 0.10
"""Saaty's limit: judgements with CR above it should be revised."""

RANDOM_INDEX: Mapping[int, float] = MappingProxyType(
    {
        1: 0.0,
        2: 0.0,
        3: 0.58,
        4: 0.90,
        5: 1.12,
        6: 1.24,
        7: 1.32,
        8: 1.41,
        9: 1.45,
        10: 1.49,
        11: 1.51,
    }
)
"""Saaty's random consistency index RI by matrix size (REFERENCE.md).

Published tables agree up to n = 11 and differ above it. For n > 11 we use 1.51, the
value for 11: every published RI for larger n is higher (≈1.53–1.59), so CR is
slightly overstated there — judgements are flagged a little early, never late.
"""


def random_index(n: int) -> float:
    """RI for an n×n matrix: the table up to 11, 1.51 above (see ``RANDOM_INDEX``)."""
    if n < 1:
        raise ValueError("A comparison matrix has at least one row.")
    return RANDOM_INDEX.get(n, RANDOM_INDEX[11])


class InconsistentJudgement(NamedTuple):
    """A judgement a_ij set against the ratio w_i / w_j the weights imply."""

    i: int
    j: int
    judged: float
    implied: float

    @property
    def factor(self) -> float:
        """judged / implied: how many times the judgement over- (> 1) or understates."""
        return self.judged / self.implied


@dataclass(frozen=True)
class AhpResult:
    """Weights and consistency of one pairwise comparison matrix.

    ``most_inconsistent`` is the judgement a_ij (i < j) whose ratio to the implied
    w_i / w_j is furthest from 1 on a log scale, i.e. the largest |ln(a_ij · w_j / w_i)|;
    revising it lowers CR the most in Saaty's practice. It is ``None`` when the matrix
    is consistent (every judgement equals its implied ratio).
    """

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    random_index: float
    most_inconsistent: InconsistentJudgement | None

    @property
    def n(self) -> int:
        return len(self.weights)

    @property
    def is_consistent(self) -> bool:
        """CR ≤ 0.10, Saaty's threshold."""
        return self.consistency_ratio <= CONSISTENCY_THRESHOLD


def _comparison_matrix(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    """The matrix as a float array, or ValueError if not square, positive and reciprocal."""
    try:
        rows = [[float(x) for x in row] for row in matrix]
        a = np.array(rows, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("A comparison matrix is a square table of numbers.") from exc
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[0] != a.shape[1]:
        raise ValueError("A comparison matrix must be square (n rows of n numbers).")
    if not np.all(np.isfinite(a)):
        raise ValueError("A comparison matrix holds finite numbers only.")
    if np.any(a <= 0):
        i, j = (int(k) for k in np.argwhere(a <= 0)[0])
        raise ValueError(f"Comparisons must be positive; a[{i}][{j}] = {a[i, j]:g}.")
    off = np.abs(a * a.T - 1.0)
    if np.any(off > RECIPROCAL_TOLERANCE):
        i, j = (int(k) for k in np.argwhere(off > RECIPROCAL_TOLERANCE)[0])
        raise ValueError(
            f"A comparison matrix must be reciprocal (a_ji = 1/a_ij): "
            f"a[{i}][{j}] = {a[i, j]:g} but a[{j}][{i}] = {a[j, i]:g}."
        )
    return a


def ahp_weights(matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Weights of n criteria from their reciprocal pairwise comparison matrix (AHP).

    ``matrix[i][j]`` says how many times more important criterion i is than j (Saaty's
    1–9 scale), with ``matrix[j][i] = 1 / matrix[i][j]``.

    * weights w = principal right eigenvector of A (the eigenvalue with the largest real
      part; by Perron–Frobenius it is real and its eigenvector positive), scaled so
      Σ w_i = 1;
    * λmax = that eigenvalue; CI = (λmax − n)/(n − 1) (0 for n = 1); CR = CI / RI(n),
      and CR = 0 for n ≤ 2, where every reciprocal matrix is consistent.

    Raises ValueError when the matrix is not square, positive and reciprocal within
    ``RECIPROCAL_TOLERANCE``.
    """
    a = _comparison_matrix(matrix)
    n = a.shape[0]
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    vector = np.abs(eigenvectors[:, k].real)
    w = vector / vector.sum()
    # λmax ≥ n for every positive reciprocal matrix; clip rounding noise below n.
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 1 else 0.0
    ri = random_index(n)
    cr = ci / ri if n > 2 else 0.0

    most = None
    if n > 2:
        deviation = np.abs(np.log(a * w[np.newaxis, :] / w[:, np.newaxis]))
        deviation = np.triu(deviation, k=1)
        i, j = np.unravel_index(int(np.argmax(deviation)), deviation.shape)
        if deviation[i, j] > 1e-9:
            most = InconsistentJudgement(int(i), int(j), float(a[i, j]), float(w[i] / w[j]))
    return AhpResult(
        weights=tuple(float(x) for x in w),
        lambda_max=lambda_max,
        consistency_index=ci,
        consistency_ratio=cr,
        random_index=ri,
        most_inconsistent=most,
    )


def aggregate_judgements(
    matrices: Sequence[Sequence[Sequence[float]]], weights: Sequence[float] | None = None
) -> list[list[float]]:
    """Combine several evaluators' comparison matrices into one (AHP group decision).

    Element-wise (weighted) geometric mean: g_ij = Π_e a_ij^(e) ^ (ω_e / Σω), equal ω by
    default. It is the only mean that keeps the result reciprocal (g_ji = 1/g_ij),
    which is why AHP uses it; the lower triangle is set to the exact reciprocal of
    the upper one.
    """
    arrays = [_comparison_matrix(m) for m in matrices]
    if not arrays:
        raise ValueError("At least one evaluator's judgements are needed.")
    n = arrays[0].shape[0]
    if any(a.shape[0] != n for a in arrays):
        raise ValueError("Every evaluator must compare the same criteria (same matrix size).")
    if weights is None:
        omega = np.full(len(arrays), 1.0 / len(arrays))
    else:
        omega = np.array([float(x) for x in weights], dtype=float)
        if len(omega) != len(arrays) or not np.all(np.isfinite(omega)) or np.any(omega <= 0):
            raise ValueError("Give one positive weight per evaluator.")
        omega = omega / omega.sum()
    log_mean = sum(wt * np.log(a) for wt, a in zip(omega, arrays, strict=True))
    g = np.exp(log_mean)
    result = np.ones((n, n))
    upper = np.triu_indices(n, k=1)
    result[upper] = g[upper]
    result[(upper[1], upper[0])] = 1.0 / g[upper]
    return result.tolist()


def matrix_from_judgements(
    n: int, judgements: Mapping[tuple[int, int], float]
) -> list[list[float]]:
    """The full n×n reciprocal matrix from judgements {(i, j): a_ij}.

    Pairs not given are "equally important" (1). Each pair is given once, either way
    round: (i, j) sets a_ij and a_ji = 1/a_ij.
    """
    if n < 1:
        raise ValueError("A comparison matrix has at least one row.")
    a = [[1.0] * n for _ in range(n)]
    seen: set[tuple[int, int]] = set()
    for (i, j), value in judgements.items():
        if not (0 <= i < n and 0 <= j < n):
            raise ValueError(f"Judgement ({i}, {j}) is outside a {n}×{n} matrix.")
        if i == j:
            raise ValueError(f"Criterion {i} cannot be compared with itself.")
        pair = (min(i, j), max(i, j))
        if pair in seen:
            raise ValueError(f"Criteria {pair[0]} and {pair[1]} are compared twice.")
        seen.add(pair)
        value = float(value)
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"Judgement ({i}, {j}) must be a positive number, not {value:g}.")
        a[i][j] = value
        a[j][i] = 1.0 / value
    return a


# ---------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------


def weighted_scores(weights: Sequence[float], ratings: Sequence[Sequence[float]]) -> list[float]:
    """Score_i = Σ_k w_k · s_ik for each candidate i (one row of ratings per candidate)."""
    w = [float(x) for x in weights]
    scores = []
    for i, row in enumerate(ratings):
        if len(row) != len(w):
            raise ValueError(f"Candidate {i} has {len(row)} ratings for {len(w)} drivers.")
        scores.append(math.fsum(wk * float(s) for wk, s in zip(w, row, strict=True)))
    return scores


def normalise(values: Sequence[float], total: float = 100.0) -> list[float]:
    """Scale values proportionally so that they sum to ``total`` (x_i · total / Σx).

    All zeros (or a zero sum) stay zeros: there is nothing to share out.
    """
    xs = [float(x) for x in values]
    s = math.fsum(xs)
    if s == 0:
        return [0.0] * len(xs)
    return [x * total / s for x in xs]


def wsjf(
    business_value: float, time_criticality: float, risk_reduction: float, job_size: float
) -> float:
    """Weighted shortest job first: cost of delay / job size.

    WSJF = (business value + time criticality + risk reduction or opportunity
    enablement) / job size (SAFe). Raises ValueError when job size ≤ 0.
    """
    if not job_size > 0:
        raise ValueError("Job size must be positive.")
    return (business_value + time_criticality + risk_reduction) / job_size


# ---------------------------------------------------------------------------------------
# Selection under budget, capacity and dependencies
# ---------------------------------------------------------------------------------------

FEASIBILITY_TOLERANCE = 1e-9
"""Relative slack allowed on budget and capacity (floating-point noise, not money)."""


def _exceeds(amount: float, limit: float) -> bool:
    return amount > limit + FEASIBILITY_TOLERANCE * max(1.0, abs(limit))


@dataclass(frozen=True)
class Candidate:
    """A project competing for the portfolio: its value, cost and hours by (role, period)."""

    id: Hashable
    value: float
    cost: float
    demand: Mapping[Key, float] = field(default_factory=dict)


class ReasonCode(StrEnum):
    """Why a candidate is in or out of a selection."""

    FORCED_IN = "forced_in"
    FORCED_OUT = "forced_out"
    SELECTED = "selected"
    DEPENDENCY = "dependency"
    CAPACITY = "capacity"
    BUDGET = "budget"
    LOWER_VALUE = "lower_value"


@dataclass(frozen=True)
class Reason:
    """The explanation of one candidate's place in a selection.

    * ``dependency`` — ``other`` is the project it needs that is out
      (``relation="requires"``) or the chosen project that excludes it
      (``relation="excluded_by"``);
    * ``capacity`` — adding it would exceed the hours of ``role`` in ``period`` by
      ``shortfall`` (the worst such role and period);
    * ``budget`` — adding it would exceed the budget by ``shortfall``;
    * ``lower_value`` — it fits, but adds no value worth its cost.
    """

    code: ReasonCode
    other: Hashable | None = None
    relation: str | None = None
    role: str | None = None
    period: str | None = None
    shortfall: float | None = None


@dataclass(frozen=True)
class Selection:
    """The optimal set of candidates for one budget, with what explains it.

    ``capacity_use`` is the chosen set's demand for every (role, period) it asks for;
    ``capacity`` the limits the selection respected (a missing key is unlimited).
    ``optimal`` is True when the solver proved that no selection has more value (or
    as much for less cost); when it stopped at its time limit, ``value_bound`` is the
    proven ceiling on the value any selection can reach and ``gap`` the share of it
    that might still be missing.
    """

    chosen: frozenset
    value: float
    cost: float
    budget: float
    reasons: Mapping[Hashable, Reason] = field(default_factory=dict)
    capacity_use: Mapping[Key, float] = field(default_factory=dict)
    capacity: Mapping[Key, float] = field(default_factory=dict)
    optimal: bool = True
    value_bound: float | None = None

    @property
    def gap(self) -> float:
        """(value_bound − value) / value_bound: 0 when optimal."""
        if self.optimal or not self.value_bound or self.value_bound <= self.value:
            return 0.0
        return (self.value_bound - self.value) / abs(self.value_bound)

    @property
    def budget_left(self) -> float:
        return self.budget - self.cost

    @property
    def capacity_left(self) -> dict[Key, float]:
        """Hours still free per limited (role, period): Cap_kt − Σ d_ikt of the chosen."""
        return {k: cap - self.capacity_use.get(k, 0.0) for k, cap in self.capacity.items()}

    @property
    def constraints_binding(self) -> dict[str | Key, tuple]:
        """The limits that keep candidates out: "budget" or (role, period) → their ids."""
        binding: dict[str | Key, list] = {}
        for cid, reason in self.reasons.items():
            if reason.code == ReasonCode.BUDGET:
                binding.setdefault("budget", []).append(cid)
            elif reason.code == ReasonCode.CAPACITY:
                binding.setdefault((reason.role, reason.period), []).append(cid)
        return {k: tuple(v) for k, v in binding.items()}


class InfeasiblePortfolio(ValueError):
    """The forced projects cannot be satisfied together.

    ``kind`` names the conflict, with the structured details a page needs to say it in
    the user's language:

    * ``forced_in_and_out`` — ``items = (id,)`` is forced both ways;
    * ``requires_forced_out`` — ``items`` is the chain (forced-in id, …, forced-out id)
      of "requires" links;
    * ``excludes`` — ``items = (a, b)``, both needed (forced in or required by a forced
      project), exclude each other;
    * ``capacity`` — the needed projects ``items`` ask ``amount`` hours of ``role`` in
      ``period``, ``limit`` are available;
    * ``budget`` — the needed projects ``items`` cost ``amount``, the budget is ``limit``.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        items: Sequence[Hashable] = (),
        role: str | None = None,
        period: str | None = None,
        amount: float | None = None,
        limit: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.items = tuple(items)
        self.role = role
        self.period = period
        self.amount = amount
        self.limit = limit

    @property
    def shortfall(self) -> float | None:
        if self.amount is None or self.limit is None:
            return None
        return self.amount - self.limit


def _ids(ids: Iterable[Hashable]) -> str:
    return ", ".join(str(i) for i in ids)


_HIGHS_OPTIONS = {"mip_rel_gap": 0.0}
# HiGHS's own feasibility tolerances stay at their defaults: tightened (1e-9), HiGHS
# 1.12 can loop past its time limit after a restart. A solution it accepts may then
# overrun a row by up to 1e-6 of its limit (rows are scaled to a limit of 1); such a
# row is pulled in by _ROW_MARGIN and the model solved again (see search).
_ROW_MARGIN = 2e-6

VALUE_RESOLUTION = 1e-6
"""Values are compared in steps of this share of the largest |value| (see select_portfolio)."""

DEFAULT_TIME_LIMIT = 10.0
"""Seconds ``select_portfolio`` may search before returning its best selection so far."""

FRONTIER_TIME_LIMIT = 15.0
"""Seconds for a whole ``efficient_frontier``: chart points, not a decision."""


def _milp(c, constraints, bounds, time_limit):
    options = dict(_HIGHS_OPTIONS)
    if time_limit is not None:
        options["time_limit"] = max(0.0, float(time_limit))
    return milp(
        c, integrality=np.ones(len(c)), bounds=bounds, constraints=constraints, options=options
    )


class _SelectionModel:
    """The selection MILP for one set of candidates and constraints, solved per budget.

    Everything but the budget is validated, diagnosed and turned into a sparse
    constraint matrix once, so the efficient frontier only changes one bound.
    """

    def __init__(
        self,
        candidates: Sequence[Candidate],
        *,
        capacity: Mapping[Key, float] | None = None,
        requires: Iterable[tuple[Hashable, Hashable]] = (),
        excludes: Iterable[tuple[Hashable, Hashable]] = (),
        forced_in: Iterable[Hashable] = (),
        forced_out: Iterable[Hashable] = (),
    ) -> None:
        self.candidates = list(candidates)
        self.index: dict[Hashable, int] = {}
        for i, c in enumerate(self.candidates):
            if c.id in self.index:
                raise ValueError(f"Candidate {c.id} appears twice.")
            self.index[c.id] = i
            for name, x in (("value", c.value), ("cost", c.cost)):
                if not math.isfinite(float(x)):
                    raise ValueError(f"Candidate {c.id} has no finite {name}.")
            if c.cost < 0:
                raise ValueError(f"Candidate {c.id} has a negative cost.")
            for key, hours in c.demand.items():
                if not math.isfinite(float(hours)) or hours < 0:
                    raise ValueError(f"Candidate {c.id} has invalid demand {hours!r} for {key}.")
        self.capacity = {k: float(v) for k, v in (capacity or {}).items()}
        for key, hours in self.capacity.items():
            if math.isnan(hours) or hours < 0:
                raise ValueError(f"Capacity for {key} must be zero or more hours.")
        self.requires = self._pairs(requires, "require")
        self.excludes = self._pairs(excludes, "exclude")
        self.forced_in = self._known(forced_in)
        self.forced_out = self._known(forced_out)

        n = len(self.candidates)
        self.values = np.array([float(c.value) for c in self.candidates])
        self.costs = np.array([float(c.cost) for c in self.candidates])
        self.needs: list[list[int]] = [[] for _ in range(n)]
        self.excluded_with: list[list[int]] = [[] for _ in range(n)]
        for a, b in self.requires:
            self.needs[self.index[a]].append(self.index[b])
        for a, b in self.excludes:
            self.excluded_with[self.index[a]].append(self.index[b])
            self.excluded_with[self.index[b]].append(self.index[a])

        # Demand on limited (role, period) pairs, as a sparse candidates × keys matrix.
        self.keys = sorted(self.capacity)
        key_index = {k: j for j, k in enumerate(self.keys)}
        rows, cols, data = [], [], []
        for i, c in enumerate(self.candidates):
            for key, hours in c.demand.items():
                j = key_index.get(key)
                if j is not None and hours > 0:
                    rows.append(i)
                    cols.append(j)
                    data.append(float(hours))
        self.demand = sparse.csr_array((data, (rows, cols)), shape=(n, len(self.keys)))
        self.limits = np.array([self.capacity[k] for k in self.keys])

        self.needed, self._parent = self._closure()
        self.structural_conflict = self._diagnose_structure()
        self.needed_cost = math.fsum(self.costs[i] for i in self.needed)
        self._build()

    # -- input ------------------------------------------------------------------------

    def _known(self, ids: Iterable[Hashable]) -> list[Hashable]:
        out = []
        for i in ids:
            if i not in self.index:
                raise ValueError(f"{i} is not a candidate.")
            if i not in out:
                out.append(i)
        return out

    def _pairs(self, pairs: Iterable[tuple[Hashable, Hashable]], verb: str) -> list:
        out = []
        for a, b in pairs:
            self._known((a, b))
            if a == b:
                raise ValueError(f"{a} cannot {verb} itself.")
            if (a, b) not in out:
                out.append((a, b))
        return out

    # -- diagnosis --------------------------------------------------------------------

    def _closure(self) -> tuple[list[int], dict[int, int | None]]:
        """The forced-in projects and all they require, transitively (breadth first)."""
        parent: dict[int, int | None] = {}
        queue: deque[int] = deque()
        for cid in self.forced_in:
            i = self.index[cid]
            if i not in parent:
                parent[i] = None
                queue.append(i)
        while queue:
            i = queue.popleft()
            for j in self.needs[i]:
                if j not in parent:
                    parent[j] = i
                    queue.append(j)
        return sorted(parent), parent

    def _chain(self, i: int) -> list[Hashable]:
        """The "requires" chain from a forced-in project down to needed project i."""
        chain = []
        node: int | None = i
        while node is not None:
            chain.append(self.candidates[node].id)
            node = self._parent[node]
        return chain[::-1]

    def _why_needed(self, i: int) -> str:
        chain = self._chain(i)
        if len(chain) == 1:
            return f"{chain[0]} (forced in)"
        return f"{chain[-1]} (required by forced-in {chain[0]})"

    def _diagnose_structure(self) -> InfeasiblePortfolio | None:
        """The first conflict among the forced projects that no budget can fix.

        The needed set R (forced in plus what they require) must be chosen in every
        feasible selection. If no project of R is forced out, no two exclude each
        other and R fits every capacity (and, per budget, the budget), then R itself
        is feasible — costs and demand are never negative — so these checks are
        complete: the MILP is infeasible exactly when one of them fails.
        """
        forced_out = set(self.forced_out)
        for cid in self.forced_in:
            if cid in forced_out:
                return InfeasiblePortfolio(
                    f"{cid} is forced in and forced out at the same time.",
                    kind="forced_in_and_out",
                    items=(cid,),
                )
        for i in self.needed:
            if self.candidates[i].id in forced_out:
                chain = self._chain(i)
                via = f" (through {_ids(chain[1:-1])})" if len(chain) > 2 else ""
                return InfeasiblePortfolio(
                    f"{chain[0]} is forced in and requires {chain[-1]}{via}, "
                    f"but {chain[-1]} is forced out.",
                    kind="requires_forced_out",
                    items=chain,
                )
        needed = set(self.needed)
        for a, b in self.excludes:
            ia, ib = self.index[a], self.index[b]
            if ia in needed and ib in needed:
                return InfeasiblePortfolio(
                    f"{self._why_needed(ia)} and {self._why_needed(ib)} exclude each other.",
                    kind="excludes",
                    items=(a, b),
                )
        if self.keys and self.needed:
            use = np.asarray(self.demand[self.needed].sum(axis=0)).ravel()
            worst, worst_key = 0.0, None
            for j in range(len(self.keys)):
                if _exceeds(use[j], self.limits[j]) and use[j] - self.limits[j] > worst:
                    worst, worst_key = float(use[j] - self.limits[j]), j
            if worst_key is not None:
                role, period = self.keys[worst_key]
                users = [
                    self.candidates[i].id for i in self.needed if self.demand[i, worst_key] > 0
                ]
                return InfeasiblePortfolio(
                    f"Forced-in projects ({_ids(users)}) need {use[worst_key]:g} h of {role} "
                    f"in {period} but only {self.limits[worst_key]:g} h are available "
                    f"({worst:g} h short).",
                    kind="capacity",
                    items=users,
                    role=role,
                    period=period,
                    amount=float(use[worst_key]),
                    limit=float(self.limits[worst_key]),
                )
        return None

    def diagnose(self, budget: float) -> None:
        """Raise InfeasiblePortfolio when the forced projects cannot fit this budget."""
        if self.structural_conflict is not None:
            raise self.structural_conflict
        if _exceeds(self.needed_cost, budget):
            items = [self.candidates[i].id for i in self.needed]
            raise InfeasiblePortfolio(
                f"Forced-in projects ({_ids(items)}) cost {self.needed_cost:,.2f} but the "
                f"budget is {budget:,.2f} ({self.needed_cost - budget:,.2f} short).",
                kind="budget",
                items=items,
                amount=self.needed_cost,
                limit=budget,
            )

    # -- model ------------------------------------------------------------------------

    def _build(self) -> None:
        """Objective and constraint rows.

        Capacity rows are scaled so their limit is 1 (or their largest coefficient, for
        a limit of 0), which makes HiGHS's feasibility tolerance a share of the limit;
        rows the candidates can never exceed are left out. Row 0 is the budget, scaled
        per solve. The objective is described in ``select_portfolio``.
        """
        n = len(self.candidates)
        self.value_step = VALUE_RESOLUTION * (float(np.abs(self.values).max(initial=0.0)) or 1.0)
        self.value_units = np.round(self.values / self.value_step)
        total_cost = float(self.costs.sum())
        self.cost_penalty = 0.5 * self.costs / total_cost if total_cost > 0 else np.zeros(n)
        self.objective = self.cost_penalty - self.value_units  # minimised

        blocks = [sparse.csr_array(self.costs[np.newaxis, :])]
        upper = [math.inf]
        lower = [-math.inf]
        available = np.ones(n, dtype=bool)
        for cid in self.forced_out:
            available[self.index[cid]] = False
        self.row_keys: list[int] = []  # the capacity key of rows 1, 2, …
        if self.keys:
            demand_t = self.demand.T.tocsr()
            possible = np.asarray(demand_t @ available.astype(float)).ravel()
            for j in range(len(self.keys)):
                if not _exceeds(possible[j], self.limits[j]):
                    continue
                row = demand_t[[j]]
                scale = self.limits[j] if self.limits[j] > 0 else float(row.max())
                blocks.append(row / scale)
                upper.append(self.limits[j] / scale)
                lower.append(-math.inf)
                self.row_keys.append(j)
        pair_rows, pair_cols, pair_data = [], [], []
        r = 0
        for a, b in self.requires:  # x_a − x_b ≤ 0
            pair_rows += [r, r]
            pair_cols += [self.index[a], self.index[b]]
            pair_data += [1.0, -1.0]
            upper.append(0.0)
            lower.append(-math.inf)
            r += 1
        for a, b in self.excludes:  # x_a + x_b ≤ 1
            pair_rows += [r, r]
            pair_cols += [self.index[a], self.index[b]]
            pair_data += [1.0, 1.0]
            upper.append(1.0)
            lower.append(-math.inf)
            r += 1
        if r:
            blocks.append(sparse.csr_array((pair_data, (pair_rows, pair_cols)), shape=(r, n)))
        self.matrix = sparse.vstack(blocks, format="csr")
        self.upper = np.array(upper)
        self.lower = np.array(lower)
        lb = np.zeros(n)
        ub = np.ones(n)
        for cid in self.forced_in:
            lb[self.index[cid]] = 1.0
        for cid in self.forced_out:
            ub[self.index[cid]] = 0.0
        self.bounds = Bounds(lb, ub)
        self.needed_mask = np.zeros(n, dtype=bool)
        self.needed_mask[self.needed] = True

    def _constraints(self, budget: float) -> LinearConstraint:
        """The rows with the budget row scaled so its limit is 1 (to the largest cost if ∞)."""
        scale = budget if 0 < budget < math.inf else float(self.costs.max(initial=0.0)) or 1.0
        matrix = self.matrix.copy()
        start, end = matrix.indptr[0], matrix.indptr[1]
        matrix.data[start:end] = matrix.data[start:end] / scale
        upper = self.upper.copy()
        upper[0] = budget / scale
        return LinearConstraint(matrix, self.lower, upper)

    def _overrun_rows(self, x: np.ndarray, budget: float) -> list[int]:
        """The budget (0) and capacity rows that selection ``x`` exceeds."""
        rows = [0] if _exceeds(float(self.costs[x].sum()), budget) else []
        if self.row_keys:
            use = np.asarray(self.demand[np.flatnonzero(x)].sum(axis=0)).ravel()
            rows += [
                r + 1
                for r, j in enumerate(self.row_keys)
                if _exceeds(float(use[j]), float(self.limits[j]))
            ]
        return rows

    def _objective(self, x: np.ndarray) -> float:
        return float(self.objective[x].sum())

    def rank(self, x: np.ndarray) -> tuple[float, float]:
        """(value, −cost) of selection ``x``: the larger the better."""
        return math.fsum(self.values[x]), -math.fsum(self.costs[x])

    def solve(
        self,
        budget: float,
        *,
        time_limit: float | None = None,
        incumbent: np.ndarray | None = None,
    ) -> Selection:
        """The best selection for ``budget``: most value, then least cost."""
        budget = self._budget(budget)
        self.diagnose(budget)
        x, optimal, bound = self.search(budget, time_limit=time_limit, incumbent=incumbent)
        return self.selection(x, budget, optimal=optimal, bound=bound)

    @staticmethod
    def _budget(budget: float) -> float:
        budget = float(budget)
        if math.isnan(budget) or budget < 0:
            raise ValueError("The budget must be zero or more.")
        return budget

    def search(
        self,
        budget: float,
        *,
        time_limit: float | None = None,
        incumbent: np.ndarray | None = None,
    ) -> tuple[np.ndarray, bool, float | None]:
        """Solve the MILP for a diagnosed budget: (chosen mask, proven optimal, value bound).

        ``incumbent`` is a selection known to be feasible (the best at a lower budget);
        it is kept when the solver stops at its time limit with a worse one. The bound
        is None when optimal.
        """
        n = len(self.candidates)
        if n == 0:
            return np.zeros(0, dtype=bool), True, None
        constraints = self._constraints(budget)
        deadline = None if time_limit is None else time.monotonic() + time_limit
        tightened = constraints
        for _attempt in range(4):
            left = None if deadline is None else deadline - time.monotonic()
            result = _milp(self.objective, tightened, self.bounds, left)
            if result.status not in (0, 1):
                # The diagnosis proves a feasible selection exists, so this is the
                # solver's failure (a numerical limit), not the user's.
                raise RuntimeError(f"The portfolio optimiser failed: {result.message}")
            found = np.asarray(result.x) > 0.5 if result.x is not None else None
            overrun = self._overrun_rows(found, budget) if found is not None else []
            if not overrun:
                break
            upper = tightened.ub.copy()
            upper[overrun] -= _ROW_MARGIN
            tightened = LinearConstraint(tightened.A, tightened.lb, upper)
        else:
            raise RuntimeError("The portfolio optimiser kept exceeding a limit.")
        if result.status == 0:
            return self._least_cost(found, tightened, budget, deadline), True, None
        options = [self._greedy(budget)]
        if found is not None:
            options.append(found)
        if incumbent is not None:
            options.append(incumbent)
        x = min(options, key=self._objective)
        bound = self._relaxation_bound(constraints)
        dual = result.mip_dual_bound
        if dual is not None and math.isfinite(dual):
            # Σ u_i x_i ≤ −dual + ½ (the whole penalty), and each u_i·q is within half a
            # step of v_i.
            bound = min(bound, self.value_step * (-dual + 0.5 + n / 2))
        return x, False, bound

    def _least_cost(
        self,
        x: np.ndarray,
        constraints: LinearConstraint,
        budget: float,
        deadline: float | None,
    ) -> np.ndarray:
        """The cheapest selection worth at least as much as the optimal ``x``.

        Two things can hide a cheaper selection of equal value from the first solve: the
        cost penalty in its objective is lost below the solver's tolerances, which are
        relative to the objective's size, and values rounded to whole steps can make two
        selections of equal value differ by a step. A second solve keeps the exact value
        of ``x`` as a constraint and minimises the cost; its answer is kept only when it
        checks out in exact arithmetic: worth at least as much, within every limit,
        cheaper.
        """
        cost = math.fsum(self.costs[x])
        if cost <= 0:
            return x
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return x
        value = math.fsum(self.values[x])
        scale = max(abs(value), float(np.abs(self.values).max(initial=0.0)), 1.0)
        row = sparse.csr_array((self.values / scale)[np.newaxis, :])
        keep = LinearConstraint(
            sparse.vstack([constraints.A, row], format="csr"),
            np.append(constraints.lb, value / scale - 1e-9),
            np.append(constraints.ub, math.inf),
        )
        result = _milp(self.costs / float(self.costs.max()), keep, self.bounds, left)
        if result.x is None:
            return x
        other = np.asarray(result.x) > 0.5
        if (
            math.fsum(self.values[other]) >= value
            and math.fsum(self.costs[other]) < cost
            and not self._overrun_rows(other, budget)
        ):
            return other
        return x

    def _greedy(self, budget: float) -> np.ndarray:
        """A feasible selection without search, for a solver stopped before finding one.

        Starts from the needed projects and adds candidates by value per cost (then
        value) whenever everything they require is in, nothing chosen excludes them and
        they fit the budget and capacity; repeats until nothing more can be added.
        """
        x = self.needed_mask.copy()
        forced_out = {self.index[cid] for cid in self.forced_out}
        use = np.asarray(self.demand[np.flatnonzero(x)].sum(axis=0)).ravel()
        cost = float(self.costs[x].sum())
        order = sorted(
            (i for i in range(len(self.candidates)) if self.values[i] > 0 and i not in forced_out),
            key=lambda i: (-self.values[i] / max(self.costs[i], 1e-300), -self.values[i]),
        )
        added = True
        while added:
            added = False
            for i in order:
                if x[i] or not all(x[j] for j in self.needs[i]):
                    continue
                if any(x[j] for j in self.excluded_with[i]) or _exceeds(
                    cost + self.costs[i], budget
                ):
                    continue
                start, end = self.demand.indptr[i], self.demand.indptr[i + 1]
                keys, hours = self.demand.indices[start:end], self.demand.data[start:end]
                if any(
                    _exceeds(use[j] + h, self.limits[j]) for j, h in zip(keys, hours, strict=True)
                ):
                    continue
                x[i] = True
                use[keys] += hours
                cost += float(self.costs[i])
                added = True
        return x

    def _relaxation_bound(self, constraints: LinearConstraint) -> float:
        """max Σ v_i x_i with 0 ≤ x_i ≤ 1: a ceiling on the value of any selection.

        Rows without an upper limit (an unlimited budget) are left out: ``linprog`` takes
        finite right-hand sides only.
        """
        upper = np.asarray(constraints.ub, dtype=float)
        finite = np.isfinite(upper)
        relaxed = linprog(
            -self.values,
            A_ub=constraints.A[finite] if finite.any() else None,
            b_ub=upper[finite] if finite.any() else None,
            bounds=list(zip(self.bounds.lb, self.bounds.ub, strict=True)),
            method="highs",
        )
        if relaxed.status != 0:
            return math.fsum(np.maximum(self.values, 0.0))
        return float(-relaxed.fun)

    # -- explanation ------------------------------------------------------------------

    def selection(
        self, x: np.ndarray, budget: float, *, optimal: bool, bound: float | None
    ) -> Selection:
        """The Selection of mask ``x`` at ``budget``, with every candidate's reason."""
        chosen_idx = np.flatnonzero(x)
        cost = math.fsum(self.costs[chosen_idx])
        value = math.fsum(self.values[chosen_idx])
        use: dict[Key, float] = {}
        for i in chosen_idx:
            for key, hours in self.candidates[i].demand.items():
                use[key] = use.get(key, 0.0) + float(hours)
        use = dict(sorted(use.items()))
        limited_use = (
            np.asarray(self.demand[chosen_idx].sum(axis=0)).ravel()
            if self.keys and len(chosen_idx)
            else np.zeros(len(self.keys))
        )
        for j in range(len(self.keys)):
            if _exceeds(limited_use[j], self.limits[j]):
                raise RuntimeError("The portfolio optimiser returned a selection over capacity.")
        if _exceeds(cost, budget):
            raise RuntimeError("The portfolio optimiser returned a selection over budget.")

        forced_in, forced_out = set(self.forced_in), set(self.forced_out)
        reasons: dict[Hashable, Reason] = {}
        for i, c in enumerate(self.candidates):
            if c.id in forced_in:
                reasons[c.id] = Reason(ReasonCode.FORCED_IN)
            elif c.id in forced_out:
                reasons[c.id] = Reason(ReasonCode.FORCED_OUT)
            elif x[i]:
                reasons[c.id] = Reason(ReasonCode.SELECTED)
            else:
                reasons[c.id] = self._why_out(i, x, limited_use, cost, budget)
        return Selection(
            chosen=frozenset(self.candidates[i].id for i in chosen_idx),
            value=value,
            cost=cost,
            budget=budget,
            reasons=reasons,
            capacity_use=use,
            capacity=dict(self.capacity),
            optimal=optimal,
            value_bound=value if optimal else self._value_bound(value, bound),
        )

    def _value_bound(self, value: float, bound: float | None) -> float:
        """The proven ceiling, never below the value reached (rounding noise)."""
        if bound is None:
            bound = math.fsum(np.maximum(self.values, 0.0))
        return max(value, bound)

    def _why_out(
        self, i: int, x: np.ndarray, limited_use: np.ndarray, cost: float, budget: float
    ) -> Reason:
        """Which constraint adding candidate i alone to the chosen set would break.

        Dependencies first, then capacity (the role and period most exceeded), then
        budget. If none breaks, adding it gains no value worth its cost.
        """
        for j in self.needs[i]:
            if not x[j]:
                return Reason(
                    ReasonCode.DEPENDENCY, other=self.candidates[j].id, relation="requires"
                )
        for j in self.excluded_with[i]:
            if x[j]:
                return Reason(
                    ReasonCode.DEPENDENCY, other=self.candidates[j].id, relation="excluded_by"
                )
        if self.keys:
            start, end = self.demand.indptr[i], self.demand.indptr[i + 1]
            worst, worst_key = 0.0, None
            for j, hours in zip(
                self.demand.indices[start:end], self.demand.data[start:end], strict=True
            ):
                after = limited_use[j] + hours
                if _exceeds(after, self.limits[j]) and after - self.limits[j] > worst:
                    worst, worst_key = after - self.limits[j], j
            if worst_key is not None:
                role, period = self.keys[worst_key]
                return Reason(ReasonCode.CAPACITY, role=role, period=period, shortfall=float(worst))
        after = cost + self.costs[i]
        if _exceeds(after, budget):
            return Reason(ReasonCode.BUDGET, shortfall=float(after - budget))
        return Reason(ReasonCode.LOWER_VALUE)


def select_portfolio(
    candidates: Sequence[Candidate],
    *,
    budget: float,
    capacity: Mapping[Key, float] | None = None,
    requires: Iterable[tuple[Hashable, Hashable]] = (),
    excludes: Iterable[tuple[Hashable, Hashable]] = (),
    forced_in: Iterable[Hashable] = (),
    forced_out: Iterable[Hashable] = (),
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Selection:
    """The optimal portfolio: the most total value within budget, capacity and dependencies.

    The model (x_i = 1 when candidate i is chosen)::

        maximise   Σ v_i x_i, then minimise Σ c_i x_i among the selections of that value
        subject to Σ c_i x_i ≤ budget
                   Σ d_ikt x_i ≤ capacity[k, t]   for each limited (role k, period t)
                   x_a ≤ x_b                      for (a, b) in requires (a needs b)
                   x_a + x_b ≤ 1                  for (a, b) in excludes
                   x_i = 1 forced in, x_i = 0 forced out, x_i ∈ {0, 1}

    is solved by HiGHS branch and bound with a zero gap, as one MILP minimising
    Σ (p_i − u_i) x_i, where u_i = round(v_i / q) is the value in steps of
    q = VALUE_RESOLUTION · max|v| and p_i = c_i / (2 Σ_j c_j) a cost penalty. Why the
    penalty never costs value: the u_i are integers, so two selections of different
    value differ by at least 1 in Σ u_i x_i, while Σ p_i x_i ≤ ½ for every selection;
    hence any selection of higher value has a strictly better objective, and among
    selections of equal value the objective ranks them by cost alone.

    ``time_limit`` (seconds, None for none) bounds the search. Within it the answer is
    proven optimal (``Selection.optimal``); past it the best selection found is
    returned with ``value_bound`` and ``gap``. Each candidate gets a ``Reason``.
    ``capacity`` keys missing from the mapping are unlimited.

    Raises ``InfeasiblePortfolio`` when the forced projects cannot be satisfied (checked
    before solving, see ``InfeasiblePortfolio.kind``) and ValueError for invalid input
    (unknown or duplicate ids, negative costs, demand or budget).
    """
    model = _SelectionModel(
        candidates,
        capacity=capacity,
        requires=requires,
        excludes=excludes,
        forced_in=forced_in,
        forced_out=forced_out,
    )
    return model.solve(budget, time_limit=time_limit)


def efficient_frontier(
    candidates: Sequence[Candidate],
    budgets: Iterable[float],
    *,
    time_limit: float | None = FRONTIER_TIME_LIMIT,
    **constraints: Any,
) -> list[Selection]:
    """The optimal selection at each budget, in the given order (the efficient frontier).

    ``constraints`` are those of ``select_portfolio`` (capacity, requires, excludes,
    forced_in, forced_out); the model is built once and only the budget changes.
    ``time_limit`` (seconds, None for none) is for the whole frontier: each budget
    gets an equal share of the time left. Three facts of the knapsack save work and
    keep the frontier consistent when a budget's search stops at its limit:

    * the largest budget is solved first, and its selection is reused for every
      smaller budget it fits (what is best with more money and fits less money is best
      there too);
    * the others are solved from the smallest up, and the best selection at a smaller
      budget (feasible at every larger one) is kept if the search finds worse, so the
      value never goes down as the budget grows;
    * a larger budget's ceiling on value is a ceiling for every smaller budget.

    A budget too small for the forced projects has no selection and is skipped — each
    Selection carries its ``budget`` — and InfeasiblePortfolio is raised when every
    budget is too small or the forced projects conflict whatever the budget.
    """
    model = _SelectionModel(candidates, **constraints)
    points = [_SelectionModel._budget(b) for b in budgets]
    deadline = None if time_limit is None else time.monotonic() + time_limit
    feasible: list[int] = []
    too_small: InfeasiblePortfolio | None = None
    for k in sorted(range(len(points)), key=lambda k: points[k]):
        try:
            model.diagnose(points[k])
        except InfeasiblePortfolio as exc:
            if exc.kind != "budget":
                raise
            too_small = exc
        else:
            feasible.append(k)
    if not feasible:
        if too_small is not None:
            raise too_small
        return []

    def share(left: int) -> float | None:
        if deadline is None:
            return None
        return max(0.05, (deadline - time.monotonic()) / left)

    found: dict[int, tuple[np.ndarray, bool, float | None]] = {}
    top = feasible[-1]
    found[top] = model.search(points[top], time_limit=share(len(feasible)))
    top_cost = math.fsum(model.costs[found[top][0]])
    for k in feasible[:-1]:
        if not _exceeds(top_cost, points[k]):
            found[k] = found[top]
    best = None  # the best selection at a smaller budget, feasible at this one
    for position, k in enumerate(feasible):
        if k not in found:
            left = sum(1 for j in feasible[position:] if j not in found)
            found[k] = model.search(points[k], time_limit=share(left), incumbent=best)
        x, optimal, bound = found[k]
        if not optimal and best is not None and model.rank(best) > model.rank(x):
            found[k] = (best, False, bound)
        if best is None or model.rank(found[k][0]) > model.rank(best):
            best = found[k][0]

    selections: dict[int, Selection] = {}
    ceiling = math.inf
    for k in reversed(feasible):
        x, optimal, bound = found[k]
        value = math.fsum(model.values[x])
        if not optimal:
            bound = min(bound if bound is not None else math.inf, ceiling)
        ceiling = min(ceiling, value if optimal else bound)
        selections[k] = model.selection(x, points[k], optimal=optimal, bound=bound)
    return [selections[k] for k in range(len(points)) if k in selections]


def frontier_budgets(
    candidates: Sequence[Candidate],
    points: int = 20,
    *,
    time_limit: float | None = 2.0,
    **constraints: Any,
) -> list[float]:
    """``points`` evenly spaced budgets spanning the whole frontier.

    From the cheapest feasible portfolio (the forced projects and what they require) to
    the cost of the best portfolio with no budget limit, past which more money buys no
    more value (the best found within ``time_limit``: an end of the chart's axis needs
    no proof).
    """
    if points < 2:
        raise ValueError("A frontier needs at least two points.")
    model = _SelectionModel(candidates, **constraints)
    low = model.needed_cost
    high = model.solve(math.inf, time_limit=time_limit).cost
    if high <= low:
        return [low]
    return [float(b) for b in np.linspace(low, high, points)]


# ---------------------------------------------------------------------------------------
# Capacity
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """Supply against demand of one role in one period, in hours."""

    demand: float
    supply: float

    @property
    def gap(self) -> float:
        """supply − demand: positive is spare hours, negative a deficit."""
        return self.supply - self.demand

    @property
    def ratio(self) -> float | None:
        """demand / supply (1.0 = fully booked); None when there is no supply."""
        return self.demand / self.supply if self.supply > 0 else None

    @property
    def deficit(self) -> float:
        return max(0.0, self.demand - self.supply)

    @property
    def surplus(self) -> float:
        return max(0.0, self.supply - self.demand)


def total_demand(demands: Iterable[Mapping[Key, float]]) -> dict[Key, float]:
    """Σ of several projects' demand per (role, period)."""
    total: dict[Key, float] = {}
    for demand in demands:
        for key, hours in demand.items():
            total[key] = total.get(key, 0.0) + float(hours)
    return total


def capacity_balance(
    supply: Mapping[Key, float], demand: Mapping[Key, float]
) -> dict[Key, Balance]:
    """Balance per (role, period) present in either mapping, sorted by role then period.

    Here a key missing from ``supply`` means nobody is available (0 h), unlike the
    ``capacity`` of ``select_portfolio`` where a missing key is unlimited.
    """
    keys = sorted(set(supply) | set(demand))
    return {
        k: Balance(demand=float(demand.get(k, 0.0)), supply=float(supply.get(k, 0.0))) for k in keys
    }


def month_periods(first: str, count: int) -> list[str]:
    """``count`` consecutive months from ``first`` ("YYYY-MM"): the planning horizon."""
    try:
        year, month = (int(part) for part in first.split("-"))
    except ValueError as exc:
        raise ValueError(f"A period is written YYYY-MM, not {first!r}.") from exc
    if not 1 <= month <= 12:
        raise ValueError(f"A period is written YYYY-MM, not {first!r}.")
    start = year * 12 + month - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, start + count)]


def _period_index(demand: Mapping[Key, float], periods: Sequence[str]) -> dict[str, int]:
    index = {p: i for i, p in enumerate(periods)}
    for _, period in demand:
        if period not in index:
            raise ValueError(f"Period {period} is outside the planning horizon.")
    return index


def shift_demand(
    demand: Mapping[Key, float], months: int, periods: Sequence[str]
) -> dict[Key, float]:
    """A project's demand moved ``months`` periods later (negative: earlier).

    ``periods`` is the ordered planning horizon; the hours of (role, periods[t]) move
    to (role, periods[t + months]). Hours that would leave the horizon are dropped
    (see ``shift_fits`` to avoid that).
    """
    index = _period_index(demand, periods)
    shifted: dict[Key, float] = {}
    for (role, period), hours in demand.items():
        t = index[period] + months
        if 0 <= t < len(periods):
            key = (role, periods[t])
            shifted[key] = shifted.get(key, 0.0) + float(hours)
    return shifted


def shift_fits(demand: Mapping[Key, float], months: int, periods: Sequence[str]) -> bool:
    """Whether all of the demand stays inside the horizon when shifted by ``months``."""
    index = _period_index(demand, periods)
    return all(0 <= index[period] + months < len(periods) for _, period in demand)


class Shift(NamedTuple):
    """A suggested shift: move project ``id`` by ``months``; removes that many deficit hours."""

    id: Hashable
    months: int
    deficits_removed: float


def _deficit(total: Mapping[Key, float], supply: Mapping[Key, float], keys: Iterable[Key]) -> float:
    return math.fsum(max(0.0, total.get(k, 0.0) - float(supply.get(k, 0.0))) for k in keys)


def suggest_shifts(
    candidates: Sequence[Any],
    supply: Mapping[Key, float],
    *,
    periods: Sequence[str],
    max_shift: int,
    fixed: Iterable[Hashable] = (),
    allow_earlier: bool = False,
) -> list[Shift]:
    """Greedy suggestions of which lower-priority projects to shift to remove deficits.

    ``candidates`` (anything with ``id`` and ``demand``, e.g. Candidate) come in
    priority order, highest first. The deficit is D = Σ_(role, period) max(0, demand −
    supply) over all of them (missing supply is 0). Going from the lowest priority up,
    each project not in ``fixed`` is tried at shifts of 1…max_shift months later (also
    earlier with ``allow_earlier``) that keep its demand inside ``periods``; the shift
    that lowers D most is kept (the smaller shift, later first, on a tie) if it lowers
    D at all, and the next project is tried against the updated demand. Each project is
    shifted at most once; the search stops when no deficit is left. Deterministic.
    """
    fixed_ids = set(fixed)
    total = total_demand(c.demand for c in candidates)
    all_keys = set(total)
    current = _deficit(total, supply, all_keys)
    offsets = []
    for m in range(1, max_shift + 1):
        offsets.append(m)
        if allow_earlier:
            offsets.append(-m)
    tolerance = FEASIBILITY_TOLERANCE * max(1.0, current)
    shifts: list[Shift] = []
    for c in reversed(list(candidates)):
        if current <= tolerance:
            break
        if c.id in fixed_ids or not c.demand:
            continue
        best: tuple[float, int, dict[Key, float]] | None = None
        for m in offsets:
            if not shift_fits(c.demand, m, periods):
                continue
            moved = shift_demand(c.demand, m, periods)
            touched = set(c.demand) | set(moved)
            trial = {
                k: total.get(k, 0.0) - float(c.demand.get(k, 0.0)) + moved.get(k, 0.0)
                for k in touched
            }
            removed = _deficit(total, supply, touched) - _deficit(trial, supply, touched)
            if removed > tolerance and (best is None or removed > best[0] + tolerance):
                best = (removed, m, trial)
        if best is not None:
            removed, m, trial = best
            total.update(trial)
            current -= removed
            shifts.append(Shift(c.id, m, removed))
    return shifts


def apply_shifts(
    candidates: Sequence[Any], shifts: Iterable[Shift], periods: Sequence[str]
) -> dict[Key, float]:
    """Total demand per (role, period) after the shifts: the what-if heat map."""
    months = {s.id: s.months for s in shifts}
    return total_demand(
        shift_demand(c.demand, months[c.id], periods) if c.id in months else c.demand
        for c in candidates
    )
