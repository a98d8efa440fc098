"""Every command of the CLI has help text and a `### incidentkit <command>` section in docs/cli.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from incidentkit.cli.group import _MODULE_OF, _register, cli

DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def walk(group: click.Group, prefix: str = "incidentkit") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from walk(command, path)


_register()
COMMANDS = list(walk(cli))
HEADINGS = set(re.findall(r"^### (incidentkit[^\n]*?)\s*$", DOCS.read_text(encoding="utf-8"), re.M))


def test_the_walk_finds_the_commands() -> None:
    paths = [p for p, _ in COMMANDS]
    assert {"incidentkit incident new", "incidentkit step skip", "incidentkit verify"} <= set(paths)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help_and_a_docs_section(path: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"`{path}` has no help text"
    assert path in HEADINGS, f"docs/cli.md has no `### {path}` heading"


def test_every_command_names_its_module_so_running_it_loads_only_that_one() -> None:
    # `scope` was missing: `incidentkit scope show` loaded every command module.
    for name, command in cli.commands.items():
        assert command.callback is not None
        assert _MODULE_OF.get(name) == command.callback.__module__.rsplit(".", 1)[-1], name
