"""The records the store hands out besides events: an incident's fixed facts, a log in brief, a verify result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event


@dataclass(frozen=True)
class Incident:
    """An incident's fixed facts (title and status as of now come from projections)."""

    id: str
    title: str
    playbook_id: str
    playbook_version: str
    playbook_title: str
    snapshot_sha256: str
    aware_at: str
    created_at: str


class AlreadyStored(IncidentKitError):
    """`Store.import_incident` found the incident (`what == "incident"`) or some of its events
    (`what == "events"`) already in the database; nothing was written."""

    def __init__(self, what: str, message: str) -> None:
        super().__init__(message)
        self.what = what


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    bad_seq: int | None = None
    bad_event_id: str | None = None
    problem: str = ""


class LogSummary(NamedTuple):
    """One incident's log in brief (`Store.log_summaries`)."""

    latest: dict[str, str]  # step id -> the kind of its latest event among the kinds asked for
    events: list[Event]  # every event of the kinds asked for, in seq order
    count: int  # events in the log
    last_seq: int
