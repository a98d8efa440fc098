"""Timesketch import files: JSON Lines (one object per line) and CSV.

Timesketch requires `message`, `datetime` (ISO 8601 with offset) and `timestamp_desc`;
`timestamp` (microseconds since the epoch) and the incident's own fields ride along as
extra attributes. This is for a machine: values are written exactly, nothing is
formula-escaped, and there is no footer.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, TextIO

from incidentkit.core.export.document import Row, iter_rows
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData

FIELDS = (
    "message", "datetime", "timestamp_desc", "timestamp",
    "incident", "incident_title", "seq", "kind", "step_id", "actor", "detail", "category",
    "recorded_at", "amended_by", "original", "event_id", "hash",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _message(r: Row) -> str:
    return f"{r.title}: {r.detail}" if r.detail else r.title


def _records(data: ExportData, options: ExportOptions, progress: ProgressFn | None) -> Iterator[dict[str, Any]]:
    zone = options.zone
    incident, title = data.incident.id, data.title
    for r in iter_rows(data, options, progress):
        local = r.at.astimezone(zone)
        yield {
            "message": _message(r),
            "datetime": local.isoformat(),
            "timestamp_desc": "Occurred (amended)" if r.amended_by else "Occurred",
            "timestamp": _epoch_micros(r),
            "incident": incident,
            "incident_title": title,
            "seq": r.seq,
            "kind": r.kind,
            "step_id": r.step_id,
            "actor": r.actor,
            "detail": r.detail,
            "category": r.category,
            "recorded_at": r.recorded_at,
            "amended_by": r.amended_by,
            "original": r.original,
            "event_id": r.event_id,
            "hash": r.hash,
        }


def _epoch_micros(r: Row) -> int:
    # Exact integer arithmetic: float timestamps lose microseconds after 2^53.
    delta = r.at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def write_jsonl(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for record in _records(data, options, progress):
        out.write(dumps(record))
        out.write("\n")


def write_csv(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_records(data, options, progress))
