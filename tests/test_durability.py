"""Durability and concurrency on a real file with real processes: kill -9, and two writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook

from incidentkit.core.store.migrations import MIGRATIONS, migration_names

APPENDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from incidentkit.core.store import Store

    db, incident, actor, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = Store(Path(db))
    print("ready", flush=True)
    sys.stdin.readline()
    i = 0
    while count < 0 or i < count:
        event = store.append(incident, "timeline.entry", actor=actor, payload={"title": f"{actor} {i}"})
        print(event.id, flush=True)
        i += 1
    store.close()
    """
)


def start_appender(db: Path, incident_id: str, actor: str, count: int) -> subprocess.Popen[str]:
    """A process that opens the store, prints `ready`, waits for a line on stdin, then appends."""
    return subprocess.Popen(
        [sys.executable, "-c", APPENDER, str(db), incident_id, actor, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def go(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


@pytest.fixture
def incident(tmp_path: Path) -> str:
    with open_store(tmp_path) as store:
        return store.create_incident(tiny_playbook(), "x", actor="ann").id


def test_every_acknowledged_event_survives_kill_9(tmp_path: Path, incident: str) -> None:
    db = tmp_path / "incidentkit.db"
    proc = start_appender(db, incident, "writer", -1)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    go(proc)
    printed = [proc.stdout.readline().strip() for _ in range(200)]
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # A line cut off by the kill is an id the writer had not finished acknowledging.
    printed += [line for line in rest.splitlines() if len(line) == 32]

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = {r[0] for r in conn.execute("SELECT id FROM events WHERE incident_id = ?", (incident,))}
    conn.close()
    assert len(printed) >= 200
    assert set(printed) <= stored
    with open_store(tmp_path) as store:
        assert store.verify(incident).ok


@pytest.mark.slow
def test_two_processes_appending_500_each_lose_nothing(tmp_path: Path, incident: str) -> None:
    db = tmp_path / "incidentkit.db"
    procs = [start_appender(db, incident, name, 500) for name in ("left", "right")]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in procs:
        go(proc)
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "locked" not in err
        assert len(out.split()) == 500

    with open_store(tmp_path) as store:
        events = store.events(incident)
        assert [e.seq for e in events] == list(range(1, 1002))
        assert sum(e.actor == "left" for e in events) == sum(e.actor == "right" for e in events) == 500
        result = store.verify(incident)
        assert (result.ok, result.count) == (True, 1001)


OPENER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from incidentkit.core.store import Store

    print("ready", flush=True)
    sys.stdin.readline()
    with Store(Path(sys.argv[1])) as store:
        print(len(store.incidents()), flush=True)
    """
)


def test_two_processes_creating_the_database_at_once_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "incidentkit.db"
    procs = [
        subprocess.Popen([sys.executable, "-c", OPENER, str(db)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in procs:
        go(proc)
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert (proc.returncode, out, err) == (0, "0\n", "")
    with open_store(tmp_path) as store:
        assert store.last_backup is None
        assert [m.name for m in MIGRATIONS.applied(store.db)] == migration_names()
