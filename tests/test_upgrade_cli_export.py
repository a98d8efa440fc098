"""`incidentkit incident upgrade`, and an upgraded incident in `incident show`, the exports and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from incident_helpers import MARKDOWN, V2

from incidentkit.cli.group import cli
from incidentkit.core.errors import StateError
from incidentkit.core.export.json_import import ImportRefused, import_document, read_document
from incidentkit.core.store import Store


@pytest.fixture
def folder(tmp_path: Path, playbooks_dir: Path) -> Path:
    (tmp_path / "v2.md").write_text(V2, encoding="utf-8")
    return playbooks_dir


@pytest.fixture
def run(tmp_path: Path, folder: Path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), "--playbooks", str(folder),
                                   "--actor", "ann", *args], catch_exceptions=True)

    return invoke


@pytest.fixture
def incident(run) -> str:
    created = run("incident", "new", "--playbook", "tiny", "--title", "Acme", "--at", "2026-11-27T10:00:00Z")
    assert created.exit_code == 0, created.output
    incident_id = created.stdout.strip()
    assert run("step", "done", incident_id, "confirm").exit_code == 0
    assert run("note", incident_id, "count", "1,200 so far").exit_code == 0
    return incident_id


def test_dry_run_prints_the_diff_and_changes_nothing(run, incident: str, tmp_path: Path) -> None:
    before = run("timeline", "list", incident, "--json").output
    result = run("incident", "upgrade", incident[:8], "--to", str(tmp_path / "v2.md"), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"incident {incident[:12]}: Tiny playbook: version 1.0 -> 1.1 (2 new steps, 1 removed, 2 changed)"
    assert "  + new       ag: Notify the attorney general" in lines
    assert "  ~ changed   confirm: Confirm the breach in writing with the vendor (text, severity)" in lines
    assert "  - removed   count: Count affected people (kept as retired: it has a history)" in lines
    assert lines[-1] == "dry run: nothing was changed"
    assert run("timeline", "list", incident, "--json").output == before


def test_upgrade_from_the_library_and_show_json(run, incident: str, folder: Path) -> None:
    (folder / "tiny.md").write_text(V2, encoding="utf-8")  # the team edited its playbook
    result = run("incident", "upgrade", incident, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["dry_run"], doc["summary"], doc["to_version"]) == (False, "2 new steps, 1 removed, 2 changed", "1.1")
    assert len(doc["event_id"]) == 32
    shown = json.loads(run("incident", "show", incident, "--json").output)
    assert shown["playbook_version"] == "1.1"
    assert shown["playbook"]["version"] == "1.1" and shown["playbook"]["opened_with"]["version"] == "1.0"
    steps = {s["id"]: s for p in shown["phases"] for s in p["steps"]}
    assert steps["confirm"]["severity"] == "high" and steps["confirm"]["revised"] == "1.1"
    assert steps["file"]["due"] == {"text": "24 hours", "amount": 24, "unit": "hours"}
    assert steps["file"]["due_at"] == "2026-11-28T10:00:00.000000+00:00"
    assert steps["count"]["retired"] and steps["count"]["note"] == "1,200 so far"
    assert [p["retired"] for p in shown["phases"]] == [False, False, True]
    assert (shown["done"], shown["total"]) == (1, 4)
    assert run("verify", incident).output.startswith("ok: 4 events")
    again = run("incident", "upgrade", incident)
    assert isinstance(again.exception, StateError) and "already follows this version" in str(again.exception)


def test_an_upgraded_incident_exports_and_imports_with_its_snapshots(run, incident: str, tmp_path: Path) -> None:
    assert run("incident", "upgrade", incident, "--to", str(tmp_path / "v2.md")).exit_code == 0
    out_md, out_json = tmp_path / "out.md", tmp_path / "out.json"
    assert run("export", incident, "-o", str(out_md)).exit_code == 0
    text = out_md.read_text(encoding="utf-8")
    assert "| Playbook versions | 1.0 (sha256 " in text and "): events 1-3; 1.1 (sha256 " in text
    assert "— Completed: Confirm the breach in writing\\\n  *ann" in text  # as it read when done
    assert "- Confirm the breach in writing with the vendor: done by ann at " in text
    assert "; severity high; text changed in version 1.1" in text
    assert "- Ask the vendor for the file: open; due 2026-11-28 10:00:00 UTC (24 hours after awareness)" in text
    assert "### Retired steps (kept for their history, not counted in progress)" in text
    assert "- Count affected people: open; retired from Scope" in text

    state_only = tmp_path / "state.csv"
    assert run("export", incident, "-o", str(state_only), "--include", "state").exit_code == 0
    assert "Playbook upgraded to 1.1 (from 1.0)" in state_only.read_text(encoding="utf-8-sig")  # a state change

    assert run("export", incident, "-o", str(out_json)).exit_code == 0
    doc = read_document(out_json)
    assert doc["schema_version"] == 2 and [s["sha256"] for s in doc["snapshots"]] == [
        json.loads(run("incident", "show", incident, "--json").output)["playbook"]["snapshot_sha256"]]
    with Store(tmp_path / "other.db") as other:
        imported = import_document(other, doc, where="out.json")
        assert other.playbook(imported.id).version == "1.1"
        assert other.playbook(imported.id).step("count").retired
        assert other.verify(imported.id).ok
        copy = import_document(other, doc, where="out.json", as_new=True)
        assert other.playbook(copy.id).sha256 == other.playbook(imported.id).sha256

    del doc["snapshots"]
    with Store(tmp_path / "third.db") as third, pytest.raises(ImportRefused, match="names snapshot .* which the file does not hold"):
        import_document(third, doc, where="out.json")


def test_a_refused_upgrade_is_one_line_and_exit_1(run_cli, tmp_path: Path, folder: Path) -> None:
    created = run_cli("--playbooks", str(folder), "incident", "new", "--playbook", "tiny", "--title", "A", check=True)
    other = tmp_path / "other.md"
    other.write_text(MARKDOWN.replace("id: tiny", "id: other"), encoding="utf-8")
    proc = run_cli("--playbooks", str(folder), "incident", "upgrade", created.stdout.strip(), "--to", str(other))
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("incidentkit: error: ") and "is playbook 'other'" in proc.stderr
    assert proc.stderr.count("\n") == 1
