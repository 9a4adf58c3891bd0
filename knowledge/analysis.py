"""Pure calculations of the knowledge area (no Django): similarity of lessons and cases
to a project, and the comparison of projects that reused experience with those that
did not (means, difference, Welch's t-test)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)

# Lifecycle stage of a project → the lesson phase most useful to it now.
STAGE_PHASE = {
    "idea": "initiation",
    "proposed": "initiation",
    "under_review": "initiation",
    "approved": "planning",
    "active": "execution",
    "on_hold": "execution",
    "closing": "closing",
    "closed": "closing",
}

WEIGHTS = {"type": 3.0, "phase": 2.0, "text": 4.0, "tags": 1.5, "reuse": 0.5, "helpful": 0.2}


def features(text: str) -> frozenset[str]:
    """Two-character pieces of Chinese and lower-case words (of 2+ letters) of a text."""
    out: set[str] = set()
    for token in _TOKEN.findall(text or ""):
        if token[0] >= "\u3400" and re.match(rf"[{_CJK}]", token):
            out.update(token[i : i + 2] for i in range(len(token) - 1))
        elif len(token) > 1:
            out.add(token.lower())
    return frozenset(out)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient |A∩B| / min(|A|, |B|), 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True)
class Target:
    """The project lessons are suggested for."""

    project_type_id: int | None
    stage: str
    text: str
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    key: object
    project_type_id: int | None
    phase: str
    text: str
    tags: frozenset[str] = frozenset()
    reuse_count: int = 0
    helpful_count: int = 0


def similarity(candidate: Candidate, target: Target) -> float:
    """A score ≥ 0: same project type, the phase the project is in, shared text and
    tags, and a little for how often the item was reused and found helpful."""
    score = 0.0
    if candidate.project_type_id and candidate.project_type_id == target.project_type_id:
        score += WEIGHTS["type"]
    if candidate.phase and candidate.phase == STAGE_PHASE.get(target.stage):
        score += WEIGHTS["phase"]
    score += WEIGHTS["text"] * overlap(features(candidate.text), features(target.text))
    if candidate.tags and target.tags:
        score += WEIGHTS["tags"] * len(candidate.tags & target.tags) / len(candidate.tags)
    score += WEIGHTS["reuse"] * math.log1p(max(candidate.reuse_count, 0))
    score += WEIGHTS["helpful"] * math.log1p(max(candidate.helpful_count, 0))
    return round(score, 4)


def rank(candidates: Iterable[Candidate], target: Target, limit: int = 8) -> list[tuple]:
    """The best ``limit`` candidates as (score, key), highest first; ties keep order."""
    scored = [(similarity(c, target), i, c.key) for i, c in enumerate(candidates)]
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [(score, key) for score, _i, key in scored[:limit] if score > 0]


# --- did reuse help? ----------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    n_a: int
    mean_a: float | None
    n_b: int
    mean_b: float | None
    difference: float | None
    relative: float | None
    t: float | None
    p: float | None


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _variance(values: list[float], m: float) -> float:
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def compare(a: list[float], b: list[float]) -> Comparison:
    """Group ``a`` (reused) against ``b`` (did not): means, a − b, (a − b)/|b|, and
    Welch's t with its two-sided p (``None`` when a group has fewer than two values)."""
    ma, mb = mean(a), mean(b)
    diff = ma - mb if ma is not None and mb is not None else None
    rel = diff / abs(mb) if diff is not None and mb else None
    t = p = None
    if len(a) >= 2 and len(b) >= 2:
        va, vb = _variance(a, ma) / len(a), _variance(b, mb) / len(b)
        if va + vb > 0:
            t = diff / math.sqrt(va + vb)
            df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
            p = student_t_two_sided_p(t, df)
    return Comparison(len(a), ma, len(b), mb, diff, rel, t, p)


def student_t_two_sided_p(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with ``df`` degrees of freedom."""
    square = t * t
    # x and 1 − x are both computed directly: for a small t, 1 − x would lose its digits.
    x, y = df / (df + square), square / (df + square)
    return min(1.0, max(0.0, _incomplete_beta(df / 2, 0.5, x, y)))


def _incomplete_beta(a: float, b: float, x: float, y: float | None = None) -> float:
    """The regularised incomplete beta function I_x(a, b) (continued fraction);
    ``y`` is 1 − x when the caller knows it more precisely than the subtraction."""
    y = 1.0 - x if y is None else y
    if x <= 0:
        return 0.0
    if y <= 0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    if x > (a + 1) / (a + b + 2):
        # I_x(a, b) = 1 − I_y(b, a), and the front factor is the same for both.
        return 1.0 - front * _beta_fraction(b, a, y) / b
    return front * _beta_fraction(a, b, x) / a


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-30
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        num = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / (c if abs(c) > tiny else tiny)
        h *= d * c
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / (c if abs(c) > tiny else tiny)
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-12:
            break
    return h
