"""The incident store: SQLite (WAL, synchronous=FULL) holding incidents, pinned playbook
snapshots and the append-only, hash-chained event log.

CONTRACT (the signatures below are what the CLI, the window and the exporters call;
implementations may add, never change them).

Every write is one BEGIN IMMEDIATE transaction on the raw sqlite3 connection with
prepared SQL (the append path is the hot path: no schema introspection per call);
sqlite-utils wraps the same connection for migrations and ad-hoc reads (`db`). Opening a
database already at the current schema version loads neither sqlite-utils nor the
migration chain: the window's start pays for them only when a migration is due.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidentkit.core.errors import IncidentKitError, NotFoundError, StoreError
from incidentkit.core.events import (
    GENESIS_HASH,
    INCIDENT_OPENED,
    Event,
    canonical_json,
    chain_hash,
    format_ts,
    new_id,
    utc_now,
)
from incidentkit.core.gc_pause import gc_paused
from incidentkit.core.paths import AppPaths, make_dir
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.store import database
from incidentkit.core.store.queries import (
    EVENT_COLUMNS,
    deciding_groups_query,
    deciding_seqs,
    event_rows,
    find_by_prefix,
    row_to_event,
    rows_to_events,
    verify_chain,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

_INSERT_EVENT = (
    "INSERT INTO events (id, incident_id, seq, kind, step_id, actor, occurred_at, recorded_at,"
    " payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_HEAD = "SELECT seq, hash FROM events WHERE incident_id = ? ORDER BY seq DESC LIMIT 1"
_SEQ_CHUNK = 500  # bound parameters per `seq IN (...)`: well under SQLite's oldest limit (999)
_INCIDENT_COLUMNS = (
    "id, title, playbook_id, playbook_version, playbook_title, snapshot_sha256, aware_at, created_at"
)


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


class Store:
    """One open database. Belongs to the thread that opened it."""

    def __init__(self, db_path: Path, *, backups_dir: Path | None = None, cache_dir: Path | None = None) -> None:
        self.path = Path(db_path)
        self.backups_dir = Path(backups_dir) if backups_dir else self.path.parent / "backups"
        # Parsed snapshots (derived data: see playbook_cache), beside the database.
        self.cache_dir = Path(cache_dir) if cache_dir else self.path.parent / "cache"
        conn, existed = database.connect(self.path)
        self._db: Database | None = None
        self.conn = conn
        self.last_backup: Path | None = None
        try:
            version = database.check_identity(conn, self.path)
            due = version != database.SCHEMA_VERSION
            if due:
                from incidentkit.core.store.migrations import migrate, refuse_newer

                refuse_newer(version, self.path)
            database.configure_connection(conn)
            if due:
                self.last_backup = migrate(self.db, existed=existed, path=self.path, backups_dir=self.backups_dir)
        except BaseException:
            conn.close()
            raise
        self._playbooks: dict[str, Playbook] = {}
        self._incidents: dict[str, Incident] = {}

    @property
    def db(self) -> Database:
        """sqlite-utils over the same connection, made on first use."""
        if self._db is None:
            self._db = database.wrap(self.conn)
        return self._db

    @classmethod
    def open(cls, paths: AppPaths) -> Store:
        """Open (creating and migrating as needed) `paths.db_path`."""
        make_dir(paths.data_dir)
        return cls(paths.db_path, backups_dir=paths.backups_dir)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # snapshots ---------------------------------------------------------------
    def snapshot_markdown(self, sha256: str) -> str:
        row = self.conn.execute("SELECT markdown FROM snapshots WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise NotFoundError(f"no playbook snapshot {sha256[:12]}")
        return row[0]

    def playbook(self, incident_id: str) -> Playbook:
        """The incident's pinned playbook, parsed from its snapshot (kept in memory and in `cache_dir`)."""
        incident = self.incident(incident_id)
        sha = incident.snapshot_sha256
        cached = self._playbooks.get(sha)
        if cached is None:
            from incidentkit.core.playbook import cache as playbook_cache

            source = f"{incident.playbook_id}@{sha[:12]}"
            markdown = self.snapshot_markdown(sha)
            cached = playbook_cache.load(self.cache_dir, markdown, sha, source)
            if cached is None:
                from incidentkit.core.playbook.parser import parse_playbook

                cached = parse_playbook(markdown, source)
                playbook_cache.save(self.cache_dir, cached)
            self._playbooks[sha] = cached
        return cached

    # incidents ---------------------------------------------------------------
    def create_incident(
        self, playbook: Playbook, title: str, *, actor: str, aware_at: datetime | None = None
    ) -> Incident:
        """Pin the playbook's markdown and append `incident.opened`, in one transaction."""
        title = title.strip()
        if not title:
            raise IncidentKitError("an incident needs a title")
        now = format_ts(utc_now())
        aware = format_ts(aware_at) if aware_at is not None else now
        sha = hashlib.sha256(playbook.markdown.encode("utf-8")).hexdigest()
        incident = Incident(
            id=new_id(),
            title=title,
            playbook_id=playbook.id,
            playbook_version=playbook.version,
            playbook_title=playbook.title,
            snapshot_sha256=sha,
            aware_at=aware,
            created_at=now,
        )
        payload = {
            "title": title,
            "playbook_id": playbook.id,
            "playbook_version": playbook.version,
            "snapshot_sha256": sha,
            "aware_at": aware,
        }

        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR IGNORE INTO snapshots (sha256, markdown, created_at) VALUES (?, ?, ?)",
                (sha, playbook.markdown, now),
            )
            conn.execute(
                f"INSERT INTO incidents ({_INCIDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (incident.id, title, playbook.id, playbook.version, playbook.title, sha, aware, now),
            )
            self._insert(conn, incident.id, INCIDENT_OPENED, actor, None, payload, aware, now)

        database.write_retrying(self.conn, work)
        self._playbooks.setdefault(sha, playbook)
        return incident

    def import_incident(self, incident: Incident, markdown: str, events: Sequence[Event]) -> None:
        """Write an incident checked elsewhere (the importer), its playbook snapshot and its events
        as they are (ids, seqs, hashes), in one transaction: all of it or nothing.

        `AlreadyStored` when this database holds the incident's id or any of the events' ids;
        the check runs inside the write transaction, so no other writer can slip in between."""
        rows = event_rows(events)

        def work(conn: sqlite3.Connection) -> None:
            if conn.execute("SELECT 1 FROM incidents WHERE id = ?", (incident.id,)).fetchone():
                raise AlreadyStored("incident", f"incident {incident.id[:12]} already exists")
            for start in range(0, len(rows), 500):
                chunk = [row[0] for row in rows[start:start + 500]]
                marks = ",".join("?" * len(chunk))
                if conn.execute(f"SELECT 1 FROM events WHERE id IN ({marks}) LIMIT 1", chunk).fetchone():
                    raise AlreadyStored("events", "some of the events already exist")
            conn.execute(
                "INSERT OR IGNORE INTO snapshots (sha256, markdown, created_at) VALUES (?, ?, ?)",
                (incident.snapshot_sha256, markdown, incident.created_at),
            )
            conn.execute(
                f"INSERT INTO incidents ({_INCIDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (incident.id, incident.title, incident.playbook_id, incident.playbook_version,
                 incident.playbook_title, incident.snapshot_sha256, incident.aware_at, incident.created_at),
            )
            conn.executemany(_INSERT_EVENT, rows)

        database.write_retrying(self.conn, work)

    def incidents(self) -> list[Incident]:
        rows = self.conn.execute(f"SELECT {_INCIDENT_COLUMNS} FROM incidents ORDER BY created_at, id")
        return [Incident(*row) for row in rows]

    def incident(self, id_or_prefix: str) -> Incident:
        """NotFoundError when unknown or ambiguous."""
        known = self._incidents.get(id_or_prefix)
        if known is not None:
            return known
        full = find_by_prefix(self.conn, "incidents", "id", id_or_prefix, noun="incident")
        row = self.conn.execute(f"SELECT {_INCIDENT_COLUMNS} FROM incidents WHERE id = ?", (full,)).fetchone()
        # Incident rows never change, so caching them by full id is safe across connections.
        incident = self._incidents[full] = Incident(*row)
        return incident

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
        check: Callable[[], None] | None = None,
    ) -> Event:
        """Append one event in its own transaction; returns once it is durable.

        `check` runs inside the write transaction, before the insert, so a validation
        against the current state cannot race another writer; it raises to refuse.
        """
        recorded = format_ts(utc_now())
        occurred = format_ts(occurred_at) if occurred_at is not None else recorded
        body = dict(payload) if payload else {}

        def work(conn: sqlite3.Connection) -> Event:
            if check is not None:
                check()
            return self._insert(conn, incident_id, kind, actor, step_id, body, occurred, recorded)

        try:
            return database.write_retrying(self.conn, work)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise NotFoundError(f"no incident {incident_id!r}") from exc
            raise StoreError(f"could not record the event: {exc}") from exc

    def append_many(self, incident_id: str, items: Sequence[tuple[str, Mapping[str, Any], datetime | None]], *,
                    actor: str, check: Callable[[], None] | None = None) -> list[Event]:
        """Append `(kind, payload, occurred_at)` events in order in one transaction: all or none."""
        recorded = format_ts(utc_now())

        def work(conn: sqlite3.Connection) -> list[Event]:
            if check is not None:
                check()
            return [self._insert(conn, incident_id, kind, actor, None, dict(payload),
                                 format_ts(at) if at is not None else recorded, recorded) for kind, payload, at in items]

        return database.write_retrying(self.conn, work)

    def _insert(
        self,
        conn: sqlite3.Connection,
        incident_id: str,
        kind: str,
        actor: str,
        step_id: str | None,
        payload: dict[str, Any],
        occurred: str,
        recorded: str,
    ) -> Event:
        head = conn.execute(_HEAD, (incident_id,)).fetchone()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        event = Event(new_id(), incident_id, seq, kind, step_id, actor, occurred, recorded, payload, prev)
        digest = chain_hash(prev, event)
        conn.execute(
            _INSERT_EVENT,
            (event.id, incident_id, seq, kind, step_id, actor, occurred, recorded,
             canonical_json(payload), prev, digest),
        )
        object.__setattr__(event, "hash", digest)
        return event

    def events(self, incident_id: str, *, after_seq: int = 0) -> list[Event]:
        # A whole log is a few hundred thousand objects that the cycle collector would
        # otherwise re-scan again and again while they are made (see gc_pause).
        with gc_paused():
            rows = self.conn.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND seq > ? ORDER BY seq",
                (incident_id, after_seq),
            ).fetchall()
            return rows_to_events(rows)

    def deciding_events(self, incident_id: str, *, always: Sequence[str],
                        groups: Sequence[Sequence[str]]) -> tuple[list[Event], int]:
        """The incident's events that decide a fold, and the log's length, from one snapshot.

        Kept: every event of an `always` kind, per step the latest event of each of
        `groups` (a group is a set of kinds that overwrite one another), and the latest
        event of all. The store knows no folding rules: the projections name the kinds
        (`projections.deciding_events` is the same selection over a list).
        """
        group_of = {kind: g for g, kinds in enumerate(groups) for kind in kinds}
        with database.reading(self.conn):  # one snapshot of the log for both statements
            found = self.conn.execute(deciding_groups_query(always), (incident_id, *always)).fetchall()
            seqs, count = deciding_seqs(found, group_of)
            rows = []
            for start in range(0, len(seqs), _SEQ_CHUNK):
                chunk = seqs[start:start + _SEQ_CHUNK]
                rows += self.conn.execute(
                    f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND seq IN"
                    f" ({', '.join('?' * len(chunk))}) ORDER BY seq", (incident_id, *chunk)).fetchall()
        return rows_to_events(rows), count

    def step_events(self, incident_id: str, step_id: str, *, through_seq: int | None = None) -> list[Event]:
        """The events about one step, in seq order (those up to `through_seq` when given)."""
        sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND step_id = ?"
        params: list[Any] = [incident_id, step_id]
        if through_seq is not None:
            sql, params = sql + " AND seq <= ?", [*params, through_seq]
        return rows_to_events(self.conn.execute(sql + " ORDER BY seq", params).fetchall())

    def event(self, incident_id: str, event_id: str) -> Event:
        """One event of the incident by its full id or a prefix."""
        full = self.resolve_event_id(incident_id, event_id)
        row = self.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (full,)).fetchone()
        return row_to_event(row)

    def event_count(self, incident_id: str) -> int:
        return self.conn.execute("SELECT count(*) FROM events WHERE incident_id = ?", (incident_id,)).fetchone()[0]

    def resolve_event_id(self, incident_id: str, prefix: str) -> str:
        return find_by_prefix(
            self.conn, "events", "id", prefix, noun="event", where=("incident_id = ?", incident_id)
        )

    def verify(self, incident_id: str) -> VerifyResult:
        cursor = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY seq", (incident_id,)
        )
        return VerifyResult(**verify_chain(cursor))

    def data_version(self) -> int:
        """Changes when another connection commits (PRAGMA data_version): the window polls it."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # current-state lookups (cheap; operations call them inside `append(check=...)`) ------------
    def last_kind(self, incident_id: str, kinds: tuple[str, ...], step_id: str | None = None) -> str | None:
        """The kind of the latest event among `kinds` for the step (or the incident when None)."""
        row = self._latest("kind", incident_id, kinds, step_id)
        return row[0] if row else None

    def last_payload(self, incident_id: str, kind: str, step_id: str | None = None) -> dict[str, Any] | None:
        """The payload of the latest `kind` event for the step (or the incident when None)."""
        row = self._latest("payload", incident_id, (kind,), step_id)
        return json.loads(row[0]) if row else None

    def _latest(self, column: str, incident_id: str, kinds: tuple[str, ...], step_id: str | None) -> Any:
        marks = ", ".join("?" * len(kinds))
        step_clause = "step_id IS NULL" if step_id is None else "step_id = ?"
        params: tuple[Any, ...] = (incident_id, *(() if step_id is None else (step_id,)), *kinds)
        return self.conn.execute(
            f"SELECT {column} FROM events WHERE incident_id = ? AND {step_clause} AND kind IN ({marks})"
            " ORDER BY seq DESC LIMIT 1",
            params,
        ).fetchone()
