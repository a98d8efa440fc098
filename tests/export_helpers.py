"""Incidents for the export and import tests, written into a real SQLite store.

`hostile_incident` goes through the real operations (the same calls the CLI makes);
`bulk_incident` builds a long, correctly chained event log in memory and loads it with
the importer in one transaction, because 10,000 one-at-a-time appends with
synchronous=FULL would take minutes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from incident_helpers import small_playbook_md

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.events import GENESIS_HASH, Event, chain_hash, format_ts, new_id
from incidentkit.core.export.json_full import FORMAT, SCHEMA_VERSION
from incidentkit.core.export.json_import import import_document
from incidentkit.core.playbook.parser import parse_playbook
from incidentkit.core.store import Incident, Store

PLAYBOOK_MD = small_playbook_md("export-test", "Export test playbook", "2.1", "A small playbook for export tests.")

HOSTILE = '=HYPERLINK("http://x","y")\n<script>alert(1)</script></td>\tafter a tab\n+1 | pipe'
TITLE = "Acme vendor breach"
ENTRY = "Vendor emailed us about the breach"
CORRECTED = "Vendor phoned us about the breach"
ORIGINAL_AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
CORRECTED_AT = datetime(2026, 11, 20, 7, 30, tzinfo=timezone.utc)


def playbook():
    return parse_playbook(PLAYBOOK_MD, "export-test.md")


def empty_incident(store: Store, title: str = "Quiet incident") -> Incident:
    return ops.open_incident(store, playbook=playbook(), title=title, actor="alice",
                             aware_at=datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc))


def hostile_incident(store: Store) -> tuple[Incident, Event]:
    """An incident with a hostile note, a skip, an assignment and an amended timeline entry.

    Returns the incident and the original (amended) timeline entry event."""
    incident = empty_incident(store, TITLE)
    iid = incident.id
    ops.complete_step(store, incident_id=iid, step_id="confirm", actor="alice")
    ops.note_step(store, incident_id=iid, step_id="confirm", text=HOSTILE, actor="bob")
    ops.skip_step(store, incident_id=iid, step_id="count", reason="vendor counts it", actor="carol")
    ops.assign_step(store, incident_id=iid, step_id="notify", assignee="dana", actor="alice")
    entry = ops.add_timeline_entry(store, incident_id=iid, title=ENTRY, actor="alice", occurred_at=ORIGINAL_AT,
                                   detail="first line\nsecond line", category="comms")
    ops.amend_event(store, incident_id=iid, event_id=entry.id, actor="alice", reason="checked the call log",
                    title=CORRECTED, occurred_at=CORRECTED_AT)
    return incident, entry


def bulk_incident(store: Store, n: int, title: str = "Big incident") -> Incident:
    """An incident with `n` events (opened, then notes, entries and step changes), chained."""
    md = PLAYBOOK_MD
    sha = hashlib.sha256(md.encode("utf-8")).hexdigest()
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    incident = Incident(new_id(), title, "export-test", "2.1", "Export test playbook", sha,
                        format_ts(start), format_ts(start))
    kinds = [(ev.STEP_NOTED, "confirm", {"text": "checked again, =1+1 still fine"}),
             (ev.TIMELINE_ENTRY, None, {"title": "Call with vendor", "detail": "minutes\nattached", "category": "call"}),
             (ev.STEP_DONE, "count", {}),
             (ev.STEP_REOPENED, "count", {})]
    prev, out = ev.GENESIS_HASH, []
    for seq in range(1, n + 1):
        if seq == 1:
            kind, step, payload = ev.INCIDENT_OPENED, None, {"title": title, "aware_at": format_ts(start)}
        else:
            kind, step, payload = kinds[seq % len(kinds)]
        at = format_ts(start + timedelta(seconds=seq))
        event = Event(new_id(), incident.id, seq, kind, step, "alice", at, at, payload, prev)
        prev = chain_hash(prev, event)
        out.append({**event.to_json(), "hash": prev})
    doc = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "incident": incident.__dict__,
           "playbook": {"sha256": sha, "markdown": md}, "events": out}
    return import_document(store, doc)


def rechain(doc: dict) -> None:
    """Make the chain verify again after a change, as a careful forger would."""
    prev = GENESIS_HASH
    for e in doc["events"]:
        e["prev_hash"] = prev
        e["hash"] = prev = chain_hash(prev, Event(**{**e, "hash": ""}))
    doc["head_hash"] = prev
