"""The golden incident: a realistic log with fixed ids and times, loaded through the importer.

The golden export tests hold every format to files saved from it; the export fast-path tests
compare their writers' output on it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from export_helpers import HOSTILE, PLAYBOOK_MD

from incidentkit.core import events as ev
from incidentkit.core.events import Event, chain_hash, format_ts
from incidentkit.core.export.json_full import FORMAT, SCHEMA_VERSION
from incidentkit.core.export.json_import import import_document
from incidentkit.core.export.options import ExportOptions

GENERATED_AT = datetime(2026, 11, 29, 5, 0, 0, 123456, tzinfo=timezone.utc)
START = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
UTC = timezone.utc

OPTION_SETS: dict[str, ExportOptions] = {
    "default": ExportOptions(),
    "berlin": ExportOptions(tz="Europe/Berlin"),
    "state": ExportOptions(include="state", tz="America/New_York"),
    "manual-no-notes": ExportOptions(include="manual", include_notes=False),
    "range": ExportOptions(since=datetime(2026, 11, 20, 7, 0, tzinfo=UTC),
                           until=datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
}
def _id(n: int) -> str:
    return hashlib.md5(f"golden-{n}".encode()).hexdigest()


def _at(minutes: float) -> str:
    return format_ts(START + timedelta(minutes=minutes))


def _log() -> list[tuple[str, str | None, str, dict, str, str]]:
    """(kind, step_id, actor, payload, occurred_at, recorded_at) in seq order."""
    entry, odd_entry, late_entry = _id(6), _id(9), _id(23)
    return [
        (ev.INCIDENT_OPENED, None, "alice", {"title": "Acme vendor breach", "playbook_id": "export-test",
                                             "playbook_version": "2.1", "aware_at": _at(-30)}, _at(0), _at(0)),
        (ev.STEP_DONE, "confirm", "alice", {}, _at(5), _at(5)),
        (ev.STEP_NOTED, "confirm", "bob", {"text": HOSTILE}, _at(6), _at(6)),
        (ev.STEP_SKIPPED, "count", "carol", {"reason": "vendor counts it; =cmd|' /C calc'!A0"}, _at(7), _at(7)),
        (ev.STEP_ASSIGNED, "notify", "alice", {"assignee": "dana"}, _at(8), _at(8)),
        # Backdated: it happened an hour before the incident was opened.
        (ev.TIMELINE_ENTRY, None, "alice", {"title": "Vendor emailed us", "detail": "first line\nsecond line",
                                            "category": "comms"}, _at(-60), _at(9)),
        (ev.TIMELINE_AMENDED, None, "alice", {"target": entry, "title": "Vendor phoned us",
                                              "occurred_at": _at(-90), "reason": "checked the call log"},
         _at(10), _at(10)),
        (ev.TIMELINE_AMENDED, None, "bob", {"target": entry, "detail": "-changed detail", "category": "@call"},
         _at(11), _at(11)),
        # Times as another tool might write them: Z and an offset, not the store's canonical form.
        (ev.TIMELINE_ENTRY, None, "erin", {"title": "=1+1", "detail": "\tTabbed\r\nCRLF", "category": "+"},
         "2026-11-20T10:15:00Z", "2026-11-20T11:15:00+01:00"),
        (ev.TIMELINE_AMENDED, None, "erin", {"target": odd_entry, "occurred_at": "yesterday", "title": 42},
         _at(140), _at(140)),
        (ev.STEP_NOTED, "=evil-step", "@mallory", {"text": "<script>alert(1)</script>\n| a | b |"},
         _at(141), _at(141)),
        (ev.INCIDENT_RENAMED, None, "alice", {"title": "Acme breach <b>renamed</b>"}, _at(142), _at(142)),
        (ev.STEP_REOPENED, "confirm", "alice", {}, _at(143), _at(143)),
        ("custom.kind", "count", "robot", {"anything": [1, 2]}, _at(144), _at(144)),
        # An amendment of a note (moves it in time), and one of an event nobody has.
        (ev.TIMELINE_AMENDED, None, "bob", {"target": _id(3), "occurred_at": "2026-11-20T09:00:00+02:00"},
         _at(145), _at(145)),
        (ev.TIMELINE_AMENDED, None, "bob", {"target": "f" * 32, "title": "ghost"}, _at(146), _at(146)),
        (ev.STEP_ASSIGNED, "notify", "alice", {"assignee": ""}, _at(147), _at(147)),
        (ev.INCIDENT_CLOSED, None, "alice", {}, _at(148), _at(148)),
        (ev.INCIDENT_REOPENED, None, "Zoë 🚨", {}, _at(149), _at(149)),
        (ev.STEP_DONE, "notify", "dana", {}, _at(149), _at(150)),  # same time as the one before
        (ev.TIMELINE_ENTRY, None, "dana", {"title": "Regulator call", "category": "legal"},
         "2026-11-20T15:30:00.250000+05:30", _at(151)),
        # Amends an event that comes later in the log.
        (ev.TIMELINE_AMENDED, None, "dana", {"target": late_entry, "detail": "added later"}, _at(152), _at(152)),
        (ev.TIMELINE_ENTRY, None, "dana", {"title": "Follow-up", "detail": "", "category": ""}, _at(153), _at(153)),
        (ev.STEP_SKIPPED, "confirm", "carol", {"reason": ""}, _at(154), _at(154)),
        (ev.STEP_NOTED, "count", "bob", {"text": "+44 20 7946 0000 called back"}, _at(155), _at(155)),
        (ev.INCIDENT_CLOSED, None, "alice", {}, _at(156), _at(156)),
    ]


def build_incident(store) -> str:
    sha = hashlib.sha256(PLAYBOOK_MD.encode("utf-8")).hexdigest()
    incident_id = _id(0)
    incident = {"id": incident_id, "title": "Acme vendor breach", "playbook_id": "export-test",
                "playbook_version": "2.1", "playbook_title": "Export test playbook", "snapshot_sha256": sha,
                "aware_at": _at(-30), "created_at": _at(0)}
    prev, events = ev.GENESIS_HASH, []
    for seq, (kind, step, actor, payload, occurred, recorded) in enumerate(_log(), start=1):
        if kind == ev.INCIDENT_OPENED:
            payload = {**payload, "snapshot_sha256": sha}
        event = Event(_id(seq), incident_id, seq, kind, step, actor, occurred, recorded, payload, prev)
        prev = chain_hash(prev, event)
        events.append({**event.to_json(), "hash": prev})
    doc = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "incident": incident,
           "playbook": {"sha256": sha, "markdown": PLAYBOOK_MD}, "events": events}
    return import_document(store, doc, where="golden").id
