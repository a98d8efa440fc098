"""Edits made from a state that can move on (a note, an assignee, a step's status) are refused
when a colleague changed that state meanwhile, on a real store with two connections.

Before: the window's note autosave replaced a note the CLI had just set, and the assign and
skip dialogs wrote over whatever had happened while they were open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.errors import IncidentKitError, MovedOn, NotFoundError, StateError
from incidentkit.core.note_merge import merge_notes
from incidentkit.core.projections import project


@pytest.fixture
def stores(tmp_path: Path):
    """The window's connection and a colleague's (the CLI), on one database file."""
    with open_store(tmp_path) as window, open_store(tmp_path) as colleague:
        yield window, colleague


@pytest.fixture
def inc(stores) -> str:
    return ops.open_incident(stores[0], playbook=tiny_playbook(), title="Vendor breach", actor="ann").id


def state(store, incident_id: str):
    return project(store.playbook(incident_id), store.events(incident_id))


def test_a_note_saved_meanwhile_is_not_replaced(stores, inc: str) -> None:
    window, colleague = stores
    first = ops.note_step(window, incident_id=inc, step_id="count", text="draft", actor="ann")
    started_from = state(window, inc).steps["count"].note_id
    assert started_from == first.id
    newer = ops.note_step(colleague, incident_id=inc, step_id="count", text="2,000 records per vendor", actor="bob")
    with pytest.raises(MovedOn) as refused:
        ops.note_step(window, incident_id=inc, step_id="count", text="draft, and more", actor="ann",
                      based_on=started_from)
    message = str(refused.value)
    assert newer.id[:12] in message and "by bob at " in message and "nothing was saved" in message
    assert refused.value.current == newer
    assert state(window, inc).steps["count"].note == "2,000 records per vendor"
    assert window.event_count(inc) == 3  # nothing written


def test_a_note_based_on_the_latest_version_saves(stores, inc: str) -> None:
    window, colleague = stores
    assert ops.note_step(window, incident_id=inc, step_id="count", text="first", actor="ann", based_on="")
    latest = ops.note_step(colleague, incident_id=inc, step_id="count", text="second", actor="bob")
    saved = ops.note_step(window, incident_id=inc, step_id="count", text="third", actor="ann",
                          based_on=latest.id[:10])  # an abbreviated id, as the CLI takes it
    assert saved is not None and state(window, inc).steps["count"].note == "third"


def test_based_on_empty_means_no_note_yet(stores, inc: str) -> None:
    window, colleague = stores
    theirs = ops.note_step(colleague, incident_id=inc, step_id="notify", text="call the DPA", actor="bob")
    with pytest.raises(MovedOn, match="has changed since it was empty") as refused:
        ops.note_step(window, incident_id=inc, step_id="notify", text="mine", actor="ann", based_on="")
    assert refused.value.current == theirs


def test_the_same_text_as_the_newer_note_is_no_conflict(stores, inc: str) -> None:
    window, colleague = stores
    ops.note_step(colleague, incident_id=inc, step_id="count", text="same words", actor="bob")
    assert ops.note_step(window, incident_id=inc, step_id="count", text="same words", actor="ann", based_on="") is None


def test_based_on_must_name_a_note_of_that_step(stores, inc: str) -> None:
    window, _ = stores
    done = ops.complete_step(window, incident_id=inc, step_id="count", actor="ann")
    other = ops.note_step(window, incident_id=inc, step_id="confirm", text="x", actor="ann")
    with pytest.raises(IncidentKitError, match=r"is not a note on step 'count' \(step.done\)"):
        ops.note_step(window, incident_id=inc, step_id="count", text="y", actor="ann", based_on=done.id)
    with pytest.raises(IncidentKitError, match="is not a note on step 'count'"):
        ops.note_step(window, incident_id=inc, step_id="count", text="y", actor="ann", based_on=other.id)
    with pytest.raises(NotFoundError):
        ops.note_step(window, incident_id=inc, step_id="count", text="y", actor="ann", based_on="f" * 32)


def test_without_based_on_the_note_is_set_as_before(stores, inc: str) -> None:
    window, colleague = stores
    ops.note_step(colleague, incident_id=inc, step_id="count", text="theirs", actor="bob")
    assert ops.note_step(window, incident_id=inc, step_id="count", text="mine", actor="ann") is not None


def test_an_assignment_made_meanwhile_is_not_replaced(stores, inc: str) -> None:
    window, colleague = stores
    theirs = ops.assign_step(colleague, incident_id=inc, step_id="notify", assignee="Lee", actor="bob")
    with pytest.raises(MovedOn) as refused:
        ops.assign_step(window, incident_id=inc, step_id="notify", assignee="Sam", actor="ann", expected_assignee="")
    assert str(refused.value).startswith("step 'notify' was assigned to Lee by bob at ")
    assert str(refused.value).endswith(" while it was unassigned here; nothing was changed")
    assert refused.value.current == theirs
    assert state(window, inc).steps["notify"].assignee == "Lee"
    ops.assign_step(window, incident_id=inc, step_id="notify", assignee="Sam", actor="ann", expected_assignee="Lee")
    ops.assign_step(colleague, incident_id=inc, step_id="notify", assignee="", actor="bob")
    with pytest.raises(MovedOn, match="was unassigned by bob at .* while it was assigned to Sam here"):
        ops.assign_step(window, incident_id=inc, step_id="notify", assignee="Kim", actor="ann",
                        expected_assignee="Sam")


def test_a_step_finished_meanwhile_is_not_skipped(stores, inc: str) -> None:
    window, colleague = stores
    ops.complete_step(colleague, incident_id=inc, step_id="count", actor="bob")
    with pytest.raises(MovedOn, match=r"step 'count' was marked done by bob at .* while it was open here; "
                                      r"it was not skipped"):
        ops.skip_step(window, incident_id=inc, step_id="count", reason="vendor counts", actor="ann",
                      expected_status="open")
    ops.skip_step(colleague, incident_id=inc, step_id="confirm", reason="done by legal", actor="bob")
    with pytest.raises(MovedOn, match=r"was skipped by bob at .* \(reason: done by legal\)"):
        ops.skip_step(window, incident_id=inc, step_id="confirm", reason="n/a", actor="ann", expected_status="open")
    assert state(window, inc).steps["confirm"].reason == "done by legal"
    # Without an expected status, the old refusal stands.
    with pytest.raises(StateError, match="already skipped"):
        ops.skip_step(window, incident_id=inc, step_id="confirm", reason="n/a", actor="ann")
    ops.skip_step(window, incident_id=inc, step_id="notify", reason="no regulator", actor="ann",
                  expected_status="open")


def test_show_carries_each_note_s_event_id(stores, inc: str) -> None:
    window, _ = stores
    ops.note_step(window, incident_id=inc, step_id="count", text="one", actor="ann")
    second = ops.note_step(window, incident_id=inc, step_id="count", text="two", actor="ann")
    steps = state(window, inc).steps
    assert steps["count"].note_id == second.id and steps["confirm"].note_id is None
    assert window.last_event(inc, (ev.STEP_NOTED,), "count") == second


@pytest.mark.parametrize(("base", "mine", "theirs", "merged", "clean"), [
    # Different lines changed: both kept.
    ("Called vendor.\nThey confirm.", "Called vendor at 10:00.\nThey confirm.",
     "Called vendor.\nThey confirm.\nRegulator informed.",
     "Called vendor at 10:00.\nThey confirm.\nRegulator informed.", True),
    # The same line changed on both sides: both versions, theirs first.
    ("a\nb\nc", "a\nmine\nc", "a\ntheirs\nc", "a\ntheirs\nmine\nc", False),
    ("", "my note", "their note", "their note\nmy note", False),
    # One side unchanged, or both the same.
    ("a", "a", "b", "b", True),
    ("a", "b", "a", "b", True),
    ("a", "x", "x", "x", True),
])
def test_merge_notes(base: str, mine: str, theirs: str, merged: str, clean: bool) -> None:
    assert merge_notes(base, mine, theirs) == (merged, clean)
