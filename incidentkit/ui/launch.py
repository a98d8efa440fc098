"""Opening the window: the `incidentkit-gui` entry point, and what `incidentkit` and `incidentkit gui` call.

`main()` is the gui-script a desktop launcher runs (on Windows it opens no console
window). It reads the few options a window needs with argparse, so the window's start
loads no command-line framework; the data folder also comes from `INCIDENTKIT_DATA_DIR`
(`AppPaths.resolve`). Qt aborts the process when it finds no display, so `launch` looks
first and says how to run the window instead; Qt itself is imported only once a window
is wanted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from incidentkit import __version__
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.gc_pause import pause_during_startup
from incidentkit.core.paths import AppPaths

PROG = "incidentkit-gui"


def display_problem(environ: dict[str, str] | os._Environ[str] = os.environ, platform: str = sys.platform) -> str | None:
    """Why no window can open here, or None. Only Linux and the BSDs can lack a display."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    if any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return ("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set): run it in a desktop "
            "session, as `xvfb-run incidentkit`, or with QT_QPA_PLATFORM=offscreen for `incidentkit gui --screenshot`")


def launch(*, paths: AppPaths, actor: str | None, playbook_dirs: Sequence[Path] = (), screenshot: Path | None = None,
           incident: str | None = None, size: tuple[int, int] = (1280, 800), tab: str = "steps") -> int:
    """Open the window over the data in `paths` (or save a screenshot of it); the exit code.
    `actor` is the one given on the command line, if any: it wins over the display name in Settings."""
    if screenshot is not None and not os.environ.get("QT_QPA_PLATFORM"):  # set, or set but empty
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    problem = display_problem()
    if problem:
        raise IncidentKitError(problem)
    from incidentkit.core.store import Store
    from incidentkit.ui import app as ui_app

    paths.ensure()
    with Store.open(paths) as store:
        qt_app = ui_app.create_application(["incidentkit"])
        window = ui_app.build_window(store=store, paths=paths, settings=ui_app.user_settings(), actor=actor,
                                     cli_playbook_dirs=playbook_dirs, persist=screenshot is None)
        if screenshot is not None:
            return ui_app.save_screenshot(window, qt_app, screenshot, size=size, incident=incident, tab=tab)
        if incident:
            window.reload_incidents(select=store.incident(incident).id)
        window.tabs.setCurrentIndex(1 if tab == "timeline" else 0)
        return ui_app.run_window(window, qt_app)


def _folder(value: str) -> str:
    """A folder path: it need not exist yet, but a file there is refused."""
    if os.path.exists(value) and not os.path.isdir(value):
        raise argparse.ArgumentTypeError(f"{value!r} is a file, not a folder")
    return value


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """`--data-dir`, `--actor` and `--playbooks` (repeatable), as `incidentkit` reads them."""
    parser = argparse.ArgumentParser(prog=PROG, description="Open the IncidentKit window.")
    parser.add_argument("--data-dir", type=_folder, metavar="DIR",
                        help="Data folder (database, user playbooks, backups). Default: $INCIDENTKIT_DATA_DIR, "
                             "else the platform's user data dir.")
    parser.add_argument("--actor", help="Name recorded as the actor of each change. Default: the display name "
                                        "in Settings.")
    parser.add_argument("--playbooks", type=_folder, action="append", default=[], metavar="DIR",
                        help="An extra folder of playbooks (repeatable).")
    parser.add_argument("-V", "--version", action="version", version=f"{PROG}, version {__version__}")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> None:
    """The `incidentkit-gui` entry point."""
    pause_during_startup()  # ended once the window has painted
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        code = launch(paths=AppPaths.resolve(args.data_dir), actor=args.actor,
                      playbook_dirs=tuple(Path(p) for p in args.playbooks))
    except IncidentKitError as exc:
        _tell(str(exc))
        sys.exit(1)
    sys.exit(code)


def _tell(message: str) -> None:
    """A refusal (a database too new, a folder that cannot be made) on stderr, and, since a
    launcher shows no terminal, in a message box when there is a display for one."""
    if sys.stderr is not None:  # pythonw on Windows has none
        sys.stderr.write(f"{PROG}: error: {message}\n")
    if display_problem() is None and os.environ.get("QT_QPA_PLATFORM") != "offscreen":  # someone to read it
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance() or QApplication([PROG])  # a message box needs one
        QMessageBox.critical(app.activeWindow(), "IncidentKit", message)
