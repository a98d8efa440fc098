"""Timesketch import files: JSON Lines (one object per line) and CSV.

Timesketch requires `message`, `datetime` (ISO 8601 with offset) and `timestamp_desc`;
`timestamp` (microseconds since the epoch) and the incident's own fields ride along as
extra attributes (the detail text is part of `message`). This is for a machine: values
are written exactly, nothing is formula-escaped, and there is no footer.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, TextIO

from incidentkit.core.events import parse_ts
from incidentkit.core.export.document import Row, is_canonical_utc, iter_rows
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData

FIELDS = (
    "message", "datetime", "timestamp_desc", "timestamp",
    "incident", "seq", "kind", "step_id", "actor", "category",
    "recorded_at", "amended_by", "original", "event_id", "hash",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)  # exact integer division, unlike float timestamps


def _message(r: Row) -> str:
    return f"{r.title}: {r.detail}" if r.detail else r.title


def _records(data: ExportData, options: ExportOptions, progress: ProgressFn | None) -> Iterator[dict[str, Any]]:
    zone = options.zone
    utc = zone is timezone.utc
    incident = data.incident.id
    for r in iter_rows(data, options, progress, human=False):
        at = parse_ts(r.occurred_at)
        yield {
            "message": _message(r),
            # The store's own text is already ISO 8601 in UTC with its offset.
            "datetime": r.occurred_at if utc and is_canonical_utc(r.occurred_at) else at.astimezone(zone).isoformat(),
            "timestamp_desc": "Occurred (amended)" if r.amended_by else "Occurred",
            "timestamp": (at - _EPOCH) // _MICROSECOND,
            "incident": incident,
            "seq": r.seq,
            "kind": r.kind,
            "step_id": r.step_id,
            "actor": r.actor,
            "category": r.category,
            "recorded_at": r.recorded_at,
            "amended_by": r.amended_by,
            "original": r.original,
            "event_id": r.event_id,
            "hash": r.hash,
        }


def write_jsonl(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for record in _records(data, options, progress):
        out.write(dumps(record))
        out.write("\n")


def write_csv(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_records(data, options, progress))
