"""`incidentkit-gui`, the gui-script a desktop launcher runs: its options, and a start that loads no click.

The window path runs in fresh interpreters (a test process has click imported already):
once without a display (the one-line error) and once offscreen, where a timer set up
before `main()` reads what the real window was given and closes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from incident_helpers import open_store

from incidentkit import __version__
from incidentkit.ui.launch import parse_args

DATA_ENV = "INCIDENTKIT_DATA_DIR"


def test_the_options_a_window_needs(tmp_path: Path):
    one, two = tmp_path / "one", tmp_path / "two"
    args = parse_args(["--data-dir", str(tmp_path / "new"), "--playbooks", str(one), "--actor=ann",
                       f"--playbooks={two}"])
    assert (args.data_dir, args.actor, args.playbooks) == (str(tmp_path / "new"), "ann", [str(one), str(two)])
    assert (parse_args([]).data_dir, parse_args([]).actor, parse_args([]).playbooks) == (None, None, [])


@pytest.mark.parametrize("argv", [["--data-dir", "{file}"], ["--playbooks={file}"], ["--bogus"], ["gui"],
                                  ["--actor"]])
def test_a_bad_option_is_a_usage_error(tmp_path: Path, capsys, argv: list[str]):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SystemExit) as exit_:
        parse_args([a.format(file=tmp_path / "file") for a in argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: incidentkit-gui") and "error:" in err
    if "{file}" in " ".join(argv):
        assert "is a file, not a folder" in err


def _fresh(args: list[str], code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", DATA_ENV)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**base, **env}, timeout=60)


def test_the_installed_gui_script_runs():
    script = Path(sys.executable).with_name("incidentkit-gui")  # pyproject's [project.gui-scripts]
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, f"incidentkit-gui, version {__version__}\n"), proc.stderr


NO_DISPLAY_PROBE = """
import sys
from incidentkit.ui.launch import main
try:
    main()
except SystemExit as exc:
    print("exit", exc.code, "click" in sys.modules)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux can lack a display")
def test_without_a_display_it_says_so_in_one_line_and_never_loads_click(tmp_path: Path):
    proc = _fresh(["--actor", "ann"], NO_DISPLAY_PROBE, {DATA_ENV: str(tmp_path)})
    assert proc.stdout.split() == ["exit", "1", "False"], proc.stderr
    assert proc.stderr.startswith("incidentkit-gui: error: no display") and len(proc.stderr.splitlines()) == 1


# Before main() makes the window, a timer waits for it, prints what it was given, closes it.
WINDOW_PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from incidentkit.ui.launch import main
from incidentkit.ui.main_window import MainWindow

app = QApplication(["incidentkit"])

def report():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not windows:
        return
    timer.stop()
    w = windows[0]
    print("click" in sys.modules, w.paths.data_dir, w.actor(), *w.cli_playbook_dirs, sep="\\n")
    w.close()

timer = QTimer()
timer.timeout.connect(report)
timer.start(20)
main()
"""


def _window_given(tmp_path: Path, argv: list[str], env: dict[str, str]) -> list[str]:
    """What the window opened by `incidentkit-gui ARGV` was given: whether click was loaded
    by then, the data folder, the actor and the extra playbook folders."""
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"), **env}
    proc = _fresh(argv, WINDOW_PROBE, env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def _database_in(data: Path) -> Path:
    """An up-to-date database (creating one runs the migrations, whose sqlite-utils loads click)."""
    data.mkdir()
    open_store(data).close()
    return data


def test_the_window_gets_the_data_folder_from_the_environment(tmp_path: Path):
    data = _database_in(tmp_path / "from-env")
    assert _window_given(tmp_path, ["--actor", "zoe"], {DATA_ENV: str(data)}) == ["False", str(data), "zoe"]


def test_the_window_gets_each_option_and_every_playbooks_folder(tmp_path: Path):
    data, one, two = _database_in(tmp_path / "data"), tmp_path / "one", tmp_path / "two"
    one.mkdir()
    argv = ["--playbooks", str(one), "--actor=ann", f"--data-dir={data}", f"--playbooks={two}"]
    given = _window_given(tmp_path, argv, {DATA_ENV: str(tmp_path / "not-this")})
    assert given == ["False", str(data), "ann", str(one), str(two)]
