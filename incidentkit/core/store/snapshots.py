"""Pinned playbook snapshots: their markdown, their parses, and the playbook an incident follows now.

Snapshots are stored once by sha256 and never change, so their parses are kept in memory
and in the on-disk cache (`playbook/cache.py`). An incident's row names the snapshot it
was opened with and never changes either; an upgrade is an event
(`incident.playbook_upgraded`) whose payload names the new snapshot (`to_sha256`) and
the steps kept as retired (`retired`: `{id, sha256}` of the snapshot each comes from).
So the playbook an incident follows now is read from its latest upgrade event when it
has one. That payload is written by `core/upgrade.py`; this module only follows it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from incidentkit.core.errors import NotFoundError, StoreError
from incidentkit.core.events import INCIDENT_PLAYBOOK_UPGRADED
from incidentkit.core.playbook.model import Playbook

_LATEST_UPGRADE = ("SELECT id, payload FROM events WHERE incident_id = ? AND step_id IS NULL AND kind = ?"
                   " ORDER BY seq DESC LIMIT 1")
_HEX = frozenset("0123456789abcdef")


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


class Snapshots:
    """The snapshots of one connection, with the parses made of them."""

    def __init__(self, conn: sqlite3.Connection, cache_dir: Path) -> None:
        self.conn, self.cache_dir = conn, cache_dir
        self._parsed: dict[str, Playbook] = {}
        self._current: dict[str, Playbook] = {}  # by the id of the upgrade event that made it

    def markdown(self, sha256: str) -> str:
        row = self.conn.execute("SELECT markdown FROM snapshots WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise NotFoundError(f"no playbook snapshot {sha256[:12]}")
        return row[0]

    def remember(self, playbook: Playbook) -> None:
        self._parsed.setdefault(playbook.sha256, playbook)

    def playbook(self, sha256: str, playbook_id: str) -> Playbook:
        """The parse of one snapshot, labelled `playbook_id@sha-prefix`."""
        cached = self._parsed.get(sha256)
        if cached is None:
            from incidentkit.core.playbook import cache as playbook_cache

            source = f"{playbook_id}@{sha256[:12]}"
            markdown = self.markdown(sha256)
            cached = playbook_cache.load(self.cache_dir, markdown, sha256, source)
            if cached is None:
                from incidentkit.core.playbook.parser import parse_playbook

                cached = parse_playbook(markdown, source)
                playbook_cache.save(self.cache_dir, cached)
            self._parsed[sha256] = cached
        return cached

    def current(self, incident_id: str, opened_sha256: str, playbook_id: str) -> Playbook:
        """The playbook the incident follows now: its latest upgrade's, else the one it was opened with."""
        row = self.conn.execute(_LATEST_UPGRADE, (incident_id, INCIDENT_PLAYBOOK_UPGRADED)).fetchone()
        if row is None:
            return self.playbook(opened_sha256, playbook_id)
        found = self._current.get(row[0])
        if found is None:
            found = self._current[row[0]] = self._upgraded(json.loads(row[1]), playbook_id, row[0])
        return found

    def _upgraded(self, payload: Any, playbook_id: str, event_id: str) -> Playbook:
        from incidentkit.core.playbook.retired import phase_title_of, with_retired

        target = payload.get("to_sha256") if isinstance(payload, dict) else None
        if not is_sha256(target):
            raise StoreError(f"playbook upgrade {event_id[:12]} names no snapshot: run `incidentkit verify`")
        playbook = self.playbook(target, playbook_id)
        retired = []
        for entry in payload.get("retired") or ():
            if not (isinstance(entry, dict) and isinstance(entry.get("id"), str) and is_sha256(entry.get("sha256"))):
                continue
            source = self.playbook(entry["sha256"], playbook_id)
            if source.has_step(entry["id"]) and not playbook.has_step(entry["id"]):
                retired.append((source.step(entry["id"]), phase_title_of(source, entry["id"])))
        return with_retired(playbook, retired)
