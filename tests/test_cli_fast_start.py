"""Plain `incidentkit` opens the window without importing click, and reads its options as click would.

The window path runs in fresh interpreters (a test process has click imported already),
once without a display (the one-line error) and once offscreen, where a timer set up
before `main()` reads what the real window was given and closes it. Every other command
line still goes through click: its messages are checked as subprocesses, and a
property test holds the click-free reader to click's own parse of generated lines.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path
from unittest import mock

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from incident_helpers import open_store

from incidentkit.cli.global_options import COMPLETE_VAR, GLOBAL_OPTIONS, window_only
from incidentkit.cli.group import cli

DATA_ENV = "INCIDENTKIT_DATA_DIR"


def _fresh(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", DATA_ENV)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**base, **env},
                          timeout=60)


NO_DISPLAY_PROBE = """
import sys
from incidentkit.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    print("exit", exc.code, "click" in sys.modules)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux can lack a display")
@pytest.mark.parametrize("args", [(), ("--data-dir", "{d}", "--actor=ann", "--playbooks", "{d}", "--playbooks={d}")])
def test_the_window_path_does_not_import_click(tmp_path: Path, args: tuple[str, ...]):
    argv = [a.format(d=tmp_path) for a in args]
    proc = _fresh(NO_DISPLAY_PROBE.replace("sys.argv[1:]", repr(argv)), {DATA_ENV: str(tmp_path)})
    assert proc.stdout.split() == ["exit", "1", "False"], proc.stderr
    assert proc.stderr.startswith("incidentkit: error: no display") and len(proc.stderr.splitlines()) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux can lack a display")
def test_a_command_still_goes_through_click(tmp_path: Path):
    proc = _fresh(NO_DISPLAY_PROBE.replace("sys.argv[1:]", "['playbooks']"), {DATA_ENV: str(tmp_path)})
    assert proc.stdout.splitlines()[-1] == "exit 0 True", proc.stderr


# Before main() makes the window, a timer waits for it, prints what it was given, closes it.
WINDOW_PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from incidentkit.cli import main
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
main(sys.argv[1:])
"""


def _window_given(tmp_path: Path, argv: list[str], env: dict[str, str]) -> list[str]:
    """What the window opened by `incidentkit ARGV` was given: whether click was loaded by
    then, the data folder, the actor and the extra playbook folders."""
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"), **env}
    code = f"import sys; sys.argv[1:] = {argv!r}\n{WINDOW_PROBE}"
    proc = _fresh(code, env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def _database_in(data: Path) -> Path:
    """An up-to-date database: creating one runs the migrations, whose sqlite-utils imports click."""
    data.mkdir()
    open_store(data).close()
    return data


def test_the_window_gets_the_data_folder_from_the_environment(tmp_path: Path):
    data = _database_in(tmp_path / "from-env")
    given = _window_given(tmp_path, ["--actor", "zoe"], {DATA_ENV: str(data)})
    assert given == ["False", str(data), "zoe"]


def test_the_window_gets_each_option_and_every_playbooks_folder(tmp_path: Path):
    data, one, two = _database_in(tmp_path / "data"), tmp_path / "one", tmp_path / "two"
    one.mkdir()
    argv = ["--data-dir", str(tmp_path / "first"), "--playbooks", str(one), "--actor=ann",
            f"--data-dir={data}", f"--playbooks={two}"]
    given = _window_given(tmp_path, argv, {DATA_ENV: str(tmp_path / "not-this")})
    assert given == ["False", str(data), "ann", str(one), str(two)]


@pytest.mark.parametrize(("args", "code", "expected"), [
    (("--data-dir", "{file}"), 2, "Error: Invalid value for '--data-dir': Directory '{file}' is a file."),
    (("--data-dir={file}",), 2, "Error: Invalid value for '--data-dir': Directory '{file}' is a file."),
    (("--playbooks", "{dir}", "--playbooks", "{file}"), 2,
     "Error: Invalid value for '--playbooks': Directory '{file}' is a file."),
    (("--help",), 0, "Usage: incidentkit [OPTIONS] [COMMAND] [ARGS]..."),
    (("-h",), 0, "Usage: incidentkit [OPTIONS] [COMMAND] [ARGS]..."),
    (("--version",), 0, "incidentkit, version "),
    (("-V",), 0, "incidentkit, version "),
    (("--actor=x", "--bogus"), 2, "Error: No such option '--bogus'."),
    (("--act", "x"), 2, "Error: No such option '--act'. Did you mean '--actor'?"),
    (("--data-dir", "{dir}", "--actor"), 2, "Error: Option '--actor' requires an argument."),
    (("--data-dir", "{dir}", "nosuch"), 2, "Error: No such command 'nosuch'."),
])
def test_anything_else_is_read_by_click(run_cli, tmp_path: Path, args: tuple[str, ...], code: int, expected: str):
    (tmp_path / "file").write_text("x")
    paths = {"file": str(tmp_path / "file"), "dir": str(tmp_path)}
    proc = run_cli(*(a.format(**paths) for a in args))
    assert proc.returncode == code, proc.stderr
    assert expected.format(**paths) in (proc.stdout if code == 0 else proc.stderr)


def test_a_data_folder_from_the_environment_that_is_a_file_is_refused_by_click(run_cli, tmp_path: Path):
    (tmp_path / "file").write_text("x")
    proc = run_cli(env={DATA_ENV: str(tmp_path / "file")})
    assert proc.returncode == 2
    assert f"Error: Invalid value for '--data-dir': Directory '{tmp_path / 'file'}' is a file." in proc.stderr


def test_click_builds_the_global_options_from_the_one_table():
    params = {p.name: p for p in cli.params}
    for option in GLOBAL_OPTIONS:
        param = params[option.dest]
        assert param.opts == [option.flag] and param.envvar == option.envvar and param.multiple == option.multiple
        assert isinstance(param.type, click.Path) == option.folder
        if option.folder:
            assert not param.type.file_okay and not param.type.exists
        # window_only() reads a variable as one value; click would split one for a repeatable option.
        assert not (option.multiple and option.envvar)
    # --read-only is click's alone: a line holding it is left to click (test below).
    assert {p.name for p in cli.params if isinstance(p, click.Option) and not p.is_eager} == \
        {o.dest for o in GLOBAL_OPTIONS} | {"read_only"}


def test_read_only_is_left_to_click(places: dict[str, str]):
    assert window_only(["--read-only"], {}) is None
    assert click_reading(["--read-only", "--data-dir", places["dir"]], {})["read_only"] is True


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("places")
    (root / "file").write_text("x")
    (root / "dir").mkdir()
    return {"dir": str(root / "dir"), "file": str(root / "file"), "missing": str(root / "missing"),
            "device": os.devnull}


def click_reading(argv: list[str], environ: dict[str, str]) -> dict[str, object] | None:
    """The group callback's arguments as click parses `argv`, or None for a command, an
    error, help or version: whatever is not 'open the window with these options'."""
    with mock.patch.dict(os.environ, environ, clear=True), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        try:
            ctx = cli.make_context("incidentkit", list(argv))
        except (click.exceptions.Exit, click.ClickException):
            return None
    with warnings.catch_warnings():  # click 8.2+ deprecates protected_args (9.0 keeps all in args)
        warnings.simplefilter("ignore", DeprecationWarning)
        leftover = [*getattr(ctx, "protected_args", []), *ctx.args]
    if leftover:
        return None
    params = dict(ctx.params)
    if params.get("read_only") is False:  # the fast reader leaves --read-only to click; without it, the same
        del params["read_only"]
    return params


FLAGS = ["--data-dir", "--actor", "--playbooks"]
WORDS = ["", "-", "--", "-h", "--help", "-V", "--version", "--bogus", "--act", "--actor=", "gui", "playbooks", "x y"]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_fast_reader_never_disagrees_with_click(places: dict[str, str], data):
    value = st.sampled_from([*places.values(), *WORDS])
    token = st.one_of(st.sampled_from(FLAGS + WORDS), value,
                      st.builds(lambda flag, v: f"{flag}={v}", st.sampled_from(FLAGS), value))
    argv = data.draw(st.lists(token, max_size=6))
    env_value = data.draw(st.sampled_from([None, "", *places.values()]))
    environ = {} if env_value is None else {DATA_ENV: env_value}
    fast = window_only(argv, environ)
    if fast is not None:
        assert fast == click_reading(argv, environ)


@pytest.mark.parametrize("argv", [
    [], ["--data-dir", "{dir}"], ["--data-dir={missing}"], ["--actor", "--help"], ["--actor="],
    ["--playbooks", "{dir}", "--playbooks={missing}", "--actor", "a", "--actor", "b"],
    ["--data-dir", "{file}", "--data-dir", "{dir}"],
])
def test_the_fast_reader_takes_what_click_takes_without_a_word(places: dict[str, str], argv: list[str]):
    argv = [a.format(**places) for a in argv]
    for environ in ({}, {DATA_ENV: places["dir"]}, {DATA_ENV: places["missing"]}):
        assert window_only(argv, environ) is not None
        assert window_only(argv, environ) == click_reading(argv, environ)


@pytest.mark.parametrize(("argv", "environ"), [
    (["--data-dir", "{file}"], {}), (["--playbooks={file}"], {}), ([], {DATA_ENV: "{file}"}),
    (["--data-dir", "{device}"], {}), (["--"], {}), (["--actor"], {}), (["-V"], {}),
    ([], {COMPLETE_VAR: "bash_complete"}),
])
def test_the_fast_reader_leaves_the_rest_to_click(places: dict[str, str], argv: list[str], environ: dict[str, str]):
    argv = [a.format(**places) for a in argv]
    assert window_only(argv, {k: v.format(**places) for k, v in environ.items()}) is None
