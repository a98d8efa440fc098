"""`incidentkit gui` and the default action: open the window."""

from __future__ import annotations

import click

from incidentkit.cli.context import AppContext


def open_window(app: AppContext) -> int:
    """Until the window lands, print the help."""
    click.echo(click.get_current_context().get_help())
    return 0
