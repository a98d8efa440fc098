"""Row-level helpers for the store: decoding event rows, id prefixes, checking the hash chain."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from incidentkit.core.errors import NotFoundError, StoreError
from incidentkit.core.events import GENESIS_HASH, Event, canonical_json, chain_hash
from incidentkit.core.gc_pause import gc_paused

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

    One json.loads over all payloads joined into an array is about ten times faster than
    one call per row; a payload that is not one JSON value makes the count differ, and
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
    # The cycle collector would re-scan every event built so far, over and over (see gc_pause).
    with gc_paused():
        return [_make(row, payload) for row, payload in zip(rows, payloads)]


def deciding_query(step_groups: Sequence[Sequence[str]], always: Sequence[str]) -> tuple[str, list[str]]:
    """SQL selecting `projections.deciding_events` of incident `?1` in seq order, and its kind parameters.

    One pass over the incident's rows groups them so that each `always` event is a group
    of its own and each step's events of one group share one; the latest of every group,
    and the latest event overall, are then read by seq. Each row carries, after
    `EVENT_COLUMNS`, the incident's event count, read in the same statement so that it
    belongs to the same snapshot of the log as the rows.
    """
    params: list[str] = []  # bound as ?2, ?3, ... after the incident id

    def marks(kinds: Sequence[str]) -> str:
        first = len(params) + 2
        params.extend(kinds)
        return ", ".join(f"?{first + i}" for i in range(len(kinds)))

    deciding = marks([*always, *(k for group in step_groups for k in group)])
    own_group = marks(always)
    step_group = " ".join(f"WHEN kind IN ({marks(group)}) THEN {g}" for g, group in enumerate(step_groups))
    sql = (
        f"SELECT {EVENT_COLUMNS}, (SELECT count(*) FROM events WHERE incident_id = ?1) FROM events"
        " WHERE incident_id = ?1 AND seq IN ("
        f"SELECT max(seq) FROM events WHERE incident_id = ?1 AND kind IN ({deciding})"
        f" GROUP BY CASE WHEN kind IN ({own_group}) THEN seq END, step_id, CASE {step_group} END"
        " UNION ALL SELECT max(seq) FROM events WHERE incident_id = ?1)"
        " ORDER BY seq"
    )
    return sql, params


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
