"""Store benchmarks, each a ratio over bare sqlite3 on the same disk in the same run.

- step change: `operations.complete_step` / `reopen_step` (validate, append, commit with
  synchronous=FULL), median latency over a bare INSERT + COMMIT of a same-size row (WAL + FULL).
- projection: reading 10,000 events through the store and projecting the incident state,
  over just fetching those rows with sqlite3.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median_time, report  # noqa: E402
from incidentkit.core import events as ev  # noqa: E402
from incidentkit.core import operations as ops  # noqa: E402
from incidentkit.core.playbook.library import PlaybookLibrary  # noqa: E402
from incidentkit.core.projections import project  # noqa: E402
from incidentkit.core.store import Store  # noqa: E402

ROUNDS = 600
PROJECT_EVENTS = 10_000


def _floor_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    return conn


def bench_step_change(folder: Path) -> None:
    store = Store(folder / "incidentkit.db")
    playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
    incident = ops.open_incident(store, playbook=playbook, title="bench", actor="bench").id
    step_id = next(playbook.steps()).id
    ops.complete_step(store, incident_id=incident, step_id=step_id, actor="bench")
    sample = store.events(incident)[-1]
    row_size = len(ev.canonical_json(sample.to_json()))

    def change(i: int) -> None:
        if i % 2:
            ops.complete_step(store, incident_id=incident, step_id=step_id, actor="bench")
        else:
            ops.reopen_step(store, incident_id=incident, step_id=step_id, actor="bench")

    floor_conn = _floor_connection(folder / "floor.db")
    body = "x" * row_size

    def floor(i: int) -> None:
        floor_conn.execute("BEGIN")
        floor_conn.execute("INSERT INTO rows (body) VALUES (?)", (body,))
        floor_conn.execute("COMMIT")

    # Alternate call by call so disk and CPU noise from other processes hits both sides alike.
    ours, base = [], []
    for i in range(ROUNDS):
        t0 = time.perf_counter()
        floor(i)
        t1 = time.perf_counter()
        change(i)
        t2 = time.perf_counter()
        base.append(t1 - t0)
        ours.append(t2 - t1)
    ours_ms, base_ms = statistics.median(ours) * 1e3, statistics.median(base) * 1e3
    report("store step change (append+commit, FULL) vs bare INSERT+COMMIT", ours_ms / base_ms, 1.5,
           f"({ours_ms:.3f} ms vs {base_ms:.3f} ms, row ~{row_size} B)")
    floor_conn.close()
    store.close()


def bench_projection(folder: Path) -> None:
    store = Store(folder / "project.db")
    playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
    incident = ops.open_incident(store, playbook=playbook, title="bench", actor="bench").id
    step_ids = [s.id for s in playbook.steps()]
    kinds = (ev.STEP_DONE, ev.STEP_REOPENED, ev.STEP_NOTED, ev.STEP_ASSIGNED)
    # Building the log is set-up, not the thing measured: skip the per-commit fsync for it.
    store.conn.execute("PRAGMA synchronous=OFF")
    for i in range(PROJECT_EVENTS - 1):
        kind = kinds[i % len(kinds)]
        payload = {"text": f"note {i}"} if kind == ev.STEP_NOTED else (
            {"assignee": f"person {i % 7}"} if kind == ev.STEP_ASSIGNED else {})
        store.append(incident, kind, actor="bench", step_id=step_ids[i % len(step_ids)], payload=payload)
    store.conn.execute("PRAGMA synchronous=FULL")
    assert store.event_count(incident) == PROJECT_EVENTS
    raw = sqlite3.connect(str(folder / "project.db"))

    def read_rows() -> None:
        raw.execute("SELECT * FROM events WHERE incident_id = ? ORDER BY seq", (incident,)).fetchall()

    def project_state() -> None:
        project(store.playbook(incident), store.events(incident))

    base = median_time(read_rows, repeat=9)
    ours = median_time(project_state, repeat=9)
    report(f"project {PROJECT_EVENTS:,} events vs reading the rows", ours / base, 3,
           f"({ours * 1e3:.1f} ms vs {base * 1e3:.1f} ms)")
    raw.close()
    store.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        bench_step_change(Path(tmp))
        bench_projection(Path(tmp))


if __name__ == "__main__":
    main()
