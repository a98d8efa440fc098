"""The people already counted for an incident: its secret key and their keyed hashes.

Two tables (migration m003): `scope_keys` (per incident: a random 32-byte secret and a
public `key_id` the import events name) and `scope_hashes` (the 16-byte keyed hashes of
the people counted so far, packed per jurisdiction into rows of up to CHUNK hashes; a
person located later has a second row under the new jurisdiction, and a located row
wins over an `unknown` one). Neither is exported: an incident imported from a JSON
export has its counts (they are events) but no hashes, so its next scope import starts
a new key, and the profile says people may then be counted twice (`may_double_count`).

Every function takes the connection of the caller's transaction: `settle` runs inside
the import's write transaction, so two imports at once cannot both count someone.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from incidentkit.core.errors import StateError
from incidentkit.core.events import format_ts, utc_now
from incidentkit.core.scope.counting import HASH_BYTES
from incidentkit.core.scope.locations import UNKNOWN

CHUNK = 1 << 16          # hashes per stored row (1 MiB)
SECRET_BYTES = 32
_COUNTED: str = "counted before"  # marks, in a file's `found`, a person a stored row already places


@dataclass(frozen=True)
class Key:
    key_id: str
    secret: bytes
    stored: bool             # False for a key made for an incident that has none yet


@dataclass
class Delta:
    """What a file adds to the people counted so far."""

    added: Counter[str] = field(default_factory=Counter)      # jurisdiction -> new people
    located: Counter[str] = field(default_factory=Counter)    # jurisdiction -> people `unknown` so far
    rows: dict[str, list[bytes]] = field(default_factory=dict)  # jurisdiction -> hashes to store

    @property
    def people_added(self) -> int:
        return sum(self.added.values())


def key_for(conn: sqlite3.Connection, incident_id: str) -> Key:
    """The incident's key, or a new one (not yet stored) when it has none."""
    row = conn.execute("SELECT key_id, secret FROM scope_keys WHERE incident_id = ?", (incident_id,)).fetchone()
    if row is not None:
        return Key(row[0], bytes(row[1]), True)
    return Key(secrets.token_hex(8), secrets.token_bytes(SECRET_BYTES), False)


def _store_key(conn: sqlite3.Connection, incident_id: str, key: Key) -> None:
    current = conn.execute("SELECT key_id FROM scope_keys WHERE incident_id = ?", (incident_id,)).fetchone()
    if current is None:
        conn.execute("INSERT INTO scope_keys (incident_id, key_id, secret, created_at) VALUES (?, ?, ?, ?)",
                     (incident_id, key.key_id, key.secret, format_ts(utc_now())))
    elif current[0] != key.key_id:
        # Another import of this incident stored its key first: our hashes do not compare.
        raise StateError("another scope import of this incident finished first; import the file again")


def _pieces(blob: bytes) -> list[bytes]:
    return [blob[i:i + HASH_BYTES] for i in range(0, len(blob), HASH_BYTES)]


def compare(conn: sqlite3.Connection, key: Key, found: dict[bytes, str]) -> Delta:
    """Who of `found` (hash -> jurisdiction) is new, and who is now located; read from the
    stored rows one at a time, so memory holds one file's people. People a located row
    already holds are marked in `found` (a value swap, no memory), so calling this again
    on the same `found`, as a retried transaction does, gives the same answer."""
    delta = Delta()
    was_unknown: set[bytes] = set()
    if key.stored:
        cursor = conn.execute("SELECT jurisdiction, hashes FROM scope_hashes WHERE key_id = ? ORDER BY id",
                              (key.key_id,))
        for jurisdiction, blob in cursor:
            hits = found.keys() & _pieces(bytes(blob))
            if jurisdiction == UNKNOWN:
                was_unknown |= hits
            else:
                for h in hits:
                    found[h] = _COUNTED
    rows: dict[str, list[bytes]] = {}
    for h, j in found.items():
        if j is _COUNTED:
            continue
        if h in was_unknown:
            if j is UNKNOWN:
                continue
            delta.located[j] += 1
        else:
            delta.added[j] += 1
        rows.setdefault(j, []).append(h)
    delta.rows = rows
    return delta


def settle(conn: sqlite3.Connection, incident_id: str, key: Key, found: dict[bytes, str]) -> Delta:
    """Inside the import's write transaction: compare, then store the key and the new hashes."""
    _store_key(conn, incident_id, key)
    delta = compare(conn, key, found)
    insert = "INSERT INTO scope_hashes (key_id, jurisdiction, hashes) VALUES (?, ?, ?)"
    for jurisdiction, hashes in sorted(delta.rows.items()):
        for start in range(0, len(hashes), CHUNK):
            conn.execute(insert, (key.key_id, jurisdiction, b"".join(hashes[start:start + CHUNK])))
    return delta


def stored_people(conn: sqlite3.Connection, incident_id: str) -> int:
    """How many distinct people the incident's stored hashes hold (for checks and tests)."""
    row = conn.execute("SELECT key_id FROM scope_keys WHERE incident_id = ?", (incident_id,)).fetchone()
    if row is None:
        return 0
    seen: set[bytes] = set()
    for (blob,) in conn.execute("SELECT hashes FROM scope_hashes WHERE key_id = ?", (row[0],)):
        seen.update(_pieces(bytes(blob)))
    return len(seen)
