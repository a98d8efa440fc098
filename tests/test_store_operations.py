"""The user actions in `incidentkit.core.operations`, against a real store: what they write and what they refuse."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.errors import IncidentKitError, NotFoundError, StateError
from incidentkit.core.projections import project, timeline
from incidentkit.core.store import Store


@pytest.fixture
def inc(store: Store) -> str:
    return ops.open_incident(store, playbook=tiny_playbook(), title="Vendor breach", actor="ann").id


def state(store: Store, incident_id: str):
    return project(store.playbook(incident_id), store.events(incident_id))


def test_step_lifecycle_through_abbreviated_ids(store: Store, inc: str) -> None:
    done = ops.complete_step(store, incident_id=inc[:6], step_id="confirm", actor="bob")
    assert (done.kind, done.step_id, done.incident_id) == (ev.STEP_DONE, "confirm", inc)
    ops.reopen_step(store, incident_id=inc, step_id="confirm", actor="bob")
    ops.skip_step(store, incident_id=inc, step_id="confirm", reason=" not ours ", actor="cy")
    step = state(store, inc).steps["confirm"]
    assert (step.status, step.reason, step.by) == ("skipped", "not ours", "cy")
    ops.complete_step(store, incident_id=inc, step_id="confirm", actor="dee")
    assert state(store, inc).steps["confirm"].status == "done"


def test_repeating_a_step_change_is_refused_and_writes_nothing(store: Store, inc: str) -> None:
    with pytest.raises(StateError, match="step 'count' is already open"):
        ops.reopen_step(store, incident_id=inc, step_id="count", actor="ann")
    ops.complete_step(store, incident_id=inc, step_id="count", actor="ann")
    with pytest.raises(StateError, match="step 'count' is already done"):
        ops.complete_step(store, incident_id=inc, step_id="count", actor="ann")
    assert store.event_count(inc) == 2


def test_skip_needs_a_reason_and_cannot_repeat(store: Store, inc: str) -> None:
    with pytest.raises(IncidentKitError, match="reason for skipping must not be empty"):
        ops.skip_step(store, incident_id=inc, step_id="count", reason="  ", actor="ann")
    ops.skip_step(store, incident_id=inc, step_id="count", reason="n/a", actor="ann")
    with pytest.raises(StateError, match="already skipped"):
        ops.skip_step(store, incident_id=inc, step_id="count", reason="n/a", actor="ann")


def test_unknown_step_and_incident_are_not_found(store: Store, inc: str) -> None:
    with pytest.raises(NotFoundError, match="has no step 'nope'"):
        ops.complete_step(store, incident_id=inc, step_id="nope", actor="ann")
    with pytest.raises(NotFoundError, match="no incident matches 'fff0'"):
        ops.complete_step(store, incident_id="fff0" if not inc.startswith("fff0") else "eee0",
                          step_id="confirm", actor="ann")


def test_assign_and_unassign(store: Store, inc: str) -> None:
    ops.assign_step(store, incident_id=inc, step_id="notify", assignee="Lee", actor="ann")
    with pytest.raises(StateError, match="already assigned to Lee"):
        ops.assign_step(store, incident_id=inc, step_id="notify", assignee=" Lee ", actor="ann")
    ops.assign_step(store, incident_id=inc, step_id="notify", assignee="", actor="ann")
    assert state(store, inc).steps["notify"].assignee is None
    with pytest.raises(StateError, match="is not assigned"):
        ops.assign_step(store, incident_id=inc, step_id="notify", assignee="", actor="ann")


def test_an_unchanged_note_writes_nothing(store: Store, inc: str) -> None:
    assert ops.note_step(store, incident_id=inc, step_id="count", text="draft", actor="ann") is not None
    count = store.event_count(inc)
    assert ops.note_step(store, incident_id=inc, step_id="count", text="draft", actor="ann") is None
    assert store.event_count(inc) == count
    ops.note_step(store, incident_id=inc, step_id="count", text="", actor="ann")
    assert state(store, inc).steps["count"].note == ""


def test_a_closed_incident_refuses_changes_until_reopened(store: Store, inc: str) -> None:
    ops.close_incident(store, incident_id=inc, actor="ann")
    with pytest.raises(StateError, match="already closed"):
        ops.close_incident(store, incident_id=inc, actor="ann")
    for action in (
        lambda: ops.complete_step(store, incident_id=inc, step_id="count", actor="ann"),
        lambda: ops.note_step(store, incident_id=inc, step_id="count", text="x", actor="ann"),
        lambda: ops.add_timeline_entry(store, incident_id=inc, title="x", actor="ann"),
    ):
        with pytest.raises(StateError, match="is closed: reopen it first"):
            action()
    ops.reopen_incident(store, incident_id=inc, actor="ann")
    with pytest.raises(StateError, match="is not closed"):
        ops.reopen_incident(store, incident_id=inc, actor="ann")
    ops.complete_step(store, incident_id=inc, step_id="count", actor="ann")


def test_rename_changes_the_projected_title_but_not_the_incident_row(store: Store, inc: str) -> None:
    ops.rename_incident(store, incident_id=inc, title="Acme breach", actor="ann")
    assert state(store, inc).title == "Acme breach"
    assert store.incident(inc).title == "Vendor breach"
    with pytest.raises(StateError, match="already titled"):
        ops.rename_incident(store, incident_id=inc, title="Acme breach", actor="ann")
    with pytest.raises(IncidentKitError, match="title must not be empty"):
        ops.rename_incident(store, incident_id=inc, title=" ", actor="ann")


def test_timeline_entry_and_amendment(store: Store, inc: str) -> None:
    when = datetime(2026, 11, 27, 14, 0, tzinfo=timezone.utc)
    entry = ops.add_timeline_entry(store, incident_id=inc, title="Vendor emailed", actor="ann", occurred_at=when,
                                   detail="to security@", category="vendor")
    assert entry.payload == {"title": "Vendor emailed", "detail": "to security@", "category": "vendor"}
    fix = ops.amend_event(store, incident_id=inc, event_id=entry.id[:8], actor="bob", reason="header",
                          occurred_at=datetime(2026, 11, 27, 13, 0, tzinfo=timezone.utc))
    assert fix.payload == {"target": entry.id, "occurred_at": "2026-11-27T13:00:00.000000+00:00", "reason": "header"}
    item = next(i for i in timeline(store.playbook(inc), store.events(inc)) if i.event.id == entry.id)
    assert item.occurred_at == "2026-11-27T13:00:00.000000+00:00" and item.amended_by == (fix.id,)
    with pytest.raises(StateError, match="itself an amendment"):
        ops.amend_event(store, incident_id=inc, event_id=fix.id, actor="bob", title="x", reason="r")
    with pytest.raises(IncidentKitError, match="nothing to amend"):
        ops.amend_event(store, incident_id=inc, event_id=entry.id, actor="bob", reason="only a reason")
    with pytest.raises(IncidentKitError, match="entry title must not be empty"):
        ops.add_timeline_entry(store, incident_id=inc, title="", actor="ann")


def test_the_state_check_sees_a_write_made_by_another_connection(tmp_path: Path) -> None:
    with open_store(tmp_path) as window, open_store(tmp_path) as cli:
        inc = ops.open_incident(window, playbook=tiny_playbook(), title="x", actor="ann").id
        ops.complete_step(cli, incident_id=inc, step_id="confirm", actor="cli")
        with pytest.raises(StateError, match="already done"):
            ops.complete_step(window, incident_id=inc, step_id="confirm", actor="window")
        assert window.event_count(inc) == 2
