"""The large-export fast paths write exactly what the plain way of writing each row would.

The spreadsheet CSV and Timesketch writers build most lines without a call per cell and
skip csv's and json's character scans for cells that are ours (times, ids, hashes).
Here they are held to straightforward reference writers (one `Row` per event from
`iter_rows`, every cell through csv.writer or json.dumps) on the golden incident, in
several zones and filters, and on a forged database whose ids, hashes and times hold
the characters that force quoting or escaping, so every fallback is taken.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from golden_helpers import GENERATED_AT, OPTION_SETS, build_incident
from incident_helpers import open_store

from incidentkit.core import events as ev
from incidentkit.core.events import parse_ts
from incidentkit.core.export import csv_safe, timesketch
from incidentkit.core.export.document import aware_fields, final_note_ids, footer, human_ts, iter_rows
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.source import ExportData, load_export_data

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def reference_csv(data: ExportData, options: ExportOptions) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_safe.HEADER)
    n = 0
    nz = csv_safe.neutralise
    final = final_note_ids(data)
    full = {e.id: e.payload["text"] for e in data.events if e.id in final}
    for r in iter_rows(data, options):
        n += 1
        detail = full[r.event_id] if r.kind == ev.STEP_NOTED and r.event_id in final else r.detail
        writer.writerow((r.seq, r.when, nz(r.title), nz(detail), nz(r.kind), nz(r.category), nz(r.step_id),
                         nz(r.actor), human_ts(r.recorded_at, options.zone), r.amended_by, nz(r.original),
                         r.event_id, r.hash))
    writer.writerow(())
    for label, value in [*aware_fields(data, options.zone), *footer(data, n).lines()]:
        writer.writerow((label, nz(value)))
    return out.getvalue()


def reference_records(data: ExportData, options: ExportOptions) -> list[dict]:
    records = []
    for r in iter_rows(data, options, human=False):
        at = parse_ts(r.occurred_at)
        records.append({
            "message": f"{r.title}: {r.detail}" if r.detail else r.title,
            "datetime": r.occurred_at if options.zone is timezone.utc and len(r.occurred_at) == 32
            and r.occurred_at[10] == "T" and r.occurred_at.endswith("+00:00")
            else at.astimezone(options.zone).isoformat(),
            "timestamp_desc": "Occurred (amended)" if r.amended_by else "Occurred",
            "timestamp": (at - _EPOCH) // (datetime(1970, 1, 1, 0, 0, 0, 1) - datetime(1970, 1, 1)),
            "incident": data.incident.id, "seq": r.seq, "kind": r.kind, "step_id": r.step_id,
            "actor": r.actor, "category": r.category, "recorded_at": r.recorded_at,
            "amended_by": r.amended_by, "original": r.original, "event_id": r.event_id, "hash": r.hash,
        })
    return records


def reference_jsonl(data: ExportData, options: ExportOptions) -> str:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return "".join(dumps(record) + "\n" for record in reference_records(data, options))


def reference_timesketch_csv(data: ExportData, options: ExportOptions) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=timesketch.FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(reference_records(data, options))
    return out.getvalue()


WRITERS = [
    (csv_safe.write_csv, reference_csv),
    (timesketch.write_jsonl, reference_jsonl),
    (timesketch.write_csv, reference_timesketch_csv),
]


def written(write, data: ExportData, options: ExportOptions) -> str:
    out = io.StringIO()
    write(data, options, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("fast") / "data") as store:
        yield replace(load_export_data(store, build_incident(store)), generated_at=GENERATED_AT)


@pytest.mark.parametrize("label", sorted(OPTION_SETS))
@pytest.mark.parametrize("write, reference", WRITERS)
def test_fast_writers_equal_the_reference(golden, label, write, reference):
    assert written(write, golden, OPTION_SETS[label]) == reference(golden, OPTION_SETS[label])


# One forgery per event, on events no amendment corrects (those take the careful path anyway).
FORGED = {
    2: {"id": "id,with,commas"},
    4: {"hash": 'hash"quoted'},
    5: {"hash": "line\nbreak"},
    7: {"id": "cr\rid"},
    8: {"recorded_at": "2026,11-20T08:11:00.000000+00:00"},  # canonical shape, a comma inside
    12: {"recorded_at": '2026-11"20T10:22:00.000000+00:00'},
    14: {"actor": "=evil,actor"},
    17: {"actor": "plain\u2028separator \x01 control"},
    21: {"seq": 21.5},  # a REAL where an INTEGER belongs
}


@pytest.fixture(scope="module")
def forged(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("forged") / "data") as store:
        incident_id = build_incident(store)
        store.conn.execute("DROP TRIGGER events_no_update")
        for seq, values in FORGED.items():
            sets = ", ".join(f"{column} = ?" for column in values)
            store.conn.execute(f"UPDATE events SET {sets} WHERE incident_id = ? AND seq = ?",
                               (*values.values(), incident_id, seq))
        yield replace(load_export_data(store, incident_id), generated_at=GENERATED_AT)


@pytest.mark.parametrize("label", ["default", "berlin"])
@pytest.mark.parametrize("write, reference", WRITERS)
def test_forged_values_take_the_careful_path(forged, label, write, reference):
    assert {e.seq: e.id for e in forged.events}[2] == "id,with,commas"  # the forgery is read back
    text = written(write, forged, OPTION_SETS[label])
    assert text == reference(forged, OPTION_SETS[label])
    if write is csv_safe.write_csv:
        rows = list(csv.reader(io.StringIO(text[1:], newline="")))
        header, body = rows[0], rows[1:rows.index([])]
        assert all(len(row) == len(header) for row in body)
        assert any(row[header.index("Hash")] == "line\nbreak" for row in body)
        assert any(row[header.index("Actor")] == "'=evil,actor" for row in body)
