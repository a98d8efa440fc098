"""Upgrading a running incident onto a newer playbook: one event, progress carried by step id,
retired steps kept with their history, changed steps marked, the chain still verifying."""

from __future__ import annotations

from pathlib import Path

import pytest
from incident_helpers import MARKDOWN, V2, V3, tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.deciding import read_state
from incidentkit.core.errors import IncidentKitError, StateError
from incidentkit.core.playbook.diff import diff_playbooks, is_older, version_key
from incidentkit.core.playbook.library import PlaybookEntry, PlaybookLibrary
from incidentkit.core.projections import project, timeline
from incidentkit.core.store import Store
from incidentkit.core.upgrade import available_upgrade, plan_upgrade, upgrade_incident
from incidentkit.core.versions import version_spans

@pytest.fixture
def incident(store: Store) -> str:
    """Opened on v1.0: `confirm` done, a note and an assignee on `count`, `notify` untouched."""
    created = ops.open_incident(store, playbook=tiny_playbook(), title="Acme", actor="ann")
    ops.complete_step(store, incident_id=created.id, step_id="confirm", actor="ann")
    ops.note_step(store, incident_id=created.id, step_id="count", text="1,200 so far", actor="bob")
    ops.assign_step(store, incident_id=created.id, step_id="count", assignee="bob", actor="ann")
    return created.id


def test_the_plan_is_the_step_diff_against_the_record(store: Store, incident: str) -> None:
    plan = plan_upgrade(store, incident_id=incident, playbook=tiny_playbook(V2))
    assert [s.id for s in plan.diff.added] == ["file", "ag"]
    assert [(c.id, c.fields) for c in plan.diff.changed] == [("confirm", ("text", "severity")),
                                                              ("notify", ("due",))]
    assert [s.id for s in plan.retiring] == ["count"] and plan.dropping == ()
    assert plan.summary() == "2 new steps, 1 removed, 2 changed"
    assert plan.lines()[0] == "+ new       file: Ask the vendor for the file"
    assert "- removed   count: Count affected people (kept as retired: it has a history)" in plan.lines()
    assert store.event_count(incident) == 4  # planning writes nothing


def test_upgrading_carries_progress_by_step_id(store: Store, incident: str) -> None:
    before = store.event_count(incident)
    v2 = tiny_playbook(V2)
    _plan, event = upgrade_incident(store, incident_id=incident, playbook=v2, actor="cy")
    assert store.event_count(incident) == before + 1  # one event
    assert event.kind == ev.INCIDENT_PLAYBOOK_UPGRADED and event.step_id is None
    payload = event.payload
    opened = store.incident(incident)
    assert (payload["from_sha256"], payload["to_sha256"]) == (opened.snapshot_sha256, v2.sha256)
    assert (payload["from_version"], payload["to_version"]) == ("1.0", "1.1")
    assert store.snapshot_markdown(v2.sha256) == V2  # pinned like the first snapshot
    assert store.incident(incident) == opened  # the incident's row never changes

    playbook = store.playbook(incident)
    assert playbook.sha256 == v2.sha256 and playbook.version == "1.1"
    assert [p.title for p in playbook.phases] == ["Scope", "Notify", "Retired steps"]
    retired = playbook.step("count")
    assert retired.retired and retired.text == "Count affected people" and retired.section == "Scope"
    state = read_state(store, playbook, incident)
    assert state == project(playbook, store.events(incident))
    assert state.step("confirm").status == "done" and state.step("confirm").revised == "1.1"
    assert state.step("notify").revised is None  # only its due changed: nothing to re-read
    assert state.step("count").note == "1,200 so far" and state.step("count").assignee == "bob"
    assert state.step("file").status == "open" and state.step("ag").status == "open"
    # Progress counts the steps of the version in force, not the retired ones.
    assert (state.done, state.total, state.playbook_version) == (1, 4, "1.1")
    assert [p.retired for p in state.phases] == [False, False, True]
    assert store.verify(incident).ok
    assert [e.kind for e in store.step_events(incident, "count")] == [ev.STEP_NOTED, ev.STEP_ASSIGNED]


def test_acting_on_a_changed_step_clears_its_mark(store: Store, incident: str) -> None:
    upgrade_incident(store, incident_id=incident, playbook=tiny_playbook(V2), actor="cy")
    ops.assign_step(store, incident_id=incident, step_id="confirm", assignee="dee", actor="cy")
    playbook = store.playbook(incident)
    assert read_state(store, playbook, incident).step("confirm").revised == "1.1"  # assigning is not re-reading
    ops.note_step(store, incident_id=incident, step_id="confirm", text="re-read: the vendor confirmed too",
                  actor="cy")
    assert read_state(store, playbook, incident).step("confirm").revised is None


def test_a_removed_step_nobody_touched_is_dropped(store: Store) -> None:
    created = ops.open_incident(store, playbook=tiny_playbook(), title="Quiet", actor="ann")
    plan, _ = upgrade_incident(store, incident_id=created.id, playbook=tiny_playbook(V2), actor="ann")
    assert [s.id for s in plan.dropping] == ["count"] and plan.retiring == ()
    playbook = store.playbook(created.id)
    assert not playbook.has_step("count") and not any(p.retired for p in playbook.phases)


def test_a_second_upgrade_keeps_and_restores_retired_steps(store: Store, incident: str) -> None:
    upgrade_incident(store, incident_id=incident, playbook=tiny_playbook(V2), actor="cy")
    ops.assign_step(store, incident_id=incident, step_id="ag", assignee="eve", actor="cy")
    plan, event = upgrade_incident(store, incident_id=incident, playbook=tiny_playbook(V3), actor="cy")
    assert [s.id for s in plan.diff.restored] == ["count"]
    assert [s.id for s in plan.retiring] == ["ag"] and [s.id for s in plan.dropping] == ["file"]
    assert plan.summary() == "1 new step, 2 removed"
    assert [e["id"] for e in event.payload["retired"]] == ["ag"]
    playbook = store.playbook(incident)
    assert playbook.step("count").text == "Count affected people again" and not playbook.step("count").retired
    assert playbook.step("ag").retired and playbook.step("ag").section == "Notify"
    state = read_state(store, playbook, incident)
    assert state.step("count").note == "1,200 so far" and state.step("count").revised == "1.2"
    assert state.step("ag").assignee == "eve"
    # A fresh store (no parse in memory) rebuilds the same playbook from the latest event.
    with Store(store.path) as again:
        assert again.playbook(incident) == playbook
    spans = version_spans(store.events(incident))
    assert [(s.version, s.first_seq, s.last_seq) for s in spans] == [("1.0", 1, 4), ("1.1", 5, 6), ("1.2", 7, 7)]
    assert store.verify(incident).ok


def test_the_timeline_names_steps_as_they_read_when_recorded(store: Store, incident: str) -> None:
    upgrade_incident(store, incident_id=incident, playbook=tiny_playbook(V2), actor="cy")
    ops.reopen_step(store, incident_id=incident, step_id="confirm", actor="cy")
    items = timeline(store.playbook(incident), store.events(incident))
    titles = [i.title for i in items]
    assert "Completed: Confirm the breach in writing" in titles
    assert "Reopened: Confirm the breach in writing with the vendor" in titles
    upgrade = next(i for i in items if i.event.kind == ev.INCIDENT_PLAYBOOK_UPGRADED)
    assert upgrade.title == "Playbook upgraded to 1.1 (from 1.0): 2 new steps, 1 removed, 2 changed"
    assert "Removed, kept as retired: Count affected people" in upgrade.detail.splitlines()


def test_refusals_write_nothing(store: Store, incident: str) -> None:
    other = tiny_playbook(MARKDOWN.replace("id: tiny", "id: other"))
    with pytest.raises(IncidentKitError, match="is playbook 'other', but incident .* follows 'tiny'"):
        upgrade_incident(store, incident_id=incident, playbook=other, actor="ann")
    with pytest.raises(StateError, match=r"already follows this version of 'tiny' \(1.0, "):
        upgrade_incident(store, incident_id=incident, playbook=tiny_playbook(), actor="ann")
    ops.close_incident(store, incident_id=incident, actor="ann")
    count = store.event_count(incident)
    with pytest.raises(StateError, match="is closed: reopen it first"):
        upgrade_incident(store, incident_id=incident, playbook=tiny_playbook(V2), actor="ann")
    assert store.event_count(incident) == count
    assert store.playbook(incident).version == "1.0"


def test_the_banner_offers_a_newer_or_changed_version_only(tmp_path: Path) -> None:
    current = tiny_playbook()

    def library(markdown: str) -> PlaybookLibrary:
        return PlaybookLibrary([PlaybookEntry(tiny_playbook(markdown), "user", "tiny.md")])

    assert available_upgrade(current, library(V2)).playbook.version == "1.1"
    assert available_upgrade(current, library(MARKDOWN)) is None  # the same snapshot
    older = V2.replace('version: "1.1"', 'version: "0.9"')
    assert available_upgrade(current, library(older)) is None
    edited = MARKDOWN.replace("Count affected people", "Count the affected people")
    assert available_upgrade(current, library(edited)) is not None  # same version, new text
    assert available_upgrade(current, PlaybookLibrary([])) is None


def test_versions_order_as_people_number_them() -> None:
    assert version_key("1.10") > version_key("1.9") > version_key("1.0.1") > version_key("1.0")
    assert version_key("2.0") > version_key("1.99") and version_key("1.0.0-custom.1") > version_key("1.0.0")
    assert is_older("0.9", "1.0") and not is_older("1.0", "1.0")


def test_a_step_whose_slug_changed_reads_as_removed_and_added() -> None:
    old = tiny_playbook("# T\n\n## P\n\n- [ ] Call the vendor\n")
    new = tiny_playbook("# T\n\n## P\n\n- [ ] Call the vendor's CISO\n")
    diff = diff_playbooks(old, new)
    assert [s.id for s in diff.removed] == ["call-the-vendor"] and [s.id for s in diff.added] == ["call-the-vendor-s-ciso"]
