"""`incidentkit gui`: open the window, or render a screenshot of it (`ui/launch.py` does both)."""

from __future__ import annotations

from pathlib import Path

import click

from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli


def _parse_size(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not WIDTHxHEIGHT, e.g. 1280x800") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise click.BadParameter(f"{value} is out of range (320x240 to 7680x4320)")
    return width, height


@cli.command("gui")
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path),
              help="Render the window offscreen, save it as a PNG here, and exit.")
@click.option("--incident", help="Show this incident (id or unique prefix).")
@click.option("--size", default="1280x800", show_default=True, callback=_parse_size,
              help="Window size for --screenshot, WIDTHxHEIGHT.")
@click.option("--tab", type=click.Choice(["steps", "scope", "deadlines", "communications", "timeline"]), default="steps",
              show_default=True,
              help="Which tab to show.")
@click.pass_context
def gui(ctx: click.Context, screenshot: Path | None, incident: str | None, size: tuple[int, int], tab: str) -> None:
    """Open the window (the same as `incidentkit` with no command)."""
    from incidentkit.ui.launch import launch  # the window is the one command that reaches up into ui

    app: AppContext = ctx.obj
    code = launch(paths=app.paths, actor=ctx.find_root().params.get("actor"), playbook_dirs=app.extra_playbook_dirs,
                  screenshot=screenshot, incident=incident, size=size, tab=tab, read_only=app.read_only)
    if code:
        raise click.exceptions.Exit(code)
