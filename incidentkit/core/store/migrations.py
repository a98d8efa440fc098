"""The schema, as a chain of named sqlite-utils migrations, and the backup taken before it runs.

A new database runs the whole chain, so every test exercises every migration. Each
migration sets `PRAGMA user_version` to its position in the chain inside its own
transaction; a file whose version is above the chain's length was written by a newer
IncidentKit and is refused untouched. Add a migration by appending a function below
(and a `test_migration_<name>` in tests/test_migrations.py: a meta-test insists), and
raise `database.SCHEMA_VERSION` to the chain's new length (a test checks they agree).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from incidentkit.core.errors import StoreError
from incidentkit.core.events import utc_now
from incidentkit.core.paths import make_dir
from incidentkit.core.store import integrity
from incidentkit.core.store.database import APPLICATION_ID, SCHEMA_VERSION, immediate, quick_check

MIGRATIONS = Migrations("incidentkit")
KEEP_BACKUPS = 10


def _statements(db: Database, *sql: str) -> None:
    # executescript() would COMMIT the migration's transaction halfway; run one by one.
    for statement in sql:
        db.execute(statement)


def _set_version(db: Database, version: int) -> None:
    db.execute(f"PRAGMA user_version = {int(version)}")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Snapshots, incidents and the append-only event log."""
    _statements(
        db,
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE snapshots (
            sha256 TEXT PRIMARY KEY,
            markdown TEXT NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            playbook_id TEXT NOT NULL,
            playbook_version TEXT NOT NULL,
            playbook_title TEXT NOT NULL,
            snapshot_sha256 TEXT NOT NULL REFERENCES snapshots(sha256),
            title TEXT NOT NULL,
            aware_at TEXT NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            step_id TEXT,
            actor TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (incident_id, seq))""",
        "CREATE INDEX events_by_step ON events (incident_id, step_id, seq)",
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
        """CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots
            BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END""",
    )
    _set_version(db, 1)


@MIGRATIONS()
def m002_events_by_step_kind(db: Database) -> None:
    """An index that holds, per step and kind, every event's seq: opening an incident reads
    its deciding events from it alone (Store.deciding_events), not from every event row."""
    _statements(db, "CREATE INDEX events_by_step_kind ON events (incident_id, step_id, kind, seq)")
    _set_version(db, 2)


@MIGRATIONS()
def m003_scope_people(db: Database) -> None:
    """The scope import's de-duplication state, kept out of the event log: per incident a
    secret key, and the keyed hashes of the people counted so far (16 bytes each, packed
    into rows, each with its jurisdiction codes, every hash's place among them and the
    sha256 of the file that added them). Events hold only counts: hashes in the
    hash-chained log would bloat it and travel with every export, and the secret must
    never leave this database."""
    _statements(
        db,
        """CREATE TABLE scope_keys (
            incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
            key_id TEXT NOT NULL UNIQUE,
            secret BLOB NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE scope_hashes (
            id INTEGER PRIMARY KEY,
            key_id TEXT NOT NULL REFERENCES scope_keys(key_id),
            codes TEXT NOT NULL,
            places BLOB NOT NULL,
            hashes BLOB NOT NULL,
            sha256 TEXT NOT NULL)""",
        "CREATE INDEX scope_hashes_by_key ON scope_hashes (key_id, id)",
        "CREATE INDEX scope_hashes_by_file ON scope_hashes (key_id, sha256)",
    )
    _set_version(db, 3)


_HEADS_TABLE = """TABLE event_heads (
    incident_id TEXT NOT NULL,
    step_id TEXT,
    kind TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    events INTEGER NOT NULL)"""
# Every read of the summary is answered from this index alone.
_HEADS_INDEX = "INDEX event_heads_by_step ON event_heads (incident_id, step_id, kind, last_seq, events)"
_HEADS_FROM_EVENTS = ("SELECT incident_id, step_id, kind, max(seq), count(*) FROM events"
                      " GROUP BY incident_id, step_id, kind")
_INCIDENT_HEADS_TABLE = """TABLE incident_heads (
    incident_id TEXT PRIMARY KEY,
    events INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL) WITHOUT ROWID"""
_INCIDENT_HEADS_FROM_EVENTS = (
    "SELECT incident_id, count(*), max(seq), (SELECT hash FROM events x WHERE x.incident_id = e.incident_id"
    " ORDER BY seq DESC LIMIT 1) FROM events e GROUP BY incident_id")


@MIGRATIONS()
def m004_event_heads(db: Database) -> None:
    """`event_heads`: per incident, step and kind, the latest seq and the number of events;
    `incident_heads`: per incident, the number of events and the latest seq and hash. Both
    are kept by a trigger in the transaction of every insert (no writer can forget them)
    and filled here from the log; opening an incident and listing incidents read them
    instead of the log. `file_checks`: when the file last passed a full check (integrity.py)."""
    _statements(
        db,
        "CREATE " + _HEADS_TABLE,
        f"INSERT INTO event_heads {_HEADS_FROM_EVENTS}",
        "CREATE " + _HEADS_INDEX,
        "CREATE " + _INCIDENT_HEADS_TABLE,
        f"INSERT INTO incident_heads {_INCIDENT_HEADS_FROM_EVENTS}",
        # `IS`, not `=`: an event without a step (step_id NULL) has a head too.
        """CREATE TRIGGER events_heads AFTER INSERT ON events BEGIN
            UPDATE event_heads SET last_seq = max(last_seq, NEW.seq), events = events + 1
                WHERE incident_id = NEW.incident_id AND step_id IS NEW.step_id AND kind = NEW.kind;
            INSERT INTO event_heads (incident_id, step_id, kind, last_seq, events)
                SELECT NEW.incident_id, NEW.step_id, NEW.kind, NEW.seq, 1
                WHERE NOT EXISTS (SELECT 1 FROM event_heads WHERE incident_id = NEW.incident_id
                                  AND step_id IS NEW.step_id AND kind = NEW.kind);
            INSERT INTO incident_heads VALUES (NEW.incident_id, 1, NEW.seq, NEW.hash)
                ON CONFLICT (incident_id) DO UPDATE SET events = events + 1,
                last_hash = CASE WHEN excluded.last_seq > last_seq THEN excluded.last_hash ELSE last_hash END,
                last_seq = max(last_seq, excluded.last_seq);
            END""",
        """CREATE TABLE file_checks (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            checked_at TEXT NOT NULL,
            file_id TEXT NOT NULL)""",
    )
    _set_version(db, 4)


def read_as_current(conn: sqlite3.Connection, version: int) -> None:
    """Let a read-only connection to a file of an older schema `version` be read as the current one:
    what later migrations add for speed is rebuilt for this connection alone, in its TEMP schema."""
    if version < 4:
        conn.execute("CREATE TEMP " + _HEADS_TABLE)
        conn.execute(f"INSERT INTO temp.event_heads {_HEADS_FROM_EVENTS}")
        conn.execute("CREATE " + _HEADS_INDEX.replace("INDEX ", "INDEX temp.", 1))
        conn.execute("CREATE TEMP " + _INCIDENT_HEADS_TABLE)
        conn.execute(f"INSERT INTO temp.incident_heads {_INCIDENT_HEADS_FROM_EVENTS}")


def migration_names(migrations: Migrations = MIGRATIONS) -> list[str]:
    """Every migration in chain order."""
    with Database(memory=True, execute_plugins=False) as blank:
        return [m.name for m in migrations.pending(blank)]


def backup(source: Path, backups_dir: Path, version: int) -> Path:
    """Copy the database at `source` with SQLite's online backup API; keep the newest `KEEP_BACKUPS`.

    It reads through a connection of its own: `migrate` calls it while its connection holds
    the write lock, and in WAL mode a second reader still sees the last committed state.
    """
    make_dir(backups_dir)
    stamp = utc_now().strftime("%Y%m%dT%H%M%S%fZ")
    dest = backups_dir / f"incidentkit-{stamp}-schema{version}.db"
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(str(dest))
    try:
        reader.backup(target)
    finally:
        target.close()
        reader.close()
    for old in sorted(backups_dir.glob("incidentkit-*.db"))[:-KEEP_BACKUPS]:
        old.unlink()
    return dest


def refuse_newer(version: int, path: Path, known: int = SCHEMA_VERSION) -> None:
    if version > known:
        raise StoreError(
            f"{path}: written by a newer IncidentKit (schema version {version}, this version "
            f"knows up to {known}); it was left untouched: upgrade IncidentKit to open it"
        )


class Migrated(NamedTuple):
    backup: Path | None  # the copy taken before an existing database was upgraded
    from_version: int | None  # the version this process upgraded from (0: it made the database); None: nothing ran


def migrate(db: Database, *, existed: bool, path: Path, backups_dir: Path,
            migrations: Migrations = MIGRATIONS) -> Migrated:
    """Apply pending migrations, checking and backing up an existing database first.

    The chain runs inside one BEGIN IMMEDIATE transaction (each migration a savepoint of
    it), so two processes opening an old file at once cannot both upgrade it, and a
    failure leaves the file as it was. A file with a damaged page is refused before
    anything is copied or changed. `migrations` is the chain to apply (tests pass an
    extended one to exercise an upgrade).
    """
    known = len(migration_names(migrations))
    if not migrations.pending(db):
        return Migrated(None, None)
    with immediate(db.conn):
        version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        refuse_newer(version, path, known)
        if not migrations.pending(db):
            return Migrated(None, None)
        if version > 0:
            quick_check(db.conn, path)
        saved = backup(path, backups_dir, version) if existed and version > 0 else None
        try:
            migrations.apply(db)
        except sqlite3.Error as exc:
            where = f"; a backup from before it is {saved}" if saved else ""
            raise StoreError(f"{path}: migration failed ({exc}){where}") from exc
    integrity.record(db.conn, path)  # just checked, or new
    return Migrated(saved, version)
