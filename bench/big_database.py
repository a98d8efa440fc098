"""A year of a busy team, for the benches: 200 incidents and 1,000,000 events in one database.

The largest incident holds 100,000 events; the other 199 share the rest, in sizes that
vary. Each incident's events are generated as a real hash-chained log on the built-in
playbook (step done, reopened, skipped, assigned, notes, manual entries, a few
amendments, most incidents closed) and written through the store's own API,
`Store.import_incident`, one transaction per incident.

Built once and cached under `build/bench/` (gitignored): the folder is reused while
this file, the migration chain and the schema version are unchanged, and rebuilt
otherwise. Benches only read it. `python bench/big_database.py` builds it and prints
the folder.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INCIDENTS = 200
TOTAL_EVENTS = 1_000_000
LARGEST = 100_000
CACHE = ROOT / "build" / "bench"
YEAR_START = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)
WORDS = ("vendor", "records", "customers", "email", "exposed", "counsel", "regulator", "notice",
         "confirmed", "call", "ticket", "forensics", "scope", "encrypted", "names", "addresses",
         "phishing", "support", "script", "approved", "draft", "deadline", "state", "card", "brand")
PEOPLE = ("dana", "sam", "priya", "li", "omar", "jo", "ana", "kim")
CATEGORIES = ("vendor", "regulator", "customer", "internal", "")


def _fingerprint() -> str:
    from incidentkit.core.store import database, migrations

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(migrations.__file__).read_bytes())
    digest.update(str(database.SCHEMA_VERSION).encode())
    return digest.hexdigest()[:16]


def _sizes(rng: random.Random) -> list[int]:
    """Event counts per incident: the largest first, the others uneven, summing to TOTAL_EVENTS."""
    rest = INCIDENTS - 1
    weights = [rng.uniform(0.2, 1.8) for _ in range(rest)]
    scale = (TOTAL_EVENTS - LARGEST) / sum(weights)
    sizes = [max(20, int(w * scale)) for w in weights]
    sizes[-1] += TOTAL_EVENTS - LARGEST - sum(sizes)
    return [LARGEST, *sizes]


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def _incident_events(rng: random.Random, incident, steps: list[str], count: int, opened: datetime,
                     close: bool):
    from incidentkit.core import events as ev
    from incidentkit.core.events import Event, chain_hash, format_ts, new_id

    def make(seq: int, kind: str, step: str | None, payload: dict, when: datetime, prev: str) -> Event:
        stamp = format_ts(when)
        event = Event(new_id(), incident.id, seq, kind, step, rng.choice(PEOPLE), stamp, stamp, payload, prev)
        object.__setattr__(event, "hash", chain_hash(prev, event))
        return event

    opened_payload = {"title": incident.title, "playbook_id": incident.playbook_id,
                      "playbook_version": incident.playbook_version,
                      "snapshot_sha256": incident.snapshot_sha256, "aware_at": incident.aware_at}
    events = [make(1, ev.INCIDENT_OPENED, None, opened_payload, opened, ev.GENESIS_HASH)]
    # An incident's events span a few weeks, more densely for larger ones.
    gap = max(1.0, 21 * 86400 / count)
    when = opened
    last = count - 1 if close else count
    for seq in range(2, last + 1):
        when += timedelta(seconds=rng.uniform(0.2, 1.8) * gap)
        roll = rng.random()
        step = rng.choice(steps)
        if roll < 0.30:
            kind, payload = ev.STEP_NOTED, {"text": _text(rng, 8, 40)}
        elif roll < 0.55:
            kind, step, payload = ev.TIMELINE_ENTRY, None, {
                "title": _text(rng, 3, 9), "detail": _text(rng, 0, 25), "category": rng.choice(CATEGORIES)}
        elif roll < 0.75:
            kind, payload = ev.STEP_DONE, {}
        elif roll < 0.88:
            kind, payload = ev.STEP_REOPENED, {}
        elif roll < 0.95:
            kind, payload = ev.STEP_ASSIGNED, {"assignee": rng.choice(PEOPLE)}
        elif roll < 0.998:
            kind, payload = ev.STEP_SKIPPED, {"reason": _text(rng, 3, 10)}
        else:
            target = events[rng.randrange(len(events))]
            kind, step, payload = ev.TIMELINE_AMENDED, None, {
                "target": target.id, "title": _text(rng, 3, 8), "reason": "typo"}
        events.append(make(seq, kind, step, payload, when, events[-1].hash))
    if close:
        events.append(make(count, ev.INCIDENT_CLOSED, None, {}, when + timedelta(hours=1), events[-1].hash))
    return events


def build(folder: Path) -> None:
    """Write the database into `folder`/incidentkit.db through `Store.import_incident`."""
    from incidentkit.core.events import format_ts, new_id
    from incidentkit.core.paths import AppPaths
    from incidentkit.core.playbook.library import PlaybookLibrary
    from incidentkit.core.store import Incident, Store

    rng = random.Random(20250106)
    playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
    sha = hashlib.sha256(playbook.markdown.encode("utf-8")).hexdigest()
    steps = [s.id for s in playbook.steps()]
    sizes = _sizes(rng)
    paths = AppPaths(folder)
    paths.ensure()
    with Store.open(paths) as store:
        # Bulk set-up, not the thing measured: one durable commit per incident is enough.
        store.conn.execute("PRAGMA synchronous=NORMAL")
        # The largest incident is the most recent one, the one a window opens first.
        for n, count in enumerate(reversed(sizes)):
            opened = YEAR_START + timedelta(days=n * 360 / INCIDENTS)
            stamp = format_ts(opened)
            incident = Incident(id=new_id(), title=f"Vendor breach {n + 1:03d}: {_text(rng, 2, 4)}",
                                playbook_id=playbook.id, playbook_version=playbook.version,
                                playbook_title=playbook.title, snapshot_sha256=sha, aware_at=stamp,
                                created_at=stamp)
            close = n < INCIDENTS - 5
            store.import_incident(incident, playbook.markdown,
                                  _incident_events(rng, incident, steps, count, opened, close))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def big_database() -> Path:
    """The data folder holding the year's database, built now unless the cached one is current."""
    fingerprint = _fingerprint()
    folder = CACHE / f"year-{fingerprint}"
    if (folder / "ready").exists():
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob("year-*"):
        shutil.rmtree(old, ignore_errors=True)
    building = CACHE / f"building-{fingerprint}"
    shutil.rmtree(building, ignore_errors=True)
    started = time.perf_counter()
    build(building)
    building.rename(folder)
    (folder / "ready").write_text(f"built in {time.perf_counter() - started:.0f} s\n")
    return folder


def largest_incident(folder: Path) -> str:
    """The id of the database's largest incident (the last one opened)."""
    import sqlite3

    conn = sqlite3.connect(f"{(folder / 'incidentkit.db').resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id FROM incidents ORDER BY created_at DESC, id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


if __name__ == "__main__":
    print(big_database())
