"""Pure calculations of the culture area (no Django import): rates, anonymity-safe
grouping of survey results, recognition points, badges and ranking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Points per contribution. Sharing what one knows weighs most; a lesson that others
# apply counts more than one merely published.
POINTS = {
    "sessions_given": 20,
    "sessions_attended": 2,
    "lessons_published": 10,
    "lessons_applied_by_others": 15,
    "cases_published": 15,
    "articles_published": 5,
    "certificates": 30,
    "improvements_implemented": 10,
}

# Badge code → (kind counted, threshold).
BADGES = {
    "speaker": ("sessions_given", 1),
    "mentor": ("sessions_given", 3),
    "learner": ("sessions_attended", 5),
    "storyteller": ("lessons_published", 3),
    "multiplier": ("lessons_applied_by_others", 1),
    "certified": ("certificates", 1),
    "improver": ("improvements_implemented", 1),
}


def rate(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole`` with one decimal; ``None`` when whole is 0."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


def mean(values: Iterable[float]) -> float | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return round(sum(values) / len(values), 2)


def points(counts: Mapping[str, int], weights: Mapping[str, int] = POINTS) -> int:
    """Recognition points of one person from their contribution counts."""
    return sum(weights.get(kind, 0) * max(0, int(n)) for kind, n in counts.items())


def badges(counts: Mapping[str, int]) -> list[str]:
    """The badge codes earned, in the order of ``BADGES``."""
    return [code for code, (kind, need) in BADGES.items() if counts.get(kind, 0) >= need]


def ranked(scores: Mapping[int, int]) -> list[tuple[int, int, int]]:
    """(rank, key, score) best first; equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    rows, last, rank = [], None, 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != last:
            rank, last = position, score
        rows.append((rank, key, score))
    return rows


@dataclass
class GroupResult:
    """Survey result of one group: how many answered and the mean per question, or
    ``suppressed`` when fewer answered than the minimum group size. ``unit`` is left
    for the caller to name the group."""

    key: object
    respondents: int
    means: dict
    suppressed: bool
    unit: object = None


def group_results(
    groups: Mapping[object, list[Mapping[object, float]]], min_size: int, other_key: object
) -> list[GroupResult]:
    """Mean per question for each group with at least ``min_size`` respondents.

    ``groups`` maps a group to its respondents' answers ({question: score}). Groups
    below the minimum are pooled under ``other_key``; the pool is shown only when it
    reaches the minimum itself, so no answer of a small group can be singled out.
    A pool made of exactly one small group would name that group's answers, so it is
    suppressed as well.
    """
    shown, pooled, pooled_groups = [], [], 0
    for key, answers in groups.items():
        if len(answers) >= min_size:
            shown.append(GroupResult(key, len(answers), _means(answers), False))
        elif answers:
            pooled.extend(answers)
            pooled_groups += 1
    if pooled:
        visible = len(pooled) >= min_size and pooled_groups > 1
        shown.append(
            GroupResult(other_key, len(pooled), _means(pooled) if visible else {}, not visible)
        )
    return shown


def _means(answers: list[Mapping[object, float]]) -> dict:
    questions: dict = {}
    for answer in answers:
        for question, value in answer.items():
            if value is not None:
                questions.setdefault(question, []).append(value)
    return {q: mean(values) for q, values in questions.items()}
