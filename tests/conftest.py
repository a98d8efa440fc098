"""Shared fixtures. Qt runs offscreen unless a test asks for a real display."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook
from tools import check_needs_tool_marks

from incidentkit.core import operations as ops
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.store import Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest_plugins = ["pytester"]  # test_tools.py runs pytest on a marked test

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
BUILTIN_PLAYBOOKS = REPO / "playbooks"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first, those of the PyInstaller bundle (the longest) before all: under
    xdist their worker starts on them while the other shares out the rest."""

    def order(item: pytest.Item) -> int:
        if "bundle" in getattr(item, "fixturenames", ()):
            return 0
        return 1 if item.get_closest_marker("slow") else 2

    items.sort(key=order)


def pytest_runtest_setup(item: pytest.Item) -> None:
    check_needs_tool_marks(item)


@pytest.fixture(autouse=True, scope="session")
def _qt_application(qapp):
    """Create the QApplication before any test runs. The PDF exporter creates a bare
    QGuiApplication when none exists; if it ran first, every later widget test would
    find that instead of a QApplication and Qt would abort the whole run."""
    return qapp


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty IncidentKit data folder under tmp_path."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """A real store in `data_dir`, closed after the test."""
    with open_store(data_dir) as s:
        yield s


@pytest.fixture
def playbook() -> Playbook:
    """The small playbook (incident_helpers.MARKDOWN): confirm, count, notify."""
    return tiny_playbook()


@pytest.fixture
def incident(store: Store, playbook: Playbook) -> str:
    """The id of an incident opened by ann on the small playbook in `store`."""
    return ops.open_incident(store, playbook=playbook, title="Vendor breach", actor="ann").id


def _checked(proc: subprocess.CompletedProcess[str], check: bool) -> subprocess.CompletedProcess[str]:
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, proc.args))} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture
def run_cli(data_dir: Path):
    """Run the real CLI's main() in this process against `data_dir` (cli_inprocess.run_main);
    returns a CompletedProcess (text), as `run_process` does."""
    from cli_inprocess import run_main

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        proc = run_main(args, input=input, env={"INCIDENTKIT_DATA_DIR": str(data_dir), **(env or {})})
        return _checked(proc, check)

    return run


@pytest.fixture
def run_process(data_dir: Path):
    """Run the real CLI as a subprocess against `data_dir`, for what only a process shows (the
    entry point, exit codes, pipes, signals, no display); returns CompletedProcess (text)."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            check: bool = False, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "INCIDENTKIT_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
        if env:
            full_env.update(env)
        proc = subprocess.run([sys.executable, "-m", "incidentkit", *args], input=input, capture_output=True,
                              text=True, env=full_env, timeout=timeout)
        return _checked(proc, check)

    return run


@pytest.fixture
def playbooks_dir(tmp_path: Path) -> Path:
    """A team's playbook folder holding the small playbook as tiny.md."""
    from incident_helpers import MARKDOWN

    folder = tmp_path / "team-playbooks"
    folder.mkdir()
    (folder / "tiny.md").write_text(MARKDOWN, encoding="utf-8")
    return folder


@pytest.fixture
def cli(run_cli, playbooks_dir: Path):
    """`run_cli` with `playbooks_dir` as --playbooks and ann (or `actor`) as --actor."""

    def run(*args: str, actor: str = "ann", **kw):
        return run_cli("--playbooks", str(playbooks_dir), "--actor", actor, *args, **kw)

    return run


# The window tests' fixtures. Qt's widgets are imported when a test first asks for one.
@pytest.fixture
def paths(data_dir: Path):
    """The AppPaths of `data_dir`, its folders made."""
    from incidentkit.core.paths import AppPaths

    p = AppPaths(data_dir)
    p.ensure()
    return p


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def open_window(qtbot, paths, settings_file: Path) -> Iterator:
    """Opens the real main window on `paths` (display name Dana), shown and active, as often as called."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from incidentkit.ui.app import build_window
    from incidentkit.ui.settings import Settings

    stores: list[Store] = []

    def open_():
        store = Store.open(paths)
        stores.append(store)
        settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
        settings.set_display_name("Dana")
        window = build_window(store=store, paths=paths, settings=settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
        return window

    yield open_
    for store in stores:
        store.close()


@pytest.fixture
def file_urls():
    """file: URLs the app asks the desktop to open, caught instead of opened."""
    from PySide6.QtGui import QDesktopServices
    from window_helpers import UrlCatcher

    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher.urls
    QDesktopServices.unsetUrlHandler("file")
