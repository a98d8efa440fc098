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

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from incidentkit.core.errors import StoreError
from incidentkit.core.events import utc_now
from incidentkit.core.paths import make_dir
from incidentkit.core.store.database import APPLICATION_ID, SCHEMA_VERSION, immediate

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


def migrate(db: Database, *, existed: bool, path: Path, backups_dir: Path,
            migrations: Migrations = MIGRATIONS) -> Path | None:
    """Apply pending migrations, backing an existing database up first; returns the backup path.

    The chain runs inside one BEGIN IMMEDIATE transaction (each migration a savepoint of
    it), so two processes opening an old file at once cannot both upgrade it, and a
    failure leaves the file as it was. `migrations` is the chain to apply (tests pass an
    extended one to exercise an upgrade).
    """
    known = len(migration_names(migrations))
    if not migrations.pending(db):
        return None
    with immediate(db.conn):
        version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        refuse_newer(version, path, known)
        if not migrations.pending(db):
            return None
        saved = backup(path, backups_dir, version) if existed and version > 0 else None
        try:
            migrations.apply(db)
        except sqlite3.Error as exc:
            where = f"; a backup from before it is {saved}" if saved else ""
            raise StoreError(f"{path}: migration failed ({exc}){where}") from exc
    return saved
