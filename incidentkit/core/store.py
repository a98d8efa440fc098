"""The incident store: SQLite (WAL, synchronous=FULL) holding incidents, pinned playbook
snapshots and the append-only, hash-chained event log.

CONTRACT (the signatures below are what the CLI, the window and the exporters call;
implementations may add, never change them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from incidentkit.core.events import Event
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook_model import Playbook


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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    bad_seq: int | None = None
    bad_event_id: str | None = None
    problem: str = ""


class Store:
    """One open database. Belongs to the thread that opened it."""

    def __init__(self, db_path: Path, *, backups_dir: Path | None = None) -> None:
        raise NotImplementedError

    @classmethod
    def open(cls, paths: AppPaths) -> Store:
        """Open (creating and migrating as needed) `paths.db_path`."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # snapshots ---------------------------------------------------------------
    def snapshot_markdown(self, sha256: str) -> str:
        raise NotImplementedError

    def playbook(self, incident_id: str) -> Playbook:
        """The incident's pinned playbook, parsed from its snapshot (cached)."""
        raise NotImplementedError

    # incidents ---------------------------------------------------------------
    def create_incident(
        self, playbook: Playbook, title: str, *, actor: str, aware_at: datetime | None = None
    ) -> Incident:
        """Pin the playbook's markdown and append `incident.opened`, in one transaction."""
        raise NotImplementedError

    def incidents(self) -> list[Incident]:
        raise NotImplementedError

    def incident(self, id_or_prefix: str) -> Incident:
        """NotFoundError when unknown or ambiguous."""
        raise NotImplementedError

    # events ------------------------------------------------------------------
    def append(
        self,
        incident_id: str,
        kind: str,
        *,
        actor: str,
        step_id: str | None = None,
        payload: Mapping[str, Any] | None = None,
        occurred_at: datetime | None = None,
    ) -> Event:
        """Append one event in its own transaction; returns once it is durable."""
        raise NotImplementedError

    def events(self, incident_id: str, *, after_seq: int = 0) -> list[Event]:
        raise NotImplementedError

    def iter_events(self, incident_id: str) -> Iterator[Event]:
        raise NotImplementedError

    def event_count(self, incident_id: str) -> int:
        raise NotImplementedError

    def resolve_event_id(self, incident_id: str, prefix: str) -> str:
        raise NotImplementedError

    def verify(self, incident_id: str) -> VerifyResult:
        raise NotImplementedError

    def data_version(self) -> int:
        """Changes when another connection commits (PRAGMA data_version): the window polls it."""
        raise NotImplementedError
