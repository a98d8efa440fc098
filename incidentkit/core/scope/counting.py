"""Counting the distinct people of one file: identifier -> keyed hash, location -> jurisdiction.

A person is their normalised identifier (an email trimmed and lower-cased, or a key
column trimmed); only its keyed hash is kept: BLAKE2b in its keyed mode (RFC 7693, the
MAC its designers made to stand in for HMAC) under the incident's 32-byte secret, 16
bytes long (no two of a few billion people collide). A person seen twice counts once,
where first located (a later row locates someone first seen without a usable location);
one seen at two different known locations is kept in `conflicted`, so that the import
can say how many such people there are (never who).

This loop is the import's cost (bench/bench_scope.py): per row, a dict lookup for its
place (worked out once per distinct country, state and zip), the keyed hash (its state
made once and copied per row) and a dict insert. Rows that need a closer look (short,
blank, malformed, a cell that is not text) take a slower path of their own.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
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


class ImportCancelled(IncidentKitError):
    """The caller cancelled the import; nothing was recorded."""

    def __init__(self) -> None:
        super().__init__("import cancelled; nothing was recorded")


class KeyedHasher:
    """Keyed BLAKE2b under `secret` (at most 64 bytes), HASH_BYTES long. HMAC-SHA256 was
    the first choice: it copies, feeds and finishes two SHA-256 states per row, which
    costs twice this, about half the import's 3x budget in bench_scope on its own."""

    def __init__(self, secret: bytes) -> None:
        self.base = hashlib.blake2b(key=secret, digest_size=HASH_BYTES)

    def digest(self, data: bytes) -> bytes:
        state = self.base.copy()
        state.update(data)
        return state.digest()


@dataclass
class FileCount:
    """What one file gave: distinct people (hash -> jurisdiction) and what could not be used."""

    found: dict[bytes, str] = field(default_factory=dict)
    conflicted: set[bytes] = field(default_factory=set)  # people whose rows give two known locations
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
        self.loc_get = itemgetter(*self.loc_at) if self.loc_at else (lambda row: ())
        self.hasher, self.locator = hasher, locator
        self.places: dict[Any, str] = {}
        self.problems: dict[Any, tuple[str, str]] = {}
        self.result = FileCount()

    def place_of(self, key: Any) -> str:
        key = _hashable(key)
        if key in self.places:
            return self.places[key]
        values = dict(zip(self.loc_fields, (key,) if self.single else key))
        place = self.locator.place(values.get("country", ""), values.get("state", ""), values.get("zip", ""))
        if place.problem:
            self.problems[key] = (place.problem, place.detail)
        self.places[key] = place.jurisdiction
        return place.jurisdiction

    def cells(self, row: Any) -> tuple[str, Any] | None:
        """The identifier (trimmed) and location key of a row the fast path could not read:
        a malformed line, a blank or short row, a JSON object missing keys, a cell that is
        not text. None for a row to skip (counted as blank, or noted as rejected)."""
        if row is MALFORMED:
            return MALFORMED_LINE, ()
        if not row:
            self.result.blank_rows += 1
            return None
        spots = [self.ident_at, *self.loc_at]
        if isinstance(row, dict):
            values = [row.get(s, "") for s in spots]
        else:
            values = [row[s] if s < len(row) else "" for s in spots]
        key = () if not self.loc_at else _hashable(values[1] if self.single else tuple(values[1:]))
        return cell_text(values[0]).strip(), key

    def count(self, chunks: Iterable[tuple[list[Any], LineFn]], tick: Callable[[], bool] | None) -> FileCount:
        """One loop over every row, with everything in locals: a row costs its cells, a
        dict lookup for its place, the keyed hash and a dict insert. (Mapping each step over
        a whole chunk in C instead measured slower: it walks the chunk's memory once per step.)"""
        result = self.result
        found = result.found
        setdefault = found.setdefault
        conflicted = result.conflicted
        places, problems, note = self.places, self.problems, result.note
        ident_at, loc_get, is_email = self.ident_at, self.loc_get, self.is_email
        new_state = self.hasher.base.copy
        unknown = UNKNOWN
        seen = 0
        for rows, line in chunks:
            seen += len(rows)
            for i, row in enumerate(rows):
                try:
                    ident = row[ident_at].strip()
                    key = loc_get(row)
                except (IndexError, KeyError, TypeError, AttributeError):
                    cells = self.cells(row)
                    if cells is None:
                        continue
                    if row is MALFORMED:
                        note(line(i), MALFORMED_LINE, rejected=True)
                        continue
                    ident, key = cells
                try:
                    j = places[key]
                except (KeyError, TypeError):
                    j = self.place_of(key)
                    key = _hashable(key)
                if is_email:
                    ident = ident.lower()
                    usable = "@" in ident
                else:
                    usable = bool(ident)
                if not usable:
                    if not ident and _blank(row):
                        result.blank_rows += 1
                    else:
                        note(line(i), NOT_EMAIL if ident else NO_IDENTIFIER, rejected=True)
                    continue
                if problems and key in problems:
                    note(line(i), *problems[key], rejected=False)
                state = new_state()
                try:
                    state.update(ident.encode())
                except UnicodeEncodeError:  # a lone surrogate from a JSON escape: still a distinct identifier
                    state.update(ident.encode("utf-8", "surrogatepass"))
                h = state.digest()
                prev = setdefault(h, j)  # places are interned: `is` compares them
                if prev is not j:
                    if prev is unknown:
                        found[h] = j  # first seen without a usable location, located now
                    elif j is not unknown:
                        conflicted.add(h)  # counted where first located; the import reports how many
            if tick is not None and tick() is False:
                raise ImportCancelled()
        result.rows_read = seen - result.blank_rows
        return result


def count_rows(chunks: Iterable[tuple[list[Any], LineFn]], columns: ColumnMap, hasher: KeyedHasher,
               locator: Locator, *, tick: Callable[[], bool] | None = None) -> FileCount:
    """Count the distinct people of `chunks` (lists of rows, each with the line of its
    i-th row). `tick()` is called after each chunk; False cancels (ImportCancelled)."""
    return _Counter(columns, hasher, locator).count(chunks, tick)
