"""The installed Qt binding is one we can run on: PySide6 6.12.0 drops a reference to
None on every call that returns nothing (Python 3.11), and the interpreter aborts after
a few thousand calls. pyproject.toml excludes it; this fails if such a build comes back.
"""

from __future__ import annotations

import sys


def test_void_qt_calls_do_not_leak_references_to_none(qapp):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("x")
        label.setEnabled(True)
    # Other threads may touch None too; a leak shows as about -1,000.
    assert abs(sys.getrefcount(None) - before) < 100
