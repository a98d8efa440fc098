"""Opening an incident from its deciding events gives exactly the state `project()` gives from the whole log.

The window opens an incident with `Store.deciding_events` (SQL) and `project_deciding`
instead of reading every event; `project()` over the whole log stays the definition.
These tests build random logs in a real SQLite store (every kind, unknown kinds and
steps, amendments moving any event's time, renames, closing and reopening) and compare.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from incident_helpers import TIMES, tiny_playbook
from incident_helpers import random_change as change
from incident_helpers import write_random_log as write_log

from incidentkit.core import events as ev
from incidentkit.core.projections import deciding_events, project, project_deciding, read_deciding
from incidentkit.core.store import Store
from incidentkit.ui.incident_session import IncidentSession

PB = tiny_playbook()


@given(st.lists(change, max_size=40), st.lists(change, max_size=40), st.integers(min_value=0, max_value=80))
@settings(max_examples=60, deadline=None)
def test_the_deciding_events_give_the_same_state_as_the_whole_log(changes, other, split) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "incidentkit.db") as store:
        write_log(store, other)  # another incident in the same file must not leak in
        incident_id = write_log(store, changes)
        log = store.events(incident_id)

        deciding, count = read_deciding(store, incident_id)
        assert [e.id for e in deciding] == [e.id for e in deciding_events(log)]  # the SQL is the definition
        assert deciding == [e for e in log if e.id in {d.id for d in deciding}]  # whole events, as stored
        assert count == len(log)
        assert project_deciding(PB, deciding, count) == project(PB, log)

        # A session folds newer events into what it opened with: still the same state.
        cut = split % (len(log) + 1)
        folded = deciding_events(log[:cut]) + log[cut:]
        assert project_deciding(PB, folded, len(log)) == project(PB, log)


def test_an_incident_without_events_has_an_empty_deciding_set(tmp_path: Path) -> None:
    with Store(tmp_path / "incidentkit.db") as store:
        assert read_deciding(store, "0" * 32) == ([], 0)
        assert deciding_events([]) == []


def test_a_session_keeps_the_state_of_the_whole_log_as_events_arrive(tmp_path: Path) -> None:
    with Store(tmp_path / "incidentkit.db") as store:
        incident_id = write_log(store, [(ev.STEP_DONE, "confirm", "ann", "", 0, TIMES[0])] * 3
                                + [(ev.STEP_NOTED, "count", "bob", "text", 0, TIMES[0])])
        session = IncidentSession(store, store.incident(incident_id))
        assert len(session.events) < store.event_count(incident_id)
        assert session.state == project(PB, store.events(incident_id))
        store.append(incident_id, ev.STEP_SKIPPED, actor="cy", step_id="notify", payload={"reason": "n/a"})
        store.append(incident_id, ev.TIMELINE_AMENDED, actor="cy",
                     payload={"target": session.events[0].id, "occurred_at": TIMES[1]})
        assert session.reload()
        assert session.state == project(PB, store.events(incident_id))
        assert [e.kind for e in session.step_history("confirm")] == [ev.STEP_DONE] * 3
