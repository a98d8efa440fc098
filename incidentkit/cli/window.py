"""Opening the window (or rendering a screenshot of it): what `incidentkit` and `incidentkit gui` do.

No click here: plain `incidentkit` reaches this straight from `main()` (see
`global_options.window_only`), so the window's start does not pay for importing click.
Qt aborts the process when it finds no display; we look first and say, in one line,
how to run the window instead. Qt is imported only here, when a window is wanted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from incidentkit.cli.context import AppContext
from incidentkit.core.errors import IncidentKitError


def display_problem(environ: dict[str, str] | os._Environ[str] = os.environ, platform: str = sys.platform) -> str | None:
    """Why no window can open here, or None. Only Linux and the BSDs can lack a display."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    if any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return ("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set): run it in a desktop "
            "session, as `xvfb-run incidentkit`, or with QT_QPA_PLATFORM=offscreen for `incidentkit gui --screenshot`")


def launch(app: AppContext, *, actor: str | None, screenshot: Path | None = None, incident: str | None = None,
           size: tuple[int, int] = (1280, 800), tab: str = "steps") -> int:
    """Open the window over `app` (or save a screenshot of it); the exit code. `actor` is the
    --actor given on the command line, if any: it wins over the display name in Settings."""
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = display_problem()
    if problem:
        raise IncidentKitError(problem)
    from incidentkit.ui import app as ui_app

    qt_app = ui_app.create_application(["incidentkit"])
    window = ui_app.build_window(store=app.store, paths=app.paths, settings=ui_app.user_settings(),
                                 actor=actor, cli_playbook_dirs=app.extra_playbook_dirs,
                                 persist=screenshot is None)
    if screenshot is not None:
        return ui_app.save_screenshot(window, qt_app, screenshot, size=size, incident=incident, tab=tab)
    if incident:
        window.reload_incidents(select=app.store.incident(incident).id)
    window.tabs.setCurrentIndex(("steps", "timeline", "deadlines", "communications").index(tab))
    return ui_app.run_window(window, qt_app)


def open_window(params: dict[str, object]) -> int:
    """`incidentkit` with no command: the window over the data the global options name.
    `params` are the group callback's (`global_options.GLOBAL_OPTIONS`' dests)."""
    app = AppContext.create(**params)  # type: ignore[arg-type]
    try:
        return launch(app, actor=params["actor"])  # type: ignore[arg-type]
    finally:
        app.close()
