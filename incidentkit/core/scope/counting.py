"""Counting the distinct people of one file: identifier -> keyed hash, location -> jurisdiction.

A person is their normalised identifier (an email trimmed and lower-cased, or a key
column trimmed); only its keyed hash is kept: BLAKE2b in its keyed mode (RFC 7693, the
MAC its designers made to stand in for HMAC) under the incident's 32-byte secret, 16
bytes long (no two of a few billion people collide). A person seen twice counts once,
where first located (a later row locates someone first seen without a usable location).

This is the import's cost (bench/bench_scope.py), so rows go through in chunks, each step
a `map` over the chunk that runs in C with no Python code per row: a per-row Python
loop was about as slow again. Locations are worked out once per distinct (country,
state, zip); the keyed hash state is made once and copied per row. Rows that need a
closer look (a rejected or unlocated one, a short or blank row, a cell that is not
text) send only their own chunk down a per-row path.
"""

from __future__ import annotations

import hashlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, filterfalse, repeat
from operator import itemgetter, not_
from typing import Any

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.scope.columns import ColumnMap
from incidentkit.core.scope.locations import UNKNOWN, Locator, cell_text
from incidentkit.core.scope.tables import MALFORMED

HASH_BYTES = 16
EXAMPLES_PER_REASON = 20       # report lines kept per reason; the rest are only counted
CHUNK_ROWS = 1 << 14           # rows per chunk, and between progress reports (cancellation checks)
LOCATION_FIELDS = ("country", "state", "zip")

NO_IDENTIFIER = "no identifier"
NOT_EMAIL = "not an email address"
MALFORMED_LINE = "malformed line"

LineFn = Callable[[int], int]
_STRIP, _LOWER, _ENCODE, _HAS = str.strip, str.lower, str.encode, str.__contains__


class ImportCancelled(IncidentKitError):
    """The caller cancelled the import; nothing was recorded."""

    def __init__(self) -> None:
        super().__init__("import cancelled; nothing was recorded")


class KeyedHasher:
    """Keyed BLAKE2b under `secret` (at most 64 bytes), HASH_BYTES long. HMAC-SHA256 was
    the first choice: it copies, feeds and finishes two SHA-256 states per row, which
    costs twice this, about half the import's 3x budget in bench_scope on its own."""

    SCHEME = "blake2b-128"

    def __init__(self, secret: bytes) -> None:
        self.base = hashlib.blake2b(key=secret, digest_size=HASH_BYTES)

    def digest(self, data: bytes) -> bytes:
        state = self.base.copy()
        state.update(data)
        return state.digest()

    def digests(self, values: list[bytes]) -> list[bytes]:
        """`digest` of each, every step mapped in C."""
        kind = type(self.base)
        states = list(map(kind.copy, repeat(self.base, len(values))))
        deque(map(kind.update, states, values), 0)
        return list(map(kind.digest, states))


@dataclass
class FileCount:
    """What one file gave: distinct people (hash -> jurisdiction) and what could not be used."""

    found: dict[bytes, str] = field(default_factory=dict)
    rows_read: int = 0             # rows with anything in them (malformed ones too)
    rows_rejected: int = 0         # not counted: no identifier, malformed
    rows_unlocated: int = 0        # counted as `unknown` (or a country without its state): a location not understood
    blank_rows: int = 0
    reasons: Counter[str] = field(default_factory=Counter)                  # reason -> rows
    examples: list[tuple[int, str, str, bool]] = field(default_factory=list)  # (line, reason, detail, rejected)

    @property
    def rows_counted(self) -> int:
        return self.rows_read - self.rows_rejected

    def note(self, line: int, reason: str, detail: str = "", *, rejected: bool) -> None:
        self.reasons[reason] += 1
        if rejected:
            self.rows_rejected += 1
        else:
            self.rows_unlocated += 1
        if self.reasons[reason] <= EXAMPLES_PER_REASON:
            self.examples.append((line, reason, detail, rejected))


def problem_lines(name: str, count: FileCount) -> Iterator[str]:
    """`file:line: rejected: reason` (or `counted without its location: reason ('value')`)
    for the first rows of each reason, then how many more. No identifier is ever shown."""
    for line, reason, detail, rejected in sorted(count.examples):
        outcome = "rejected" if rejected else "counted without its location"
        yield f"{name}:{line}: {outcome}: {reason}" + (f" ({detail})" if detail else "")
    for reason, n in count.reasons.most_common():
        if n > EXAMPLES_PER_REASON:
            yield f"{name}: ... and {n - EXAMPLES_PER_REASON:,} more rows: {reason}"


def _blank(row: Any) -> bool:
    cells = row.values() if isinstance(row, dict) else row
    return not any(cell_text(c).strip() for c in cells)


def _hashable(key: Any) -> Any:
    try:
        hash(key)
        return key
    except TypeError:  # a JSON list or object where a location belongs
        return tuple(map(cell_text, key)) if isinstance(key, tuple) else cell_text(key)


class _Counter:
    """The state of one count: which columns, the locations seen, the people found."""

    def __init__(self, columns: ColumnMap, hasher: KeyedHasher, locator: Locator) -> None:
        where = columns.where
        self.ident_at = where[columns.identifier]
        self.is_email = columns.identifier == "email"
        self.loc_fields = [f for f in LOCATION_FIELDS if f in where]
        self.loc_at = [where[f] for f in self.loc_fields]
        self.single = len(self.loc_at) == 1
        self.ident_get = itemgetter(self.ident_at)
        self.loc_get = itemgetter(*self.loc_at) if self.loc_at else (lambda row: ())
        self.hasher, self.locator = hasher, locator
        self.places: dict[Any, str] = {}
        self.problems: dict[Any, tuple[str, str]] = {}
        self.known: dict[bytes, str] = {}      # people with a location, where first located
        self.unlocated: set[bytes] = set()     # people seen in a row without a usable location
        self.result = FileCount()

    def place_of(self, key: Any) -> str:
        values = dict(zip(self.loc_fields, (key,) if self.single else key))
        place = self.locator.place(values.get("country", ""), values.get("state", ""), values.get("zip", ""))
        if place.problem:
            self.problems[key] = (place.problem, place.detail)
        self.places[key] = place.jurisdiction
        return place.jurisdiction

    def cells(self, rows: list[Any]) -> tuple[list[str], list[Any], list[int] | None]:
        """Identifiers (trimmed) and location keys of `rows`, and which rows they are
        (None: all of them, in order)."""
        try:
            idents = list(map(_STRIP, map(self.ident_get, rows)))
            return idents, list(map(self.loc_get, rows)), None
        except (IndexError, KeyError, TypeError):
            return self.cells_slowly(rows)

    def cells_slowly(self, rows: list[Any]) -> tuple[list[str], list[Any], list[int]]:
        idents: list[str] = []
        keys: list[Any] = []
        kept: list[int] = []
        spots = [self.ident_at, *self.loc_at]
        for i, row in enumerate(rows):
            if row is MALFORMED:  # kept, to be noted as rejected by `reject`
                ident, key = MALFORMED_LINE, ()
            elif not row:
                self.result.blank_rows += 1
                continue
            else:
                if isinstance(row, dict):
                    values = [row.get(s, "") for s in spots]
                else:
                    values = [row[s] if s < len(row) else "" for s in spots]
                ident = cell_text(values[0]).strip()
                key = () if not self.loc_at else _hashable(values[1] if self.single else tuple(values[1:]))
            idents.append(ident)
            keys.append(key)
            kept.append(i)
        return idents, keys, kept

    def chunk(self, rows: list[Any], line: LineFn) -> None:
        idents, keys, kept = self.cells(rows)
        if self.is_email:
            idents = list(map(_LOWER, idents))
        suspect = kept is not None and MALFORMED in rows
        if suspect or (not all(map(_HAS, idents, repeat("@"))) if self.is_email else "" in idents):
            idents, keys, kept = self.reject(rows, line, idents, keys, kept)
        places = self.places
        try:
            juris = list(map(places.get, keys))
        except TypeError:
            keys = list(map(_hashable, keys))
            juris = list(map(places.get, keys))
        if None in juris:
            juris = [places[k] if k in places else self.place_of(k) for k in keys]
        if self.problems and not self.problems.keys().isdisjoint(keys):
            for i, k in enumerate(keys):
                if k in self.problems:
                    self.result.note(line(kept[i] if kept is not None else i), *self.problems[k], rejected=False)
        try:
            hashes = self.hasher.digests(list(map(_ENCODE, idents)))
        except UnicodeEncodeError:  # a lone surrogate from a JSON escape: still a distinct identifier
            hashes = self.hasher.digests([i.encode("utf-8", "surrogatepass") for i in idents])
        self.merge(hashes, juris)

    def reject(self, rows: list[Any], line: LineFn, idents: list[str], keys: list[Any],
               kept: list[int] | None) -> tuple[list[str], list[Any], list[int]]:
        """Note the rows that cannot be counted and drop them (a blank row is only counted as one)."""
        where = kept if kept is not None else range(len(idents))
        keep = []
        for ident, i in zip(idents, where):
            row = rows[i]
            if row is MALFORMED:
                self.result.note(line(i), MALFORMED_LINE, rejected=True)
            elif not ident:
                if _blank(row):
                    self.result.blank_rows += 1
                else:
                    self.result.note(line(i), NO_IDENTIFIER, rejected=True)
            elif self.is_email and "@" not in ident:
                self.result.note(line(i), NOT_EMAIL, rejected=True)
            else:
                keep.append(True)
                continue
            keep.append(False)
        return (list(compress(idents, keep)), list(compress(keys, keep)), list(compress(where, keep)))

    def merge(self, hashes: list[bytes], juris: list[str]) -> None:
        """Add a chunk's people: the first located row of each person places them."""
        located = list(map(UNKNOWN.__ne__, juris))
        if all(located):
            first = dict(zip(reversed(hashes), reversed(juris)))
        else:
            first = dict(zip(reversed(list(compress(hashes, located))), reversed(list(compress(juris, located)))))
            self.unlocated.update(compress(hashes, map(not_, located)))
        known = self.known
        # Not `first.keys() - known.keys()`: that walks all of `known` for every chunk.
        new = list(filterfalse(known.__contains__, first))
        known.update(zip(new, map(first.__getitem__, new)))

    def finish(self, rows_seen: int) -> FileCount:
        result = self.result
        result.rows_read = rows_seen - result.blank_rows
        found = self.known
        found.update(dict.fromkeys(filterfalse(found.__contains__, self.unlocated), UNKNOWN))
        self.unlocated = set()
        result.found = found
        return result


def count_rows(chunks: Iterable[tuple[list[Any], LineFn]], columns: ColumnMap, hasher: KeyedHasher,
               locator: Locator, *, tick: Callable[[], bool] | None = None) -> FileCount:
    """Count the distinct people of `chunks` (lists of rows, each with the line of its
    i-th row). `tick()` is called after each chunk; False cancels (ImportCancelled)."""
    counter = _Counter(columns, hasher, locator)
    seen = 0
    for rows, line in chunks:
        seen += len(rows)
        counter.chunk(rows, line)
        if tick is not None and tick() is False:
            raise ImportCancelled()
    return counter.finish(seen)
