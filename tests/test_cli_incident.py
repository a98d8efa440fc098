"""The incident, step, note, timeline and verify commands, run as real subprocesses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

HEX_ID = re.compile(r"^[0-9a-f]{32}\n$")


@pytest.fixture
def incident(cli) -> str:
    proc = cli("incident", "new", "--playbook", "tiny", "--title", "Vendor breach", "--at", "2026-11-28T09:00:00+01:00")
    assert proc.returncode == 0, proc.stderr
    assert HEX_ID.match(proc.stdout), proc.stdout
    return proc.stdout.strip()


def ok(proc) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def domain_error(proc, message: str) -> None:
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"incidentkit: error: {message}\n"


def test_steps_notes_and_show(cli, incident: str) -> None:
    short = incident[:7]
    assert HEX_ID.match(ok(cli("step", "done", short, "confirm", actor="bob")))
    ok(cli("step", "skip", short, "count", "--reason", "the vendor counts for us"))
    ok(cli("step", "assign", short, "notify", "Lee Legal"))
    ok(cli("note", short, "notify", "Call the DPA hotline\nbefore noon"))
    assert ok(cli("note", short, "notify", "Call the DPA hotline\nbefore noon")) == ""

    text = ok(cli("incident", "show", short))
    assert text.startswith("Vendor breach\n")
    assert f"id:        {incident}" in text
    assert "aware at:  2026-11-28T08:00:00.000000+00:00" in text
    assert "Scope  (2/2)" in text and "Notify  (0/1)" in text
    assert "[x] confirm: Confirm the breach in writing" in text and "done by bob at " in text
    assert "[-] count: Count affected people" in text and "reason: the vendor counts for us" in text
    assert "[ ] notify: Notify the regulator" in text and "assigned to: Lee Legal" in text
    assert "note: Call the DPA hotline" in text

    shown = json.loads(ok(cli("incident", "show", incident, "--json")))
    assert (shown["id"], shown["title"], shown["status"]) == (incident, "Vendor breach", "open")
    assert (shown["done"], shown["skipped"], shown["total"]) == (1, 1, 3)
    steps = {s["id"]: s for phase in shown["phases"] for s in phase["steps"]}
    assert (steps["confirm"]["state"], steps["confirm"]["by"]) == ("done", "bob")
    assert (steps["count"]["state"], steps["count"]["reason"]) == ("skipped", "the vendor counts for us")
    assert (steps["notify"]["assignee"], steps["notify"]["note"]) == ("Lee Legal", "Call the DPA hotline\nbefore noon")
    assert shown["playbook"]["id"] == "tiny" and len(shown["playbook"]["snapshot_sha256"]) == 64

    ok(cli("step", "reopen", short, "confirm"))
    assert json.loads(ok(cli("incident", "show", short, "--json")))["done"] == 0


def test_timeline_add_amend_list_and_verify(cli, incident: str) -> None:
    added = ok(cli("timeline", "add", incident, "--title", "Vendor emailed us", "--at", "2026-11-27T14:00Z",
                   "--detail", "From security@vendor", "--category", "vendor"))
    assert HEX_ID.match(added)
    entry = added.strip()
    fix = ok(cli("timeline", "amend", incident, entry[:8], "--at", "2026-11-27T13:00Z", "--reason", "mail header"))
    assert HEX_ID.match(fix)

    events = json.loads(ok(cli("timeline", "list", incident, "--json")))
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert set(events[1]) >= {"id", "seq", "kind", "step_id", "occurred_at", "recorded_at", "actor", "payload", "hash"}
    assert events[1]["payload"] == {"title": "Vendor emailed us", "detail": "From security@vendor", "category": "vendor"}
    assert events[2]["payload"]["target"] == entry

    lines = ok(cli("timeline", "list", incident)).splitlines()
    assert lines[0].startswith("2026-11-27T13:00:00.000000+00:00  #2")
    assert lines[0].endswith("ann: Timeline: Vendor emailed us (amended)  [vendor]")

    verified = ok(cli("verify", incident))
    assert verified == f"ok: 3 events, head {events[-1]['hash']}\n"


def test_list_close_reopen_rename(cli, incident: str) -> None:
    assert ok(cli("incident", "list")).startswith(f"{incident[:12]}  open        0/3  2026-11-28T08:00  Vendor breach")
    ok(cli("incident", "close", incident))
    domain_error(cli("step", "done", incident, "confirm"), f"incident {incident[:8]} is closed: reopen it first")
    ok(cli("incident", "reopen", incident))
    ok(cli("incident", "rename", incident, "Acme vendor breach"))
    [row] = json.loads(ok(cli("incident", "list", "--json")))
    assert (row["id"], row["title"], row["status"], row["total"]) == (incident, "Acme vendor breach", "open", 3)


def test_domain_errors_are_one_line_and_exit_1(cli, incident: str) -> None:
    domain_error(cli("step", "done", incident, "nope"),
                 f"incident {incident[:8]} has no step 'nope' (see `incidentkit incident show`)")
    domain_error(cli("incident", "show", "zz"), "no incident matches 'zz'")
    ok(cli("step", "done", incident, "confirm"))
    domain_error(cli("step", "done", incident, "confirm"), "step 'confirm' is already done")
    domain_error(cli("step", "skip", incident, "count", "--reason", " "), "the reason for skipping must not be empty")
    domain_error(cli("incident", "new", "--playbook", "no-such", "--title", "x"),
                 "no playbook with id 'no-such' (known: tiny, vendor-data-breach)")


def test_usage_errors_exit_2(cli, incident: str) -> None:
    bad_time = cli("timeline", "add", incident, "--title", "x", "--at", "yesterday-ish")
    assert bad_time.returncode == 2 and "is not an ISO 8601 time" in bad_time.stderr
    missing = cli("step", "skip", incident, "count")
    assert missing.returncode == 2 and "--reason" in missing.stderr
    assert "Traceback" not in bad_time.stderr + missing.stderr


def test_a_foreign_database_file_is_one_line_error(cli, data_dir: Path) -> None:
    (data_dir / "incidentkit.db").write_text("not a database")
    proc = cli("incident", "list")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "not an IncidentKit database" in proc.stderr
    assert (data_dir / "incidentkit.db").read_text() == "not a database"
