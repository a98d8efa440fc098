"""`incidentkit validate` for rules files: every diagnostic per file, never an exception.

Usage:

    from incidentkit.core.deadlines.validate import validate_paths
    report = validate_paths(["playbooks/", "rules/", "insurer.yaml"])   # playbooks and rules alike

A `*.yaml` / `*.yml` file is a rules file and a folder is searched for them as well as
for playbooks (`*.md`). The playbook part is `playbook.validate.validate_paths`; the
rules files' results join the same report. An `after_notice` must name a rule among
those validated or the built-in ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from incidentkit.core.deadlines.library import RULE_SUFFIXES, RulesLibrary, check_references
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.reader import read_rules_file
from incidentkit.core.playbook import validate as playbook_validate
from incidentkit.core.playbook.library import find_files
from incidentkit.core.playbook.model import Diagnostic


@dataclass(frozen=True)
class RulesFileResult:
    """The outcome for one rules file: the rules that loaded, and its diagnostics."""

    path: str
    rules: tuple[Rule, ...]
    diagnostics: tuple[Diagnostic, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "kind": "rules",
            "ok": not any(d.severity == "error" for d in self.diagnostics),
            "rules": [r.id for r in self.rules],
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


def validate_rules_file(path: str | os.PathLike[str]) -> RulesFileResult:
    rules, found = read_rules_file(path)
    return RulesFileResult(os.fspath(path), tuple(rules), tuple(found))


def validate_paths(paths: Iterable[str | os.PathLike[str]]) -> playbook_validate.ValidationReport:
    """Validate playbook and rules files, and folders of them, in the order given."""
    playbook_paths: list[str | os.PathLike[str]] = []
    rule_files: list[Path] = []
    folder_problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = find_files(path, RULE_SUFFIXES, folder_problems)
            rule_files.extend(found)
            if not found or find_files(path, (".md",)):
                playbook_paths.append(raw)  # it warns about a folder with neither kind of file
        elif path.name.lower().endswith(RULE_SUFFIXES):
            rule_files.append(path)
        else:
            playbook_paths.append(raw)
    report = playbook_validate.validate_paths(playbook_paths)
    report.path_problems.extend(folder_problems)
    results = [validate_rules_file(p) for p in rule_files]
    if results:
        _check_references(results)
    report.files.extend(results)  # type: ignore[arg-type]  (a result of the same shape)
    return report


def _check_references(results: list[RulesFileResult]) -> None:
    """Add to each result the errors of its `after_notice`s that name no rule."""
    validated = {r.id: r for result in results for r in result.rules}
    builtin = {r.id: r for r in RulesLibrary.discover(None).rules}
    missing = check_references({**builtin, **validated}.values())
    for i, result in enumerate(results):
        extra = tuple(d for d in missing if d.path == result.path)
        if extra:
            results[i] = RulesFileResult(result.path, result.rules, result.diagnostics + extra)
