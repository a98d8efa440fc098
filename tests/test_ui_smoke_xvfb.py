"""The real app on a real X server (Xvfb, the xcb platform): it starts, maps its window, stays up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs_tool("xvfb-run", package="xvfb"),
    pytest.mark.needs_tool("xwininfo", package="x11-utils"),
]

# Runs inside xvfb-run: start the app, wait for its top-level window (WM_CLASS
# incidentkit/IncidentKit) to be viewable,
# leave it up three seconds, then ask it to quit with SIGINT (as Ctrl+C would).
SCRIPT = r"""
"$PYTHON" -m incidentkit &
app=$!
wid=""
for _ in $(seq 1 80); do
    wid=$(xwininfo -root -tree 2>/dev/null | awk '/\("incidentkit" "IncidentKit"\)/ {print $1; exit}')
    if [ -n "$wid" ] && xwininfo -id "$wid" | grep -q "IsViewable"; then break; fi
    wid=""
    sleep 0.25
done
echo "WINDOW ${wid:-none}"
[ -n "$wid" ] && xwininfo -id "$wid" | grep -E "Map State|Width|Height"
sleep 3
if kill -0 "$app" 2>/dev/null; then echo "ALIVE"; else echo "DIED"; fi
kill -INT "$app" 2>/dev/null
wait "$app"
echo "EXIT $?"
"""


def test_app_shows_its_window_under_xvfb(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DISPLAY")}
    env.update(
        PYTHON=sys.executable,
        QT_QPA_PLATFORM="xcb",
        INCIDENTKIT_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path),
    )
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "sh", "-c", SCRIPT],
        capture_output=True, text=True, env=env, timeout=90,
    )
    out = proc.stdout
    assert "WINDOW 0x" in out, f"no IncidentKit window was mapped\nstdout:\n{out}\nstderr:\n{proc.stderr}"
    assert "IsViewable" in out
    assert "ALIVE" in out, f"the app exited early\n{proc.stderr}"
    assert "EXIT 0" in out, f"the app did not quit cleanly on SIGINT\n{out}\n{proc.stderr}"
    assert (tmp_path / "data" / "incidentkit.db").exists()
