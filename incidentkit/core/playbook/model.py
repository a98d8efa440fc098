"""The immutable playbook model the parser produces and everything else reads.

A `Playbook` has phases (`##` headings); a phase has sections (deeper headings) and
steps (task items). Steps are kept flat, in document order, on their phase; a step
knows its section, its parent step (for nested task items) and its depth, so a tree
can be rebuilt without walking the markdown again. Line numbers are 1-based.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from incidentkit.core.playbook.due import Due, DueError, parse_due
from incidentkit.core.playbook.ids import SEVERITIES

Severity = Literal["error", "warning"]
# The phase an upgraded incident keeps its retired steps in (see core/playbook/retired.py).
# Not a valid playbook id, so no phase of a playbook can take it.
RETIRED_PHASE_ID = "_retired"

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a playbook, in the compiler convention `path:line:col: severity: message`."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True)
class Step:
    """A task item. `text` is inline markdown without the checkbox and without the `{#id ...}` block."""

    id: str
    text: str
    line: int
    phase_id: str
    section: str | None = None
    parent_id: str | None = None
    depth: int = 0
    role: str | None = None
    attrs: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    guidance: str = ""
    checked_in_source: bool = False
    explicit_id: bool = False

    @property
    def severity(self) -> str | None:
        """`critical`, `high`, `medium` or `low`; None when absent or not one of them (the parser warned)."""
        value = self.attrs.get("severity")
        return value if value in SEVERITIES else None

    @property
    def due(self) -> Due | None:
        """The `due` attribute as a duration; None when absent or unreadable (the parser warned)."""
        text = self.attrs.get("due")
        if not text:
            return None
        try:
            return parse_due(text)
        except DueError:
            return None

    @property
    def rules(self) -> tuple[str, ...]:
        """The `rules` attribute's words: ids of the notification rules the step is about, `*` matching
        any characters (`us-*-attorney-general`); the deadlines board shows their obligations."""
        return tuple(self.attrs.get("rules", "").split())

    @property
    def retired(self) -> bool:
        """A step an upgrade removed from the incident's playbook, kept for its history."""
        return self.phase_id == RETIRED_PHASE_ID


@dataclass(frozen=True)
class Section:
    """A heading below `##` inside a phase; `steps` are the ids of the steps under it."""

    title: str
    level: int
    line: int
    guidance: str = ""
    step_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phase:
    """A `##` heading. `steps` holds every step of the phase (sections and sub-steps included), in document order."""

    id: str
    title: str
    line: int
    guidance: str = ""
    sections: tuple[Section, ...] = ()
    steps: tuple[Step, ...] = ()
    retired: bool = False  # the retired steps of an upgraded incident: shown, not counted in progress


@dataclass(frozen=True)
class Playbook:
    """A parsed playbook. `markdown` is the exact source text; `sha256` is over its UTF-8 bytes."""

    id: str
    title: str
    version: str
    summary: str
    phases: tuple[Phase, ...]
    markdown: str
    sha256: str
    path: str = "<string>"
    tags: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    warnings: tuple[Diagnostic, ...] = ()
    intro: str = ""  # markdown between the title heading and the first phase

    def steps(self) -> Iterator[Step]:
        """Every step in document order."""
        for phase in self.phases:
            yield from phase.steps

    @property
    def step_count(self) -> int:
        return sum(len(p.steps) for p in self.phases)

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError when there is none."""
        index = self.__dict__.get("_index")
        if index is None:
            index = {s.id: s for s in self.steps()}
            object.__setattr__(self, "_index", index)
        return index[step_id]

    def has_step(self, step_id: str) -> bool:
        try:
            self.step(step_id)
        except KeyError:
            return False
        return True

    def role_name(self, role: str | None) -> str:
        """The display name of a role, falling back to the role key itself."""
        if not role:
            return ""
        return self.roles.get(role, role)
