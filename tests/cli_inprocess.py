"""Running the real `incidentkit` entry point in this process, for CLI tests that need no
process of their own: `main()` with its error handling (one line, exit 1 or 2), output
captured by pytest's capsys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from incidentkit.cli import main


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


class InProcessCli:
    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str], *global_args: str) -> None:
        self.data_dir, self.capsys, self.global_args = data_dir, capsys, global_args

    def __call__(self, *args: str) -> Result:
        self.capsys.readouterr()
        try:
            main(["--data-dir", str(self.data_dir), *self.global_args, *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.code == 0, result.err
        return result.out
