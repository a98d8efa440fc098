"""A guard against a PySide6 bug that ends the process with "Fatal Python error: deallocating None".

PySide6/shiboken6 6.12.0 (the abi3 wheels) return `None` from every void C++ call
without taking a reference to it, which is only harmless on Python >= 3.12 where
`None` is immortal. On Python 3.10 and 3.11 each `setText()`, `setEnabled()`,
`processEvents()`... drops None's reference count by one, and after a few thousand
calls (minutes of use) the interpreter aborts. PySide6 6.11.3 is not affected.

`guard_none_refcount()` checks for the leak with a few real calls and, only when it is
there, gives None a reference count so large that no session can exhaust it: on those
Python versions None is a static object that is never freed, so this only keeps the
interpreter's sanity check from firing. It does nothing on an unaffected PySide6 or
Python. The real fix is a PySide6 without the bug (see pyproject.toml).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # more void calls than a process can make


def none_refcount_leak_per_call() -> int:
    """How many references to None one void PySide6 call loses (0 when there is no bug)."""
    if sys.version_info >= (3, 12):
        return 0  # None is immortal: nothing to lose
    from PySide6.QtCore import QObject

    probe = QObject()
    calls = 64
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")  # a void C++ method
    return max(0, (before - sys.getrefcount(None)) // calls)


def guard_none_refcount() -> bool:
    """Apply the guard when this PySide6 leaks; True when it was needed."""
    if not none_refcount_leak_per_call():
        return False
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field of every object
    if refcount.value < _HEADROOM:
        refcount.value += _HEADROOM
    return True
