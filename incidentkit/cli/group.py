"""The click group `cli`: the global options, the subcommands, and running them.

Subcommands live in one module per area and register themselves on `cli`; those
modules are imported when needed: a command's own module when it is run (`_MODULE_OF`), all
of them when the commands are listed.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from incidentkit import __version__
from incidentkit.cli.context import AppContext
from incidentkit.core.paths import DATA_DIR_ENV

PROG_NAME = "incidentkit"


# The module that defines each command, so that running one loads only its module (the
# export and validate modules bring markdown-it, PyYAML and the exporters). A name not
# listed here, and listing the commands, loads them all.
_MODULE_OF = {
    "validate": "playbook_commands", "playbooks": "playbook_commands",
    "incident": "incident_commands", "step": "incident_commands", "note": "incident_commands",
    "timeline": "incident_commands", "verify": "incident_commands",
    "export": "export_commands", "import": "export_commands", "gui": "gui_command",
    "rules": "deadline_commands", "deadlines": "deadline_commands", "milestone": "deadline_commands",
    "notify": "deadline_commands", "notice": "notice_commands", "scope": "scope_commands",
}


class _CommandGroup(click.Group):
    """A group whose command modules load when a command is looked up (all of them for the list)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = _MODULE_OF.get(cmd_name)
            if module is None:
                _register()
            else:
                import_module(f"incidentkit.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)


@click.group(cls=_CommandGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name=PROG_NAME)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=str), envvar=DATA_DIR_ENV,
              help="Data folder (database, user playbooks, backups). Default: the platform's user data dir.")
@click.option("--actor", help="Name recorded as the actor of each change. Default: the OS user.")
@click.option("--playbooks", "extra_playbooks", type=click.Path(file_okay=False, path_type=str), multiple=True,
              help="An extra folder of playbooks (repeatable).")
@click.option("--read-only", "read_only", is_flag=True,
              help="Open the database read-only (an evidence copy): reading commands and the window work, "
                   "every change is refused. A write-protected database is opened so without it.")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, actor: str | None, extra_playbooks: tuple[str, ...],
        read_only: bool) -> None:
    """IncidentKit: offline incident response with markdown playbooks.

    With no command, opens the window.
    """
    ctx.obj = AppContext.create(data_dir=data_dir, actor=actor, extra_playbooks=extra_playbooks, read_only=read_only)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from incidentkit.ui.launch import launch  # the window is the one command that reaches up into ui

        ctx.exit(launch(paths=ctx.obj.paths, actor=actor, playbook_dirs=ctx.obj.extra_playbook_dirs,
                        read_only=read_only))


def _register() -> None:
    from incidentkit.cli import (  # noqa: F401  (each module adds its commands to `cli`)
        deadline_commands,
        export_commands,
        gui_command,
        incident_commands,
        notice_commands,
        playbook_commands,
        scope_commands,
    )


def run(args: list[str]) -> int:
    """Run the command line through click; the exit code. click's own errors (usage,
    --help, --version, Aborted) are shown and exit here; domain errors propagate."""
    try:
        rc = cli.main(args=args, prog_name=PROG_NAME, standalone_mode=False)
        # Without standalone mode, click returns ctx.exit()'s code instead of exiting.
        return rc if isinstance(rc, int) else 0
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
