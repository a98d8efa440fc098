"""Times that cannot be right are refused (the future, before 1970, a close before the opening);
a time before the awareness time is only warned about. In the core, and through the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cli_inprocess import InProcessCli
from incident_helpers import MARKDOWN, tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core import times
from incidentkit.core.errors import IncidentKitError, StateError

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def incident(store) -> str:
    return ops.open_incident(store, playbook=tiny_playbook(), title="Vendor breach", actor="ann", aware_at=AWARE).id


def later(minutes: float) -> datetime:
    return now() + timedelta(minutes=minutes)


# core ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("when", ["11 minutes ahead", datetime(2099, 1, 1, tzinfo=timezone.utc),
                                  datetime(1969, 12, 31, tzinfo=timezone.utc), datetime(2, 1, 1, tzinfo=timezone.utc)])
def test_every_operation_taking_a_time_refuses_an_impossible_one(store, incident, when):
    if when == "11 minutes ahead":  # from now, not from when the tests were collected
        when = later(11)
    entry = ops.add_timeline_entry(store, incident_id=incident, title="vendor called", actor="ann")
    calls = [
        lambda: ops.open_incident(store, playbook=tiny_playbook(), title="T", actor="ann", aware_at=when),
        lambda: ops.complete_step(store, incident_id=incident, step_id="confirm", actor="ann", occurred_at=when),
        lambda: ops.skip_step(store, incident_id=incident, step_id="count", reason="r", actor="ann", occurred_at=when),
        lambda: ops.assign_step(store, incident_id=incident, step_id="count", assignee="Sam", actor="ann",
                                occurred_at=when),
        lambda: ops.note_step(store, incident_id=incident, step_id="count", text="n", actor="ann", occurred_at=when),
        lambda: ops.add_timeline_entry(store, incident_id=incident, title="x", actor="ann", occurred_at=when),
        lambda: ops.amend_event(store, incident_id=incident, event_id=entry.id, actor="ann",
                                reason="typo", occurred_at=when),
        lambda: ops.correct_awareness(store, incident_id=incident, aware_at=when, reason="typo", actor="ann"),
        lambda: ops.close_incident(store, incident_id=incident, actor="ann", occurred_at=when),
    ]
    for call in calls:
        with pytest.raises(times.ImpossibleTime, match="cannot be right"):
            call()
    assert store.event_count(incident) == 2 and len(store.incidents()) == 1


def test_clock_skew_of_a_few_minutes_is_accepted(store, incident):
    ops.add_timeline_entry(store, incident_id=incident, title="x", actor="ann", occurred_at=later(9))
    assert store.event_count(incident) == 2


def test_a_close_before_the_opening_is_refused(store, incident):
    with pytest.raises(StateError, match="cannot close at 2026-11-20 08:59 UTC, before it was opened "
                                         r"\(aware at 2026-11-20 09:00 UTC\)"):
        ops.close_incident(store, incident_id=incident, actor="ann", occurred_at=AWARE - timedelta(minutes=1))
    ops.close_incident(store, incident_id=incident, actor="ann", occurred_at=AWARE)
    assert store.last_kind(incident, (ev.INCIDENT_CLOSED,)) == ev.INCIDENT_CLOSED


def test_skip_assign_and_note_take_a_time(store, incident):
    at = AWARE + timedelta(hours=2)
    skipped = ops.skip_step(store, incident_id=incident, step_id="count", reason="r", actor="ann", occurred_at=at)
    assigned = ops.assign_step(store, incident_id=incident, step_id="notify", assignee="Sam", actor="ann",
                               occurred_at=at)
    noted = ops.note_step(store, incident_id=incident, step_id="notify", text="n", actor="ann", occurred_at=at)
    assert {skipped.occurred_at, assigned.occurred_at, noted.occurred_at} == {ev.format_ts(at)}


def test_a_time_before_the_awareness_time_is_a_warning(store, incident):
    before = AWARE - timedelta(days=3)
    assert times.awareness_warning(store, incident[:6], before) == (
        "2026-11-17 09:00 UTC is before the awareness time (2026-11-20 09:00 UTC): right for when the breach "
        "itself happened, otherwise check the date")
    assert times.awareness_warning(store, incident, AWARE) is None
    # Warned about, never refused.
    ops.add_timeline_entry(store, incident_id=incident, title="Breach began", actor="ann", occurred_at=before)


# CLI -------------------------------------------------------------------------------------------
@pytest.fixture
def cli(tmp_path, capsys) -> InProcessCli:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "tiny.md").write_text(MARKDOWN, encoding="utf-8")
    return InProcessCli(tmp_path / "data", "--playbooks", str(folder), "--actor", "ann")


@pytest.fixture
def cli_incident(cli) -> str:
    return cli.ok("incident", "new", "--playbook", "tiny", "--title", "T", "--at", "2026-11-20T10:00:00+01:00").strip()


def test_cli_refuses_future_times_with_one_clear_line(cli, cli_incident):
    for args in (("incident", "new", "--playbook", "tiny", "--title", "T", "--at", "2031-01-01T09:00"),
                 ("step", "done", cli_incident, "confirm", "--at", "2099-05-01"),
                 ("timeline", "add", cli_incident, "--title", "x", "--at", "2030-01-01")):
        result = cli(*args)
        assert result.code == 2 and result.out == ""
        assert "is in the future (this computer's clock says " in result.err
        assert "a time more than 10 minutes ahead cannot be right; check the date" in result.err
        assert "Traceback" not in result.err
    assert cli.ok("verify", cli_incident).startswith("ok: 1 events")


@pytest.mark.parametrize("at, same_as", [("9999-12-31T23:59:59-01:00", "2099-01-01"),
                                         ("9999-06-01", "2099-01-01"),
                                         ("0001-01-01T00:00:00+01:00", "1960-01-01")])
def test_years_1_and_9999_get_the_same_message_as_other_impossible_times(cli, cli_incident, at, same_as):
    impossible = cli("timeline", "add", cli_incident, "--title", "x", "--at", at)
    other = cli("timeline", "add", cli_incident, "--title", "x", "--at", same_as)
    assert impossible.code == other.code == 2
    assert "ISO 8601" not in impossible.err

    def reason(err: str) -> str:
        return err.split(": ", 2)[-1].split(" is ", 1)[1].split("(this computer")[0]

    assert reason(impossible.err) == reason(other.err)


def test_cli_refuses_a_close_before_the_opening(cli, cli_incident):
    result = cli("incident", "close", cli_incident, "--at", "2026-11-20T08:00:00+00:00")
    assert result.code == 1 and result.out == ""
    assert result.err == (f"incidentkit: error: incident {cli_incident[:8]} cannot close at 2026-11-20 08:00 UTC, "
                          "before it was opened (aware at 2026-11-20 09:00 UTC); check the date\n")


def test_cli_warns_on_stderr_about_a_time_before_the_awareness_time(cli, cli_incident):
    result = cli("timeline", "add", cli_incident, "--title", "Breach began", "--at", "2026-11-01T00:00:00Z")
    assert result.code == 0 and len(result.out.strip()) == 32
    assert result.err == ("incidentkit: warning: 2026-11-01 00:00 UTC is before the awareness time "
                          "(2026-11-20 09:00 UTC): right for when the breach itself happened, otherwise check the date\n")
    assert cli("step", "done", cli_incident, "confirm", "--at", "2026-11-20T12:00:00Z").err == ""


def test_cli_skip_assign_and_note_accept_at(cli, cli_incident):
    import json

    cli.ok("step", "skip", cli_incident, "count", "--reason", "vendor counts", "--at", "2026-11-21T08:00:00Z")
    cli.ok("step", "assign", cli_incident, "notify", "Sam", "--at", "2026-11-21T09:00:00Z")
    cli.ok("note", cli_incident, "notify", "Call the DPA", "--at", "2026-11-21T10:00:00Z")
    events = json.loads(cli.ok("timeline", "list", cli_incident, "--json"))
    assert [(e["kind"], e["occurred_at"]) for e in events[1:]] == [
        ("step.skipped", "2026-11-21T08:00:00.000000+00:00"),
        ("step.assigned", "2026-11-21T09:00:00.000000+00:00"),
        ("step.noted", "2026-11-21T10:00:00.000000+00:00"),
    ]
    result = cli("step", "assign", cli_incident, "confirm", "Sam", "--at", "2099-01-01")
    assert result.code == 2 and "cannot be right" in result.err


def test_refused_time_from_the_core_is_one_line_too(store, incident):
    """The window and any other caller get the core's refusal: an IncidentKitError, one line."""
    with pytest.raises(IncidentKitError) as info:
        ops.add_timeline_entry(store, incident_id=incident, title="x", actor="ann",
                               occurred_at=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert "\n" not in str(info.value) and str(info.value).startswith("2030-01-01 00:00 UTC is in the future")
