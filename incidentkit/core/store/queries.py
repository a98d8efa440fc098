"""Row-level helpers for the store: decoding event rows, id prefixes, checking the hash chain."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from incidentkit.core.errors import NotFoundError, StoreError
from incidentkit.core.events import GENESIS_HASH, Event, canonical_json, chain_hash

EVENT_COLUMNS = "id, incident_id, seq, kind, step_id, actor, occurred_at, recorded_at, payload, prev_hash, hash"
_HEX = frozenset("0123456789abcdef")


_new = object.__new__
_loads = json.loads


def _make(row: tuple[Any, ...], payload: Any) -> Event:
    # Filling `__dict__` directly skips the frozen dataclass's per-field object.__setattr__;
    # the object is identical to one built by Event(...).
    event = _new(Event)
    event.__dict__.update(
        id=row[0], incident_id=row[1], seq=row[2], kind=row[3], step_id=row[4], actor=row[5],
        occurred_at=row[6], recorded_at=row[7], payload=payload, prev_hash=row[9], hash=row[10],
    )
    return event


def event_rows(events: Iterable[Event]) -> list[tuple[Any, ...]]:
    """Rows in `EVENT_COLUMNS` order (the payload as canonical JSON) for `events`."""
    return [(e.id, e.incident_id, e.seq, e.kind, e.step_id, e.actor, e.occurred_at, e.recorded_at,
             canonical_json(e.payload), e.prev_hash, e.hash) for e in events]


def row_to_event(row: tuple[Any, ...]) -> Event:
    """An `Event` from a row selected with `EVENT_COLUMNS`; JSONDecodeError for a corrupt payload."""
    return _make(row, _loads(row[8]))


def rows_to_events(rows: list[tuple[Any, ...]]) -> list[Event]:
    """Events from rows selected with `EVENT_COLUMNS`: the projection's hot path.

    One json.loads over all payloads joined into an array is much faster than one call
    per row; a payload that is not one JSON value makes the count differ, and
    then each row is decoded alone so the bad one is named.
    """
    try:
        payloads = _loads("[" + ",".join([r[8] for r in rows]) + "]")
    except json.JSONDecodeError:
        payloads = None
    if payloads is None or len(payloads) != len(rows) or not all(type(p) is dict for p in payloads):
        payloads = []
        for row in rows:
            try:
                payload = _loads(row[8])
            except json.JSONDecodeError:
                payload = None
            if type(payload) is not dict:
                raise StoreError(f"event seq {row[2]} ({row[0]}) has a corrupt payload: run `incidentkit verify`")
            payloads.append(payload)
    return [_make(row, payload) for row, payload in zip(rows, payloads)]


def deciding_groups_query(always: Sequence[str]) -> str:
    """SQL summarising incident `?1`'s log in one pass: a row per (step, kind) with its latest
    seq, its number of events, and, for the `always` kinds (bound as ?2, ?3, ...), every seq.

    Grouped in the order of the events_by_step_kind index, the pass reads that index alone
    (no table rows, no sort); `deciding_seqs` picks the deciding events from the summary.
    """
    marks = ", ".join(f"?{i + 2}" for i in range(len(always)))
    return ("SELECT step_id, kind, max(seq), count(*),"
            f" group_concat(CASE WHEN kind IN ({marks}) THEN seq END)"
            " FROM events WHERE incident_id = ?1 GROUP BY step_id, kind")


def deciding_seqs(groups: Iterable[tuple[Any, ...]], group_of: Mapping[str, int]) -> tuple[list[int], int]:
    """The seqs of the deciding events from `deciding_groups_query`'s rows, in order,
    and the log's length: per step the latest of each group of kinds, every `always` event,
    and the latest event of all. `group_of` maps a step event's kind to its group."""
    latest: dict[tuple[str | None, int], int] = {}
    kept: set[int] = set()
    count = last = 0
    for step_id, kind, top, n, always in groups:
        count, last = count + n, max(last, top)
        if always:
            kept.update(int(seq) for seq in always.split(","))
        elif kind in group_of:
            key = (step_id, group_of[kind])
            latest[key] = max(latest.get(key, 0), top)
    kept.update(latest.values())
    if count:
        kept.add(last)
    return sorted(kept), count


def find_by_prefix(
    conn: sqlite3.Connection,
    table: str,
    column: str,
    prefix: str,
    *,
    noun: str,
    where: tuple[str, Any] | None = None,
) -> str:
    """The one id in `table.column` starting with `prefix`, as git resolves abbreviated hashes."""
    wanted = prefix.strip().lower()
    if not wanted or not set(wanted) <= _HEX:
        raise NotFoundError(f"no {noun} matches {prefix!r}")
    # A range on the primary key uses its index; LIKE would scan the table.
    sql = f"SELECT {column} FROM {table} WHERE {column} >= ? AND {column} < ?"
    params: list[Any] = [wanted, wanted + "~"]
    if where is not None:
        sql += f" AND {where[0]}"
        params.append(where[1])
    matches = [r[0] for r in conn.execute(sql + " LIMIT 1000", params)]
    if not matches:
        raise NotFoundError(f"no {noun} matches {prefix!r}")
    if len(matches) > 1:
        raise NotFoundError(f"{prefix!r} is ambiguous: matches {len(matches)} {noun}s")
    return matches[0]


def verify_chain(rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """Recompute the chain over rows in seq order; the first break is reported with its event."""
    prev = GENESIS_HASH
    count = 0
    for row in rows:
        count += 1
        event_id, seq = row[0], row[2]

        def broken(problem: str) -> dict[str, Any]:
            return {"ok": False, "count": count, "head_hash": prev, "bad_seq": seq,
                    "bad_event_id": event_id, "problem": problem}

        if seq != count:
            return broken(f"expected seq {count}: an event is missing or the rows were reordered")
        if row[9] != prev:
            return broken("prev_hash does not match the previous event: an event was deleted or reordered")
        try:
            event = row_to_event(row)
        except (json.JSONDecodeError, TypeError) as exc:
            return broken(f"payload is not valid JSON ({exc})")
        if chain_hash(prev, event) != row[10]:
            return broken("hash does not match the event's content: the row was altered")
        prev = row[10]
    return {"ok": True, "count": count, "head_hash": prev}
