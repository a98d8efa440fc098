"""Tampering with the event rows behind the app's back makes `verify` fail and name the event.

The database refuses UPDATE and DELETE on events (triggers), so each test first drops
those triggers with the sqlite3 module, as someone editing the file would.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook

from incidentkit.core import events as ev
from incidentkit.core.errors import StoreError
from incidentkit.core.events import Event, canonical_json


@pytest.fixture
def chain(tmp_path: Path) -> tuple[str, list[Event]]:
    """An incident with five events, and the file closed."""
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "Vendor breach", actor="ann")
        store.append(inc.id, ev.STEP_DONE, actor="ann", step_id="confirm")
        store.append(inc.id, ev.STEP_SKIPPED, actor="bob", step_id="count", payload={"reason": "vendor counts"})
        store.append(inc.id, ev.TIMELINE_ENTRY, actor="bob", payload={"title": "Vendor called"})
        store.append(inc.id, ev.STEP_NOTED, actor="cy", step_id="notify", payload={"text": "call at 9"})
        return inc.id, store.events(inc.id)


def tamper(tmp_path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    conn = sqlite3.connect(tmp_path / "incidentkit.db")
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("DROP TRIGGER events_no_delete")
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def verify(tmp_path: Path, incident_id: str):
    with open_store(tmp_path) as store:
        return store.verify(incident_id)


def test_an_untouched_chain_verifies(tmp_path: Path, chain) -> None:
    inc, events = chain
    result = verify(tmp_path, inc)
    assert (result.ok, result.count, result.head_hash) == (True, 5, events[-1].hash)


def test_an_edited_payload_is_caught_at_that_event(tmp_path: Path, chain) -> None:
    inc, events = chain
    tamper(tmp_path, ("UPDATE events SET payload = ? WHERE id = ?",
                      (canonical_json({"reason": "we chose not to"}), events[2].id)))
    result = verify(tmp_path, inc)
    assert (result.ok, result.bad_seq, result.bad_event_id) == (False, 3, events[2].id)
    assert "altered" in result.problem


def test_an_edit_with_a_recomputed_hash_is_caught_at_the_next_event(tmp_path: Path, chain) -> None:
    inc, events = chain
    forged = Event(**{**events[1].__dict__, "actor": "mallory"})
    tamper(tmp_path, ("UPDATE events SET actor = 'mallory', hash = ? WHERE id = ?",
                      (ev.chain_hash(forged.prev_hash, forged), events[1].id)))
    result = verify(tmp_path, inc)
    assert (result.ok, result.bad_seq, result.bad_event_id) == (False, 3, events[2].id)
    assert "prev_hash" in result.problem


def test_a_deleted_event_is_caught_at_the_event_after_the_gap(tmp_path: Path, chain) -> None:
    inc, events = chain
    tamper(tmp_path, ("DELETE FROM events WHERE id = ?", (events[2].id,)))
    result = verify(tmp_path, inc)
    assert (result.ok, result.bad_seq, result.bad_event_id, result.count) == (False, 4, events[3].id, 3)
    assert "missing" in result.problem


def test_two_swapped_rows_are_caught(tmp_path: Path, chain) -> None:
    inc, events = chain
    a, b = events[1], events[2]
    tamper(
        tmp_path,
        ("UPDATE events SET seq = -1 WHERE id = ?", (a.id,)),
        ("UPDATE events SET seq = ? WHERE id = ?", (a.seq, b.id)),
        ("UPDATE events SET seq = ? WHERE id = ?", (b.seq, a.id)),
    )
    result = verify(tmp_path, inc)
    assert (result.ok, result.bad_seq, result.bad_event_id) == (False, 2, b.id)


def _insert_after(tmp_path: Path, events: list[Event], after: int, hash_of) -> Event:
    """Insert a forged event after seq `after`, renumbering the later rows as a forger would;
    `hash_of(event)` gives the hash it is stored with."""
    prev = events[after - 1]
    forged = Event("f" * 32, prev.incident_id, after + 1, ev.TIMELINE_ENTRY, None, "mallory",
                   prev.occurred_at, prev.recorded_at, {"title": "We told the regulator"}, prev.hash)
    forged = Event(**{**forged.__dict__, "hash": hash_of(forged)})
    later = [e for e in events if e.seq > after]
    tamper(tmp_path,
           *[("UPDATE events SET seq = ? WHERE id = ?", (-e.seq, e.id)) for e in later],
           *[("UPDATE events SET seq = ? WHERE id = ?", (e.seq + 1, e.id)) for e in later],
           ("INSERT INTO events (id, incident_id, seq, kind, step_id, actor, occurred_at, recorded_at, payload,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (forged.id, forged.incident_id, forged.seq, forged.kind, forged.step_id, forged.actor,
             forged.occurred_at, forged.recorded_at, canonical_json(forged.payload), forged.prev_hash, forged.hash)))
    return forged


def test_an_inserted_event_with_a_plausible_but_wrong_hash_is_caught_at_it(tmp_path: Path, chain) -> None:
    inc, events = chain
    forged = _insert_after(tmp_path, events, 2, lambda e: ev.chain_hash(ev.GENESIS_HASH, e))
    result = verify(tmp_path, inc)
    assert (result.ok, result.bad_seq, result.bad_event_id) == (False, 3, forged.id)
    assert "hash does not match" in result.problem


def test_an_inserted_event_with_a_correct_hash_is_caught_at_the_next_event(tmp_path: Path, chain) -> None:
    inc, events = chain
    _insert_after(tmp_path, events, 2, lambda e: ev.chain_hash(e.prev_hash, e))
    result = verify(tmp_path, inc)
    assert (result.ok, result.bad_seq, result.bad_event_id) == (False, 4, events[2].id)
    assert "prev_hash" in result.problem


def test_a_truncated_tail_verifies_but_the_head_hash_changes(tmp_path: Path, chain) -> None:
    """Documented limit (docs/cli.md, verify): the chain alone cannot show that its last
    events were removed; the head hash `verify` printed before, kept elsewhere, does."""
    inc, events = chain
    tamper(tmp_path, ("DELETE FROM events WHERE seq > 3", ()))
    result = verify(tmp_path, inc)
    assert (result.ok, result.count) == (True, 3)
    assert result.head_hash == events[2].hash != events[-1].hash


def test_cli_verify_reports_ok_then_tampered(tmp_path: Path, chain, run_cli, data_dir: Path) -> None:
    inc, events = chain
    (data_dir / "incidentkit.db").write_bytes((tmp_path / "incidentkit.db").read_bytes())
    ok = run_cli("verify", inc[:8])
    assert (ok.returncode, ok.stdout) == (0, f"ok: 5 events, head {events[-1].hash}\n")
    tamper(data_dir, ("UPDATE events SET payload = ? WHERE id = ?",
                      (json.dumps({"text": "call at 10"}), events[4].id)))
    bad = run_cli("verify", inc)
    assert bad.returncode == 1
    assert bad.stdout.startswith(f"TAMPERED: event seq 5 ({events[4].id}): hash does not match")


@pytest.mark.parametrize("garbage", ["{not json", '{"a": 1}, {"b": 2}', "[1]"])
def test_a_payload_that_is_not_one_json_object_is_named_not_a_traceback(tmp_path: Path, chain, garbage: str) -> None:
    inc, events = chain
    tamper(tmp_path, ("UPDATE events SET payload = ? WHERE id = ?", (garbage, events[3].id)))
    with open_store(tmp_path) as store:
        result = store.verify(inc)
        assert (result.ok, result.bad_seq) == (False, 4)
        with pytest.raises(StoreError, match=f"event seq 4 \\({events[3].id}\\) has a corrupt payload"):
            store.events(inc)
