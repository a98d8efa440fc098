"""`incidentkit gui` and the default action: open the window (or render a screenshot of it).

Qt aborts the process when it finds no display; we look first and say, in one line,
how to run the window instead. Qt is imported only here, when a window is wanted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from incidentkit.cli import cli
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


def _parse_size(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not WIDTHxHEIGHT, e.g. 1280x800") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise click.BadParameter(f"{value} is out of range (320x240 to 7680x4320)")
    return width, height


def _launch(app: AppContext, *, screenshot: Path | None = None, incident: str | None = None,
            size: tuple[int, int] = (1280, 800), tab: str = "steps") -> int:
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = display_problem()
    if problem:
        raise IncidentKitError(problem)
    from incidentkit.ui import app as ui_app

    qt_app = ui_app.create_application(["incidentkit"])
    # The display name from Settings is the actor unless --actor was given.
    explicit_actor = click.get_current_context().find_root().params.get("actor")
    window = ui_app.build_window(store=app.store, paths=app.paths, settings=ui_app.user_settings(),
                                 actor=explicit_actor, cli_playbook_dirs=app.extra_playbook_dirs,
                                 persist=screenshot is None)
    if screenshot is not None:
        return ui_app.save_screenshot(window, qt_app, screenshot, size=size, incident=incident, tab=tab)
    if incident:
        window.reload_incidents(select=app.store.incident(incident).id)
    window.tabs.setCurrentIndex(1 if tab == "timeline" else 0)
    return ui_app.run_window(window, qt_app)


def open_window(app: AppContext) -> int:
    """The default action of `incidentkit` with no command."""
    return _launch(app)


@cli.command("gui")
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path),
              help="Render the window offscreen, save it as a PNG here, and exit.")
@click.option("--incident", help="Show this incident (id or unique prefix).")
@click.option("--size", default="1280x800", show_default=True, callback=_parse_size,
              help="Window size for --screenshot, WIDTHxHEIGHT.")
@click.option("--tab", type=click.Choice(["steps", "timeline"]), default="steps", show_default=True,
              help="Which tab to show.")
@click.pass_obj
def gui(app: AppContext, screenshot: Path | None, incident: str | None, size: tuple[int, int], tab: str) -> None:
    """Open the window (the same as `incidentkit` with no command)."""
    code = _launch(app, screenshot=screenshot, incident=incident, size=size, tab=tab)
    if code:
        raise click.exceptions.Exit(code)
