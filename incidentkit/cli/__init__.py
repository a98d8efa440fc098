"""The `incidentkit` command line: a thin click layer over the core.

Each command parses its arguments, calls one core function and prints. Domain errors
(`IncidentKitError`) become one line on stderr and exit 1; usage errors exit 2.
Subcommands live in one module per area and register themselves on `cli` below; those
modules are imported the first time a subcommand is looked up or listed, so plain
`incidentkit` (the window) does not load the export and playbook tooling it never uses.
"""

from __future__ import annotations

import errno
import os
import sys

import click

from incidentkit import __version__
from incidentkit.cli.context import AppContext
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.gc_pause import pause_during_startup, startup_done


class _CommandGroup(click.Group):
    """A group whose command modules load on the first lookup of a command (or of the list)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        _register()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)


@click.group(cls=_CommandGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="incidentkit")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=str),
    envvar="INCIDENTKIT_DATA_DIR",
    help="Data folder (database, user playbooks, backups). Default: the platform's user data dir.",
)
@click.option("--actor", help="Name recorded as the actor of each change. Default: the OS user.")
@click.option(
    "--playbooks",
    "extra_playbooks",
    multiple=True,
    type=click.Path(file_okay=False, path_type=str),
    help="An extra folder of playbooks (repeatable).",
)
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, actor: str | None, extra_playbooks: tuple[str, ...]) -> None:
    """IncidentKit: offline incident response with markdown playbooks.

    With no command, opens the window.
    """
    ctx.obj = AppContext.create(data_dir=data_dir, actor=actor, extra_playbooks=extra_playbooks)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand not in (None, "gui"):
        startup_done()  # a command's own bulk reads pause the collector where it pays
    if ctx.invoked_subcommand is None:
        from incidentkit.cli.gui_command import open_window

        ctx.exit(open_window(ctx.obj))


def _register() -> None:
    from incidentkit.cli import (  # noqa: F401  (each module adds its commands to `cli`)
        export_commands,
        gui_command,
        incident_commands,
        playbook_commands,
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning domain errors into one clear line and exit 1."""
    pause_during_startup()  # ended when a command runs, or when the window has painted
    try:
        rc = cli.main(args=argv, prog_name="incidentkit", standalone_mode=False)
        # Without standalone mode, click returns ctx.exit()'s code instead of exiting.
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except IncidentKitError as exc:
        click.echo(f"incidentkit: error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            raise
        _drop_stdout()
        if exc.errno != errno.EPIPE:  # the reader left (`| head`): nothing to report
            click.echo(f"incidentkit: error: cannot write the output: {exc.strerror}", err=True)
        sys.exit(1)
    sys.exit(0)


# Failures writing to stdout (a full disk, a closed pipe, a dead terminal), not bugs.
_OUTPUT_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT}


def _drop_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush of what is still buffered
    cannot fail again with an "Exception ignored" message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
