"""Running a scope import off the GUI thread, with progress and Cancel.

The worker opens its own `Store` on the database file (a Store belongs to the thread
that opened it) and calls the core's `import_people`; its progress callback returns
False once Cancel was pressed, and the core then stops before recording anything. The
results come back to the GUI thread through a `_Relay`'s queued signals. When the file's
columns cannot be worked out, nothing is recorded: the worker reads the file's first rows
instead and sends them with `unmapped`, for the column dialog.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from incidentkit.core.errors import IncidentKitError


class _Relay(QObject):
    """Lives on the GUI thread; what the worker emits on it arrives there, queued."""

    progress = Signal(int, int)
    done = Signal(object)       # ImportSummary
    failed = Signal(str, object)  # message, FileCount or None
    cancelled = Signal()
    unmapped = Signal(object, str, object)  # the file, why, its Preview


def _work(relay: _Relay, db_path: Path, incident_id: str, file: Path, actor: str, stop: threading.Event,
          mapping: dict[str, str | int] | None) -> None:
    """The worker: touches no widget."""
    from incidentkit.core.scope.columns import ColumnError
    from incidentkit.core.scope.counting import ImportCancelled
    from incidentkit.core.scope.importer import NothingRead, import_people
    from incidentkit.core.scope.preview import preview
    from incidentkit.core.store import Store

    def progress(done: int, total: int) -> bool:
        relay.progress.emit(done, total)
        return not stop.is_set()

    try:
        with Store(db_path) as store:
            summary = import_people(store, incident_id=incident_id, path=file, actor=actor, mapping=mapping,
                                    progress=progress)
        outcome: tuple = (relay.done, summary)
    except ColumnError as exc:
        try:  # the columns chosen in the dialog, or found by the header, do not do: choose (again)
            outcome = (relay.unmapped, file, str(exc), preview(file))
        except IncidentKitError as unreadable:
            outcome = (relay.failed, str(unreadable), None)
    except ImportCancelled:
        outcome = (relay.cancelled,)
    except NothingRead as exc:
        outcome = (relay.failed, str(exc), exc.count)
    except IncidentKitError as exc:
        outcome = (relay.failed, str(exc), None)
    except Exception as exc:  # noqa: BLE001 - a bug, but it must reach the user as a message, not end a thread
        outcome = (relay.failed, f"the import failed: {type(exc).__name__}: {exc}", None)
    try:
        outcome[0].emit(*outcome[1:])
    except RuntimeError:
        pass  # the window is gone; the import was recorded or not all the same


class ImportRunner(QObject):
    """`start(db_path, incident_id, file, actor)`; one import at a time. `finished` follows
    each outcome signal (`done`, `failed`, `cancelled`, or `unmapped`: the columns are to be chosen)."""

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(str, object)
    cancelled = Signal()
    unmapped = Signal(object, str, object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop: threading.Event | None = None
        self._idle = threading.Event()
        self._idle.set()
        self._relay = _Relay()  # parentless: it must outlive the panel while a worker may emit
        self._relay.progress.connect(self.progress)
        for signal, ours in ((self._relay.done, self.done), (self._relay.failed, self.failed),
                             (self._relay.cancelled, self.cancelled), (self._relay.unmapped, self.unmapped)):
            signal.connect(ours)
            signal.connect(self._ended)

    @property
    def running(self) -> bool:
        return self._stop is not None

    def start(self, db_path: Path, incident_id: str, file: Path, actor: str, *,
              mapping: dict[str, str | int] | None = None) -> None:
        """Import `file` with `mapping` (the fields' columns, as `scope import --map` takes them;
        None: found by the header)."""
        if self.running:
            raise RuntimeError("an import is already running")
        stop, idle, relay = threading.Event(), threading.Event(), self._relay
        self._stop, self._idle = stop, idle
        self.destroyed.connect(lambda *_: stop.set())

        def work() -> None:
            try:
                _work(relay, Path(db_path), incident_id, Path(file), actor, stop, mapping)
            finally:
                idle.set()

        QThreadPool.globalInstance().start(work)

    def cancel(self) -> None:
        if self._stop is not None:
            self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker has ended (tests, and closing the window)."""
        return self._idle.wait(timeout)

    def _ended(self, *_args: object) -> None:
        self._stop = None
        self.finished.emit()
