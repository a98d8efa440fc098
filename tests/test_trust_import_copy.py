"""`import FILE --as-new` marks the copy: its title says so, and an event says where it came from."""

from __future__ import annotations

import hashlib
import json

from cli_inprocess import InProcessCli

from incidentkit.core import events as ev


def test_as_new_marks_the_copy_with_its_source(tmp_path, capsys):
    cli = InProcessCli(tmp_path / "data", "--actor", "ann")
    original = cli.ok("incident", "new", "--playbook", "vendor-data-breach", "--title", "Mailer breach").strip()
    cli.ok("incident", "rename", original, "Mailer vendor breach")
    export = tmp_path / "mailer.json"
    cli.ok("export", original, "-o", str(export))
    head = cli.ok("verify", original).split("head ")[1].strip()

    copy = InProcessCli(tmp_path / "data", "--actor", "lee").ok("import", str(export), "--as-new").strip()
    assert copy != original
    listed = cli.ok("incident", "list")
    assert "Mailer vendor breach (imported copy)" in listed
    assert listed.count("Mailer vendor breach") == 2  # the original keeps its title
    assert cli.ok("incident", "show", copy).startswith("Mailer vendor breach (imported copy)\n")

    events = json.loads(cli.ok("timeline", "list", copy, "--json"))
    mark = events[-1]
    assert (mark["kind"], mark["actor"], mark["seq"]) == (ev.INCIDENT_IMPORTED, "lee", 3)
    assert mark["payload"] == {
        "title": "Mailer vendor breach (imported copy)",
        "file": "mailer.json",
        "sha256": hashlib.sha256(export.read_bytes()).hexdigest(),
        "original_incident_id": original,
        "original_head_hash": head,
    }
    assert cli.ok("verify", copy).startswith("ok: 3 events")
    text = cli.ok("timeline", "list", copy)
    assert f"lee: Imported as a copy of incident {original[:12]} from mailer.json" in text
    assert f"original incident {original}, its chain head {head}" in text


def test_a_file_name_cannot_forge_a_line_in_the_mark(tmp_path, capsys):
    cli = InProcessCli(tmp_path / "data", "--actor", "ann")
    original = cli.ok("incident", "new", "--playbook", "vendor-data-breach", "--title", "T").strip()
    export = tmp_path / "a\nb\u202e.json"
    cli.ok("export", original, "-o", str(export), "-f", "json")
    copy = cli.ok("import", str(export), "--as-new").strip()
    mark = json.loads(cli.ok("timeline", "list", copy, "--json"))[-1]
    assert mark["payload"]["file"] == "a<U+000A>b<U+202E>.json"
