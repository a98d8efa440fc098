"""Reads and projects a large incident's timeline off the GUI thread.

Reading and projecting a large incident takes long enough to freeze the window; so the
work runs on a thread of its own. The work opens its own `Store` on the same database file (a
Store belongs to the thread that opened it), reads the events, runs the core's
`timeline()` and hands the items back on the GUI thread. A newer `start()` or a
`cancel()` makes the result of an older load be dropped.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.gc_pause import gc_paused
from incidentkit.core.projections import timeline
from incidentkit.core.store import Store


class _Relay(QObject):
    """Created on the GUI thread; signals the worker emits on it arrive there, queued."""

    done = Signal(int, object, int)
    failed = Signal(int, str)


def _load(relay: _Relay, token: int, db_path: Path, backups_dir: Path | None, incident_id: str) -> None:
    """The worker: everything here runs off the GUI thread and touches no widget."""
    try:
        # A large log and its items are objects that all live on: the collector would scan
        # them again and again as they are made (see gc_pause).
        with gc_paused(), Store(db_path, backups_dir=backups_dir) as store:
            playbook = store.playbook(incident_id)
            events = store.events(incident_id)
            items = timeline(playbook, events)
    except IncidentKitError as exc:
        outcome: tuple = (relay.failed, token, str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug, but it must reach the user as a message, not end a thread
        outcome = (relay.failed, token, f"could not load the timeline: {exc}")
    else:
        outcome = (relay.done, token, items, events[-1].seq if events else 0)
    try:
        outcome[0].emit(*outcome[1:])
    except RuntimeError:
        pass  # the window went away while loading: nobody is waiting for the result


class TimelineLoader(QObject):
    """`start(store, incident_id)`; then `loaded(items, last_seq)` or `failed(message)`.

    A plain Python thread does the work, so nothing ever waits for it: closing the
    window mid-load just drops the result (the thread's read-only connection closes
    when it ends).
    """

    loaded = Signal(object, int)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Parentless and also referenced by each worker: it lives as long as anyone may emit on it.
        self._relay = _Relay()
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._token = 0
        self._busy = False
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self, store: Store, incident_id: str) -> None:
        self._token += 1
        self._busy = True
        self._thread = threading.Thread(
            target=_load, args=(self._relay, self._token, store.path, store.backups_dir, incident_id),
            name="incidentkit-timeline-load", daemon=True,
        )
        self._thread.start()

    def cancel(self) -> None:
        self._token += 1
        self._busy = False

    def wait(self, timeout: float | None = None) -> None:
        """Block until the latest worker has finished (its result still arrives via the event loop)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _done(self, token: int, items: object, last_seq: int) -> None:
        if token == self._token:
            self._busy = False
            self.loaded.emit(items, last_seq)

    def _failed(self, token: int, message: str) -> None:
        if token == self._token:
            self._busy = False
            self.failed.emit(message)
