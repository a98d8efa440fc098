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


def run(data_dir: Path, *args: str, actor: str = "ann", input: str | bytes | None = None,
        playbooks: Path | None = None) -> Ran:
    extra = ["--playbooks", str(playbooks)] if playbooks else []
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "--actor", actor, *extra, *args], input=input)
    exc = result.exception
    if isinstance(exc, IncidentKitError):
        return Ran(1, result.stdout, result.stderr + f"incidentkit: error: {exc}\n")
    if exc is not None and not isinstance(exc, SystemExit):
        raise exc
    return Ran(result.exit_code, result.stdout, result.stderr)
