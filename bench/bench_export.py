"""Exporting 100,000 events to spreadsheet CSV and to Timesketch JSONL, against a bare floor.

The floor, measured in the same run on the same file: a plain sqlite3 SELECT of the same
event rows, written with csv.writer (one row per event) or json.dumps (one object per
line). Ours is the whole `export_incident`: open the incident, read and decode the
events, fold the state and the timeline, format, escape, write atomically with fsync.

The 100,000-event database is built in one transaction through the JSON importer (the
store appends one durable transaction per event, which would take minutes here).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median_time, report  # noqa: E402
from incidentkit.core import events as ev  # noqa: E402
from incidentkit.core.events import Event, chain_hash, format_ts, new_id  # noqa: E402
from incidentkit.core.export.json_full import FORMAT, SCHEMA_VERSION  # noqa: E402
from incidentkit.core.export.json_import import import_document  # noqa: E402
from incidentkit.core.export.writer import export_incident  # noqa: E402
from incidentkit.core.store import Store  # noqa: E402

N = 100_000
GOAL = 2.0
SELECT = (
    "SELECT seq, occurred_at, kind, step_id, actor, payload, recorded_at, id, hash"
    " FROM events WHERE incident_id = ? ORDER BY seq"
)


def builtin_playbook() -> str:
    return (Path(__file__).resolve().parent.parent / "playbooks" / "vendor-data-breach.md").read_text(encoding="utf-8")


def build(store: Store, markdown: str, step_ids: list[str]) -> str:
    sha = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    incident_id = new_id()
    incident = {"id": incident_id, "title": "Bench incident", "playbook_id": "vendor-data-breach",
                "playbook_version": "1", "playbook_title": "Vendor data breach", "snapshot_sha256": sha,
                "aware_at": format_ts(start), "created_at": format_ts(start)}
    prev, events = ev.GENESIS_HASH, []
    for seq in range(1, N + 1):
        step = step_ids[seq % len(step_ids)]
        if seq == 1:
            kind, step, payload = ev.INCIDENT_OPENED, None, {"title": "Bench incident"}
        elif seq % 3 == 0:
            kind, payload = ev.STEP_NOTED, {"text": f"Called the vendor, ticket {seq}; =SUM(A1) stays text"}
        elif seq % 3 == 1:
            kind, step, payload = ev.TIMELINE_ENTRY, None, {"title": f"Entry {seq}", "detail": "details\nhere",
                                                            "category": "call"}
        else:
            kind, payload = ev.STEP_DONE if seq % 2 else ev.STEP_REOPENED, {}
        at = format_ts(start + timedelta(seconds=seq))
        event = Event(new_id(), incident_id, seq, kind, step, "alice", at, at, payload, prev)
        prev = chain_hash(prev, event)
        events.append({**event.to_json(), "hash": prev})
    doc = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "incident": incident,
           "playbook": {"sha256": sha, "markdown": markdown}, "events": events}
    return import_document(store, doc, where="bench").id


def floor_csv(db: Path, incident_id: str, dest: Path) -> None:
    conn = sqlite3.connect(db)
    with open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in conn.execute(SELECT, (incident_id,)):
            writer.writerow(row)
        fh.flush()
        os.fsync(fh.fileno())
    conn.close()


def floor_jsonl(db: Path, incident_id: str, dest: Path) -> None:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    with open(dest, "w", encoding="utf-8") as fh:
        for row in conn.execute(SELECT, (incident_id,)):
            fh.write(json.dumps(dict(row)))
            fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    conn.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ik-bench-export-") as tmp:
        folder = Path(tmp)
        store = Store(folder / "incidentkit.db", backups_dir=folder / "backups")
        from incidentkit.core.playbook.parser import parse_playbook

        markdown = builtin_playbook()
        steps = [s.id for s in parse_playbook(markdown).steps()]
        t0 = time.perf_counter()
        incident_id = build(store, markdown, steps)
        built = time.perf_counter() - t0
        for fmt, floor in (("csv", floor_csv), ("timesketch-jsonl", floor_jsonl)):
            ext = ".csv" if fmt == "csv" else ".jsonl"
            bare = median_time(lambda: floor(store.path, incident_id, folder / f"floor{ext}"), repeat=3)
            ours = median_time(lambda: export_incident(store, incident_id, fmt, folder / f"ours{ext}"), repeat=3)
            name = "export_csv_100k" if fmt == "csv" else "export_timesketch_jsonl_100k"
            report(name, ours / bare, GOAL, f"(ours {ours:.2f}s, bare SELECT+write {bare:.2f}s; "
                                            f"database of {N} events built in {built:.1f}s)")
        store.close()


if __name__ == "__main__":
    main()
