"""How a database file is opened: for writing, for reading, or read-only; and never made by mistake.

- A command that writes opens the file read-write and makes it (with its folder's
  subfolders made by the caller) when there is none.
- A command that reads never makes a file: where there is none it says so. It opens the
  file read-write when it may (so an older schema is upgraded as usual), and read-only
  when the file or its folder is write-protected: an auditor's copy, a read-only mount.
- Read-only means SQLite's `mode=ro` (or `immutable` when not even the log's index can
  be made; see `database.connect_read_only`): nothing this process does can change the
  file, and any write is refused with one line before it is tried.

Whether a file is write-protected is the operating system's answer (`os.access`): for
root on a writable disk it is writable, since root can write it.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from incidentkit.core.errors import StoreError
from incidentkit.core.store import database


@dataclass
class Opened:
    conn: sqlite3.Connection
    read_only: bool
    created: bool = False  # this process made the database
    backup: Path | None = None  # the copy taken before this process upgraded it
    why_read_only: str = ""  # for the line a refused write prints


def write_protection(path: Path) -> str | None:
    """Why the database at `path` cannot be written here, or None when it can."""
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is write-protected"
    if not path.parent.is_dir():
        return "its folder does not exist"
    if not os.access(path.parent, os.W_OK):
        return "its folder is write-protected"
    return None


def open_database(path: Path, *, backups_dir: Path, read_only: bool | None, create: bool) -> Opened:
    """Open `path`: read-only when `read_only` is True, or when it is None and the file is
    there and write-protected; made when missing only when `create` (and not read-only)."""
    existed = database.has_data(path)
    protected = write_protection(path)
    if read_only is None:
        read_only = existed and protected is not None
    if not existed and (read_only or not create):
        raise StoreError(f"no IncidentKit database in {path.parent}")
    if read_only:
        return _open_read_only(path, protected or "opened read-only")
    if protected:
        if existed:
            raise StoreError(f"{path}: {protected}, so this command, which changes the database, cannot run; "
                             "commands that only read it work")
        raise StoreError(f"cannot create a database in {path.parent}: {protected.removeprefix('its ')}")
    if existed:
        # Recognised through a connection that cannot write: refusing a file never touches
        # it, not even by completing a write-ahead log left beside it.
        probe = _read_only_connection(path)
        try:
            version = database.check_identity(probe, path)
        finally:
            probe.close()
        _refuse_newer(version, path)
    return _open_read_write(path, backups_dir, existed)


def _refuse_newer(version: int, path: Path) -> None:
    if version > database.SCHEMA_VERSION:
        from incidentkit.core.store.migrations import refuse_newer

        refuse_newer(version, path)


def _read_only_connection(path: Path) -> sqlite3.Connection:
    conn = database.connect_read_only(path)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _open_read_only(path: Path, why: str) -> Opened:
    conn = database.connect_read_only(path)
    try:
        version = database.check_identity(conn, path)
        _refuse_newer(version, path)
        if version < database.SCHEMA_VERSION:
            from incidentkit.core.store.migrations import read_as_current

            read_as_current(conn, version)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return Opened(conn, read_only=True, why_read_only=why)


def _open_read_write(path: Path, backups_dir: Path, existed: bool) -> Opened:
    conn = database.connect(path)
    try:
        version = database.check_identity(conn, path)  # again: another process may have made it meanwhile
        _refuse_newer(version, path)
        database.configure_connection(conn)
        opened = Opened(conn, read_only=False)
        if version != database.SCHEMA_VERSION:
            from incidentkit.core.store.migrations import migrate

            done = migrate(database.wrap(conn), existed=existed, path=path, backups_dir=backups_dir)
            opened.backup, opened.created = done.backup, done.from_version == 0
    except BaseException:
        conn.close()
        raise
    return opened
