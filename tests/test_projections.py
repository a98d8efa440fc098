"""Projection rules as pure functions over hand-made events (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incident_helpers import tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core.events import Event
from incidentkit.core.projections import StepState, project, timeline

PB = tiny_playbook()


class Log:
    """Builds a chain of events with contiguous seqs and times one minute apart."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, kind: str, step_id: str | None = None, actor: str = "ann",
            at: str | None = None, **payload: object) -> Event:
        seq = len(self.events) + 1
        when = at or f"2026-11-29T10:{seq:02d}:00.000000+00:00"
        prev = self.events[-1].hash if self.events else ev.GENESIS_HASH
        event = Event(f"e{seq:031x}", "i1", seq, kind, step_id, actor, when, when, dict(payload), prev)
        event = Event(**{**event.__dict__, "hash": ev.chain_hash(prev, event)})
        self.events.append(event)
        return event


@pytest.fixture
def log() -> Log:
    log = Log()
    log.add(ev.INCIDENT_OPENED, title="Vendor breach", aware_at="2026-11-29T09:00:00.000000+00:00")
    return log


def test_a_new_incident_has_every_step_open(log: Log) -> None:
    state = project(PB, log.events)
    assert state.title == "Vendor breach"
    assert state.status == "open"
    assert state.aware_at == "2026-11-29T09:00:00.000000+00:00"
    assert {s.status for s in state.steps.values()} == {"open"}
    assert (state.done, state.skipped, state.total, state.progress) == (0, 0, 3, 0.0)


def test_done_records_who_and_when_and_counts_per_phase(log: Log) -> None:
    done = log.add(ev.STEP_DONE, "confirm", actor="bob")
    state = project(PB, log.events)
    step = state.steps["confirm"]
    assert (step.status, step.by, step.at) == ("done", "bob", done.occurred_at)
    assert [(p.phase_id, p.done, p.total) for p in state.phases] == [("scope", 1, 2), ("notify", 0, 1)]
    assert state.progress == pytest.approx(1 / 3)
    assert state.step("confirm") is step
    assert state.step("not-in-the-playbook") == StepState(step_id="not-in-the-playbook")  # untouched: open


def test_reopen_after_done_opens_the_step_again(log: Log) -> None:
    log.add(ev.STEP_DONE, "confirm")
    log.add(ev.STEP_REOPENED, "confirm", actor="cy")
    step = project(PB, log.events).steps["confirm"]
    assert (step.status, step.by) == ("open", "cy")


def test_skip_keeps_its_reason_and_counts_as_finished(log: Log) -> None:
    log.add(ev.STEP_SKIPPED, "count", reason="vendor counts for us")
    state = project(PB, log.events)
    assert state.steps["count"].reason == "vendor counts for us"
    assert (state.skipped, state.phases[0].finished) == (1, 1)


def test_the_later_event_by_seq_wins_whatever_the_input_order(log: Log) -> None:
    log.add(ev.STEP_SKIPPED, "notify", reason="no")
    log.add(ev.STEP_DONE, "notify")
    shuffled = list(reversed(log.events))
    step = project(PB, shuffled).steps["notify"]
    assert (step.status, step.reason) == ("done", None)


def test_latest_note_and_assignment_win_and_empty_assignee_unassigns(log: Log) -> None:
    log.add(ev.STEP_NOTED, "count", text="first")
    log.add(ev.STEP_NOTED, "count", actor="dee", text="second")
    log.add(ev.STEP_ASSIGNED, "count", assignee="Eve")
    step = project(PB, log.events).steps["count"]
    assert (step.note, step.note_by, step.assignee) == ("second", "dee", "Eve")
    log.add(ev.STEP_ASSIGNED, "count", assignee="")
    assert project(PB, log.events).steps["count"].assignee is None


def test_close_reopen_and_rename(log: Log) -> None:
    closed = log.add(ev.INCIDENT_CLOSED)
    state = project(PB, log.events)
    assert (state.status, state.closed_at) == ("closed", closed.occurred_at)
    log.add(ev.INCIDENT_REOPENED)
    log.add(ev.INCIDENT_RENAMED, title="Vendor X breach")
    state = project(PB, log.events)
    assert (state.status, state.closed_at, state.title) == ("open", None, "Vendor X breach")
    assert (state.event_count, state.last_seq, state.head_hash) == (4, 4, log.events[-1].hash)


def test_unknown_steps_and_kinds_do_not_break_the_projection(log: Log) -> None:
    log.add(ev.STEP_DONE, "gone-from-playbook")
    log.add("future.kind", "confirm")
    state = project(PB, log.events)
    assert "gone-from-playbook" not in state.steps
    assert state.done == 0
    titles = [item.title for item in timeline(PB, log.events)]
    assert "Completed: gone-from-playbook" in titles
    assert "future.kind: Confirm the breach in writing" in titles


def test_timeline_titles_are_one_human_line_per_event(log: Log) -> None:
    log.add(ev.STEP_DONE, "confirm")
    log.add(ev.STEP_SKIPPED, "count", reason="not needed")
    log.add(ev.STEP_NOTED, "notify", text="call them")
    log.add(ev.STEP_ASSIGNED, "notify", assignee="Lee")
    log.add(ev.TIMELINE_ENTRY, title="Vendor called", detail="by phone", category="vendor")
    items = timeline(PB, log.events)
    assert [i.title for i in items] == [
        "Incident opened: Vendor breach",
        "Completed: Confirm the breach in writing",
        "Skipped: Count affected people — not needed",
        "Note on Notify the regulator",
        "Assigned Notify the regulator to Lee",
        "Timeline: Vendor called",
    ]
    assert (items[3].detail, items[5].detail, items[5].category) == (
        "Note added: “call them”", "by phone", "vendor")


def test_timeline_is_chronological_by_occurred_at_then_seq(log: Log) -> None:
    late = log.add(ev.TIMELINE_ENTRY, title="recorded now, happened yesterday",
                   at="2026-11-28T08:00:00.000000+00:00")
    same_a = log.add(ev.TIMELINE_ENTRY, title="a", at="2026-11-29T12:00:00.000000+00:00")
    same_b = log.add(ev.TIMELINE_ENTRY, title="b", at="2026-11-29T12:00:00.000000+00:00")
    order = [i.event.id for i in timeline(PB, log.events)]
    assert order[0] == late.id
    assert order.index(same_a.id) < order.index(same_b.id)


def test_amendment_corrects_the_item_keeps_the_original_and_appears_itself(log: Log) -> None:
    entry = log.add(ev.TIMELINE_ENTRY, title="Vendr called", detail="", category="vendor")
    fix = log.add(ev.TIMELINE_AMENDED, target=entry.id, title="Vendor called",
                  occurred_at="2026-11-28T07:00:00.000000+00:00", reason="typo and wrong day")
    items = {i.event.id: i for i in timeline(PB, log.events)}
    fixed = items[entry.id]
    assert (fixed.title, fixed.occurred_at) == ("Timeline: Vendor called", "2026-11-28T07:00:00.000000+00:00")
    assert fixed.original == {"title": "Vendr called", "occurred_at": entry.occurred_at}
    assert fixed.amended_by == (fix.id,)
    assert items[fix.id].title == "Amended: Timeline: Vendr called"
    assert "typo and wrong day" in items[fix.id].detail
    assert timeline(PB, log.events)[0].event.id == entry.id


def test_a_later_amendment_wins_over_an_earlier_one(log: Log) -> None:
    entry = log.add(ev.TIMELINE_ENTRY, title="one")
    first = log.add(ev.TIMELINE_AMENDED, target=entry.id, title="two")
    second = log.add(ev.TIMELINE_AMENDED, target=entry.id, title="three")
    item = next(i for i in timeline(PB, log.events) if i.event.id == entry.id)
    assert (item.title, item.original["title"], item.amended_by) == ("Timeline: three", "one", (first.id, second.id))


def test_amended_time_of_a_step_event_moves_the_step_time(log: Log) -> None:
    done = log.add(ev.STEP_DONE, "confirm")
    log.add(ev.TIMELINE_AMENDED, target=done.id, occurred_at="2026-11-29T09:30:00.000000+00:00")
    assert project(PB, log.events).steps["confirm"].at == "2026-11-29T09:30:00.000000+00:00"


def test_no_events_projects_an_empty_state() -> None:
    state = project(PB, [])
    assert (state.event_count, state.last_seq, state.head_hash) == (0, 0, ev.GENESIS_HASH)
    assert timeline(PB, []) == []


def test_an_amended_time_in_another_offset_sorts_by_the_instant_and_a_bad_one_is_ignored(log: Log) -> None:
    entry = log.add(ev.TIMELINE_ENTRY, title="moved")
    other = log.add(ev.TIMELINE_ENTRY, title="stays")
    log.add(ev.TIMELINE_AMENDED, target=entry.id, occurred_at="2026-11-28T23:30:00-05:00")
    log.add(ev.TIMELINE_AMENDED, target=other.id, occurred_at="not a time")
    items = {i.event.id: i for i in timeline(PB, log.events)}
    assert items[entry.id].occurred_at == "2026-11-29T04:30:00.000000+00:00"
    assert (items[other.id].occurred_at, items[other.id].original) == (other.occurred_at, {})
    assert [i.event.id for i in timeline(PB, log.events)][0] == entry.id


@pytest.mark.parametrize("written", [
    "2026-11-28T10:00:00+05:30",          # 04:30 UTC
    "2026-11-28T04:30:00Z",
    "2026-11-28T04:30:00",                # naive: taken as UTC
    "2026-11-27T23:30:00.000000-05:00",   # the same 32-character shape as the store's, another offset
    "2026-W48-6T04:30:00",                # an ISO week date Python also reads (Saturday of week 48)
    "2026-11-28 04:30:00.000000+00:00",   # the store's shape but for a space instead of the T
    "2026-11-28T04:30:00,000000+00:00",   # ... or a comma before the fraction
])
def test_an_unamended_time_in_any_form_sorts_by_its_instant(log: Log, written: str) -> None:
    before = log.add(ev.TIMELINE_ENTRY, title="before", at="2026-11-28T04:00:00.000000+00:00")
    after = log.add(ev.TIMELINE_ENTRY, title="after", at="2026-11-28T05:00:00.000000+00:00")
    odd = log.add(ev.TIMELINE_ENTRY, title="odd", at=written)
    items = timeline(PB, log.events)
    order = [i.event.id for i in items]
    assert order.index(before.id) < order.index(odd.id) < order.index(after.id)
    # The item keeps the time as recorded (exports show it in their own zone).
    assert next(i for i in items if i.event.id == odd.id).occurred_at == written


@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from([None, 0, 330, -480, -1])), max_size=25))
@settings(max_examples=60, deadline=None)
def test_property_the_timeline_is_in_instant_order_then_seq(times) -> None:
    """None: the store's own form; minutes east of UTC: isoformat in that offset; -1: `Z`."""
    from datetime import datetime, timedelta, timezone

    log = Log()
    base = datetime(2026, 11, 28, tzinfo=timezone.utc)
    for minutes, offset in times:
        instant = base + timedelta(minutes=minutes)
        if offset is None:
            at = ev.format_ts(instant)
        elif offset == -1:
            at = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            at = instant.astimezone(timezone(timedelta(minutes=offset))).isoformat()
        log.add(ev.TIMELINE_ENTRY, title="t", at=at)
    keys = [(ev.parse_ts(i.occurred_at), i.event.seq) for i in timeline(PB, log.events)]
    assert keys == sorted(keys)


STATUS_KINDS = {ev.STEP_DONE: "done", ev.STEP_REOPENED: "open", ev.STEP_SKIPPED: "skipped"}


@given(st.lists(st.tuples(st.sampled_from(sorted(STATUS_KINDS)), st.sampled_from(["confirm", "count", "notify"])),
                max_size=30),
       st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_property_each_step_takes_the_status_of_its_last_event_by_seq(changes, rnd) -> None:
    log = Log()
    log.add(ev.INCIDENT_OPENED, title="x")
    for kind, step_id in changes:
        log.add(kind, step_id, reason="r")
    shuffled = list(log.events)
    rnd.shuffle(shuffled)
    state = project(PB, shuffled)
    expected = {"confirm": "open", "count": "open", "notify": "open"}
    for kind, step_id in changes:
        expected[step_id] = STATUS_KINDS[kind]
    assert {sid: s.status for sid, s in state.steps.items()} == expected
    assert state.done == list(expected.values()).count("done")
    assert [i.event.seq for i in timeline(PB, shuffled)] == list(range(1, len(changes) + 2))
