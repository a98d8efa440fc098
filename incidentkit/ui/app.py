"""The QApplication and running the window: what `incidentkit` and `incidentkit gui` call.

The application's name and organisation are set explicitly before any QSettings is
made (so settings land in one predictable place); the store, the paths, the settings
and the playbook library are created here and handed to the window.
"""

from __future__ import annotations

import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from incidentkit import __version__
from incidentkit.core.paths import AppPaths
from incidentkit.core.store import Store
from incidentkit.ui.main_window import MainWindow
from incidentkit.ui.playbooks.watcher import LibraryWatcher
from incidentkit.ui.settings import Settings
from incidentkit.ui.widgets.dark_checks import use_visible_checks
from incidentkit.ui.widgets.icons import APP_ICON, app_icon
from incidentkit.ui.widgets.message import show_error

ORGANIZATION = "IncidentKit"
APPLICATION = "IncidentKit"


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication, named so that QSettings and the desktop know what it is."""
    app = QApplication.instance() or QApplication(list(argv or [sys.argv[0]]))
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain("incidentkit.github.io")
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ICON)
    app.setWindowIcon(app_icon())
    use_visible_checks(app)
    return app


def user_settings() -> Settings:
    """The user's settings file (an ini file, the same format on every platform)."""
    return Settings(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION))


def build_window(*, store: Store, paths: AppPaths, settings: Settings, actor: str | None = None,
                 cli_playbook_dirs: Sequence[Path] = (), persist: bool = True) -> MainWindow:
    """The window over `store`. `actor` (from --actor) wins over the display name in Settings."""
    def make_watcher() -> LibraryWatcher:
        return LibraryWatcher(paths, [*cli_playbook_dirs, *settings.extra_playbook_dirs()])

    window = MainWindow(store=store, paths=paths, settings=settings, make_watcher=make_watcher,
                        actor=(lambda: actor) if actor else settings.display_name,
                        cli_playbook_dirs=cli_playbook_dirs, persist=persist)
    if store.read_only:  # the window itself disables every action that writes
        from incidentkit.ui.widgets.banner import Banner, add_banner

        add_banner(window, Banner(f"Read-only: {store.path} cannot be changed here ({store.why_read_only}). "
                                  "You can read, filter and export; nothing you do is recorded."))
    if store.created:
        window.statusBar().showMessage(f"Created a new IncidentKit database at {store.path}")
    return window


def _show_unexpected(window: MainWindow):
    def hook(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb)
        show_error(window, "IncidentKit", f"Something went wrong: {value}\n\nYour work so far is saved.")

    return hook


def run_window(window: MainWindow, app: QApplication) -> int:
    """Show the window and run until it closes; Ctrl+C in the terminal closes it cleanly."""
    sys.excepthook = _show_unexpected(window)
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer(window)  # lets Python see the signal while Qt waits
    wake.start(300)
    window.show()
    return app.exec()


def save_screenshot(window: MainWindow, app: QApplication, path: Path, *, size: tuple[int, int],
                    incident: str | None = None, tab: str = "steps") -> int:
    """Render the window at `size`, save it as PNG at `path`, and return 0."""
    if incident:
        window.reload_incidents(select=window.store.incident(incident).id)
    window.show_tab(tab)
    window.resize(*size)
    window.show()
    deadline = time.monotonic() + 30
    for _ in range(5):
        app.processEvents()
    while (window.timeline.is_loading() or window.comms_busy()) and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG", 0):  # quality 0: the smallest file, still lossless
        raise OSError(f"cannot write {path}")
    window.close()
    return 0
