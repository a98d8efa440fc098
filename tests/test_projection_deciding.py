"""The window's shortcuts to a state and a timeline give exactly what `project()` and `timeline()` give.

The window opens an incident with `Store.deciding_events` (SQL) and `project_deciding`
instead of reading every event, then folds each batch of newer events onto that state
(`fold`) and that timeline (`update_timeline`); `project()` and `timeline()` over the
whole log stay the definitions. These tests build random logs in a real SQLite store
(every kind, unknown kinds and steps, amendments moving any event's time, awareness
corrections, renames, closing and reopening) and compare.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from incident_helpers import tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core.deciding import deciding_events, project_deciding, read_deciding
from incidentkit.core.projections import fold, project, timeline, update_timeline
from incidentkit.core.store import Store, database
from incidentkit.ui.incident_session import IncidentSession

PB = tiny_playbook()
STEPS = ["confirm", "count", "notify", "not-in-playbook", None]
TIMES = ["2026-11-29T08:00:00.000000+00:00", "2026-11-30T01:02:03+02:00", "2026-11-28T23:59:59Z", "not a time", ""]
KINDS = [*ev.KINDS, "custom.kind"]

change = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(STEPS),
    st.sampled_from(["ann", "bob"]),
    st.sampled_from(["", "reason", "Sam", "text"]),
    st.integers(min_value=0, max_value=10_000),  # which earlier event an amendment targets
    st.sampled_from(TIMES),
)


def payload(kind: str, text: str, when: str, target: str) -> dict[str, object]:
    return {
        ev.INCIDENT_OPENED: {"title": text or "t", "aware_at": when},
        ev.INCIDENT_RENAMED: {"title": text},
        ev.INCIDENT_AWARE_CORRECTED: {"aware_at": when, "previous": "", "reason": text},
        ev.STEP_SKIPPED: {"reason": text},
        ev.STEP_NOTED: {"text": text},
        ev.STEP_ASSIGNED: {"assignee": text},
        ev.TIMELINE_ENTRY: {"title": text},
        ev.TIMELINE_AMENDED: {"target": target, "occurred_at": when, "title": text},
        # An upgrade marks steps to re-read (text changed) or not (only an attribute did);
        # later status and note events clear the mark.
        ev.INCIDENT_PLAYBOOK_UPGRADED: {"to_version": text or "2", "changed": [
            {"id": step, "fields": ["text"] if len(text) % 2 else ["due"]} for step in STEPS[:len(text) % 4]]},
    }.get(kind, {"x": text})


def write_log(store: Store, changes: list[tuple]) -> str:
    """A new incident with `changes` appended after its opening, in one transaction."""
    incident = store.create_incident(PB, "random", actor="ann")
    ids = [store.events(incident.id)[0].id]
    now = ev.format_ts(ev.utc_now())

    def work(conn) -> None:
        for kind, step, actor, text, pick, when in changes:
            body = payload(kind, text, when, ids[pick % len(ids)])
            ids.append(store._insert(conn, incident.id, kind, actor, step, body, now, now).id)

    database.write_retrying(store.conn, work)
    return incident.id


@given(st.lists(change, max_size=40), st.lists(change, max_size=40))
@settings(max_examples=60, deadline=None)
def test_the_deciding_events_give_the_same_state_as_the_whole_log(changes, other) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "incidentkit.db") as store:
        write_log(store, other)  # another incident in the same file must not leak in
        incident_id = write_log(store, changes)
        log = store.events(incident_id)

        deciding, count = read_deciding(store, incident_id)
        assert [e.id for e in deciding] == [e.id for e in deciding_events(log)]  # the SQL is the definition
        assert deciding == [e for e in log if e.id in {d.id for d in deciding}]  # whole events, as stored
        assert count == len(log)
        assert project_deciding(PB, deciding, count) == project(PB, log)


@given(st.lists(change, max_size=40), st.integers(min_value=0), st.integers(min_value=0))
@settings(max_examples=80, deadline=None)
def test_folding_newer_events_onto_a_state_gives_the_state_of_the_whole_log(changes, first, second) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "incidentkit.db") as store:
        log = store.events(write_log(store, changes))
    a, b = sorted((first % (len(log) + 1), second % (len(log) + 1)))
    whole = project(PB, log)
    # From the whole log's first part, and from its deciding events, as a session opens.
    for start in (project(PB, log[:a]), project_deciding(PB, deciding_events(log[:a]), a)):
        assert fold(PB, fold(PB, start, log[a:b]), log[b:]) == whole
    assert fold(PB, whole, log[b:]) == whole  # events already folded are skipped


@given(st.lists(change, max_size=40), st.integers(min_value=0))
@settings(max_examples=80, deadline=None)
def test_updating_a_timeline_with_newer_events_gives_the_timeline_of_the_whole_log(changes, split) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "incidentkit.db") as store:
        log = store.events(write_log(store, changes))
    cut = split % (len(log) + 1)
    shown = timeline(PB, log[:cut])
    update = update_timeline(PB, shown, log[cut:])
    assert update.applied_to(shown) == timeline(PB, log)
    if update.appends_to(shown):
        assert shown + update.added == timeline(PB, log)


def test_an_amendment_or_a_backdated_entry_is_not_an_append(tmp_path: Path) -> None:
    with Store(tmp_path / "incidentkit.db") as store:
        incident_id = write_log(store, [(ev.TIMELINE_ENTRY, None, "ann", "vendor called", 0, TIMES[0])])
        log = store.events(incident_id)
        shown = timeline(PB, log)
        now = store.append(incident_id, ev.TIMELINE_ENTRY, actor="bob", payload={"title": "later"})
        assert update_timeline(PB, shown, [now]).appends_to(shown)
        backdated = store.append(incident_id, ev.TIMELINE_ENTRY, actor="bob", payload={"title": "earlier"},
                                 occurred_at=ev.parse_ts("2020-01-01T00:00:00Z"))
        assert not update_timeline(PB, shown, [backdated]).appends_to(shown)
        fix = store.append(incident_id, ev.TIMELINE_AMENDED, actor="bob", payload={"target": log[1].id, "title": "x"})
        update = update_timeline(PB, shown, [fix])
        assert not update.appends_to(shown) and list(update.replaced) == [log[1].id]
        assert update.replaced[log[1].id].title == "Timeline: x"


def test_an_incident_without_events_has_an_empty_deciding_set(tmp_path: Path) -> None:
    with Store(tmp_path / "incidentkit.db") as store:
        assert read_deciding(store, "0" * 32) == ([], 0)
        assert deciding_events([]) == []


def test_a_session_keeps_the_state_of_the_whole_log_as_events_arrive(tmp_path: Path) -> None:
    with Store(tmp_path / "incidentkit.db") as store:
        incident_id = write_log(store, [(ev.STEP_DONE, "confirm", "ann", "", 0, TIMES[0])] * 3
                                + [(ev.STEP_NOTED, "count", "bob", "text", 0, TIMES[0])])
        session = IncidentSession(store, store.incident(incident_id))
        assert session.state == project(PB, store.events(incident_id))
        assert [e.kind for e in session.step_history("confirm")] == [ev.STEP_DONE] * 3
        announced = []
        session.events_added.connect(announced.append)
        skip = store.append(incident_id, ev.STEP_SKIPPED, actor="cy", step_id="notify", payload={"reason": "n/a"})
        fix = store.append(incident_id, ev.TIMELINE_AMENDED, actor="cy",
                           payload={"target": store.events(incident_id)[4].id, "occurred_at": TIMES[1]})
        redo = store.append(incident_id, ev.STEP_REOPENED, actor="cy", step_id="confirm")
        assert session.read_new() == [skip, fix, redo]
        assert announced == [[skip, fix, redo]]
        assert session.state == project(PB, store.events(incident_id))
        assert session.state.step("count").note_at == ev.canonical_ts(TIMES[1])  # the amendment moved the note
        # The history of the step shown follows without another read.
        assert [e.kind for e in session.step_history("confirm")] == [ev.STEP_DONE] * 3 + [ev.STEP_REOPENED]
        assert session.read_new() == [] and len(announced) == 1  # nothing new: nothing announced
