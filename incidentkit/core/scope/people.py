"""The people already counted for an incident: its secret key and their keyed hashes.

Two tables (migration m003): `scope_keys` (per incident: a random 32-byte secret and a
public `key_id` the import events name) and `scope_hashes` (the 16-byte keyed hashes of
the people counted so far, packed into rows of up to CHUNK hashes, each row with its
jurisdiction codes and, per hash, the index of its code as a 16-bit number; a person
located later appears again in a later row, and a located row wins over an `unknown`
one). Neither is exported: an incident imported from a JSON
export has its counts (they are events) but no hashes, so its next scope import starts
a new key, and the profile says people may then be counted twice (`may_double_count`).

Every function takes the connection of the caller's transaction: `settle` runs inside
the import's write transaction, so two imports at once cannot both count someone.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress
from operator import countOf

from incidentkit.core.errors import StateError
from incidentkit.core.events import format_ts, utc_now
from incidentkit.core.scope.counting import HASH_BYTES
from incidentkit.core.scope.locations import UNKNOWN

CHUNK = 1 << 16          # hashes per stored row (1 MiB)
SECRET_BYTES = 32
_COUNTED: str = "counted before"  # marks, in a file's `found`, a person a stored row already places
_ELSEWHERE: str = "counted before elsewhere"  # ... where this file does not (a known location of its own)


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
    fresh: dict[bytes, str] = field(default_factory=dict)     # the hashes to store, with their places
    elsewhere: set[bytes] = field(default_factory=set)        # people counted before in another known place

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
    ends = range(HASH_BYTES, len(blob) + HASH_BYTES, HASH_BYTES)
    return list(map(blob.__getitem__, map(slice, range(0, len(blob), HASH_BYTES), ends)))


def _unknown_pieces(codes: list[str], places: bytes, pieces: list[bytes]) -> set[bytes]:
    """The hashes of a stored row whose person was counted as `unknown`."""
    if UNKNOWN not in codes:
        return set()
    where = array("H")
    where.frombytes(places)
    return set(compress(pieces, map(codes.index(UNKNOWN).__eq__, where)))


def _mark_counted(found: dict[bytes, str], hits: set[bytes], codes: list[str], places: bytes,
                  pieces: list[bytes]) -> set[bytes]:
    """Mark the people of `hits` (a stored row places each) as counted, and return those whom
    this file places somewhere else it knows. The marks keep that answer for a second call."""
    elsewhere = {h for h in hits if found[h] is _ELSEWHERE}
    news = [h for h in hits if found[h] not in (_COUNTED, _ELSEWHERE, UNKNOWN)]
    if news:
        where = array("H")
        where.frombytes(places)
        stored = dict(zip(pieces, where)) if len(news) > 8 else {h: where[pieces.index(h)] for h in news}
        elsewhere.update(h for h in news if codes[stored[h]] != found[h])
    found.update(dict.fromkeys(hits - elsewhere, _COUNTED))
    found.update(dict.fromkeys(elsewhere, _ELSEWHERE))
    return elsewhere


def _seen_file(conn: sqlite3.Connection, key: Key, sha256: str) -> bool:
    """Whether a file with these bytes already added people under this key."""
    return conn.execute("SELECT 1 FROM scope_hashes WHERE key_id = ? AND sha256 = ? LIMIT 1",
                        (key.key_id, sha256)).fetchone() is not None


def compare(conn: sqlite3.Connection, key: Key, found: dict[bytes, str], sha256: str = "") -> Delta:
    """Who of `found` (hash -> jurisdiction) is new, and who is now located; read from the
    stored rows one at a time, so memory holds one file's people. People a located row
    already holds are marked in `found` (a value swap, no memory), so calling this again
    on the same `found`, as a retried transaction does, gives the same answer. Those the
    file places at another known location (`elsewhere`) stay where they were counted.

    The same file again (its sha256 added people before) adds no one and locates no one:
    its people were counted then, where it put them, and nothing since unlocates anyone."""
    was_unknown: set[bytes] = set()
    elsewhere: set[bytes] = set()
    marked = False
    if key.stored and sha256 and _seen_file(conn, key, sha256):
        return Delta()
    if key.stored:
        cursor = conn.execute("SELECT codes, places, hashes FROM scope_hashes WHERE key_id = ? ORDER BY id",
                              (key.key_id,))
        for codes_json, places, blob in cursor:
            pieces = _pieces(bytes(blob))
            hits = found.keys() & pieces
            if not hits:
                continue
            codes = json.loads(codes_json)
            unknown = _unknown_pieces(codes, bytes(places), pieces)
            was_unknown |= hits & unknown
            elsewhere |= _mark_counted(found, hits - unknown, codes, bytes(places), pieces)
            marked = True
    if not marked and not was_unknown:
        fresh = found  # nobody counted before: the whole file is new (a million people, no loop)
    elif not was_unknown and countOf(found.values(), _COUNTED) + len(elsewhere) == len(found):
        fresh = {}  # everyone counted before: the same file again
    else:
        fresh = {h: j for h, j in found.items()
                 if j is not _COUNTED and j is not _ELSEWHERE and not (j is UNKNOWN and h in was_unknown)}
    delta = Delta(added=Counter(fresh.values()), fresh=fresh, elsewhere=elsewhere)
    if was_unknown:
        delta.located.update(fresh[h] for h in was_unknown if h in fresh)
        delta.added.subtract(delta.located)
        delta.added = Counter({j: n for j, n in delta.added.items() if n > 0})
    return delta


def settle(conn: sqlite3.Connection, incident_id: str, key: Key, found: dict[bytes, str], sha256: str) -> Delta:
    """Inside the import's write transaction: compare, then store the key and the new
    hashes, CHUNK to a row: the hashes packed, and for each its place in the row's codes;
    each row names the file (`sha256`) that added them."""
    _store_key(conn, incident_id, key)
    delta = compare(conn, key, found, sha256)
    hashes, places = list(delta.fresh), list(delta.fresh.values())
    insert = "INSERT INTO scope_hashes (key_id, codes, places, hashes, sha256) VALUES (?, ?, ?, ?, ?)"
    for start in range(0, len(hashes), CHUNK):
        codes = sorted(set(places[start:start + CHUNK]))
        index = {code: i for i, code in enumerate(codes)}
        where = array("H", map(index.__getitem__, places[start:start + CHUNK]))
        conn.execute(insert, (key.key_id, json.dumps(codes), where.tobytes(), b"".join(hashes[start:start + CHUNK]),
                              sha256))
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
