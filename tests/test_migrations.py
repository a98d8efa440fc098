"""The migration chain: each migration's effect, backups before an upgrade, refusing newer files.

Every migration in `incidentkit.core.store.migrations` needs a `test_migration_<name>` here
(`test_every_migration_has_a_test` enforces it).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from incidentkit.core import operations as ops
from incidentkit.core.deciding import ALWAYS_DECIDING, read_deciding
from incidentkit.core.errors import StoreError
from incidentkit.core.store import Store, database
from incidentkit.core.store import migrations as mig
from incidentkit.core.store.queries import deciding_groups_query


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}


def pragma(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_every_migration_has_a_test() -> None:
    here = sys.modules[__name__]
    missing = [n for n in mig.migration_names() if not callable(getattr(here, f"test_migration_{n}", None))]
    assert missing == [], f"migrations without a test_migration_<name> in {__file__}: {missing}"
    assert mig.SCHEMA_VERSION == len(mig.migration_names()) >= 1


def test_migration_m001_initial(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.create_incident(tiny_playbook(), "x", actor="ann")
    path = tmp_path / "incidentkit.db"
    assert {"snapshots", "incidents", "events", "_sqlite_migrations", "events_no_update",
            "events_no_delete", "snapshots_no_update"} <= tables(path)
    assert pragma(path, "user_version") >= 1
    assert pragma(path, "application_id") == database.APPLICATION_ID


def test_migration_m002_events_by_step_kind(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "x", actor="ann")
        for _ in range(3):
            ops.complete_step(store, incident_id=inc.id, step_id="notify", actor="ann")
            ops.reopen_step(store, incident_id=inc.id, step_id="notify", actor="bob")
        state = read_deciding(store, inc.id)
    path = tmp_path / "incidentkit.db"
    with sqlite3.connect(path) as conn:  # as schema version 1 left it
        conn.execute("DROP INDEX events_by_step_kind")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_events_by_step_kind'")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    with open_store(tmp_path) as store:
        assert store.last_backup is not None and pragma(store.last_backup, "user_version") == 1
        assert read_deciding(store, inc.id) == state
        plan = " ".join(r[3] for r in store.conn.execute(
            "EXPLAIN QUERY PLAN " + deciding_groups_query(ALWAYS_DECIDING), (inc.id, *ALWAYS_DECIDING)))
    assert "COVERING INDEX events_by_step_kind" in plan and "TEMP B-TREE" not in plan
    assert pragma(path, "user_version") == 2


def test_migration_m003_scope_people(tmp_path: Path) -> None:
    from scope_helpers import new_incident

    from incidentkit.core.scope import people
    from incidentkit.core.scope.importer import import_people

    store, incident = new_incident(tmp_path)
    store.close()
    path = tmp_path / "incidentkit.db"
    with sqlite3.connect(path) as conn:  # as schema version 2 left it
        conn.execute("DROP TABLE scope_hashes")
        conn.execute("DROP TABLE scope_keys")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_scope_people'")
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    vendor = tmp_path / "list.csv"
    vendor.write_text("email,country\nann@example.com,DE\nbob@example.com,FR\n", encoding="utf-8")
    with open_store(tmp_path) as store:
        assert store.last_backup is not None and pragma(store.last_backup, "user_version") == 2
        assert import_people(store, incident_id=incident, path=vendor, actor="ann").people_added == 2
        assert people.stored_people(store.conn, incident) == 2
        with pytest.raises(sqlite3.IntegrityError):  # keys belong to an incident
            store.conn.execute("INSERT INTO scope_keys VALUES ('nope', 'k', x'00', 'now')")
    assert {"scope_keys", "scope_hashes"} <= tables(path) and pragma(path, "user_version") == 3


def test_a_new_database_runs_the_whole_chain_without_a_backup(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        assert store.last_backup is None
        applied = [m.name for m in mig.MIGRATIONS.applied(store.db)]
    assert applied == mig.migration_names()
    assert pragma(tmp_path / "incidentkit.db", "user_version") == mig.SCHEMA_VERSION
    assert not (tmp_path / "backups").exists()


def test_reopening_an_up_to_date_database_makes_no_backup(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    with open_store(tmp_path) as store:
        assert store.last_backup is None


def _extended(extra) -> Migrations:
    chain = Migrations("incidentkit")
    for name in mig.migration_names():
        chain(name=name)(getattr(mig, name))
    chain(name=extra.__name__)(extra)
    return chain


def _reopen(path: Path) -> Database:
    conn, _existed = database.connect(path)
    database.check_identity(conn, path)
    database.configure_connection(conn)
    return database.wrap(conn)


def test_pending_migrations_back_the_file_up_first(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "before upgrade", actor="ann")

    def m999_add_column(db: Database) -> None:
        db.execute("ALTER TABLE incidents ADD COLUMN colour TEXT")
        db.execute(f"PRAGMA user_version = {mig.SCHEMA_VERSION + 1}")

    path = tmp_path / "incidentkit.db"
    db = _reopen(path)
    try:
        saved = mig.migrate(db, existed=True, path=path, backups_dir=tmp_path / "backups",
                            migrations=_extended(m999_add_column))
    finally:
        db.close()
    assert saved is not None and saved.parent == tmp_path / "backups"
    assert pragma(saved, "user_version") == mig.SCHEMA_VERSION
    with sqlite3.connect(saved) as conn:
        assert conn.execute("SELECT title FROM incidents WHERE id = ?", (inc.id,)).fetchone() == ("before upgrade",)
    assert pragma(path, "user_version") == mig.SCHEMA_VERSION + 1
    # The app that knows only the shorter chain now refuses the upgraded file.
    with pytest.raises(StoreError, match="newer IncidentKit"):
        open_store(tmp_path)


def test_a_failing_migration_rolls_back_and_names_the_backup(tmp_path: Path) -> None:
    open_store(tmp_path).close()

    def m999_broken(db: Database) -> None:
        db.execute("CREATE TABLE half_done (x)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    path = tmp_path / "incidentkit.db"
    db = _reopen(path)
    try:
        with pytest.raises(StoreError, match="migration failed .* a backup from before it is"):
            mig.migrate(db, existed=True, path=path, backups_dir=tmp_path / "backups",
                        migrations=_extended(m999_broken))
    finally:
        db.close()
    assert "half_done" not in tables(path)
    with open_store(tmp_path) as store:
        assert store.incidents() == []


def test_only_the_newest_ten_backups_are_kept(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    made = [mig.backup(tmp_path / "incidentkit.db", tmp_path / "backups", 1) for _ in range(12)]
    kept = sorted((tmp_path / "backups").iterdir())
    assert kept == sorted(made[-mig.KEEP_BACKUPS:])


def test_a_newer_schema_is_refused_and_left_byte_for_byte_untouched(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    path = tmp_path / "incidentkit.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {mig.SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    expected = rf"newer IncidentKit \(schema version {mig.SCHEMA_VERSION + 1}, this version knows up to {mig.SCHEMA_VERSION}\)"
    with pytest.raises(StoreError, match=expected):
        Store(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()
