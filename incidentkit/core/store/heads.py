"""Reads of the logs' summaries (`event_heads`, `incident_heads`, kept by the insert trigger):
what opening an incident and listing incidents need, none of it growing with the logs."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from incidentkit.core.events import Event
from incidentkit.core.store import database
from incidentkit.core.store.database import reads
from incidentkit.core.store.queries import (
    EVENT_COLUMNS,
    HEADS,
    INCIDENT_HEADS,
    deciding_seqs,
    events_of_kinds_query,
    every_seq_query,
    latest_kinds_query,
    rows_to_events,
)
from incidentkit.core.store.records import LogSummary

_SEQ_CHUNK = 500  # bound parameters per `seq IN (...)`: well under SQLite's oldest limit (999)


class HeadsReads:
    """The Store's reads through the summaries (it provides `conn` and `path`)."""

    conn: sqlite3.Connection
    path: Path

    @reads
    def deciding_events(self, incident_id: str, *, always: Sequence[str],
                        groups: Sequence[Sequence[str]]) -> tuple[list[Event], int]:
        """The incident's events that decide a fold, and the log's length, from one snapshot.

        Kept: every event of an `always` kind, per step the latest event of each of
        `groups` (a group is a set of kinds that overwrite one another), and the latest
        event of all. The store knows no folding rules: the projections name the kinds
        (`deciding.deciding_events` is the same selection over a list). Found from the
        log's summary (`event_heads`), so the cost does not grow with the log.
        """
        group_of = {kind: g for g, kinds in enumerate(groups) for kind in kinds}
        with database.reading(self.conn):  # one snapshot of the log for every statement
            heads = self.conn.execute(HEADS, (incident_id,)).fetchall()
            every = [r[0] for r in self.conn.execute(every_seq_query(always), (incident_id, *always))]
            seqs, count = deciding_seqs(heads, group_of, every)
            rows = []
            for start in range(0, len(seqs), _SEQ_CHUNK):
                chunk = seqs[start:start + _SEQ_CHUNK]
                rows += self.conn.execute(
                    f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND seq IN"
                    f" ({', '.join('?' * len(chunk))}) ORDER BY seq", (incident_id, *chunk)).fetchall()
        return rows_to_events(rows), count

    @reads
    def log_heads(self) -> dict[str, tuple[int, int, str]]:
        """Per incident: how many events its log holds, its latest seq and that event's hash."""
        return {row[0]: row[1:] for row in self.conn.execute(INCIDENT_HEADS)}

    @reads
    def log_summaries(self, *, latest_of: Sequence[str], every: Sequence[str]) -> dict[str, LogSummary]:
        """Every incident's log in brief, read from its summary in one snapshot: per step, the
        kind of the latest event among `latest_of`; every event of the `every` kinds; its size."""
        with database.reading(self.conn):
            found = {incident_id: LogSummary({}, [], count, last)
                     for incident_id, count, last, _hash in self.conn.execute(INCIDENT_HEADS)}
            for incident_id, step_id, kind, _seq in self.conn.execute(latest_kinds_query(latest_of), tuple(latest_of)):
                found[incident_id].latest[step_id] = kind
            rows = self.conn.execute(events_of_kinds_query(every), tuple(every)).fetchall()
        for event in rows_to_events(rows):
            found[event.incident_id].events.append(event)
        return found

    @reads
    def event_count(self, incident_id: str) -> int:
        """The length of the incident's log, from its summary (kept by the insert trigger): no row is read."""
        row = self.conn.execute("SELECT events FROM incident_heads WHERE incident_id = ?", (incident_id,)).fetchone()
        return row[0] if row else 0
