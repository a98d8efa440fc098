"""milestone, notify and deadlines on the command line (in-process), the timeline lines they make,
the calendar file, and the JSON export's round trip of milestones and notifications."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidentkit.cli.group import cli
from incidentkit.core.deadlines.board import read_board
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.export.json_import import import_file
from incidentkit.core.export.writer import export_incident
from incidentkit.core.paths import AppPaths
from incidentkit.core.store import Store

PLAYBOOK = """---
id: due-test
title: Due test
---
# Due test

## Notify

- [ ] Tell the regulator {#tell role=legal due="72 hours"}
- [ ] Tell the insurer {#insurer due="2 days"}
- [ ] No clock {#plain}
"""


@pytest.fixture
def run(tmp_path: Path):
    data, books = tmp_path / "data", tmp_path / "books"
    books.mkdir()
    (books / "due.md").write_text(PLAYBOOK, encoding="utf-8")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--data-dir", str(data), "--playbooks", str(books), "--actor", "ann", *args])

    invoke.data = data
    return invoke


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def incident(run) -> str:
    aware = (datetime.now(timezone.utc) - timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ok(run("incident", "new", "--playbook", "due-test", "--title", "Vendor breach", "--at", aware)).strip()


def test_milestones_are_events_in_the_timeline(run, incident):
    event_id = ok(run("milestone", incident, "materiality-determined", "--at", "2026-01-05T10:00:00Z",
                      "--reason", "the board decided")).strip()
    assert len(event_id) == 32
    ok(run("milestone", incident, "risk-assessed", "--at", "2026-01-05T11:00:00Z", "--level", "high"))
    text = ok(run("timeline", "list", incident))
    assert "Milestone: we determined that the incident is material" in text and "the board decided" in text
    assert "Milestone: the risk to the people affected was assessed (likely to result in a high risk" in text
    printed = ok(run("deadlines", incident, "--json"))
    assert printed.count("\n") == 1  # one compact line
    doc = json.loads(printed)
    names = {m["name"]: m for m in doc["milestones"]}
    assert names["materiality-determined"]["at"] == "2026-01-05T10:00:00Z"
    assert names["risk-assessed"]["level"] == "high"


def test_recording_a_milestone_again_corrects_it_and_an_amendment_moves_it(run, incident):
    first = ok(run("milestone", incident, "discovered", "--at", "2026-01-05T10:00:00Z")).strip()
    ok(run("milestone", incident, "discovered", "--at", "2026-01-04T10:00:00Z", "--reason", "vendor email found"))
    doc = json.loads(ok(run("deadlines", incident, "--json")))
    assert {m["name"]: m["at"] for m in doc["milestones"]}["discovered"] == "2026-01-04T10:00:00Z"
    ok(run("timeline", "amend", incident, first, "--at", "2026-01-03T10:00:00Z", "--reason", "typo"))
    doc = json.loads(ok(run("deadlines", incident, "--json")))
    assert {m["name"]: m["at"] for m in doc["milestones"]}["discovered"] == "2026-01-04T10:00:00Z"  # latest wins


@pytest.mark.parametrize(("args", "message"), [
    (["aware", "--at", "2026-01-05T10:00:00Z"], "use `incidentkit incident aware`"),
    (["aware", "--at", "2026-01-05T10:00:00Z"], "the awareness time is the incident's own"),
    (["individuals-notified", "--at", "2026-01-05T10:00:00Z"], "follows from the notices sent"),
    (["lunch", "--at", "2026-01-05T10:00:00Z"], "unknown milestone 'lunch' (known: discovered, breach-determined"),
    (["risk-assessed", "--at", "2026-01-05T10:00:00Z"], "the risk assessment needs a level"),
    (["discovered", "--at", "2026-01-05T10:00:00Z", "--level", "high"], "only the 'risk-assessed' milestone"),
    (["discovered", "--at", "2099-01-05T10:00:00Z"], "is in the future"),
])
def test_milestone_refusals(run, incident, args, message):
    result = run("milestone", incident, *args)
    if "use `incidentkit incident aware`" in message:
        message = "correct it with `incidentkit incident aware ID --at ISO8601`"
    assert result.exit_code == 1 and message in str(result.exception), result.output


def test_notify_records_proof_of_what_was_sent(run, incident, tmp_path):
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(b"%PDF- the notice")
    event_id = ok(run("notify", incident, "gdpr-33-regulator", "--at", "2026-01-06T09:00:00Z", "--reference",
                      "CNIL-2026-42", "--channel", "portal", "--file", str(notice))).strip()
    doc = json.loads(ok(run("deadlines", incident, "--json", "--all")))
    [sent] = doc["notifications"]
    assert sent == {"rule_id": "gdpr-33-regulator", "at": "2026-01-06T09:00:00Z", "reference": "CNIL-2026-42",
                    "channel": "portal", "recipient": "the supervisory authority competent under Art. 55 (the lead "
                    "authority in cross-border cases)", "file_name": "notice.pdf",
                    "sha256": hashlib.sha256(b"%PDF- the notice").hexdigest(), "size": 16, "by": "ann",
                    "event_id": event_id}
    assert "Notice sent under gdpr-33-regulator" in ok(run("timeline", "list", incident))


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-rule", "--at", "2026-01-06T09:00:00Z", "--reference", "x"], "no rule with id 'no-such-rule'"),
    (["gdpr-33-regulator", "--at", "2026-01-06T09:00:00Z", "--reference", "  "], "the reference must not be empty"),
    (["gdpr-33-regulator", "--at", "2026-01-06T09:00:00Z", "--reference", "x", "--file", "/no/such/file"],
     "/no/such/file: no such file"),
])
def test_notify_refusals(run, incident, args, message):
    result = run("notify", incident, *args)
    assert result.exit_code == 1 and message in str(result.exception)


def test_a_closed_incident_takes_no_milestones(run, incident):
    ok(run("incident", "close", incident))
    result = run("milestone", incident, "discovered", "--at", "2026-01-05T10:00:00Z")
    assert result.exit_code == 1 and "is closed: reopen it first" in str(result.exception)


def test_deadlines_text_shows_step_deadlines_most_urgent_first(run, incident):
    text = ok(run("deadlines", incident, "--tz", "Europe/Paris"))
    assert text.startswith("Deadlines: Vendor breach (")
    # Aware 30 hours ago: "72 hours" leaves 42 h (41 h and some minutes); "2 days" (48 hours from
    # awareness, as the step detail shows it) ends sooner.
    regulator = text[text.index("step:tell") - 120:text.index("step:tell")]
    assert "41 h left" in regulator or "42 h left" in regulator
    assert text.index("step:insurer") < text.index("step:tell")
    assert "Next: Tell the insurer (playbook) by " in text
    assert " CET" in text or " CEST" in text
    assert "why: the playbook gives this step 72 hours from awareness" in text
    assert text.rstrip().endswith("Guidance, not legal advice: check each rule's sources and verify with counsel.")


def test_deadlines_all_adds_what_does_not_apply_with_reasons(run, incident):
    shown = json.loads(ok(run("deadlines", incident, "--json")))["obligations"]
    everything = json.loads(ok(run("deadlines", incident, "--json", "--all")))["obligations"]
    assert {o["status"] for o in shown} <= {"due", "overdue", "needs-input", "met", "met-late"}
    na = [o for o in everything if o["status"] == "not-applicable"]
    assert na and all(o["reason"] for o in na)
    assert len(everything) == len(shown) + len(na)
    ca = next(o for o in everything if o["rule_id"] == "us-ca-individuals")
    assert ca["reason"] == "no one affected in US-CA" and ca["sources"][0]["as_of"]
    assert set(ca) >= {"rule_id", "jurisdiction", "recipient", "status", "deadline", "clock_start", "reason", "sources"}


def test_deadlines_usage_errors(run, incident):
    assert run("deadlines", incident, "--tz", "Mars/Olympus").exit_code == 2
    assert run("deadlines", incident, "--ics").exit_code == 2
    assert run("deadlines", "ffffffff").exit_code == 1


def test_calendar_export_has_stable_uids_and_alarms(run, incident, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "deadlines.ics"
    assert ok(run("deadlines", incident, "--ics", "-o", str(out))).strip() == f"{out}: 2 deadlines"
    first = Calendar.from_ical(out.read_bytes())
    events = list(first.walk("VEVENT"))
    uids = sorted(str(e["UID"]) for e in events)
    assert uids == [f"{incident}-step:insurer@incidentkit", f"{incident}-step:tell@incidentkit"]
    alarms = [str(a["TRIGGER"].dt) for a in events[0].walk("VALARM")]
    assert alarms == ["-1 day, 0:00:00", "-1 day, 22:00:00"]
    assert "Guidance, not legal advice" in str(events[0]["DESCRIPTION"])
    ok(run("step", "done", incident, "tell"))
    ok(run("deadlines", incident, "--ics", "-o", str(out)))
    again = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert sorted(str(e["UID"]) for e in again) == uids                   # same events: an update, not copies
    tell = next(e for e in again if "step:tell" in str(e["UID"]))
    assert str(tell["SUMMARY"]).startswith("[met]") and not list(tell.walk("VALARM"))
    assert int(tell["SEQUENCE"]) > int(next(e for e in events if "step:tell" in str(e["UID"]))["SEQUENCE"])


def test_a_step_done_after_its_due_time_is_met_late(run, incident):
    ok(run("step", "done", incident, "insurer"))
    ok(run("step", "skip", incident, "tell", "--reason", "no regulator"))
    found = {o["rule_id"]: o for o in json.loads(ok(run("deadlines", incident, "--json", "--all")))["obligations"]}
    assert found["step:insurer"]["status"] == "met"
    assert found["step:tell"]["status"] == "not-applicable" and found["step:tell"]["reason"] == \
        "step skipped: no regulator"
    assert "step:plain" not in found


def test_json_export_round_trips_milestones_and_notifications(run, incident, tmp_path):
    ok(run("milestone", incident, "breach-determined", "--at", "2026-01-05T10:00:00Z", "--reason", "forensics"))
    ok(run("notify", incident, "us-ca-individuals", "--at", "2026-01-08T10:00:00Z", "--reference", "mail-1"))
    paths = AppPaths(run.data)
    rules = RulesLibrary.discover(paths).rules
    now = datetime(2026, 1, 9, tzinfo=timezone.utc)
    with Store.open(paths) as store:
        before = read_board(store, incident, rules=rules, now=now)
        export_incident(store, incident, "json", tmp_path / "out.json")
    (tmp_path / "other").mkdir()
    with Store(tmp_path / "other" / "incidentkit.db") as other:
        import_file(other, tmp_path / "out.json")
        after = read_board(other, incident, rules=rules, now=now)
    assert after.milestones == before.milestones and after.notifications == before.notifications
    assert after.obligations == before.obligations


def test_an_amendment_moves_a_notice_s_time(run, incident):
    aware = json.loads(ok(run("deadlines", incident, "--json")))["aware_at"]
    on_time = (datetime.fromisoformat(aware.replace("Z", "+00:00")) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    event_id = ok(run("notify", incident, "ukgdpr-33-regulator", "--at", on_time, "--reference", "ICO-1")).strip()
    found = {n["rule_id"]: n for n in json.loads(ok(run("deadlines", incident, "--json")))["notifications"]}
    assert found["ukgdpr-33-regulator"]["at"] == on_time
    late = (datetime.fromisoformat(aware.replace("Z", "+00:00")) + timedelta(hours=29)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ok(run("timeline", "amend", incident, event_id, "--at", late, "--reason", "the portal's receipt says so"))
    found = {n["rule_id"]: n for n in json.loads(ok(run("deadlines", incident, "--json")))["notifications"]}
    assert found["ukgdpr-33-regulator"]["at"] == late


def test_deadlines_loads_no_parser_template_engine_holidays_or_timeline_titles(run, incident):
    """A fresh process, as a user runs it: once the rules and holidays caches are filled, the board
    needs none of these (each costs the command start-up time; see bench/bench_deadlines.py)."""
    import subprocess
    import sys

    ok(run("deadlines", incident, "--json"))  # fills the caches, as any earlier run would
    heavy = ["yaml", "holidays", "pycountry", "jinja2", "markdown_it", "incidentkit.core.titles",
             "incidentkit.core.scope.edits", "incidentkit.core.writes"]
    code = ("import sys\nfrom incidentkit import cli\n"
            f"try:\n    cli.main(['--data-dir', {str(run.data)!r}, 'deadlines', {incident!r}, '--json'])\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert '"obligations"' in done.stdout
    assert done.stderr.split() == []
