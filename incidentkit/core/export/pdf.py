"""PDF export: the document laid out page by page with Qt's text engine, written as it goes.

The only core module that touches Qt, and only inside functions (tests/test_layers.py
checks), so the rest of the core stays headless. Without a running application it
creates an offscreen QGuiApplication. Text is drawn as text, never read as HTML, so user
text cannot become markup; notes and details are markdown, drawn from `markup`'s safe
tokens (`pdf_markdown`). QPdfWriter embeds the fonts (subsets), so the text can be
extracted (pdftotext) and searched, and Qt finds a font for any script (fallback fonts,
shaping, right-to-left text), which a PDF library with its own font handling would not.

Each page is laid out and drawn as the rows stream by (`pdf_layout.Pager`) and written
straight to the output: memory stays flat however long the timeline. So the total page
count is known only at the end: pages say "page 3", the last one "page 47 of 47".
"""

from __future__ import annotations

import os
from typing import Any, BinaryIO

from incidentkit.core.export import deadline_table
from incidentkit.core.export.document import (
    NO_ROWS,
    Row,
    footer,
    incident_title,
    iter_rows,
    phase_summaries,
    scope_section,
    title_fields,
)
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.pdf_markdown import Para, inline_runs, markdown_paras, plain_paras
from incidentkit.core.export.progress import ExportCancelled, ProgressFn
from incidentkit.core.export.source import ExportData

RESOLUTION = 300  # dots per inch of the PDF's coordinate system (text stays vector)
_app: Any = None  # the offscreen QGuiApplication we had to create, kept alive for reuse


def ensure_gui_app() -> None:
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication(["incidentkit-pdf", "-platform", "offscreen"])


def _output_device(out: BinaryIO) -> tuple[Any, Any]:
    """A QIODevice onto `out` and what to do once the PDF is complete: a real file is written
    by Qt through its descriptor as pages are finished (a QIODevice subclassed in Python
    crashes QPdfWriter); anything else gets the bytes from a buffer at the end."""
    from PySide6.QtCore import QBuffer, QFile, QFileDevice, QIODevice

    try:
        fd = out.fileno() if out.seekable() else -1
    except (AttributeError, OSError, ValueError):
        fd = -1
    if fd >= 0:
        out.flush()
        device = QFile()
        if device.open(fd, QIODevice.OpenModeFlag.WriteOnly, QFileDevice.FileHandleFlag.DontCloseHandle):
            return device, lambda: None
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    return buffer, lambda: out.write(bytes(buffer.data()))


def write_pdf(data: ExportData, options: ExportOptions, out: BinaryIO, progress: ProgressFn | None = None) -> None:
    ensure_gui_app()
    cancelled = False
    try:
        render(data, options, out, progress)
    except ExportCancelled:
        cancelled = True
    # Raised afresh, outside the except block, so the caller's traceback does not keep
    # the half-drawn pages (and their Qt objects) alive.
    if cancelled:
        raise ExportCancelled()


def render(data: ExportData, options: ExportOptions, out: BinaryIO, progress: ProgressFn | None = None,
           log: list[str] | None = None) -> int:
    """Lay out and write the PDF onto `out`; returns the number of timeline rows. `log`, when
    given, receives the text of every line drawn ("\\f" between pages), for tests."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from incidentkit.core.export.pdf_layout import Pager

    device, complete = _output_device(out)
    writer = QPdfWriter(device)
    page = QPageSize.PageSizeId.Letter if options.paper == "Letter" else QPageSize.PageSizeId.A4
    writer.setPageSize(QPageSize(page))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(RESOLUTION)
    title = incident_title(data)
    writer.setTitle(f"{title}: incident timeline")
    writer.setCreator("IncidentKit")
    painter = QPainter(writer)
    try:
        pager = Pager(writer, painter, title, log)
        n = _document(pager, data, options, progress)
        pager.finish()
    finally:
        painter.end()
        device.close()
    complete()
    return n


def _document(pager: Any, data: ExportData, options: ExportOptions, progress: ProgressFn | None) -> int:
    def heading(text: str, style: str, space: float) -> None:
        pager.place(pager.lines(Para(((style, text),))), space=space, keep_next=40)

    def labelled(label: str, value: str) -> None:
        pager.place(pager.lines(Para((("bold", f"{label}: "), ("body", value)))))

    heading(incident_title(data), "title", 0)
    pager.space(4)
    for label, value in title_fields(data, options):
        labelled(label, value)

    scope = scope_section(data, options)
    if scope is not None:
        _scope(pager, scope, heading, labelled)
    if data.deadlines:
        _deadlines(pager, data, options, heading)

    heading("Timeline", "h2", 14)
    when_style = pager.styles["bold"]
    column = when_style.width(_widest_time(options, when_style) + "  ") / pager.px
    n = 0
    titles: dict[str, tuple] = {}  # a step's title recurs with every event about the step
    for r in iter_rows(data, options, progress):
        n += 1
        runs = titles.get(r.title)
        if runs is None:
            runs = inline_runs(r.title, "bold")
            if len(titles) < 10_000:
                titles[r.title] = runs
        pager.place(_entry(pager, r, runs, column), space=5)
    if n == 0:
        pager.place(pager.lines(Para((("body", NO_ROWS),))), space=5)

    heading("Steps by phase", "h2", 16)
    for phase in phase_summaries(data, options):
        heading(f"{phase.title} ({phase.progress})", "h3", 9)
        for step in phase.steps:
            block = pager.lines(Para(((("body", "• "),) + inline_runs(step.text) + (("small", f": {step.status}"),))))
            if step.note.strip():
                if step.note_by:
                    block += pager.lines(Para((("small", f"Note ({step.note_by}):"),), 12, 2))
                for para in markdown_paras(step.note, indent=12):
                    block += pager.lines(para)
            pager.place(block, space=3)

    heading("Chain", "h2", 16)
    for label, value in footer(data, n, options.zone).lines():
        labelled(label, value)
    return n


def _scope(pager: Any, scope: Any, heading: Any, labelled: Any) -> None:
    """The breach profile (document.ScopeSection): facts, people per jurisdiction, imported files."""
    heading("Scope", "h2", 14)
    for label, value in scope.facts:
        labelled(label, value)
    if scope.jurisdictions:
        heading("People per jurisdiction", "h3", 9)
        for code, name, people, imported, stated, threshold in scope.jurisdictions:
            note = f"  ({threshold})" if threshold else ""
            pager.place(pager.lines(Para((("bold", f"{code}  "), ("body", f"{name}: {people}{note}"),
                                          ("small", f"  imported {imported}, stated {stated}")))))
    if scope.imports:
        heading("Imported files", "h3", 9)
        for when, name, rows, rejected, added, by, sha in scope.imports:
            block = pager.lines(Para((("bold", f"{when}  "), ("body", f"{name}: {added} people added, {rows} rows, "
                                                                       f"{rejected} rejected, by {by}"))))
            block += pager.lines(Para((("small", f"sha256 {sha}"),)), 12)
            pager.place(block)


def _deadlines(pager: Any, data: ExportData, options: ExportOptions, heading: Any) -> None:
    """The deadlines table (deadline_table): each obligation, its deadline, why, its sources."""
    heading(deadline_table.HEADING, "h2", 14)
    pager.place(pager.lines(Para((("small", deadline_table.DISCLAIMER),))))
    for line in deadline_table.deadline_lines(data.deadlines, options):
        block = pager.lines(Para((("bold", f"{line.status} · {line.deadline}  "), ("body", line.duty))))
        if line.sent:
            block += pager.lines(Para((("small", f"Notice sent: {line.sent}"),)), 12)
        block += pager.lines(Para((("body", line.why),)), 12)
        for source in line.sources:
            block += pager.lines(Para((("small", source),)), 12)
        pager.place(block, space=5)


def _widest_time(options: ExportOptions, style: Any) -> str:
    """A time as wide as any the export shows (digits are all as wide in most fonts, not all)."""
    digit = max("0123456789", key=style.metrics.horizontalAdvance)
    shape = "0000-00-00 00:00:00 UTC" if options.tz.upper() in ("UTC", "Z", "") else "0000-00-00 00:00:00+00:00"
    return shape.replace("0", digit)


def _entry(pager: Any, r: Row, runs: tuple, column: float) -> list:
    """One timeline row as one block: time, title (its styled `runs`) and who, in one line drawn
    at once for a plain title; the category and a late record's note below it; then
    details and amendments."""
    by = f" · {r.actor}" if r.actor else ""
    if len(runs) == 1:  # the usual plain title
        block = pager.lines(Para((("bold", f"{r.when}  {runs[0][1]}{by}"),)), hang=column)
    else:
        block = pager.lines(Para((("bold", f"{r.when}  "), *runs, ("bold", by))), hang=column)
    if r.category or r.recorded:
        meta = (("small", f"category: {r.category}" + (" · " if r.recorded else "")),) if r.category else ()
        late = (("late", r.recorded),) if r.recorded else ()
        block += pager.lines(Para((*meta, *late)), column)
    if r.detail.strip():
        paras = markdown_paras(r.detail) if r.detail_is_markdown else plain_paras(r.detail)
        for para in paras:
            block += pager.lines(para, column)
    for line in r.amendment_lines():
        for para in plain_paras(line, "small"):
            block += pager.lines(para, column)
    return block
