"""When the whole file is checked: before writing to it, once a day per file, and before migrating.

Opening a file reads only its header and schema (`database.check_identity`): a foreign,
truncated or too-new file is refused there, untouched. Reading needs no more: SQLite
checks each page it reads, and a damaged one becomes a one-line `StoreError` naming the
file (`database.read_failure`); a read never writes. What a full `PRAGMA quick_check`
(about 1.3 ms per MB) protects is the file's other pages from a write: a write into a
damaged file can spread the damage (a broken free-page list hands out pages still in
use). So the check runs before the first write of a process when the last passed check
recorded in the file (`file_checks`) is older than `CHECK_EVERY`, or was made on another
file (a copy, a restored backup: the file's device and inode differ), or lies in the
future; and always before a migration. A new database is recorded as checked when made.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import timedelta
from pathlib import Path

from incidentkit.core.events import format_ts, parse_ts, utc_now
from incidentkit.core.store import database

CHECK_EVERY = timedelta(days=1)
# A record a little ahead of this clock is another machine's clock, not a reason to check.
CLOCK_SKEW = timedelta(minutes=10)


def file_id(path: Path) -> str:
    """The file's identity on this machine: a copy of it, or a file put in its place, has another."""
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}"


def due(conn: sqlite3.Connection, path: Path) -> bool:
    """Whether the whole file must be checked before this process writes to it."""
    try:
        row = conn.execute("SELECT checked_at, file_id FROM file_checks WHERE id = 1").fetchone()
    except sqlite3.DatabaseError as exc:
        raise database.read_failure(path, exc) from exc
    if row is None or row[1] != file_id(path):
        return True
    try:
        checked_at = parse_ts(row[0])
    except (TypeError, ValueError):
        return True
    now = utc_now()
    return not now - CHECK_EVERY < checked_at <= now + CLOCK_SKEW


def check(conn: sqlite3.Connection, path: Path) -> None:
    """Check every page of the file and record that it passed; StoreError (nothing written) when it did not."""
    database.quick_check(conn, path)
    record(conn, path)


def record(conn: sqlite3.Connection, path: Path) -> None:
    """Note in the file that it passed a full check now (a new database passes by construction)."""
    stamp, identity = format_ts(utc_now()), file_id(path)

    def work(c: sqlite3.Connection) -> None:
        c.execute("INSERT OR REPLACE INTO file_checks (id, checked_at, file_id) VALUES (1, ?, ?)", (stamp, identity))

    database.write_retrying(conn, work)


def before_first_write(conn: sqlite3.Connection, path: Path) -> None:
    """Run the full check when it is due (see the module's docstring)."""
    if due(conn, path):
        check(conn, path)
