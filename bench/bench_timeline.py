"""Timeline tab with 100,000 events: time to first paint, as a ratio over the same with 100 events.

Each run builds a fresh TimelinePanel, hands it the projected items, shows it and spins
the event loop until the table's viewport has painted. Both sizes are measured in the
same process. A second line (skipped with `--quick`) reports opening the incident from
a real SQLite store: reading and projecting every event (in the background above 5,000
events, so the window stays responsive meanwhile) and then the first paint of the rows.
It is for information: that time is the core's reading and projection, O(n) by nature.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.common import median_time, report  # noqa: E402
from incidentkit.core import events as ev  # noqa: E402
from incidentkit.core.events import Event, format_ts  # noqa: E402
from incidentkit.core.projections import TimelineItem  # noqa: E402
from incidentkit.ui.timeline.panel import TimelinePanel  # noqa: E402

BIG, SMALL = 100_000, 100
T0 = datetime(2026, 3, 1, tzinfo=timezone.utc)
KINDS = (ev.STEP_DONE, ev.STEP_NOTED, ev.TIMELINE_ENTRY, ev.STEP_REOPENED, ev.STEP_ASSIGNED)


def make_items(count: int) -> list[TimelineItem]:
    items = []
    for seq in range(1, count + 1):
        when = format_ts(T0 + timedelta(seconds=seq))
        kind = KINDS[seq % len(KINDS)]
        event = Event(id=f"{seq:032x}", incident_id="bench", seq=seq, kind=kind, step_id=f"step-{seq % 60}",
                      actor="responder", occurred_at=when, recorded_at=when, payload={"title": f"entry {seq}"})
        items.append(TimelineItem(event=event, occurred_at=when, title=f"Completed: step number {seq % 60}",
                                  category="vendor" if kind == ev.TIMELINE_ENTRY else ""))
    return items


class PaintWatch(QObject):
    """Notes the first Paint event of the watched widget."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def first_paint(load) -> None:
    """Build a panel, `load(panel)`, show it, and return once its table has painted."""
    app = QApplication.instance()
    panel = TimelinePanel(lambda _operation, **_kwargs: None)  # writes nothing
    watch = PaintWatch()
    panel.table.viewport().installEventFilter(watch)
    panel.resize(1100, 700)
    load(panel)
    panel.show()
    deadline = time.perf_counter() + 30
    while not watch.painted and time.perf_counter() < deadline:
        app.processEvents()
    if not watch.painted:
        raise RuntimeError("the timeline never painted")
    panel.close()
    panel.deleteLater()
    app.processEvents()


def store_with_events(folder: Path, count: int):
    """A real store holding one incident of `count` chained events, written in one import transaction."""
    from dataclasses import asdict, replace

    from incidentkit.core.events import chain_hash
    from incidentkit.core.export.json_full import FORMAT, SCHEMA_VERSION
    from incidentkit.core.export.json_import import import_document
    from incidentkit.core.playbook.library import PlaybookLibrary
    from incidentkit.core.store import Store

    playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
    store = Store(folder / f"bench-{count}.db")
    seed = store.create_incident(playbook, "Bench seed", actor="bench", aware_at=T0)
    events = store.events(seed.id)
    steps = [s.id for s in playbook.steps()]
    prev = events[-1].hash
    for seq in range(2, count + 1):
        when = format_ts(T0 + timedelta(seconds=seq))
        event = Event(id=f"{seq:032x}", incident_id=seed.id, seq=seq, kind=ev.STEP_NOTED,
                      step_id=steps[seq % len(steps)], actor="bench", occurred_at=when, recorded_at=when,
                      payload={"text": f"note {seq}"}, prev_hash=prev)
        prev = chain_hash(prev, event)
        events.append(replace(event, hash=prev))
    doc = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "incident": asdict(seed),
           "playbook": {"markdown": playbook.markdown}, "events": [e.to_json() for e in events], "head_hash": prev}
    incident = import_document(store, doc, as_new=True)
    return store, incident.id


def open_incident(session):
    """A loader for `first_paint` that opens the incident's timeline and waits for its (background) load."""
    def load(panel: TimelinePanel) -> None:
        panel.show_session(session)
        while panel.is_loading():
            QApplication.processEvents()
            time.sleep(0.001)
    return load


def main() -> None:
    QApplication.instance() or QApplication(sys.argv)
    big, small = make_items(BIG), make_items(SMALL)
    t_small = median_time(lambda: first_paint(lambda p: p.show_items(small)), repeat=7)
    t_big = median_time(lambda: first_paint(lambda p: p.show_items(big)), repeat=7)
    report("timeline_first_paint_100k", t_big / t_small, 2,
           f"({t_big * 1000:.1f} ms vs {t_small * 1000:.1f} ms for {SMALL} events)")
    if "--quick" not in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            from incidentkit.ui.incident_session import IncidentSession

            store_big, id_big = store_with_events(Path(tmp), BIG)
            store_small, id_small = store_with_events(Path(tmp), SMALL)
            # The window has the incident's session open before its Timeline tab shows.
            big = IncidentSession(store_big, store_big.incident(id_big))
            small = IncidentSession(store_small, store_small.incident(id_small))
            s_small = median_time(lambda: first_paint(open_incident(small)), repeat=3)
            s_big = median_time(lambda: first_paint(open_incident(big)), repeat=3)
            print(f"timeline_open_from_store_100k: {s_big * 1000:.0f} ms vs {s_small * 1000:.1f} ms "
                  f"for {SMALL} events (reading and projecting included; information only)", flush=True)
            store_big.close()
            store_small.close()


if __name__ == "__main__":
    main()
