"""The integrity promise on a truly damaged file: opening reads only the header and schema,
a read that reaches a damaged page is one line, and no write lands in a damaged file.

Each test overwrites one real page of a real database (a table's root page, found in
the schema) the way a failing disk or a bad copy would, and checks the file is then
byte for byte what it was.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.errors import StoreError
from incidentkit.core.events import format_ts, utc_now
from incidentkit.core.store import Store, integrity


def make_database(folder: Path) -> tuple[Path, str]:
    """A database holding one incident with a few events, closed cleanly."""
    folder.mkdir(exist_ok=True)
    with open_store(folder) as store:
        incident = store.create_incident(tiny_playbook(), "Vendor breach", actor="ann").id
        ops.complete_step(store, incident_id=incident, step_id="confirm", actor="ann")
        ops.add_timeline_entry(store, incident_id=incident, title="Vendor called", actor="bob")
    return folder / "incidentkit.db", incident


def damage(path: Path, table: str, dest: Path | None = None) -> bytes:
    """Overwrite the root page of `table` with garbage, in place or into a copy at `dest`
    (a new file, as a bad copy makes); the damaged bytes."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    assert root > 1 and len(data) >= root * size
    data[(root - 1) * size:root * size] = b"\xa5" * size
    (dest or path).write_bytes(bytes(data))
    return bytes(data)


def one_line(info: pytest.ExceptionInfo[StoreError], *fragments: str) -> None:
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_opening_does_not_read_the_whole_file(tmp_path: Path) -> None:
    path, incident = make_database(tmp_path)
    damaged = damage(path, "events")
    with Store(path) as store:  # the header and the schema are sound: it opens
        assert [i.id for i in store.incidents()] == [incident]
    assert path.read_bytes() == damaged


def test_a_read_that_reaches_a_damaged_page_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    path, incident = make_database(tmp_path)
    damaged = damage(path, "events")
    with Store(path) as store:
        with pytest.raises(StoreError) as info:
            store.events(incident)
        one_line(info, str(path), "corrupt or unreadable", "it was left untouched")
        with pytest.raises(StoreError):
            store.verify(incident)
    assert path.read_bytes() == damaged


def test_a_damaged_copy_is_checked_in_full_and_refused_before_the_first_write(tmp_path: Path) -> None:
    path, incident = make_database(tmp_path / "original")
    copy = tmp_path / "copy" / "incidentkit.db"
    copy.parent.mkdir()
    # The snapshots table is one no append touches: only the full check can find it.
    damaged = damage(path, "snapshots", dest=copy)
    with Store(copy) as store:
        with pytest.raises(StoreError) as info:
            store.append(incident, ev.TIMELINE_ENTRY, actor="cy", payload={"title": "after the copy"})
        one_line(info, str(copy), "database is corrupt", "it was left untouched")
        with pytest.raises(StoreError, match="corrupt"):  # and again: the store stays refusing
            store.append(incident, ev.TIMELINE_ENTRY, actor="cy", payload={"title": "after the copy"})
    assert copy.read_bytes() == damaged


def test_a_write_that_reaches_a_damaged_page_changes_nothing(tmp_path: Path) -> None:
    # In place, within a day of the last full check: SQLite's own check of each page
    # it reads stops the write, and the write-ahead log keeps the file as it was.
    path, incident = make_database(tmp_path)
    damaged = damage(path, "events")
    with Store(path) as store:
        assert not integrity.due(store.conn, path)
        with pytest.raises(StoreError) as info:
            store.append(incident, ev.TIMELINE_ENTRY, actor="cy", payload={"title": "x"})
        one_line(info, "malformed")
    assert path.read_bytes() == damaged


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def test_the_full_check_runs_before_writing_once_a_day_per_file(tmp_path: Path) -> None:
    path, incident = make_database(tmp_path)  # a new database is recorded as checked
    with Store(path) as store:
        seen = _statements(store)
        store.append(incident, ev.TIMELINE_ENTRY, actor="cy", payload={"title": "same day"})
    assert not any("quick_check" in s for s in seen)

    stale = format_ts(utc_now() - integrity.CHECK_EVERY - timedelta(minutes=1))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE file_checks SET checked_at = ?", (stale,))
    conn.close()
    with Store(path) as store:
        seen = _statements(store)
        assert store.incidents()  # reading: no check
        assert not any("quick_check" in s for s in seen)
        store.append(incident, ev.TIMELINE_ENTRY, actor="cy", payload={"title": "next day"})
        store.append(incident, ev.TIMELINE_ENTRY, actor="cy", payload={"title": "again"})
        assert sum("quick_check" in s for s in seen) == 1
        assert not integrity.due(store.conn, path)

    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy2(path, moved / "incidentkit.db")  # another file: checked again
    with Store(moved / "incidentkit.db") as store:
        assert integrity.due(store.conn, moved / "incidentkit.db")
        seen = _statements(store)
        store.append(incident, ev.TIMELINE_ENTRY, actor="cy", payload={"title": "in the copy"})
        assert sum("quick_check" in s for s in seen) == 1


def test_a_check_recorded_in_the_future_is_not_trusted(tmp_path: Path) -> None:
    path, _incident = make_database(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE file_checks SET checked_at = ?", (format_ts(utc_now() + timedelta(days=3)),))
    conn.close()
    with Store(path) as store:
        assert integrity.due(store.conn, path)


def test_a_truncated_file_is_refused_at_once_and_left_untouched(tmp_path: Path) -> None:
    path, _incident = make_database(tmp_path)
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big")
    path.write_bytes(data[:-size])
    with pytest.raises(StoreError) as info:
        Store(path)
    one_line(info, "corrupt", "shorter than its header says")
    assert path.read_bytes() == data[:-size]
