"""Files that are not IncidentKit databases are refused with one clear line and never overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from incident_helpers import open_store

from incidentkit.core.errors import StoreError
from incidentkit.core.store import Store


def refused_untouched(path: Path, match: str) -> None:
    before = path.read_bytes()
    with pytest.raises(StoreError, match=match) as info:
        Store(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before
    assert not (path.parent / "backups").exists()


def test_a_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "incidentkit.db"
    path.write_text("these are my notes, not a database\n")
    refused_untouched(path, "not an IncidentKit database \\(not an SQLite file\\); it was left untouched")


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "incidentkit.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
        conn.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    conn.close()
    refused_untouched(path, "not an IncidentKit database \\(it holds other tables\\)")


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "incidentkit.db").mkdir()
    with pytest.raises(StoreError, match="not a file"):
        Store(tmp_path / "incidentkit.db")


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    (tmp_path / "incidentkit.db").touch()
    with open_store(tmp_path) as store:
        assert store.incidents() == []
