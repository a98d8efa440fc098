"""Run the real command line in-process (click's CliRunner), as `incidentkit.cli.main` would.

Domain errors come back as main() prints them ("incidentkit: error: ...", exit 1); usage
errors as click shows them (exit 2). Anything else escaping is a bug and is raised.
`run_main` calls main() itself and answers as `subprocess.run` would, for tests that began
as subprocess tests and do not need a process.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner

from incidentkit.cli import main
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


class Completed(subprocess.CompletedProcess):
    """A CompletedProcess that also unpacks as (exit code, stdout, stderr)."""

    def __iter__(self):
        return iter((self.returncode, self.stdout, self.stderr))


def run_main(args: Sequence[str], input: str | bytes | None = None,
             env: Mapping[str, str | None] | None = None) -> Completed:
    """`incidentkit ARGS` through the real main(), with stdin, stdout, stderr and the
    environment (os.environ plus `env`) isolated by click's CliRunner."""
    with CliRunner().isolation(input=input, env=env) as (out, err, _mixed):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code + "\n")
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return Completed(["incidentkit", *args], code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))
