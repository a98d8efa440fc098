"""`incidentkit validate` for notice templates (`*.j2`), alongside playbooks and rules files.

    from incidentkit.core.comms.validate import validate_paths
    report = validate_paths(["templates/", "playbooks/"])     # every kind of file, one report

A template is checked in three passes, each problem a `path:line:col` diagnostic: its
front matter (`templates.parse_template`); its source read without running it (syntax,
variables the context does not have, includes of unknown templates, fields it reads but
does not declare); then, when those pass, a trial render in the sandbox with the sample
incident (`sample.py`), which finds what only running shows: an attribute that does not
exist, a refused reach into Python's internals, a loop that does not end. Templates
given together may include each other; the built-in ones can always be included.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from incidentkit.core.comms.library import TemplateLibrary, read_template_file
from incidentkit.core.comms.static import CONTEXT_NAMES, VARIABLES, reads
from incidentkit.core.comms.templates import NoticeTemplate
from incidentkit.core.comms.vocabulary import TEMPLATE_SUFFIX
from incidentkit.core.deadlines import validate as rules_validate
from incidentkit.core.deadlines.library import RULE_SUFFIXES
from incidentkit.core.playbook.library import find_files
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.core.playbook.validate import ValidationReport


@dataclass(frozen=True)
class TemplateFileResult:
    path: str
    template: NoticeTemplate | None
    diagnostics: tuple[Diagnostic, ...]

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "kind": "template",
                "ok": self.template is not None and not any(d.severity == "error" for d in self.diagnostics),
                "id": self.template.id if self.template else None,
                "diagnostics": [d.to_json() for d in self.diagnostics]}


def validate_paths(paths: Iterable[str | os.PathLike[str]]) -> ValidationReport:
    """Validate playbooks, rules files and templates, and folders of them, in the order given."""
    others: list[str | os.PathLike[str]] = []
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = find_files(path, (TEMPLATE_SUFFIX,), problems)
            files.extend(found)
            if not found or find_files(path, (".md", *RULE_SUFFIXES)):
                others.append(raw)  # it warns about a folder with no kind of file we know
        elif path.name.lower().endswith(TEMPLATE_SUFFIX):
            files.append(path)
        else:
            others.append(raw)
    report = rules_validate.validate_paths(others) if others else ValidationReport()
    report.path_problems.extend(problems)
    if files:
        report.files.extend(validate_template_files(files))  # type: ignore[arg-type]  (the same shape)
    return report


def validate_template_files(files: list[Path]) -> list[TemplateFileResult]:
    loaded = [(str(p), *read_template_file(p, "extra")) for p in files]
    given = [t for _, t, found in loaded if t is not None and not any(d.severity == "error" for d in found)]
    library = TemplateLibrary.discover(None)
    library = TemplateLibrary([*(t for t in library.templates if t.id not in {g.id for g in given}), *given])
    results = []
    trial: _Trial | None = None
    try:
        for path, template, found in loaded:
            diagnostics = list(found)
            if template is not None:
                diagnostics += _static(template, library)
                if not template.partial and not any(d.severity == "error" for d in diagnostics):
                    trial = trial or _Trial()
                    diagnostics += trial.run(template, library)
            results.append(TemplateFileResult(path, template, tuple(diagnostics)))
    finally:
        if trial is not None:
            trial.renderer.close()
    return results


def _static(template: NoticeTemplate, library: TemplateLibrary) -> list[Diagnostic]:
    path = template.path
    found = reads(template.body)
    if found.error:
        line, message = found.error
        return [Diagnostic(path, line, 1, "error", f"syntax error: {message}")]
    out = [Diagnostic(path, line, 1, "error", f"unknown variable '{name}' (the context has: {', '.join(VARIABLES)})")
           for name, line in found.names if name not in CONTEXT_NAMES]
    known = {t.id for t in library.templates}
    for name, line in found.includes:
        if not name:
            out.append(Diagnostic(path, line, 1, "error", "include a template by its id, written out: "
                                                         "`{% include \"phishing-advice\" %}`"))
        elif name not in known:
            out.append(Diagnostic(path, line, 1, "error", f"no template '{name}' to include"))
    declared = {f.name for f in library.fields_of(template)}
    if not template.partial:
        out += [Diagnostic(path, line, 1, "error", f"the field '{name}' is not declared under `fields:` "
                                                   "(here or in a template it includes)")
                for name, line in found.fields if name not in declared]
    return out


class _Trial:
    """Trial renders with the sample incident: one render worker and one sample record for a run."""

    def __init__(self) -> None:
        from incidentkit.core.comms.sample import sample_record
        from incidentkit.core.comms.worker import Renderer
        from incidentkit.core.deadlines.library import RulesLibrary

        self.record = sample_record(RulesLibrary.discover(None).rules)
        self.renderer = Renderer()

    def run(self, template: NoticeTemplate, library: TemplateLibrary) -> list[Diagnostic]:
        from incidentkit.core.comms.context import notice_context
        from incidentkit.core.comms.worker import TemplateError

        context = notice_context(self.record, audience=template.audience)
        try:
            self.renderer.render(template, sources=library.sources(), context=context,
                                 fields=library.fields_of(template))
        except TemplateError as exc:
            return [Diagnostic(p or template.path, max(line, 1), 1, "error",
                               f"{message} (in a trial render with the sample incident)")
                    for p, line, message in exc.problems]
        return []
