"""Pausing CPython's cycle collector while a bulk of small, acyclic objects is built.

Reading a large log and folding its timeline makes objects (events, their payload
dicts, timeline items) that stay alive together. The cycle collector runs every few
hundred allocations and, as the survivors pile up, keeps re-scanning them all, though
they hold no reference cycles and reference counting frees them anyway. So it is paused
where such a bulk is built, and only there: from a process's start to the window's first
paint (or for the whole of a command, a short-lived process), in the timeline loader's
worker, and around the window's export (`export_incident`).

The collector is process-wide, so pauses may overlap across threads (the timeline loads
while an export runs): a counter switches it back on when the last pause ends, and only
if it was on before the first began. Start-up is a pause that is not a block:
`pause_during_startup()` ... `startup_done()`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def _begin() -> None:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def _end() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()


@contextmanager
def gc_paused() -> Iterator[None]:
    _begin()
    try:
        yield
    finally:
        _end()


_starting = False


def pause_during_startup() -> None:
    """Pause from now until `startup_done()`: a process starting (imports, Qt's enums, the
    window's widgets) makes objects that all live on, which the collector would otherwise
    re-scan again and again. Repeated calls pause once."""
    global _starting
    if not _starting:
        _starting = True
        _begin()


def startup_done() -> None:
    """End the start-up pause (the window has painted, or a command is about to run); a no-op
    when none is on, so every path that may end it can call it."""
    global _starting
    if _starting:
        _starting = False
        _end()
