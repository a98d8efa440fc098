"""Which version of its playbook an incident followed when each event was recorded.

An incident starts on the snapshot its `incident.opened` event names and moves with each
`incident.playbook_upgraded`; every event belongs to the version in force at its seq.
The exports print these spans, so a reader of the record can tell which playbook text
each completed step, note and decision was made under.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core.events import Event


@dataclass(frozen=True)
class VersionSpan:
    """A playbook version and the events recorded under it: seqs `first_seq` to `last_seq`."""

    version: str
    sha256: str
    first_seq: int
    last_seq: int
    since: str            # recorded_at of the event that put it in force
    by: str               # its actor

    def describe(self) -> str:
        seqs = f"event {self.first_seq}" if self.first_seq == self.last_seq else \
            f"events {self.first_seq}-{self.last_seq}"
        return f"{self.version} (sha256 {self.sha256[:12]}): {seqs}"


def version_spans(events: Iterable[Event]) -> list[VersionSpan]:
    """The versions in force over the log, in order (one span for an incident never upgraded)."""
    spans: list[VersionSpan] = []
    last = 0
    for event in sorted(events, key=lambda e: e.seq):
        last = event.seq
        payload = event.payload
        if event.kind == ev.INCIDENT_OPENED and not spans:
            version, sha = payload.get("playbook_version"), payload.get("snapshot_sha256")
        elif event.kind == ev.INCIDENT_PLAYBOOK_UPGRADED:
            version, sha = payload.get("to_version"), payload.get("to_sha256")
        else:
            continue
        if spans:
            spans[-1] = _until(spans[-1], event.seq - 1)
        spans.append(VersionSpan(str(version or "?"), str(sha or ""), event.seq, event.seq, event.recorded_at,
                                 event.actor))
    if spans:
        spans[-1] = _until(spans[-1], last)
    return spans


def _until(span: VersionSpan, seq: int) -> VersionSpan:
    return VersionSpan(span.version, span.sha256, span.first_seq, max(seq, span.first_seq), span.since, span.by)


def entries(payload: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """The objects of a list in an upgrade's payload (`added`, `removed`, `changed`, ...); [] when malformed."""
    value = payload.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def old_texts(payload: Mapping[str, Any]) -> dict[str, str]:
    """step id -> its text before the upgrade, for the steps whose text the upgrade changed."""
    return {str(e.get("id")): str(e.get("old_text", "")) for e in entries(payload, "changed")
            if e.get("old_text") != e.get("new_text")}


def previous_text(events: Iterable[Event], step_id: str) -> str | None:
    """How the step read before the latest upgrade that changed its text; None when none did."""
    found = None
    for event in sorted(events, key=lambda e: e.seq):
        if event.kind == ev.INCIDENT_PLAYBOOK_UPGRADED:
            found = old_texts(event.payload).get(step_id, found)
    return found
