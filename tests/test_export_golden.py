"""Every export format, byte for byte, against files saved from a known-good build.

A realistic incident with fixed ids and times (amendments of entries and of a note, a
backdated entry, times in other offsets, an unparseable amended time, hostile text in
notes, titles, actors and step ids, skips, an unknown kind, renames, close and reopen)
is loaded through the importer into a real store and exported in every format under
several option sets, with a fixed generation time. The outputs must equal the files in
`tests/golden/export/`, so speeding up the export pipeline cannot change a byte of what
it writes. The window's timeline (`projections.timeline`) is held to a golden dump too.

After a deliberate change to an export's content, rewrite the files with
`python tests/test_export_golden.py` and review the diff.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from export_helpers import HOSTILE, PLAYBOOK_MD
from incident_helpers import open_store

from incidentkit import __version__
from incidentkit.core import events as ev
from incidentkit.core.events import Event, chain_hash, format_ts
from incidentkit.core.export.json_full import FORMAT, SCHEMA_VERSION
from incidentkit.core.export.json_import import import_document
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import ExportData, load_export_data
from incidentkit.core.export.writer import write_stream
from incidentkit.core.projections import timeline

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"
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
TEXT_FORMATS = [name for name, e in EXPORTERS.items() if e.is_text and name != "json"]


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


def _export(data: ExportData, fmt: str, options: ExportOptions) -> bytes:
    import io

    out = io.BytesIO()
    write_stream(EXPORTERS[fmt], data, options, out)
    raw = out.getvalue()
    if fmt == "json":  # the only content that changes with a release
        raw = raw.replace(f'"app_version": "{__version__}"'.encode(), b'"app_version": "X"')
    return raw


def _pdf_text(data: ExportData, options: ExportOptions) -> bytes:
    """The text of every line the PDF draws, in order, pages separated by form feeds."""
    import io

    from incidentkit.core.export import pdf

    pdf._ensure_gui_app()
    log: list[str] = []
    pdf.render(data, options, io.BytesIO(), log=log)
    return ("\n".join(log) + "\n").encode("utf-8")


def _timeline_dump(data: ExportData) -> bytes:
    lines = []
    for item in timeline(data.playbook, data.events):
        lines.append(repr((item.event.seq, item.occurred_at, item.title, item.detail, item.category,
                           item.amended_by, dict(item.original))))
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_all(store) -> dict[str, bytes]:
    """Every golden file's expected content, by file name."""
    data = replace(load_export_data(store, build_incident(store)), generated_at=GENERATED_AT)
    out = {"timeline.txt": _timeline_dump(data), "full.json": _export(data, "json", ExportOptions())}
    for label, options in OPTION_SETS.items():
        for fmt in TEXT_FORMATS:
            out[f"{label}.{fmt}{EXPORTERS[fmt].extension}"] = _export(data, fmt, options)
    for label in ("default", "berlin"):
        out[f"{label}.pdf.txt"] = _pdf_text(data, OPTION_SETS[label])
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("golden") / "data") as store:
        return render_all(store)


def test_the_golden_files_are_all_there(rendered):
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(rendered)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()) if GOLDEN.is_dir() else [])
def test_export_is_byte_identical_to_golden(rendered, name):
    expected = (GOLDEN / name).read_bytes()
    assert rendered[name] == expected, f"{name} differs from tests/golden/export/{name}"


def _rewrite() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "data") as store:
        files = render_all(store)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.iterdir():
        old.unlink()
    for name, content in files.items():
        (GOLDEN / name).write_bytes(content)
    print(f"wrote {len(files)} files to {GOLDEN}")


if __name__ == "__main__":
    sys.exit(_rewrite())
