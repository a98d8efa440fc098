"""Markdown export: title block, chronological timeline table, steps by phase, footer.

User text (titles, notes, details, actors) is backslash-escaped so it cannot open a link,
emphasis, heading, list, table cell or raw HTML: pipes and `<` are escaped and newlines
become `<br>` inside table cells (the only raw HTML in the file is ours). Playbook step
text is kept as the playbook's inline markdown, with only `<`, `>` and `&` neutralised.
"""

from __future__ import annotations

import re
from typing import TextIO

from incidentkit.core.export.document import NO_ROWS, footer, iter_rows, phase_summaries, shown_title, title_fields
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData

# Inline syntax (emphasis, code, links, images via `[`, raw HTML, entities, table pipes,
# strikethrough, closing heading hashes). Block markers only matter at a line start.
_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]<>|&~#"}
_HTML_ONLY = {ord("<"): "&lt;", ord(">"): "&gt;", ord("&"): "&amp;"}
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


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


def write_markdown(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    w = out.write
    w(f"# {md_line(_one_line(shown_title(data))) or 'Untitled incident'}\n\n")
    w("| | |\n|---|---|\n")
    for label, value in title_fields(data, options):
        w(f"| {label} | {md_cell(value)} |\n")

    w("\n## Timeline\n\n")
    w("| When | Event | Actor | Details |\n|---|---|---|---|\n")
    n = 0
    for r in iter_rows(data, options, progress):
        n += 1
        details = [md_cell(r.detail)] if r.detail else []
        details += [f"*{md_cell(line)}*" for line in r.amendment_lines()]
        w(f"| {md_cell(r.when)} | {md_cell(r.title)} | {md_cell(r.actor)} | {'<br>'.join(details)} |\n")
    if n == 0:
        w(f"| | {NO_ROWS} | | |\n")

    w("\n## Steps by phase\n")
    for phase in phase_summaries(data, options):
        w(f"\n### {md_line(_one_line(phase.title))} ({phase.progress})\n\n")
        for step in phase.steps:
            w(f"- {_one_line(step.text).translate(_HTML_ONLY)}: {md_text(step.status)}\n")
            if step.note.strip():
                lines = [md_line(line.strip()) for line in step.note.splitlines() if line.strip()]
                w("\n    *Note:* " + "\\\n    ".join(lines) + "\n\n")

    w("\n---\n\n")
    for label, value in footer(data, n).lines():
        w(f"- **{label}:** {md_text(value)}\n")
