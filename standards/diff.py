"""Differences between two versions of a methodology (no Django import).

A version is compared as a *snapshot*: for each kind of part (phases, gates,
processes, steps, deliverables) a mapping from the part's stable key — its code, or
for a step the process code and the step name — to the fields that matter. A part is
*added* when its key is new, *removed* when its key is gone, and *changed* when a
field differs; the changed fields are listed with their old and new values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("phase", "gate", "process", "step", "deliverable")
ADDED, REMOVED, CHANGED = "added", "removed", "changed"

Snapshot = dict[str, dict[str, dict[str, object]]]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class PartChange:
    kind: str
    key: str
    action: str
    name: str
    fields: tuple[FieldChange, ...] = field(default_factory=tuple)


def diff(old: Snapshot, new: Snapshot) -> list[PartChange]:
    """The changes that turn ``old`` into ``new``, by kind, then key."""
    changes: list[PartChange] = []
    for kind in KINDS:
        before, after = old.get(kind, {}), new.get(kind, {})
        for key in sorted(set(before) | set(after)):
            if key not in before:
                changes.append(PartChange(kind, key, ADDED, _name(after[key])))
            elif key not in after:
                changes.append(PartChange(kind, key, REMOVED, _name(before[key])))
            else:
                fields = tuple(
                    FieldChange(name, before[key].get(name), after[key].get(name))
                    for name in sorted(set(before[key]) | set(after[key]))
                    if before[key].get(name) != after[key].get(name)
                )
                if fields:
                    changes.append(PartChange(kind, key, CHANGED, _name(after[key]), fields))
    return changes


def summary(changes: list[PartChange]) -> dict[str, dict[str, int]]:
    """Counts of added, removed and changed parts per kind (every kind present)."""
    counts = {kind: {ADDED: 0, REMOVED: 0, CHANGED: 0} for kind in KINDS}
    for change in changes:
        counts[change.kind][change.action] += 1
    return counts


def _name(fields: dict[str, object]) -> str:
    return str(fields.get("name") or "")
