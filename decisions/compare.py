"""Differences between two versions of a feasibility study.

Plain Python, no Django. A version is described as a *snapshot*: an ordered mapping of
part → {key: text}, made by ``decisions.selectors.study_snapshot``. ``diff`` lists per
part what was added, removed or changed; long texts also get a character-level diff
(Chinese has no spaces to split words on) so the page can mark insertions and deletions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
INLINE_DIFF_MIN = 40
"""Texts at least this long get a character-level diff instead of old/new side by side."""

Snapshot = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Segment:
    """A run of text that is kept (``equal``), inserted (``insert``) or deleted."""

    op: str
    text: str


@dataclass(frozen=True)
class Change:
    key: str
    kind: str
    old: str
    new: str
    segments: tuple[Segment, ...] = ()


@dataclass
class PartDiff:
    part: str
    changes: list[Change] = field(default_factory=list)


def inline_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Character-level segments turning ``old`` into ``new``."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", old[i1:i2]))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", new[j1:j2]))
    return tuple(segments)


def diff(old: Snapshot, new: Snapshot) -> list[PartDiff]:
    """The parts that differ, in the order of ``new`` then parts only in ``old``."""
    parts = list(new) + [p for p in old if p not in new]
    result = []
    for part in parts:
        before, after = old.get(part, {}), new.get(part, {})
        keys = list(after) + [k for k in before if k not in after]
        changes = []
        for key in keys:
            a, b = before.get(key), after.get(key)
            if a == b:
                continue
            if a is None:
                changes.append(Change(key, ADDED, "", b or ""))
            elif b is None:
                changes.append(Change(key, REMOVED, a, ""))
            else:
                long_text = max(len(a), len(b)) >= INLINE_DIFF_MIN
                changes.append(Change(key, CHANGED, a, b, inline_diff(a, b) if long_text else ()))
        if changes:
            result.append(PartDiff(part, changes))
    return result
