"""HTML export: one self-contained, print-friendly file with no scripts and no external resources.

Notes, entry details, titles and step texts are markdown, rendered by `markup` (raw HTML
shown as text, links only http/https/mailto, images as their alt text); every other piece
of text (names, categories, our own ids and summaries) goes through `html.escape`, its
newlines kept by CSS (`pre-wrap`). A Content-Security-Policy forbids scripts and remote
loads as a second line of defence.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from incidentkit.core.export import deadline_table
from incidentkit.core.export.document import (
    NO_ROWS,
    ScopeSection,
    footer,
    incident_title,
    iter_rows,
    phase_summaries,
    scope_section,
    title_fields,
)
from incidentkit.core.export.markup import html_block, html_inline
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData

CSS = """
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #111; margin: 2em auto; max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .3em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #999; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #eee; }
table.meta th { width: 11em; }
td.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
.recorded { white-space: normal; font-size: .85em; color: #8a4b00; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.md { overflow-wrap: anywhere; }
.md > :first-child { margin-top: 0; } .md > :last-child { margin-bottom: 0; }
.md p, .md ul, .md ol, .md pre, .md blockquote, .md table { margin: .3em 0; }
.md h4, .md h5, .md h6 { font-size: 1em; margin: .4em 0 .2em; }
.md pre { white-space: pre-wrap; background: #f6f6f6; padding: .3em; }
.md blockquote { border-left: 3px solid #ccc; padding-left: .5em; color: #333; }
tr.amended td { background: #fff8e1; }
.original { color: #555; }
.note { color: #333; margin: .2em 0 .4em 1em; border-left: 3px solid #ccc; padding-left: .5em; }
.note-by { color: #555; font-size: .9em; }
footer { margin-top: 2em; border-top: 1px solid #999; font-size: .9em; }
footer dt { font-weight: bold; float: left; clear: left; width: 12em; }
footer dd { margin-left: 12em; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(w, headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], css: str) -> None:
    w(f'<table class="{css}">\n<thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr></thead>\n<tbody>\n")
    for row in rows:  # class "text" lets a long cell (a sha256) wrap anywhere
        w("<tr>" + "".join(f'<td class="text">{_e(cell)}</td>' for cell in row) + "</tr>\n")
    w("</tbody>\n</table>\n")


def _write_scope(w, scope: ScopeSection) -> None:
    w('\n<h2>Scope</h2>\n<table class="meta">\n')
    for label, value in scope.facts:
        w(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>\n")
    w("</table>\n")
    if scope.jurisdictions:
        w("<h3>People per jurisdiction</h3>\n")
        _table(w, ScopeSection.JURISDICTION_HEADERS, scope.jurisdictions, "scope")
    if scope.imports:
        w("<h3>Imported files</h3>\n")
        _table(w, ScopeSection.IMPORT_HEADERS, scope.imports, "scope imports")


def write_html(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    w = out.write
    title = _e(incident_title(data))
    w('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    w(f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w(f"<title>{title}: incident timeline</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n")
    w(f'<h1 class="text">{title}</h1>\n<table class="meta">\n')
    for label, value in title_fields(data, options):
        w(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>\n")
    w("</table>\n")
    scope = scope_section(data, options)
    if scope is not None:
        _write_scope(w, scope)
    if data.deadlines:
        w(f"\n<h2>{deadline_table.HEADING}</h2>\n<p><i>{_e(deadline_table.DISCLAIMER)}</i></p>\n")
        w('<table class="deadlines">\n<thead><tr>' + "".join(f"<th>{_e(c)}</th>" for c in deadline_table.COLUMNS)
          + "</tr></thead>\n<tbody>\n")
        for line in deadline_table.deadline_lines(data.deadlines, options):
            w("<tr>" + "".join(f'<td class="text">{_e(cell)}</td>' for cell in line.cells()) + "</tr>\n")
        w("</tbody>\n</table>\n")
    w("\n<h2>Timeline</h2>\n<table class=\"timeline\">\n")
    w("<thead><tr><th>When</th><th>Event</th><th>Category</th><th>Actor</th><th>Details</th></tr></thead>\n<tbody>\n")
    n = 0
    for r in iter_rows(data, options, progress):
        n += 1
        if not r.detail:
            details = ""
        elif r.detail_is_markdown:
            details = f'<div class="md">{html_block(r.detail)}</div>'
        else:
            details = f'<div class="text">{_e(r.detail)}</div>'
        details += "".join(f'<div class="original text">{_e(line)}</div>' for line in r.amendment_lines())
        recorded = f'<div class="recorded">{_e(r.recorded)}</div>' if r.recorded else ""
        cls = ' class="amended"' if r.amended_by else ""
        w(
            f'<tr{cls} id="e{r.seq}"><td class="when">{_e(r.when)}{recorded}</td><td>{html_inline(r.title)}</td>'
            f"<td>{_e(r.category)}</td><td>{_e(r.actor)}</td><td>{details}</td></tr>\n"
        )
    if n == 0:
        w(f'<tr><td colspan="5">{NO_ROWS}</td></tr>\n')
    w("</tbody>\n</table>\n\n<h2>Steps by phase</h2>\n")
    for phase in phase_summaries(data, options):
        w(f"<h3>{_e(phase.title)} ({_e(phase.progress)})</h3>\n<ul>\n")
        for step in phase.steps:
            note = ""
            if step.note.strip():
                by = f'<div class="note-by">Note ({_e(step.note_by)}):</div>' if step.note_by else ""
                note = f'{by}<div class="note md">{html_block(step.note)}</div>'
            w(f"<li>{html_inline(step.text)}: {_e(step.status)}{note}</li>\n")
        w("</ul>\n")
    w("\n<footer>\n<dl>\n")
    for label, value in footer(data, n, options.zone).lines():
        w(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>\n")
    w("</dl>\n</footer>\n</body>\n</html>\n")
