"""`incidentkit export` and `incidentkit import` through the real main(), in-process."""

from __future__ import annotations

import csv
import io
import json

import pytest
from export_helpers import TITLE, hostile_incident
from incident_helpers import open_store


@pytest.fixture
def incident_id(data_dir) -> str:
    with open_store(data_dir) as store:
        incident, _ = hostile_incident(store)
    return incident.id


def test_export_every_format_to_files_and_import_back(run_cli, data_dir, incident_id, tmp_path):
    names = {"md": "t.md", "html": "t.html", "pdf": "t.pdf", "csv": "t.csv",
             "timesketch-jsonl": "t.jsonl", "timesketch-csv": "ts.csv", "json": "t.json"}
    for fmt, name in names.items():
        proc = run_cli("export", incident_id[:8], "--format", fmt, "-o", str(tmp_path / name), check=True)
        assert f"exported 7 events of incident {incident_id}" in proc.stdout
        assert (tmp_path / name).stat().st_size > 0
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")

    other = tmp_path / "other"
    proc = run_cli("import", str(tmp_path / "t.json"), env={"INCIDENTKIT_DATA_DIR": str(other)}, check=True)
    assert proc.stdout.strip() == incident_id
    again = run_cli("export", incident_id, "-o", str(tmp_path / "again.json"),
                    env={"INCIDENTKIT_DATA_DIR": str(other)}, check=True)
    assert again.returncode == 0
    first, second = (json.loads((tmp_path / n).read_text()) for n in ("t.json", "again.json"))
    assert first["events"] == second["events"]

    refused = run_cli("import", str(tmp_path / "t.json"), env={"INCIDENTKIT_DATA_DIR": str(other)})
    assert refused.returncode == 1 and "already exists" in refused.stderr and "Traceback" not in refused.stderr
    copy = run_cli("import", "--as-new", str(tmp_path / "t.json"), env={"INCIDENTKIT_DATA_DIR": str(other)},
                   check=True)
    assert copy.stdout.strip() != incident_id


def test_export_to_stdout_with_options(run_cli, incident_id):
    proc = run_cli("export", incident_id, "-f", "csv", "-o", "-", "--include", "state", check=True)
    rows = list(csv.reader(io.StringIO(proc.stdout.lstrip("\ufeff"), newline="")))
    kinds = {r[4] for r in rows[1:rows.index([])]}
    assert kinds == {"incident.opened", "step.done", "step.skipped", "step.assigned"}
    jsonl = run_cli("export", incident_id, "-f", "timesketch-jsonl", "-o", "-", "--tz", "America/New_York",
                    "--until", "2026-11-20T08:00:00Z", check=True)
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [r["datetime"] for r in records] == ["2026-11-20T02:30:00-05:00", "2026-11-20T03:00:00-05:00"]
    md = run_cli("export", incident_id, "-o", "-", "-f", "md", "--no-notes", check=True)
    assert md.stdout.startswith(f"# {TITLE}") and "alert(1)" not in md.stdout


def test_format_guessed_from_the_file_name(run_cli, incident_id, tmp_path):
    run_cli("export", incident_id, "-o", str(tmp_path / "x.jsonl"), check=True)
    assert json.loads((tmp_path / "x.jsonl").read_text().splitlines()[0])["timestamp_desc"]
    run_cli("export", incident_id, "-o", str(tmp_path / "x.csv"), check=True)
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # the spreadsheet CSV
    assert "'=HYPERLINK(" in (tmp_path / "x.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["-o", "-"], 2, "give --format"),
        (["-o", "x.unknown"], 2, "give --format"),
        (["-f", "pdf", "-o", "-"], 2, "binary format"),
        (["-f", "md", "-o", "-", "--tz", "Mars/Olympus"], 2, "unknown time zone"),
        (["-f", "md", "-o", "-", "--since", "last tuesday"], 2, "not an ISO 8601 time"),
        (["-f", "md", "-o", "-", "--since", "2026-12-01", "--until", "2026-11-01"], 1, "--since is later"),
        (["-f", "md", "-o", "{tmp}/missing/x.md"], 1, "does not exist"),
    ],
)
def test_bad_export_arguments_get_one_line(run_cli, incident_id, tmp_path, args, code, message):
    proc = run_cli("export", incident_id, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "missing").exists()


def test_unknown_incident_and_bad_import_file(run_cli, data_dir, tmp_path):
    run_cli("incident", "new", "--playbook", "vendor-data-breach", "--title", "x", check=True)
    proc = run_cli("export", "abcdef", "-f", "md", "-o", "-")
    assert proc.returncode == 1 and "no incident matches" in proc.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    proc = run_cli("import", str(bad))
    assert proc.returncode == 1 and "not valid JSON" in proc.stderr and proc.stderr.count("\n") == 1
