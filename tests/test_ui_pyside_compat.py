"""The guard against PySide6 6.12.0 dropping a reference to None on every void call (Python < 3.12)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from incidentkit.ui.pyside_compat import guard_none_refcount, none_refcount_leak_per_call
{guard}
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(50_000):
    label.setText("x")
    label.setEnabled(True)
print("ok", none_refcount_leak_per_call())
"""


def _run(guard: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", SCRIPT.format(guard=guard)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_many_void_calls_survive_with_the_guard():
    proc = _run("guard_none_refcount()")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("ok")


def test_the_guard_is_needed_exactly_when_pyside_leaks():
    proc = _run("")
    leaks = "deallocating None" in proc.stderr
    if leaks:
        assert proc.returncode != 0  # what the guard prevents: the interpreter aborts
    else:
        assert proc.returncode == 0 and proc.stdout.strip() == "ok 0"
