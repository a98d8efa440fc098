"""`incidentkit import FILE` with hostile files, through the real main() in-process.

Every refusal must be one line on stderr, exit 1, no traceback, and leave the database
exactly as it was (the data folder already holds an incident, whose rows are compared).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from export_helpers import hostile_incident, rechain
from incident_helpers import open_store

from incidentkit.core.export.writer import export_incident

HUGE = "x" * 3_000_000


@pytest.fixture
def good(data_dir: Path, tmp_path: Path) -> dict:
    """A valid export of an incident the data folder already holds."""
    with open_store(data_dir) as store:
        incident, _ = hostile_incident(store)
        export_incident(store, incident.id, "json", tmp_path / "good.json")
    return json.loads((tmp_path / "good.json").read_text(encoding="utf-8"))


def rows(data_dir: Path) -> list[str]:
    conn = sqlite3.connect(data_dir / "incidentkit.db")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def resnapshot(doc: dict, markdown: str) -> None:
    """Replace the playbook snapshot and make its sha256 match everywhere."""
    sha = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
    doc["playbook"] = {"sha256": sha, "markdown": markdown}
    doc["incident"]["snapshot_sha256"] = sha
    doc["events"][0]["payload"]["snapshot_sha256"] = sha
    rechain(doc)


def assert_refused(run_cli, data_dir: Path, path: Path, message: str) -> None:
    before = rows(data_dir)
    proc = run_cli("import", str(path))
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("incidentkit: error: "), proc.stderr[:500]
    assert message in proc.stderr, proc.stderr[:500]
    assert len(proc.stderr) < 400, "the error line quotes too much of the file"
    assert proc.stdout == ""
    assert rows(data_dir) == before


@pytest.mark.parametrize("content, message", [
    (b"", "not valid JSON"),
    (b"not json at all", "not valid JSON"),
    (b"[1, 2, 3]", "expected a JSON object"),
    (b"null", "expected a JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
    (b"\xff\xfe{}", "not UTF-8"),
])
def test_files_that_are_not_exports(run_cli, data_dir, good, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert_refused(run_cli, data_dir, path, message)


def test_a_folder_a_device_and_a_missing_file(run_cli, data_dir, good, tmp_path):
    assert_refused(run_cli, data_dir, tmp_path / "missing.json", "cannot read")
    assert_refused(run_cli, data_dir, Path("/dev/zero"), "not a file (a device)")  # was read until memory ran out
    folder = run_cli("import", str(tmp_path))  # click refuses it as a usage error
    assert folder.returncode == 2 and "is a directory" in folder.stderr and "Traceback" not in folder.stderr


CHANGES = {
    "incident is a list": (lambda d: d.update(incident=[1]), 'no "incident" object'),
    "title is a number": (lambda d: d["incident"].update(title=5), "incident.title"),
    "incident id is null": (lambda d: d["incident"].update(id=None), "incident.id"),
    "aware_at is not a time": (lambda d: d["incident"].update(aware_at="yesterday"), "incident.aware_at"),
    "created_at is huge": (lambda d: d["incident"].update(created_at=HUGE), "incident.created_at"),
    "event id is null": (lambda d: d["events"][0].update(id=None), "events[0].id"),
    "event id is huge": (lambda d: d["events"][0].update(id=HUGE), "events[0].id"),
    "payload is a list": (lambda d: (d["events"][1].update(payload=[1]), rechain(d)), "events[1].payload"),
    "seq is a float": (lambda d: d["events"][0].update(seq=1.0), "seq is not an integer"),
    "seq is a bool": (lambda d: d["events"][0].update(seq=True), "seq is not an integer"),
    "seq is enormous": (lambda d: (d["events"][0].update(seq=10**30), rechain(d)), "hash chain broken"),
    "step_id is a number": (lambda d: d["events"][1].update(step_id=3), "events[1].step_id"),
    "kind is a number": (lambda d: d["events"][1].update(kind=3), "events[1].kind"),
    "actor is a list": (lambda d: d["events"][1].update(actor=["a"]), "events[1].actor"),
    "events is an object": (lambda d: d.update(events={}), "no events"),
    "an event is a number": (lambda d: d["events"].append(5), "events[7] is not an object"),
    "schema_version is text": (lambda d: d.update(schema_version="1"), "schema_version"),
    "schema_version is true": (lambda d: d.update(schema_version=True), "schema_version"),
    "format is huge": (lambda d: d.update(format=HUGE), "not an IncidentKit incident export"),
    "playbook is text": (lambda d: d.update(playbook="x"), "playbook.markdown"),
    "markdown is a number": (lambda d: d["playbook"].update(markdown=5), "playbook.markdown"),
    "occurred_at is huge": (lambda d: d["events"][0].update(occurred_at=HUGE), "not an ISO 8601 time"),
    "occurred_at is no date": (lambda d: d["events"][0].update(occurred_at="2026-13-45T00:00:00Z"),
                               "not an ISO 8601 time"),
    "occurred_at overflows UTC": (lambda d: d["events"][0].update(occurred_at="0001-01-01T00:00:00+01:00"),
                                  "not an ISO 8601 time"),
    "snapshot sha does not match": (lambda d: d["playbook"].update(markdown=d["playbook"]["markdown"] + "x"),
                                    "does not match its sha256"),
    "snapshot is not a playbook": (lambda d: resnapshot(d, "Just some text, no front matter.\n"),
                                   "the playbook snapshot does not load"),
    "snapshot is empty": (lambda d: resnapshot(d, ""), "the playbook snapshot does not load"),
    "snapshot front matter is a list": (lambda d: resnapshot(d, "---\n- a\n- b\n---\n# T\n\n- [ ] x\n"),
                                        "the playbook snapshot does not load"),
    "head_hash is a number": (lambda d: d.update(head_hash=5), "head_hash"),
    "a lone surrogate in a note": (lambda d: d["events"][2]["payload"].update(text="\ud800"), "not valid Unicode"),
    "a lone surrogate in an actor": (lambda d: d["events"][2].update(actor="a\udfffb"), "not valid Unicode"),
    "a lone surrogate in the title": (lambda d: d["incident"].update(title="\ud800"), "not valid Unicode"),
    "a lone surrogate in the snapshot": (lambda d: d["playbook"].update(markdown="\ud800"), "not valid Unicode"),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_hostile_fields_are_refused_with_one_line(run_cli, data_dir, good, tmp_path, name):
    change, message = CHANGES[name]
    doc = copy.deepcopy(good)
    change(doc)
    path = tmp_path / "hostile.json"
    # ensure_ascii keeps lone surrogates as \ud800 escapes, as a hostile file would carry them.
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert_refused(run_cli, data_dir, path, message)


def import_elsewhere(run_cli, tmp_path: Path, doc: dict, check: bool = True):
    """Import `doc` into a fresh data folder; returns the process and the env naming that folder."""
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    env = {"INCIDENTKIT_DATA_DIR": str(other)}
    return run_cli("import", str(path), env=env, check=check), env


def test_a_lone_surrogate_in_a_new_incident_is_refused_and_nothing_is_written(run_cli, good, tmp_path):
    """The same with an incident the database does not hold, so the refusal cannot come from the id check."""
    doc = copy.deepcopy(good)
    doc["incident"]["title"] = "\udc00"
    proc, env = import_elsewhere(run_cli, tmp_path, doc, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "not valid Unicode" in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert not (tmp_path / "other" / "incidentkit.db").exists()  # a refused file makes no database


def test_an_unknown_event_kind_in_a_verified_chain_is_imported(run_cli, good, tmp_path):
    """Unknown kinds are allowed by design (projections skip them, so later versions can add
    kinds); a re-chained file with one imports into a fresh database and exports safely."""
    doc = copy.deepcopy(good)
    doc["events"][1]["kind"] = "=cmd|' /C calc'!A0"
    rechain(doc)
    proc, env = import_elsewhere(run_cli, tmp_path, doc)
    incident_id = proc.stdout.strip().split()[-1]
    assert run_cli("verify", incident_id, env=env, check=True).stdout.startswith("ok: 7 events")
    csv_out = run_cli("export", incident_id, "-f", "csv", "-o", "-", env=env, check=True).stdout
    assert "'=cmd|" in csv_out and "\n=cmd" not in csv_out


def test_an_imported_time_in_another_offset_is_listed_in_utc_and_in_order(run_cli, good, tmp_path):
    doc = copy.deepcopy(good)
    # The last event (the amendment, recorded now) moved to 07:59 UTC, written as +05:30: as
    # text it would sort after the entry at 08:00 UTC; as an instant it comes before it.
    doc["events"][-1]["occurred_at"] = "2026-11-20T13:29:00+05:30"
    rechain(doc)
    proc, env = import_elsewhere(run_cli, tmp_path, doc)
    incident_id = proc.stdout.strip().split()[-1]
    lines = [line for line in run_cli("timeline", "list", incident_id, env=env, check=True).stdout.splitlines()
             if not line.startswith(" ")]
    times = [line.split()[0] for line in lines]
    assert times[:3] == ["2026-11-20T07:30:00.000000+00:00", "2026-11-20T07:59:00.000000+00:00",
                         "2026-11-20T08:00:00.000000+00:00"]
    assert times == sorted(times)
    # The raw JSON keeps the time exactly as recorded (it is hashed).
    raw = json.loads(run_cli("timeline", "list", incident_id, "--json", env=env, check=True).stdout)
    assert raw[-1]["occurred_at"] == "2026-11-20T13:29:00+05:30"


def test_an_export_piped_in_through_dev_stdin_imports(run_process, good, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    # A real pipe: /dev/stdin is the process's own standard input.
    proc = run_process("import", "/dev/stdin", input=json.dumps(good), env={"INCIDENTKIT_DATA_DIR": str(other)})
    assert proc.returncode == 0 and proc.stdout.strip().endswith(good["incident"]["id"]), proc.stderr


def test_amending_an_imported_amendment_whose_target_is_a_number(run_cli, good, tmp_path):
    doc = copy.deepcopy(good)
    amendment = next(e for e in doc["events"] if e["kind"] == "timeline.amended")
    amendment["payload"]["target"] = 42
    rechain(doc)
    proc, env = import_elsewhere(run_cli, tmp_path, doc)
    incident_id = proc.stdout.strip().split()[-1]
    amend = run_cli("timeline", "amend", incident_id, amendment["id"], "--title", "x", "--reason", "r", env=env)
    assert amend.returncode == 1 and "Traceback" not in amend.stderr and amend.stderr.count("\n") == 1
    assert "is itself an amendment" in amend.stderr
