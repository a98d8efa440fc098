"""Progress reporting and cancellation shared by every exporter.

A caller passes `progress(done, total) -> bool`; returning False asks to stop. Exporters
tick a `Ticker`, which calls back every few hundred rows (cheap on 100,000 events) and
raises `ExportCancelled` when asked to stop, so the atomic writer can discard the file.
"""

from __future__ import annotations

from collections.abc import Callable

from incidentkit.core.errors import IncidentKitError

ProgressFn = Callable[[int, int], bool]


class ExportCancelled(IncidentKitError):
    """The caller cancelled the export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("export cancelled; nothing was written")


class Ticker:
    """Counts rows and reports every `every` rows; `finish()` always reports the end."""

    __slots__ = ("_progress", "total", "done", "_every", "_next")

    def __init__(self, progress: ProgressFn | None, total: int, *, every: int = 250) -> None:
        self._progress = progress
        self.total = total
        self.done = 0
        self._every = every
        self._next = 0

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self._progress is not None and self.done >= self._next:
            self._next = self.done + self._every
            self.check()

    def check(self) -> None:
        if self._progress is not None and self._progress(min(self.done, self.total), self.total) is False:
            raise ExportCancelled()

    def finish(self) -> None:
        self.done = self.total
        self.check()
