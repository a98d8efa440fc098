"""The incident store: SQLite (WAL, synchronous=FULL) holding incidents, pinned playbook
snapshots and the append-only, hash-chained event log.

Every write is one BEGIN IMMEDIATE transaction on the raw sqlite3 connection with
prepared SQL (the append path is the hot path: no schema introspection per call), after
the file's full check when one is due (`integrity.py`); a store opened read-only refuses
writes with one line. sqlite-utils wraps the same connection for migrations and ad-hoc
reads (`db`). Opening a database already at the current schema version loads neither
sqlite-utils nor the migration chain. Every read turns an error of SQLite (a damaged
page) into one line naming the file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
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
from incidentkit.core.paths import AppPaths, make_dir
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.store import database, integrity
from incidentkit.core.store.database import reads
from incidentkit.core.store.heads import HeadsReads
from incidentkit.core.store.opening import open_database
from incidentkit.core.store.queries import (
    EVENT_COLUMNS,
    event_rows,
    find_by_prefix,
    row_to_event,
    rows_to_events,
    verify_chain,
)
from incidentkit.core.store.records import AlreadyStored, Incident, VerifyResult
from incidentkit.core.store.snapshots import Snapshots

if TYPE_CHECKING:
    from sqlite_utils import Database

_INSERT_EVENT = (
    "INSERT INTO events (id, incident_id, seq, kind, step_id, actor, occurred_at, recorded_at,"
    " payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_HEAD = "SELECT seq, hash FROM events WHERE incident_id = ? ORDER BY seq DESC LIMIT 1"
_INCIDENT_COLUMNS = (
    "id, title, playbook_id, playbook_version, playbook_title, snapshot_sha256, aware_at, created_at"
)


class Store(HeadsReads):
    """One open database. Belongs to the thread that opened it.

    `read_only`: True opens the file read-only; None opens it read-only when the file or
    its folder is write-protected (the choice of commands that only read); False needs it
    writable. `create`: make the database when there is none (never when read-only);
    otherwise a missing one is a StoreError. `created` says whether this open made it.
    """

    def __init__(self, db_path: Path, *, backups_dir: Path | None = None, cache_dir: Path | None = None,
                 read_only: bool | None = False, create: bool = True) -> None:
        self.path = Path(db_path)
        self.backups_dir = Path(backups_dir) if backups_dir else self.path.parent / "backups"
        # Parsed snapshots (derived data: see playbook_cache), beside the database.
        self.cache_dir = Path(cache_dir) if cache_dir else self.path.parent / "cache"
        opened = open_database(self.path, backups_dir=self.backups_dir, read_only=read_only, create=create)
        self.conn = opened.conn
        self.read_only = opened.read_only
        self.created = opened.created
        self.last_backup = opened.backup
        self.why_read_only = opened.why_read_only  # for the line a refused write prints
        self._db: Database | None = None
        self._write_checked = False
        self.snapshots = Snapshots(self.conn, self.cache_dir)
        self._incidents: dict[str, Incident] = {}

    @property
    def db(self) -> Database:
        """sqlite-utils over the same connection, made on first use."""
        if self._db is None:
            self._db = database.wrap(self.conn)
        return self._db

    @classmethod
    def open(cls, paths: AppPaths, *, read_only: bool | None = False, create: bool = True) -> Store:
        """Open `paths.db_path` (see the class for `read_only` and `create`), migrating as needed."""
        if create and not read_only:
            make_dir(paths.data_dir)
        return cls(paths.db_path, backups_dir=paths.backups_dir, read_only=read_only, create=create)

    def reader(self) -> Store:
        """Another, read-only connection to the same file, for a worker thread (a Store belongs to its thread)."""
        return Store(self.path, backups_dir=self.backups_dir, cache_dir=self.cache_dir, read_only=True, create=False)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `work` in one write transaction; the file's full check first when one is due."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only ({self.why_read_only}): nothing can be changed in it")
        if not self._write_checked:
            integrity.before_first_write(self.conn, self.path)
            self._write_checked = True
        try:
            return database.write_retrying(self.conn, work)
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise  # a refused row (the caller words it), or a bug
        except sqlite3.DatabaseError as exc:  # a damaged page on the write's way: rolled back
            raise database.read_failure(self.path, exc) from exc

    # snapshots ---------------------------------------------------------------
    @reads
    def snapshot_markdown(self, sha256: str) -> str:
        return self.snapshots.markdown(sha256)

    def playbook(self, incident_id: str) -> Playbook:
        """The playbook the incident follows now: the snapshot of its latest
        `incident.playbook_upgraded` event with the steps it retired, else the one it was opened with."""
        incident = self.incident(incident_id)
        return self.snapshots.current(incident.id, incident.snapshot_sha256, incident.playbook_id)

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

        self._write(work)
        self.snapshots.remember(playbook)
        return incident

    def import_incident(self, incident: Incident, markdown: str, events: Sequence[Event],
                        snapshots: Mapping[str, str] | None = None) -> None:
        """Write an incident checked elsewhere (the importer), its playbook snapshot and its events
        as they are (ids, seqs, hashes), in one transaction: all of it or nothing.

        `AlreadyStored` when this database holds the incident's id or any of the events' ids;
        the check runs inside the write transaction, so no other writer can slip in between.
        `snapshots` (sha256 -> markdown, checked by the caller) are the upgrades' playbooks."""
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
            conn.executemany(
                "INSERT OR IGNORE INTO snapshots (sha256, markdown, created_at) VALUES (?, ?, ?)",
                [(sha, text, incident.created_at) for sha, text in (snapshots or {}).items()],
            )
            conn.execute(
                f"INSERT INTO incidents ({_INCIDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (incident.id, incident.title, incident.playbook_id, incident.playbook_version,
                 incident.playbook_title, incident.snapshot_sha256, incident.aware_at, incident.created_at),
            )
            conn.executemany(_INSERT_EVENT, rows)

        self._write(work)

    @reads
    def incidents(self) -> list[Incident]:
        rows = self.conn.execute(f"SELECT {_INCIDENT_COLUMNS} FROM incidents ORDER BY created_at, id")
        found = [Incident(*row) for row in rows]
        self._incidents.update((i.id, i) for i in found)
        return found

    @reads
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
        snapshot: str | None = None,
    ) -> Event:
        """Append one event in its own transaction; returns once it is durable.

        `check` runs inside the write transaction, before the insert, so a validation
        against the current state cannot race another writer; it raises to refuse.
        `snapshot` is playbook markdown the event pins (an upgrade's), stored by its
        sha256 in the same transaction, as `create_incident` pins the first.
        """
        recorded = format_ts(utc_now())
        occurred = format_ts(occurred_at) if occurred_at is not None else recorded
        body = dict(payload) if payload else {}

        def work(conn: sqlite3.Connection) -> Event:
            if check is not None:
                check()
            if snapshot is not None:
                conn.execute("INSERT OR IGNORE INTO snapshots (sha256, markdown, created_at) VALUES (?, ?, ?)",
                             (hashlib.sha256(snapshot.encode("utf-8")).hexdigest(), snapshot, recorded))
            return self._insert(conn, incident_id, kind, actor, step_id, body, occurred, recorded)

        try:
            return self._write(work)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise NotFoundError(f"no incident {incident_id!r}") from exc
            raise StoreError(f"could not record the event: {exc}") from exc

    def append_with(self, incident_id: str, kind: str, *, actor: str,
                    work: Callable[[sqlite3.Connection], Mapping[str, Any]],
                    occurred_at: datetime | None = None) -> Event:
        """Append one event whose payload `work(conn)` makes inside the write transaction,
        where it may also write rows of its own (the scope import's hashes): the rows and
        the event are committed together, or neither when `work` raises."""
        recorded = format_ts(utc_now())
        occurred = format_ts(occurred_at) if occurred_at is not None else recorded

        def transaction(conn: sqlite3.Connection) -> Event:
            payload = dict(work(conn))
            return self._insert(conn, incident_id, kind, actor, None, payload, occurred, recorded)

        return self._write(transaction)

    def append_many(self, incident_id: str, items: Sequence[tuple[str, Mapping[str, Any], datetime | None]], *,
                    actor: str, check: Callable[[], None] | None = None) -> list[Event]:
        """Append `(kind, payload, occurred_at)` events in order in one transaction: all or none."""
        recorded = format_ts(utc_now())

        def work(conn: sqlite3.Connection) -> list[Event]:
            if check is not None:
                check()
            return [self._insert(conn, incident_id, kind, actor, None, dict(payload),
                                 format_ts(at) if at is not None else recorded, recorded) for kind, payload, at in items]

        return self._write(work)

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

    @reads
    def events(self, incident_id: str, *, after_seq: int = 0) -> list[Event]:
        rows = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND seq > ? ORDER BY seq",
            (incident_id, after_seq),
        ).fetchall()
        return rows_to_events(rows)

    @reads
    def latest_events(self, incident_id: str, count: int) -> list[Event]:
        """The incident's last `count` events by seq, in seq order."""
        rows = self.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY seq DESC"
                                 " LIMIT ?", (incident_id, count)).fetchall()
        return rows_to_events(rows[::-1])

    @reads
    def step_events(self, incident_id: str, step_id: str, *, through_seq: int | None = None,
                    last: int | None = None) -> list[Event]:
        """The events about one step, in seq order (those up to `through_seq`, the `last` few, when given)."""
        sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND step_id = ?"
        params: list[Any] = [incident_id, step_id]
        if through_seq is not None:
            sql, params = sql + " AND seq <= ?", [*params, through_seq]
        if last is None:
            return rows_to_events(self.conn.execute(sql + " ORDER BY seq", params).fetchall())
        return rows_to_events(self.conn.execute(sql + " ORDER BY seq DESC LIMIT ?", [*params, last]).fetchall()[::-1])

    @reads
    def step_ids_with_events(self, incident_id: str) -> set[str]:
        """Every step id some event of the incident names (one pass over the step index)."""
        rows = self.conn.execute("SELECT DISTINCT step_id FROM events WHERE incident_id = ? AND step_id IS NOT NULL",
                                 (incident_id,))
        return {row[0] for row in rows}

    @reads
    def event(self, incident_id: str, event_id: str) -> Event:
        """One event of the incident by its full id or a prefix."""
        full = self.resolve_event_id(incident_id, event_id)
        row = self.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (full,)).fetchone()
        return row_to_event(row)

    @reads
    def resolve_event_id(self, incident_id: str, prefix: str) -> str:
        return find_by_prefix(
            self.conn, "events", "id", prefix, noun="event", where=("incident_id = ?", incident_id)
        )

    @reads
    def verify(self, incident_id: str) -> VerifyResult:
        cursor = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY seq", (incident_id,)
        )
        return VerifyResult(**verify_chain(cursor))

    @reads
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

    @reads
    def last_event(self, incident_id: str, kinds: tuple[str, ...], step_id: str | None = None) -> Event | None:
        """The latest event among `kinds` for the step (or the incident when None), whole."""
        row = self._latest(EVENT_COLUMNS, incident_id, kinds, step_id)
        return row_to_event(row) if row else None

    @reads
    def _latest(self, column: str, incident_id: str, kinds: tuple[str, ...], step_id: str | None) -> Any:
        marks = ", ".join("?" * len(kinds))
        step_clause = "step_id IS NULL" if step_id is None else "step_id = ?"
        params: tuple[Any, ...] = (incident_id, *(() if step_id is None else (step_id,)), *kinds)
        return self.conn.execute(
            f"SELECT {column} FROM events WHERE incident_id = ? AND {step_clause} AND kind IN ({marks})"
            " ORDER BY seq DESC LIMIT 1",
            params,
        ).fetchone()
