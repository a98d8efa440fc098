"""Validate playbook files and folders: every diagnostic, per file, never an exception.

Usage:

    from incidentkit.core.playbook.validate import validate_paths
    report = validate_paths(["playbooks/", "mine.md"])
    report.diagnostics()      # every Diagnostic, in file then line order
    report.errors, report.warnings, report.summary()   # "2 files: 1 error, 3 warnings"

Folders are searched for `*.md` recursively (hidden folders skipped); a path that does
not exist, a folder that cannot be listed and a file that cannot be read each become an
error diagnostic rather than a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.library import find_markdown_files
from incidentkit.core.playbook.loader import load_playbook
from incidentkit.core.playbook.model import Diagnostic, Playbook


@dataclass(frozen=True)
class FileResult:
    """The outcome for one file: the playbook when it loaded, and its diagnostics."""

    path: str
    playbook: Playbook | None
    diagnostics: tuple[Diagnostic, ...]

    def to_json(self) -> dict[str, object]:
        p = self.playbook
        return {
            "path": self.path,
            "ok": p is not None,
            "id": p.id if p else None,
            "steps": p.step_count if p else 0,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class ValidationReport:
    """Results for every file found, plus problems with the paths themselves."""

    files: list[FileResult] = field(default_factory=list)
    path_problems: list[Diagnostic] = field(default_factory=list)

    def diagnostics(self) -> list[Diagnostic]:
        out = list(self.path_problems)
        for result in self.files:
            out.extend(sorted(result.diagnostics, key=lambda d: (d.line, d.col)))
        return out

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics())

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics())

    def summary(self) -> str:
        return f"{_plural(len(self.files), 'file')}: {_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"

    def to_json(self) -> dict[str, object]:
        return {
            "files": [r.to_json() for r in self.files],
            "problems": [d.to_json() for d in self.path_problems],
            "errors": self.errors,
            "warnings": self.warnings,
            "summary": self.summary(),
        }


def validate_file(path: str | os.PathLike[str]) -> FileResult:
    name = os.fspath(path)
    try:
        playbook = load_playbook(name)
    except PlaybookError as exc:
        return FileResult(name, None, tuple(exc.diagnostics))
    return FileResult(name, playbook, playbook.warnings)


def validate_paths(paths: Iterable[str | os.PathLike[str]]) -> ValidationReport:
    """Validate files and (recursively) the `*.md` files of folders, in the order given."""
    report = ValidationReport()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = find_markdown_files(path, report.path_problems)
            if not files:
                report.path_problems.append(Diagnostic(str(path), 1, 1, "warning", "no *.md files in this folder"))
            report.files.extend(validate_file(f) for f in files)
        elif path.exists() or path.is_symlink():
            report.files.append(validate_file(path))
        else:
            report.path_problems.append(Diagnostic(str(path), 1, 1, "error", "no such file or folder"))
    return report
