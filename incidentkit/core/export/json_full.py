"""Full-fidelity JSON: the incident, its pinned playbook snapshot and every event with its hashes.

This is the format `incidentkit import` reads back (see `incidentkit.core.export.json_import`), so it
ignores the export options: a filtered chain would not verify. Events are written one per
line as they stream, so 100,000 events never sit in memory as one string.

Layout (schema_version 1, or 2 for an upgraded incident)::

    {"format": "incidentkit.incident", "schema_version": 1, "app_version": ...,
     "exported_at": ..., "incident": {id, title, playbook_id, playbook_version,
     playbook_title, snapshot_sha256, aware_at, created_at},
     "playbook": {"sha256": ..., "markdown": ...},
     "snapshots": [{"sha256": ..., "markdown": ...}, ...],   (schema 2 only: the upgrades' playbooks)
     "event_count": N, "head_hash": ...,
     "events": [{id, incident_id, seq, kind, step_id, actor, occurred_at, recorded_at,
                 payload, prev_hash, hash}, ...]}
"""

from __future__ import annotations

import dataclasses
import json
from typing import TextIO

from incidentkit import __version__
from incidentkit.core.events import format_ts
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn, Ticker
from incidentkit.core.export.source import ExportData

FORMAT = "incidentkit.incident"
SCHEMA_VERSION = 2  # the newest this version writes and reads
# An incident never upgraded is written as schema 1, which older versions read too; an
# upgraded one needs its upgrades' snapshots, which they would not store.
BASE_SCHEMA_VERSION = 1


def write_json(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    del options  # full fidelity: every event, always (see the module docstring)
    meta = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION if data.snapshots else BASE_SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": format_ts(data.generated_at),
        "incident": dataclasses.asdict(data.incident),
        "playbook": {"sha256": data.incident.snapshot_sha256, "markdown": data.snapshot_markdown},
        **({"snapshots": [{"sha256": sha, "markdown": text} for sha, text in data.snapshots.items()]}
           if data.snapshots else {}),
        "event_count": data.event_count,
        "head_hash": data.head_hash,
    }
    head = json.dumps(meta, indent=2, ensure_ascii=False)
    out.write(head[: head.rindex("}")].rstrip())
    out.write(',\n  "events": [')
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), sort_keys=False).encode
    ticker = Ticker(progress, data.event_count)
    sep = "\n    "
    for event in data.events:
        out.write(sep)
        out.write(dumps(event.to_json()))
        sep = ",\n    "
        ticker.tick()
    out.write("\n  ]\n}\n")
    ticker.finish()
