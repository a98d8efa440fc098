"""PDF export: the same document laid out with QTextDocument and printed with QPdfWriter.

The only core module that touches Qt, and only inside functions (tests/test_layers.py
checks), so the rest of the core stays headless. Without a running application it
creates an offscreen QGuiApplication. Text goes in through QTextCursor.insertText, never
as HTML, so user text cannot become markup; the timeline is laid out as paragraphs
rather than a table because QTextDocument tables with thousands of rows lay out slowly.
Fonts are embedded by QPdfWriter, so the text can be extracted (pdftotext) and searched.
"""

from __future__ import annotations

import os
from typing import Any, BinaryIO

from incidentkit.core.export.document import NO_ROWS, footer, iter_rows, phase_summaries, shown_title, title_fields
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ExportCancelled, ProgressFn
from incidentkit.core.export.source import ExportData

RESOLUTION = 300  # dots per inch of the PDF's coordinate system (text stays vector)
_app: Any = None  # the offscreen QGuiApplication we had to create, kept alive for reuse


def _ensure_gui_app() -> None:
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication(["incidentkit-pdf", "-platform", "offscreen"])


def _plain_font(font: Any) -> Any:
    """No ligatures: an "fi" glyph extracts as U+FB01, and "Confirm" would no longer be found."""
    from PySide6.QtGui import QFont

    plain = QFont(font)
    for tag in ("liga", "clig", "dlig"):
        plain.setFeature(QFont.Tag(tag), 0)
    return plain


def _formats(px_per_pt: float) -> dict[str, Any]:
    from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat

    def char(size: float, bold: bool = False, grey: bool = False) -> QTextCharFormat:
        f = QTextCharFormat()
        f.setFontPointSize(size)
        f.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        if grey:
            from PySide6.QtGui import QColor

            f.setForeground(QColor("#555555"))
        return f

    def block(top: float, left: float = 0.0) -> QTextBlockFormat:
        # Block margins are in the paint device's pixels; we think in points.
        b = QTextBlockFormat()
        b.setTopMargin(top * px_per_pt)
        b.setLeftMargin(left * px_per_pt)
        return b

    return {
        "h1": char(18, bold=True), "h2": char(13, bold=True), "h3": char(11, bold=True),
        "label": char(9, bold=True), "body": char(9), "small": char(8, grey=True),
        "b_h1": block(0), "b_h2": block(12), "b_h3": block(7), "b_row": block(5),
        "b_line": block(0), "b_indent": block(0, 12),
    }


def _build(data: ExportData, options: ExportOptions, progress: ProgressFn | None, device: Any) -> tuple[Any, int]:
    from PySide6.QtGui import QTextCursor, QTextDocument

    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    doc.documentLayout().setPaintDevice(device)  # lay out once, for the PDF's resolution
    doc.setDefaultFont(_plain_font(doc.defaultFont()))
    fmt = _formats(device.resolution() / 72)
    cur = QTextCursor(doc)

    def para(block: str, *runs: tuple[str, str]) -> None:
        if cur.position() == 0 and doc.characterCount() <= 1:
            cur.setBlockFormat(fmt[block])
        else:
            cur.insertBlock(fmt[block])
        for style, text in runs:
            cur.insertText(text.replace("\r\n", "\n").replace("\r", "\n"), fmt[style])

    para("b_h1", ("h1", shown_title(data) or "Untitled incident"))
    for label, value in title_fields(data, options):
        para("b_line", ("label", f"{label}: "), ("body", value))

    para("b_h2", ("h2", "Timeline"))
    n = 0
    for r in iter_rows(data, options, progress):
        n += 1
        para("b_row", ("label", f"{r.when}  "), ("body", r.title))
        if r.detail:
            para("b_indent", ("body", r.detail))
        for line in r.amendment_lines():
            para("b_indent", ("small", line))
        para("b_indent", ("small", f"{r.actor} · {r.kind} · #{r.seq}"))
    if n == 0:
        para("b_row", ("body", NO_ROWS))

    para("b_h2", ("h2", "Steps by phase"))
    for phase in phase_summaries(data, options):
        para("b_h3", ("h3", f"{phase.title} ({phase.progress})"))
        for step in phase.steps:
            para("b_line", ("body", f"• {step.text}: "), ("small", step.status))
            if step.note.strip():
                para("b_indent", ("small", f"Note: {step.note}"))

    para("b_h2", ("h2", "Chain"))
    for label, value in footer(data, n).lines():
        para("b_line", ("label", f"{label}: "), ("body", value))
    return doc, n


def write_pdf(data: ExportData, options: ExportOptions, out: BinaryIO, progress: ProgressFn | None = None) -> None:
    _ensure_gui_app()
    cancelled = False
    try:
        pdf = _render(data, options, progress)
    except ExportCancelled:
        cancelled = True
    # Raised afresh, outside the except block, so the caller's traceback does not keep
    # the half-built Qt document (and all its layout memory) alive.
    if cancelled:
        raise ExportCancelled()
    out.write(pdf)


def _render(data: ExportData, options: ExportOptions, progress: ProgressFn | None) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    page = QPageSize.PageSizeId.Letter if options.paper == "Letter" else QPageSize.PageSizeId.A4
    writer.setPageSize(QPageSize(page))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"{shown_title(data)}: incident timeline")
    writer.setCreator("IncidentKit")

    doc, _ = _build(data, options, progress, writer)
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    footer_h = writer.resolution() * 0.35
    body_h = area.height() - footer_h
    doc.setPageSize(QSizeF(area.width(), body_h))
    pages = doc.pageCount()

    painter = QPainter(writer)
    try:
        page_font = QFont(doc.defaultFont())
        page_font.setPointSize(8)
        for i in range(pages):
            if progress is not None and progress(len(data.items), len(data.items)) is False:
                raise ExportCancelled()
            if i:
                writer.newPage()
            painter.save()
            painter.translate(0, -i * body_h)
            doc.drawContents(painter, QRectF(0, i * body_h, area.width(), body_h))
            painter.restore()
            painter.setFont(page_font)
            painter.drawText(
                QRectF(0, body_h, area.width(), footer_h),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                f"{shown_title(data)} · page {i + 1} of {pages}",
            )
    finally:
        painter.end()
    return bytes(buffer.data())
