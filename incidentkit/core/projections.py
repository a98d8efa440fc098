"""Projections: step states, progress and the timeline, as pure functions over events.

CONTRACT (signatures used by the CLI, window and exporters; implementations may add).
Rule for conflicts: the later event (by seq) wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from incidentkit.core.events import Event
from incidentkit.core.playbook_model import Playbook

StepStatus = Literal["open", "done", "skipped"]


@dataclass(frozen=True)
class StepState:
    step_id: str
    status: StepStatus = "open"
    by: str | None = None          # actor of the event that set the status
    at: str | None = None          # its occurred_at
    reason: str | None = None      # skip reason
    assignee: str | None = None
    note: str = ""                 # latest note text
    note_by: str | None = None
    note_at: str | None = None


@dataclass(frozen=True)
class PhaseProgress:
    phase_id: str
    title: str
    done: int
    skipped: int
    total: int

    @property
    def finished(self) -> int:
        return self.done + self.skipped


@dataclass(frozen=True)
class IncidentState:
    incident_id: str
    title: str
    status: Literal["open", "closed"]
    aware_at: str | None
    opened_at: str | None
    closed_at: str | None
    steps: Mapping[str, StepState]
    phases: tuple[PhaseProgress, ...]
    event_count: int
    last_seq: int
    head_hash: str

    @property
    def done(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def progress(self) -> float:
        """(done + skipped) / total, 0.0 for no steps."""
        ...


@dataclass(frozen=True)
class TimelineItem:
    """One event as the timeline shows it, with amendments applied and the original kept."""

    event: Event
    occurred_at: str               # effective (amended) time
    title: str                     # one human line: "Step done: Confirm the breach in writing"
    detail: str = ""
    category: str = ""
    amended_by: tuple[str, ...] = ()   # ids of timeline.amended events that correct this one
    original: Mapping[str, object] = field(default_factory=dict)  # original values when amended


def project(playbook: Playbook, events: Iterable[Event]) -> IncidentState:
    raise NotImplementedError


def timeline(playbook: Playbook, events: Iterable[Event]) -> list[TimelineItem]:
    """Chronological by effective occurred_at, then seq."""
    raise NotImplementedError
