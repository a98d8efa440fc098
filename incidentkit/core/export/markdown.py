"""Markdown export: title block, the timeline as a list of entries, steps by phase, footer.

Notes, entry details, titles and step texts are markdown and stay markdown, made safe and
written back by `markup` (no raw HTML, links only http/https/mailto, images as their alt
text, a note's headings below the export's own), each entry's blocks indented inside its
list item so that nothing a person wrote can end the list or open a section. Names,
categories and the text we make ourselves are backslash-escaped so they cannot turn into
markup; in the title block's table, newlines become `<br>` (the only raw HTML is ours).
"""

from __future__ import annotations

import re
from typing import TextIO

from incidentkit.core.export import deadline_table
from incidentkit.core.export.document import (
    NO_ROWS,
    Row,
    ScopeSection,
    footer,
    incident_title,
    iter_rows,
    phase_summaries,
    scope_section,
    title_fields,
)
from incidentkit.core.export.markup import markdown_block, markdown_inline
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData

# Inline syntax (emphasis, code, links, images via `[`, raw HTML, entities, table pipes,
# strikethrough, closing heading hashes). Block markers only matter at a line start.
_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]<>|&~#"}
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")
INDENT = "  "  # an entry's blocks sit inside its list item ("- " is two characters)


def md_text(text: str) -> str:
    """Escape inline markdown and HTML syntax in user text."""
    return text.translate(_ESCAPES)


def md_line(text: str) -> str:
    """A whole line of user text: inline escapes, plus a leading list/quote/heading marker."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), md_text(text), count=1)


def md_cell(text: str) -> str:
    """A table cell: escaped, newlines as `<br>` (a GFM table row is one line)."""
    escaped = md_text(text)
    if "\n" in escaped or "\r" in escaped:
        escaped = "<br>".join(escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return escaped


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _plain_lines(text: str, indent: str) -> str:
    """Our own text (a note's summary, an amendment's changes) as escaped lines."""
    lines = [md_line(line.strip()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return ("\\\n" + indent).join(line for line in lines if line)


def _meta(r: Row) -> str:
    parts = [r.actor, r.category, r.recorded]
    return " · ".join(md_text(_one_line(p)) for p in parts if p.strip())
def _table(w, headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
    w("| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n")
    for row in rows:
        w("| " + " | ".join(md_cell(cell) for cell in row) + " |\n")


def _write_scope(w, scope: ScopeSection) -> None:
    w("\n## Scope\n\n| | |\n|---|---|\n")
    for label, value in scope.facts:
        w(f"| {label} | {md_cell(value)} |\n")
    if scope.jurisdictions:
        w("\n### People per jurisdiction\n\n")
        _table(w, ScopeSection.JURISDICTION_HEADERS, scope.jurisdictions)
    if scope.imports:
        w("\n### Imported files\n\n")
        _table(w, ScopeSection.IMPORT_HEADERS, scope.imports)


def write_markdown(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    w = out.write
    w(f"# {md_line(incident_title(data))}\n\n")
    w("| | |\n|---|---|\n")
    for label, value in title_fields(data, options):
        w(f"| {label} | {md_cell(value)} |\n")

    scope = scope_section(data, options)
    if scope is not None:
        _write_scope(w, scope)
    if data.deadlines:
        w(f"\n## {deadline_table.HEADING}\n\n*{md_text(deadline_table.DISCLAIMER)}*\n\n")
        w("| " + " | ".join(deadline_table.COLUMNS) + " |\n|" + "---|" * len(deadline_table.COLUMNS) + "\n")
        for line in deadline_table.deadline_lines(data.deadlines, options):
            w("| " + " | ".join(md_cell(cell) for cell in line.cells()) + " |\n")

    w("\n## Timeline\n\n")
    n = 0
    for r in iter_rows(data, options, progress):
        n += 1
        w(f"- **{md_text(r.when)}** — {markdown_inline(_one_line(r.title))}")
        meta = _meta(r)
        w(f"\\\n  *{meta}*\n" if meta else "\n")
        if r.detail.strip():
            w("\n" + (markdown_block(r.detail, INDENT) if r.detail_is_markdown
                      else f"{INDENT}{_plain_lines(r.detail, INDENT)}\n"))
        amendments = r.amendment_lines()
        if amendments:
            w(f"\n{INDENT}" + ("\\\n" + INDENT).join(f"*{_plain_lines(line, INDENT)}*" for line in amendments) + "\n")
        w("\n")
    if n == 0:
        w(f"{NO_ROWS}\n\n")

    w("## Steps by phase\n")
    for phase in phase_summaries(data, options):
        w(f"\n### {md_line(_one_line(phase.title))} ({phase.progress})\n\n")
        for step in phase.steps:
            w(f"- {markdown_inline(_one_line(step.text))}: {md_text(step.status)}\n")
            if step.note.strip():
                by = f" ({md_text(step.note_by)})" if step.note_by else ""
                w(f"\n{INDENT}*Note{by}:*\n\n{markdown_block(step.note, INDENT)}\n")

    w("\n---\n\n")
    for label, value in footer(data, n, options.zone).lines():
        w(f"- **{label}:** {md_text(value)}\n")
