"""Every incident's summary, read at once, from a few deciding events, or from the cache,
is exactly what `project()` over its whole log says.

Random logs (`incident_helpers.write_random_log`) in a real SQLite store.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from incident_helpers import open_store, random_change, tiny_playbook, write_random_log

from incidentkit.core import events as ev
from incidentkit.core import summary_cache
from incidentkit.core.projections import project
from incidentkit.core.store import Store
from incidentkit.core.summaries import FEW, IncidentSummary, read_summaries, summary_of

PB = tiny_playbook()


def expected(store: Store, incident_id: str) -> IncidentSummary:
    return summary_of(project(PB, store.events(incident_id)))


def traced(store: Store, read) -> tuple[object, list[str]]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        return read(), seen
    finally:
        store.conn.set_trace_callback(None)


@given(st.lists(st.lists(random_change, max_size=25), min_size=FEW + 1, max_size=FEW + 3))
@settings(max_examples=40, deadline=None)
def test_summaries_are_what_the_whole_log_says(logs) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "incidentkit.db") as store:
        ids = [write_random_log(store, changes) for changes in logs]
        playbooks = {incident_id: PB for incident_id in ids}
        # Many at once, from every log in brief ...
        found, seen = traced(store, lambda: read_summaries(store, playbooks))
        assert found == {i: expected(store, i) for i in ids}
        assert any("CROSS JOIN" in s for s in seen)
        # ... or a few, each from its deciding events.
        few = dict(list(playbooks.items())[:FEW])
        found, seen = traced(store, lambda: read_summaries(store, few))
        assert found == {i: expected(store, i) for i in few}
        assert not any("CROSS JOIN" in s for s in seen)
        # Through the cache: kept, then only the changed incident read again.
        cache = Path(tmp) / "cache"
        assert read_summaries(store, playbooks, cache_dir=cache) == {i: expected(store, i) for i in ids}
        store.append(ids[-1], ev.INCIDENT_CLOSED, actor="bob")
        assert read_summaries(store, playbooks, cache_dir=cache) == {i: expected(store, i) for i in ids}


def test_the_cache_answers_for_unchanged_logs_and_nothing_else(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        ids = [store.create_incident(PB, f"incident {n}", actor="ann").id for n in range(3)]
        playbooks = {i: PB for i in ids}
        cache = tmp_path / "cache"
        first = read_summaries(store, playbooks, cache_dir=cache)
        assert set(summary_cache.load(cache, store.log_heads())) == set(ids)

        store.append(ids[1], ev.STEP_DONE, actor="ann", step_id="confirm")
        assert set(summary_cache.load(cache, store.log_heads())) == {ids[0], ids[2]}  # ids[1]'s log moved on
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        again = read_summaries(store, playbooks, cache_dir=cache)
        store.conn.set_trace_callback(None)
        assert again[ids[1]].done == 1 and again[ids[0]] == first[ids[0]]
        assert all(ids[0] not in s and ids[2] not in s for s in seen)  # only the changed one was read
        assert any(ids[1] in s for s in seen)


def test_a_damaged_or_foreign_cache_is_ignored(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        incident = store.create_incident(PB, "x", actor="ann").id
        cache = tmp_path / "cache"
        right = read_summaries(store, {incident: PB}, cache_dir=cache)
        path = cache / summary_cache.FILE_NAME
        doc = json.loads(path.read_text())
        for broken in ("not json", json.dumps({**doc, "code": "another version"}),
                       json.dumps({**doc, "incidents": {incident: {**doc["incidents"][incident],
                                                                   "summary": {"title": 3}}}})):
            path.write_text(broken)
            assert summary_cache.load(cache, store.log_heads()) == {}
            assert read_summaries(store, {incident: PB}, cache_dir=cache) == right
