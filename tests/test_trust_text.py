"""Text that cannot mislead: control characters refused at the core's boundary (operations,
importer), bidi controls shown escaped in every human export and kept in JSON and Timesketch."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone

import pytest
from cli_inprocess import InProcessCli
from export_helpers import rechain, empty_incident
from incident_helpers import open_store

from incidentkit.core import operations as ops
from incidentkit.core.export.json_import import ImportRefused, import_file
from incidentkit.core.export.writer import export_incident
from incidentkit.core.text import TextRefused, shown

RLO = "\u202e"
SPOOF = f"Invoice {RLO}gnp.exe"  # reads "Invoice exe.png" where bidi is honoured


# refused at the boundary --------------------------------------------------------------------
@pytest.mark.parametrize("bad, message", [
    ("Vendor called\n2026-11-20T09:00  #2    deadbeef  ann: Forged", "the title contains a line break at character 14: it must be one line"),
    ("Ring\x07", "the title contains a control character (U+0007 BELL) at character 5; remove it"),
    ("\x1b[2Jwiped", "the title contains a control character (U+001B ESCAPE) at character 1; remove it"),
    ("a\tb", "the title contains a tab at character 2: it must be one line"),
    ("csi\x9b31m", "the title contains a control character (U+009B CONTROL SEQUENCE INTRODUCER) at character 4; remove it"),
])
def test_a_title_with_control_characters_is_refused(store, incident, bad, message):
    with pytest.raises(TextRefused) as info:
        ops.add_timeline_entry(store, incident_id=incident, title=bad, actor="ann")
    assert str(info.value) == message
    assert store.event_count(incident) == 1


def test_every_operation_refuses_control_characters(store, incident):
    entry = ops.add_timeline_entry(store, incident_id=incident, title="ok", actor="ann")
    calls = {
        "the title": lambda: ops.open_incident(store, playbook=store.playbook(incident), title="a\nb", actor="ann"),
        "the actor name": lambda: ops.complete_step(store, incident_id=incident, step_id="confirm",
                                                    actor="ann\nmallory"),
        "the reason": lambda: ops.skip_step(store, incident_id=incident, step_id="count", reason="x\ny", actor="ann"),
        "the assignee's name": lambda: ops.assign_step(store, incident_id=incident, step_id="count",
                                                       assignee="Sam\x00", actor="ann"),
        "the note": lambda: ops.note_step(store, incident_id=incident, step_id="count", text="bs\x08", actor="ann"),
        "the detail": lambda: ops.add_timeline_entry(store, incident_id=incident, title="t", actor="ann",
                                                     detail="esc \x1b]8;;http://x\x07"),
        "the category": lambda: ops.add_timeline_entry(store, incident_id=incident, title="t", actor="ann",
                                                       category="ven\ndor"),
        "the title ": lambda: ops.rename_incident(store, incident_id=incident, title="x\u2028y", actor="ann"),
        "the title  ": lambda: ops.amend_event(store, incident_id=incident, event_id=entry.id, actor="ann",
                                               title="x\ry", reason="typo"),
    }
    for what, call in calls.items():
        with pytest.raises(TextRefused, match=f"^{what.strip()} contains "):
            call()
    assert store.event_count(incident) == 2 and len(store.incidents()) == 1


def test_tabs_and_newlines_are_fine_in_notes_and_details(store, incident):
    ops.note_step(store, incident_id=incident, step_id="count", text="line one\n\tindented", actor="ann")
    ops.add_timeline_entry(store, incident_id=incident, title=SPOOF, actor="ann", detail="a\nb\tc")
    assert store.event_count(incident) == 3  # bidi characters are not refused: they are shown escaped


def test_cli_refuses_a_forged_line_with_one_line(tmp_path, capsys):
    cli = InProcessCli(tmp_path / "data", "--actor", "ann")
    incident = cli.ok("incident", "new", "--playbook", "vendor-data-breach", "--title", "T").strip()
    result = cli("timeline", "add", incident, "--title", "ok\n2026-11-20  #9  ann: forged")
    assert (result.code, result.out) == (1, "")
    assert result.err == "incidentkit: error: the title contains a line break at character 3: it must be one line\n"
    result = cli("--actor", "ann\x1b[31m", "timeline", "add", incident, "--title", "fine")
    assert result.code == 1 and result.err.startswith("incidentkit: error: the actor name contains a control "
                                                      "character (U+001B ESCAPE)")
    assert cli.ok("verify", incident).startswith("ok: 1 events")


# the importer ------------------------------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    (lambda d: d["events"][1]["payload"].update(title="Forged\nline"),
     "events[1].payload.title contains a line break at character 7: it must be one line"),
    (lambda d: d["events"][1].update(actor="ann\x07"),
     "events[1].actor contains a control character (U+0007 BELL) at character 4; remove it"),
    (lambda d: d["events"][1]["payload"].update(detail="ok\n\x1b[2J"),
     "events[1].payload.detail contains a control character (U+001B ESCAPE) at character 4; remove it"),
    (lambda d: d["incident"].update(title="Title\x00"),
     "incident.title contains a control character (U+0000 NULL) at character 6; remove it"),
])
def test_the_importer_refuses_control_characters(store, incident, tmp_path, change, message):
    ops.add_timeline_entry(store, incident_id=incident, title="Vendor called", actor="ann", detail="d")
    export_incident(store, incident, "json", tmp_path / "x.json")
    doc = json.loads((tmp_path / "x.json").read_text())
    change(doc)
    rechain(doc)
    (tmp_path / "x.json").write_text(json.dumps(doc))
    with open_store(tmp_path / "other") as other:
        with pytest.raises(ImportRefused) as info:
            import_file(other, tmp_path / "x.json")
        assert str(info.value) == f"{tmp_path / 'x.json'}: {message}"
        assert other.incidents() == []


# shown escaped, kept where machines read -----------------------------------------------------
def test_shown_escapes_bidi_controls_and_keeps_line_breaks():
    assert shown(SPOOF) == "Invoice <U+202E>gnp.exe"
    assert shown("\u2066a\u2069 \u200e\u200f\u061c \u202a\u202b\u202c\u202d") == \
        "<U+2066>a<U+2069> <U+200E><U+200F><U+061C> <U+202A><U+202B><U+202C><U+202D>"
    assert shown("bell\x07 \x1b[0m\ttab\nline\r\n") == "bell<U+0007> <U+001B>[0m\ttab\nline\r\n"
    assert shown("plain text, עברית") == "plain text, עברית"


def test_every_human_export_shows_bidi_escaped_and_machine_ones_keep_it(store, tmp_path):
    incident = empty_incident(store, SPOOF).id
    ops.add_timeline_entry(store, incident_id=incident, title=SPOOF, actor=f"ann{RLO}", category=f"c{RLO}",
                           detail=f"see {RLO}fdp.bat", occurred_at=datetime(2026, 11, 20, 10, tzinfo=timezone.utc))
    ops.note_step(store, incident_id=incident, step_id="count", text=f"note {RLO}txt.js", actor="ann")
    for fmt in ("md", "html", "csv", "pdf", "json", "timesketch-jsonl", "timesketch-csv"):
        path = tmp_path / f"out.{fmt}"
        export_incident(store, incident, fmt, path)
        if fmt == "pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        else:
            text = path.read_text(encoding="utf-8-sig")
        if fmt in ("json", "timesketch-jsonl", "timesketch-csv"):
            assert RLO in text or "\\u202e" in text, fmt
            assert "<U+202E>" not in text, fmt
        else:
            assert RLO not in text, fmt
            for visible in ("gnp.exe", "fdp.bat", "txt.js"):
                assert "U+202E" in text.split(visible)[0][-12:], (fmt, visible)


def test_cli_text_output_shows_bidi_escaped_and_json_keeps_it(tmp_path, capsys):
    cli = InProcessCli(tmp_path / "data", "--actor", "ann")
    incident = cli.ok("incident", "new", "--playbook", "vendor-data-breach", "--title", SPOOF).strip()
    for args in (("incident", "list"), ("incident", "show", incident), ("timeline", "list", incident)):
        out = cli.ok(*args)
        assert "Invoice <U+202E>gnp.exe" in out and RLO not in out, args
    assert json.loads(cli.ok("incident", "list", "--json"))[0]["title"] == SPOOF
