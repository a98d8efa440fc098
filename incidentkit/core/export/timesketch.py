"""Timesketch import files: JSON Lines (one object per line) and CSV.

Timesketch requires `message`, `datetime` (ISO 8601 with offset) and `timestamp_desc`;
`timestamp` (microseconds since the epoch) and the incident's own fields ride along as
extra attributes (the detail text is part of `message`; a note event's is the full note). This is for a machine: values
are written exactly, nothing is formula-escaped, and there is no footer.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from json.encoder import encode_basestring
from typing import Any, TextIO

from incidentkit.core import events as ev
from incidentkit.core.events import parse_ts
from incidentkit.core.export.document import amended_by_text, full_detail, original_text, selected_chunks
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


def _records(data: ExportData, options: ExportOptions, progress: ProgressFn | None) -> Iterator[list[tuple[Any, ...]]]:
    """The values of each selected event in `FIELDS` order, a list per `selected_chunks` list.

    Written out inline for 100,000-event exports. The store's own UTC text is already ISO
    8601 with its offset and parses with `datetime.fromisoformat` as it is; any other
    time or zone takes `parse_ts` and `astimezone`."""
    zone = options.zone
    utc = zone is timezone.utc
    incident = data.incident.id
    epoch, microsecond, fromiso = _EPOCH, _MICROSECOND, datetime.fromisoformat
    noted = ev.STEP_NOTED
    for chunk in selected_chunks(data, options, progress):
        records = []
        for item in chunk:
            event = item.event
            at, title, detail = item.occurred_at, item.title, item.detail
            if event.kind == noted:  # the note itself, not the timeline's summary of its change
                detail = full_detail(item)
            if len(at) == 32 and at[10] == "T" and at[26:] == "+00:00":
                moment = fromiso(at)
                shown = at if utc else moment.astimezone(zone).isoformat()
            else:
                moment = parse_ts(at)
                shown = moment.astimezone(zone).isoformat()
            amended = item.amended_by
            records.append((
                f"{title}: {detail}" if detail else title,
                shown,
                "Occurred (amended)" if amended else "Occurred",
                (moment - epoch) // microsecond,
                incident,
                event.seq,
                event.kind,
                event.step_id or "",
                event.actor,
                item.category,
                event.recorded_at,
                amended_by_text(item) if amended else "",
                original_text(item, None) if amended else "",
                event.id,
                event.hash,
            ))
        yield records


def write_jsonl(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    # Each line is what `dumps(dict(zip(FIELDS, values)))` writes, put together from the
    # keys written once and each string escaped by the encoder's own function: the two
    # integers are written as int does, anything unusual (a forged database's non-text
    # value) goes through `dumps` itself.
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    q = encode_basestring
    for records in _records(data, options, progress):
        lines = []
        for values in records:
            (message, shown, desc, stamp, incident, seq, kind, step, actor, category, recorded,
             amended_by, original, event_id, digest) = values
            try:
                if type(seq) is not int or type(stamp) is not int:
                    raise TypeError
                lines.append(
                    f'{{"message":{q(message)},"datetime":{q(shown)},"timestamp_desc":{q(desc)},'
                    f'"timestamp":{stamp},"incident":{q(incident)},"seq":{seq},"kind":{q(kind)},'
                    f'"step_id":{q(step)},"actor":{q(actor)},"category":{q(category)},'
                    f'"recorded_at":{q(recorded)},"amended_by":{q(amended_by)},"original":{q(original)},'
                    f'"event_id":{q(event_id)},"hash":{q(digest)}}}\n'
                )
            except TypeError:
                lines.append(dumps(dict(zip(FIELDS, values))) + "\n")
        out.write("".join(lines))


def write_csv(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for records in _records(data, options, progress):
        writer.writerows(records)
