"""Every export format, on real incidents in a real SQLite store: content, safety, options."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_helpers import CORRECTED, ENTRY, HOSTILE, TITLE, empty_incident, hostile_incident
from markdown_it import MarkdownIt

from incidentkit.core import events as ev
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file

TEXT_HUMAN = [e.name for e in EXPORTERS.values() if e.human and e.is_text]


@pytest.fixture
def hostile(store):
    incident, entry = hostile_incident(store)
    return load_export_data(store, incident.id), entry


def export_text(data, fmt: str, tmp_path: Path, **options) -> str:
    path = write_file(EXPORTERS[fmt], data, ExportOptions(**options), tmp_path / f"out-{fmt}{EXPORTERS[fmt].extension}")
    return path.read_bytes().decode("utf-8")


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_every_format_exports_an_empty_incident(store, tmp_path, fmt):
    incident = empty_incident(store)
    data = load_export_data(store, incident.id)
    out = tmp_path / "out"
    out.mkdir()
    path = write_file(EXPORTERS[fmt], data, ExportOptions(), out / f"empty{EXPORTERS[fmt].extension}")
    assert path.stat().st_size > 0
    assert [p.name for p in out.iterdir()] == [path.name]  # no temp file left behind
    if fmt in TEXT_HUMAN:
        tail = path.read_text(encoding="utf-8-sig")[-700:]
        assert data.head_hash in tail and "Events in the chain" in tail and "Generated at" in tail


@pytest.mark.parametrize("fmt", TEXT_HUMAN)
def test_human_formats_end_with_count_time_and_head_hash(hostile, tmp_path, fmt):
    data, _ = hostile
    tail = export_text(data, fmt, tmp_path)[-800:]
    assert data.head_hash == data.events[-1].hash
    assert data.head_hash in tail
    assert str(data.event_count) in tail and data.event_count == 7
    # In the export's zone, as every other time in it (the spreadsheet's: ISO 8601).
    assert data.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC") in tail or (
        fmt == "csv" and data.generated_at.isoformat(timespec="seconds")[:19] in tail)


def test_csv_neutralises_formulas_and_keeps_newlines_quoted(hostile, tmp_path):
    data, _ = hostile
    rows = csv_rows(export_text(data, "csv", tmp_path))
    header, body = rows[0], rows[1:rows.index([])]
    assert len(body) == data.event_count
    assert all(len(r) == len(header) for r in body)
    detail = header.index("Detail")
    note = next(r for r in body if r[header.index("Kind")] == ev.STEP_NOTED)
    assert note[detail] == "'" + HOSTILE  # intact, but a spreadsheet shows it as text
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r\n", cell


def test_csv_neutralises_every_dangerous_first_character():
    from incidentkit.core.export.csv_safe import neutralise

    for ch in "=+-@\t\r\n":
        assert neutralise(ch + "cmd") == "'" + ch + "cmd"
    assert neutralise("plain =1+1") == "plain =1+1"
    assert neutralise("") == ""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.rows: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append(0)
        elif tag == "td" and self.rows:
            self.rows[-1] += 1


def test_html_escapes_user_text_and_loads_nothing(hostile, tmp_path):
    data, _ = hostile
    text = export_text(data, "html", tmp_path)
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/td&gt;" in text
    parser = _Tags()
    parser.feed(text)
    names = {t for t, _ in parser.tags}
    assert names.isdisjoint({"script", "link", "img", "iframe", "object", "embed", "base", "form"})
    assert not [a for _, a in parser.tags if {"src", "href", "onload", "onerror"} & set(a)]
    # Timeline rows keep their 5 cells: the hostile `</td>` did not split one.
    assert parser.rows.count(5) == data.event_count


def test_markdown_timeline_survives_hostile_text(hostile, tmp_path):
    data, _ = hostile
    text = export_text(data, "md", tmp_path)
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)  # the most permissive renderer
    assert "<script>" not in html
    assert "alert(1)" in html and "HYPERLINK" in html
    timeline = html.split("<h2>Timeline</h2>")[1].split("<h2>")[0]
    assert timeline.startswith("\n<ul>") and timeline.count("\n<li>") == data.event_count


def test_json_and_timesketch_keep_user_text_intact(hostile, tmp_path):
    data, _ = hostile
    doc = json.loads(export_text(data, "json", tmp_path))
    assert [e["payload"].get("text") for e in doc["events"] if e["kind"] == ev.STEP_NOTED] == [HOSTILE]
    lines = export_text(data, "timesketch-jsonl", tmp_path).splitlines()
    assert any(json.loads(line)["message"].endswith(": " + HOSTILE) for line in lines)
    rows = list(csv.DictReader(io.StringIO(export_text(data, "timesketch-csv", tmp_path), newline="")))
    assert any(r["message"].endswith(": " + HOSTILE) for r in rows)


def test_timesketch_lines_carry_required_fields(hostile, tmp_path):
    data, _ = hostile
    text = export_text(data, "timesketch-jsonl", tmp_path, tz="Europe/Berlin")
    assert not text.startswith("[")
    lines = text.splitlines()
    assert len(lines) == data.event_count
    for line in lines:
        record = json.loads(line)
        at = datetime.fromisoformat(record["datetime"])
        assert at.tzinfo is not None and record["datetime"].endswith("+01:00")
        assert record["message"] and record["timestamp_desc"]
        assert record["timestamp"] == round(at.timestamp() * 1_000_000)
        assert record["incident"] == data.incident.id and record["hash"] and record["event_id"]
    rows = list(csv.DictReader(io.StringIO(export_text(data, "timesketch-csv", tmp_path), newline="")))
    assert len(rows) == data.event_count
    for row in rows:
        assert row["message"] and row["timestamp_desc"]
        assert datetime.fromisoformat(row["datetime"]).tzinfo is not None


@pytest.mark.parametrize("fmt", [*TEXT_HUMAN, "timesketch-jsonl"])
def test_amended_entry_shows_correction_and_original(hostile, tmp_path, fmt):
    data, entry = hostile
    text = export_text(data, fmt, tmp_path)
    assert CORRECTED in text
    assert ENTRY in text  # the original title stays visible
    assert "2026-11-20 07:30:00 UTC" in text or "2026-11-20T07:30:00" in text
    assert "2026-11-20 09:00:00 UTC" in text or "2026-11-20T09:00:00" in text  # ... and the original time


def test_include_state_and_manual(hostile, tmp_path):
    data, _ = hostile
    kinds = lambda **o: [r[4] for r in csv_rows(export_text(data, "csv", tmp_path, **o))[1:] if len(r) > 4]
    state = kinds(include="state")
    assert set(state) == {ev.INCIDENT_OPENED, ev.STEP_DONE, ev.STEP_SKIPPED, ev.STEP_ASSIGNED}
    assert set(kinds(include="manual")) == {ev.TIMELINE_ENTRY, ev.TIMELINE_AMENDED}
    assert len(kinds()) == data.event_count


@pytest.mark.parametrize("fmt", [*TEXT_HUMAN, "timesketch-jsonl"])
def test_no_notes_leaves_notes_out(hostile, tmp_path, fmt):
    data, _ = hostile
    assert "alert(1)" in export_text(data, fmt, tmp_path)
    assert "alert(1)" not in export_text(data, fmt, tmp_path, include_notes=False)


def test_time_range_uses_the_amended_time(hostile, tmp_path):
    data, _ = hostile
    since = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)
    until = datetime(2026, 11, 20, 7, 45, tzinfo=timezone.utc)  # the incident opened at 08:00
    lines = export_text(data, "timesketch-jsonl", tmp_path, since=since, until=until).splitlines()
    assert [json.loads(line)["message"] for line in lines] == [f"Timeline: {CORRECTED}: first line\nsecond line"]


def test_renamed_incident_exports_its_current_title(store, tmp_path):
    from incidentkit.core import operations as ops

    incident = empty_incident(store, "Old name")
    ops.rename_incident(store, incident_id=incident.id, title=TITLE, actor="alice")
    text = export_text(load_export_data(store, incident.id), "md", tmp_path)
    assert text.startswith(f"# {TITLE}\n")


def test_csv_neutralises_titles_categories_and_actors(store, tmp_path):
    from incidentkit.core import operations as ops

    incident = empty_incident(store, "=cmd|' /C calc'!A0")
    ops.add_timeline_entry(store, incident_id=incident.id, title="+1 call", actor="@mallory",
                           detail="-2", category="=HYPERLINK(1)")
    rows = csv_rows(export_text(load_export_data(store, incident.id), "csv", tmp_path))
    entry = next(r for r in rows if len(r) > 4 and r[4] == ev.TIMELINE_ENTRY)
    assert entry[2:8] == ["Timeline: +1 call", "'-2", "timeline.entry", "'=HYPERLINK(1)", "", "'@mallory"]
