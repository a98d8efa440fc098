"""What changed between two versions of a playbook, step by step (by step id).

Usage:

    from incidentkit.core.playbook.diff import diff_playbooks, version_key
    diff = diff_playbooks(old, new)
    diff.added, diff.removed, diff.changed, diff.restored
    diff.summary()                 # "3 new steps, 1 removed, 2 changed"
    version_key("1.10") > version_key("1.9")

A step is matched by its id, so explicit ids (`{#id}`) are what make an upgrade carry a
step's progress over; a step whose slug changed because its text did reads as one
removed and one added. `old` may be an upgraded incident's playbook with its retired
phase: a retired step the new version has again is `restored`, one it still lacks is
neither added nor removed (it stays retired).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidentkit.core.playbook.model import Playbook, Step

# What a responder would want to re-read when it changes.
COMPARED = ("text", "guidance", "role", "due", "severity")


@dataclass(frozen=True)
class StepChange:
    """A step in both versions whose `fields` (of COMPARED) differ."""

    old: Step
    new: Step
    fields: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.new.id


@dataclass(frozen=True)
class PlaybookDiff:
    added: tuple[Step, ...] = ()
    removed: tuple[Step, ...] = ()
    changed: tuple[StepChange, ...] = ()
    restored: tuple[Step, ...] = ()     # retired steps the new version has again (as they read there)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.restored)

    def summary(self) -> str:
        """`3 new steps, 1 removed, 2 changed` (`no step changes` when nothing differs)."""
        return change_summary(len(self.added) + len(self.restored), len(self.removed), len(self.changed))


def change_summary(added: int, removed: int, changed: int) -> str:
    """`3 new steps, 1 removed, 2 changed`; `no step changes` for none."""
    parts = [f"{added} new step{'' if added == 1 else 's'}"] if added else []
    if removed:
        parts.append(f"{removed} removed")
    if changed:
        parts.append(f"{changed} changed")
    return ", ".join(parts) or "no step changes"


def _value(step: Step, field: str) -> str:
    if field in ("text", "guidance"):
        return getattr(step, field)
    return step.attrs.get(field, "")


def step_changes(old: Step, new: Step) -> tuple[str, ...]:
    return tuple(f for f in COMPARED if _value(old, f) != _value(new, f))


def diff_playbooks(old: Playbook, new: Playbook) -> PlaybookDiff:
    """How `new` differs from `old`, in the document order of each."""
    before = {s.id: s for s in old.steps()}
    after = {s.id: s for s in new.steps()}
    added, changed, restored = [], [], []
    for step_id, step in after.items():
        was = before.get(step_id)
        if was is None:
            added.append(step)
        elif was.retired:
            restored.append(step)
        elif fields := step_changes(was, step):
            changed.append(StepChange(was, step, fields))
    removed = [s for s in before.values() if s.id not in after and not s.retired]
    return PlaybookDiff(tuple(added), tuple(removed), tuple(changed), tuple(restored))


_RUNS = re.compile(r"(\d+)|(\D+)")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders versions as people number them: `1.10` after `1.9`, `2.0` after `1.99`, `1.0.1` after `1.0`."""
    return tuple((0, int(num)) if num else (1, text.lower()) for num, text in _RUNS.findall(version.strip()))


def is_older(candidate: str, current: str) -> bool:
    return version_key(candidate) < version_key(current)
