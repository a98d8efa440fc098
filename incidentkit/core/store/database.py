"""Opening the SQLite file safely: recognise it, configure the connection, run write transactions.

Order matters: a file is inspected (SQLite header, application id, schema version)
before anything that could write to it, such as switching it to WAL, so a foreign,
corrupt or too-new file is refused byte-for-byte untouched.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from incidentkit.core.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

# "IKIT": marks a file as an IncidentKit database (PRAGMA application_id).
APPLICATION_ID = 0x494B4954
# The length of the migration chain (migrations.py; a test checks they agree). Each
# migration sets PRAGMA user_version to its position, so a file at this version needs
# none and opens without loading sqlite-utils at all.
SCHEMA_VERSION = 3
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0

T = TypeVar("T")


def _inspect_header(path: Path) -> bool:
    """True when `path` holds data; StoreError when that data is not an SQLite database."""
    if not path.exists():
        return False
    if not path.is_file():
        raise StoreError(f"{path}: not a file")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from exc
    if not head:
        return False
    if head != SQLITE_HEADER:
        raise StoreError(f"{path}: not an IncidentKit database (not an SQLite file); it was left untouched")
    return True


def connect(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A raw connection to `path` in autocommit mode, and whether the file already held data.

    No pragma that writes is issued here; `configure` does that once the file is accepted.
    """
    existed = _inspect_header(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from exc
    return conn, existed


@contextmanager
def reading(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: the statements inside see the same snapshot of the database."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def _read_identity(conn: sqlite3.Connection) -> tuple[list[str], int, int, str]:
    # One read transaction, so a process creating the file meanwhile is seen all or nothing.
    with reading(conn):
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        problem = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    return tables, app_id, version, problem


def check_identity(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version (0 for a blank database); StoreError for a foreign or corrupt file."""
    try:
        tables, app_id, version, problem = _retrying(lambda: _read_identity(conn))
    except sqlite3.DatabaseError as exc:
        detail = " ".join(str(exc).split())
        raise StoreError(f"{path}: database is corrupt or unreadable ({detail}); it was left untouched") from exc
    if problem != "ok":
        detail = " ".join(str(problem).split())
        raise StoreError(f"{path}: database is corrupt ({detail}); it was left untouched")
    if app_id != APPLICATION_ID and (tables or version):
        raise StoreError(
            f"{path}: not an IncidentKit database (it holds other tables); it was left untouched"
        )
    return version


def wrap(conn: sqlite3.Connection) -> Database:
    """The sqlite-utils view of a configured connection (imported on first use: it is slow to load)."""
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


def configure_connection(conn: sqlite3.Connection) -> None:
    """Durability settings every IncidentKit connection uses: WAL, synchronous=FULL, foreign keys."""
    # Switching the journal mode needs an exclusive lock and fails at once, without the
    # busy handler, while another process opens or migrates the same new file: retry.
    mode = _retrying(lambda: conn.execute("PRAGMA journal_mode=WAL").fetchone()[0])
    if str(mode).lower() != "wal":
        raise StoreError(f"cannot switch the database to WAL journal mode (got {mode!r})")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")


# Failures of the machine, not of IncidentKit: reported as one line, not a traceback.
_ENVIRONMENT_ERRORS = ("disk is full", "readonly database", "disk i/o error", "unable to open")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction taken with BEGIN IMMEDIATE.

    `Database.atomic()` begins DEFERRED; a deferred reader that later writes while another
    process holds the write lock fails at once with SQLITE_BUSY (the busy handler cannot
    help it). Taking the write lock up front makes two processes queue instead.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _retrying(work: Callable[[], T]) -> T:
    """Run `work`, retrying with a growing pause while another process holds a lock it needs.

    Some statements fail at once when locked (switching the journal mode); others first
    wait in SQLite's busy handler for BUSY_TIMEOUT_S. Either way the whole wait is bounded
    by BUSY_TIMEOUT_S: retrying a statement that has already waited that long would only
    keep the user waiting for the same error.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    attempt = 0
    while True:
        try:
            return work()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                if any(cause in str(exc).lower() for cause in _ENVIRONMENT_ERRORS):
                    raise StoreError(f"cannot write to the database: {exc}") from exc
                raise
            attempt += 1
            if time.monotonic() >= deadline:
                raise StoreError("the database stayed busy: another IncidentKit is writing; try again") from exc
            time.sleep(min(0.05 * attempt, 0.5))


def write_retrying(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` inside `immediate`, retrying a few times when another writer keeps the lock."""

    def attempt() -> T:
        with immediate(conn):
            return work(conn)

    try:
        return _retrying(attempt)
    except UnicodeEncodeError as exc:
        # A str that cannot be UTF-8 (an unpaired surrogate, which is what Python makes of a
        # command-line argument in another encoding) fails when hashed or bound; the
        # transaction was rolled back.
        bad = exc.object[exc.start:exc.end]
        raise StoreError(f"cannot record text that is not valid Unicode (character {ascii(bad)}; "
                         "is the terminal's encoding UTF-8?)") from None
