"""The store on a real SQLite file: incidents, snapshots, appending, ids, append-only rules."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from incident_helpers import MARKDOWN, open_store, tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core.errors import IncidentKitError, NotFoundError, StateError, StoreError
from incidentkit.core.paths import AppPaths
from incidentkit.core.store import Store


def test_create_incident_pins_the_snapshot_and_opens_with_seq_1(store: Store) -> None:
    aware = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
    inc = store.create_incident(tiny_playbook(), "  Vendor breach ", actor="ann", aware_at=aware)
    assert inc.title == "Vendor breach"
    assert inc.aware_at == "2026-11-28T09:00:00.000000+00:00"
    assert store.snapshot_markdown(inc.snapshot_sha256) == MARKDOWN
    [opened] = store.events(inc.id)
    assert (opened.seq, opened.kind, opened.actor, opened.occurred_at) == (1, ev.INCIDENT_OPENED, "ann", inc.aware_at)
    assert opened.payload == {"title": "Vendor breach", "playbook_id": "tiny", "playbook_version": "1.0",
                              "snapshot_sha256": inc.snapshot_sha256, "aware_at": inc.aware_at}
    assert opened.prev_hash == ev.GENESIS_HASH and opened.hash == ev.chain_hash(ev.GENESIS_HASH, opened)
    assert store.playbook(inc.id) is not None


def test_an_incident_needs_a_title(store: Store) -> None:
    with pytest.raises(IncidentKitError, match="needs a title"):
        store.create_incident(tiny_playbook(), "   ", actor="ann")
    assert store.incidents() == []


def test_two_incidents_share_one_snapshot_and_a_changed_playbook_gets_its_own(store: Store) -> None:
    a = store.create_incident(tiny_playbook(), "a", actor="ann")
    b = store.create_incident(tiny_playbook(), "b", actor="ann")
    c = store.create_incident(tiny_playbook(MARKDOWN + "\n- [ ] Later step\n"), "c", actor="ann")
    assert a.snapshot_sha256 == b.snapshot_sha256 != c.snapshot_sha256
    assert store.snapshot_markdown(a.snapshot_sha256) == MARKDOWN
    assert [i.title for i in store.incidents()] == ["a", "b", "c"]


def test_append_chains_events_and_survives_reopening(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "x", actor="ann")
        done = store.append(inc.id, ev.STEP_DONE, actor="bob", step_id="confirm")
        backdated = datetime(2026, 11, 1, tzinfo=timezone.utc)
        entry = store.append(inc.id, ev.TIMELINE_ENTRY, actor="bob", occurred_at=backdated,
                             payload={"title": "Vendor called", "detail": "", "category": ""})
    with open_store(tmp_path) as store:
        events = store.events(inc.id)
        assert [e.seq for e in events] == [1, 2, 3]
        assert events[1] == done and events[2] == entry
        assert entry.occurred_at == "2026-11-01T00:00:00.000000+00:00" != entry.recorded_at
        assert entry.prev_hash == done.hash
        assert store.events(inc.id, after_seq=2) == [entry]
        assert store.event_count(inc.id) == 3
        assert store.verify(inc.id).ok


def test_append_to_an_unknown_incident_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.append("f" * 32, ev.STEP_DONE, actor="ann", step_id="confirm")


def test_a_refusing_check_writes_nothing(store: Store) -> None:
    inc = store.create_incident(tiny_playbook(), "x", actor="ann")

    def refuse() -> None:
        raise StateError("no")

    with pytest.raises(StateError):
        store.append(inc.id, ev.STEP_DONE, actor="ann", step_id="confirm", check=refuse)
    assert store.event_count(inc.id) == 1
    assert store.append(inc.id, ev.STEP_DONE, actor="ann", step_id="confirm").seq == 2


def test_ids_resolve_from_any_unambiguous_prefix(store: Store) -> None:
    incs = [store.create_incident(tiny_playbook(), f"i{n}", actor="ann") for n in range(20)]
    target = incs[0]
    assert store.incident(target.id.upper()) == target
    unique = next(n for n in range(1, 33) if sum(i.id.startswith(target.id[:n]) for i in incs) == 1)
    assert store.incident(target.id[:unique]) == target
    with pytest.raises(NotFoundError, match="no incident matches 'zz'"):
        store.incident("zz")
    with pytest.raises(NotFoundError, match="no incident matches"):
        store.incident("")
    hex_digit = next(d for d in "0123456789abcdef" if sum(i.id.startswith(d) for i in incs) > 1)
    count = sum(i.id.startswith(hex_digit) for i in incs)
    with pytest.raises(NotFoundError, match=f"'{hex_digit}' is ambiguous: matches {count} incidents"):
        store.incident(hex_digit)
    event = store.events(target.id)[0]
    assert store.resolve_event_id(target.id, event.id[:12]) == event.id
    assert store.event(target.id, event.id[:12]) == event
    with pytest.raises(NotFoundError):
        store.resolve_event_id(incs[1].id, event.id)


def test_events_cannot_be_updated_or_deleted_through_sql(store: Store) -> None:
    inc = store.create_incident(tiny_playbook(), "x", actor="ann")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE events SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM events")
    assert store.event_count(inc.id) == 1


def test_data_version_changes_when_another_connection_commits(tmp_path: Path) -> None:
    with open_store(tmp_path) as watcher, open_store(tmp_path) as writer:
        inc = writer.create_incident(tiny_playbook(), "x", actor="ann")
        before = watcher.data_version()
        writer.append(inc.id, ev.STEP_DONE, actor="ann", step_id="confirm")
        assert watcher.data_version() != before
        assert watcher.event_count(inc.id) == 2


def test_open_creates_the_data_folder_and_uses_wal_full_and_foreign_keys(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "new" / "data")
    with Store.open(paths) as store:
        pragmas = [store.conn.execute(f"PRAGMA {p}").fetchone()[0]
                   for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")]
        assert pragmas == ["wal", 2, 1, 10000]
    assert paths.db_path.is_file()


def test_a_read_only_database_is_a_one_line_store_error(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "x", actor="ann")
        store.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError, match="cannot write to the database: attempt to write a readonly database"):
            store.append(inc.id, ev.STEP_DONE, actor="ann", step_id="confirm")
