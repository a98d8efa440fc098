"""`incidentkit gui` from the command line: no-display message, screenshots, bad sizes."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest


def _run_without_display(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["INCIDENTKIT_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "incidentkit", *args], capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux can lack a display")
@pytest.mark.parametrize("args", [(), ("gui",)])
def test_no_display_is_one_clear_line(data_dir: Path, args: tuple[str, ...]):
    proc = _run_without_display(data_dir, *args)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("incidentkit: error: no display")
    for hint in ("desktop session", "xvfb-run incidentkit", "QT_QPA_PLATFORM=offscreen"):
        assert hint in lines[0]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshot_of_an_incident(run_cli, data_dir: Path, tmp_path: Path):
    incident = run_cli("incident", "new", "--playbook", "vendor-data-breach", "--title", "Shot", check=True).stdout.strip()
    run_cli("step", "done", incident, "scope-record-awareness", check=True)
    # A process without a display: the screenshot needs none.
    shot = tmp_path / "shots" / "w.png"
    proc = _run_without_display(data_dir, "gui", "--screenshot", str(shot), "--incident", incident[:8],
                                "--size", "1024x700", "--tab", "timeline")
    assert proc.returncode == 0, proc.stderr
    assert _png_size(shot) == (1024, 700)


def test_screenshot_of_an_empty_database(run_process, tmp_path: Path):
    # A process of its own: the screenshot's window and its timers end with it.
    shot = tmp_path / "empty.png"
    proc = run_process("gui", "--screenshot", str(shot))
    assert proc.returncode == 0, proc.stderr
    assert _png_size(shot) == (1280, 800)


@pytest.mark.parametrize("size", ["big", "10x10", "1280"])
def test_bad_size_is_a_usage_error(run_cli, tmp_path: Path, size: str):
    proc = run_cli("gui", "--screenshot", str(tmp_path / "x.png"), "--size", size)
    assert proc.returncode == 2
    assert "--size" in proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_unknown_incident_is_one_line(run_process, tmp_path: Path):
    proc = run_process("gui", "--screenshot", str(tmp_path / "x.png"), "--incident", "nope")
    assert proc.returncode == 1
    assert proc.stderr.startswith("incidentkit: error:") and len(proc.stderr.strip().splitlines()) == 1
