"""Run the real command line in-process (click's CliRunner), as `incidentkit.cli.main` would.

Domain errors come back as main() prints them ("incidentkit: error: ...", exit 1); usage
errors as click shows them (exit 2). Anything else escaping is a bug and is raised.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner

from incidentkit.cli.group import cli
from incidentkit.core.errors import IncidentKitError


class Ran(NamedTuple):
    code: int
    out: str
    err: str


def invoke(args: list[str], input: str | bytes | None = None) -> Ran:
    result = CliRunner().invoke(cli, args, input=input)
    exc = result.exception
    if isinstance(exc, IncidentKitError):
        return Ran(1, result.stdout, result.stderr + f"incidentkit: error: {exc}\n")
    if exc is not None and not isinstance(exc, SystemExit):
        raise exc
    return Ran(result.exit_code, result.stdout, result.stderr)


def run(data_dir: Path, *args: str, actor: str = "ann", input: str | bytes | None = None,
        playbooks: Path | None = None) -> Ran:
    extra = ["--playbooks", str(playbooks)] if playbooks else []
    return invoke(["--data-dir", str(data_dir), "--actor", actor, *extra, *args], input=input)


class InProcessCli:
    """`incidentkit --data-dir DIR GLOBAL_ARGS... ARGS...`, called as `cli(*args)`."""

    def __init__(self, data_dir: Path, *global_args: str) -> None:
        self.data_dir, self.global_args = data_dir, global_args

    def __call__(self, *args: str) -> Ran:
        return invoke(["--data-dir", str(self.data_dir), *self.global_args, *args])

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.code == 0, result.err
        return result.out
