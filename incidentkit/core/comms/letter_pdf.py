"""A notice as a PDF letter, laid out by the exports' engine (QTextDocument printed by QPdfWriter).

Like `export/pdf.py`, Qt is imported inside the functions only (tests/test_layers.py
checks) and an offscreen QGuiApplication is made when none runs; those two helpers and
the resolution come from the export module, through this one function, so the letter
shares the engine without depending on how the timeline export streams its pages.
Text goes in through `QTextCursor.insertText`, never as HTML, so nothing in a notice
can become markup.
"""

from __future__ import annotations

from typing import Any

from incidentkit.core.comms import markdown_text


def letter_pdf(text: str, *, title: str, paper: str = "A4") -> bytes:
    """The Markdown `text` as a PDF: headings, paragraphs, lists and tables, page numbers at the foot."""
    from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextCursor, QTextDocument

    from incidentkit.core.export import pdf as engine
    from incidentkit.core.export.pdf_layout import plain_font

    engine.ensure_gui_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter if paper == "Letter" else QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(22, 20, 22, 20), QPageLayout.Unit.Millimeter)
    writer.setResolution(engine.RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("IncidentKit")

    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(plain_font(doc.defaultFont()))
    _fill(QTextCursor(doc), doc, writer.resolution() / 72, text)

    area = writer.pageLayout().paintRectPixels(writer.resolution())
    footer_h = writer.resolution() * 0.35
    body_h = area.height() - footer_h
    doc.setPageSize(QSizeF(area.width(), body_h))
    pages = doc.pageCount()
    painter = QPainter(writer)
    try:
        small = QFont(doc.defaultFont())
        small.setPointSize(8)
        for i in range(pages):
            if i:
                writer.newPage()
            painter.save()
            painter.translate(0, -i * body_h)
            doc.drawContents(painter, QRectF(0, i * body_h, area.width(), body_h))
            painter.restore()
            if pages > 1:
                painter.setFont(small)
                painter.drawText(QRectF(0, body_h, area.width(), footer_h),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                                 f"{title} · page {i + 1} of {pages}")
    finally:
        painter.end()
    return bytes(buffer.data())


def _fill(cursor: Any, doc: Any, px_per_pt: float, text: str) -> None:
    from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextTableFormat

    def char(size: float, bold: bool = False, mono: bool = False) -> QTextCharFormat:
        f = QTextCharFormat()
        f.setFontPointSize(size)
        f.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        if mono:
            f.setFontFamilies(["monospace"])
        return f

    def block(top: float, left: float = 0.0, indent: float = 0.0) -> QTextBlockFormat:
        b = QTextBlockFormat()
        b.setTopMargin(top * px_per_pt)           # block margins are in the device's pixels
        b.setLeftMargin(left * px_per_pt)
        b.setTextIndent(-indent * px_per_pt)
        return b

    body, first = char(10.5), True
    heads = {1: char(16, bold=True), 2: char(12.5, bold=True), 3: char(11, bold=True)}

    def para(fmt: QTextBlockFormat, run: QTextCharFormat, value: str) -> None:
        nonlocal first
        if first:
            cursor.setBlockFormat(fmt)
            first = False
        else:
            cursor.insertBlock(fmt)
        cursor.insertText(value.replace("\n", "\u2028"), run)   # a hard break stays in its paragraph

    for b in markdown_text.blocks(text):
        if b.kind == "heading":
            para(block(14 if b.level > 1 else 0), heads.get(b.level, heads[3]), b.text)
        elif b.kind == "paragraph":
            para(block(7, left=14 * b.level + (14 if b.quoted else 0)), body, b.text)
        elif b.kind == "item":
            hang = 4 * len(b.marker)
            para(block(4, left=14 * (b.level - 1) + 14, indent=hang), body, b.marker + b.text)
        elif b.kind == "rule":
            para(block(7), body, "\u2014" * 3)
        elif b.kind == "code":
            para(block(7, left=14), char(9.5, mono=True), b.text)
        elif b.kind == "table" and b.rows:
            para(block(7), body, "")
            table_format = QTextTableFormat()
            table_format.setCellPadding(3 * px_per_pt)
            table_format.setBorder(0.5 * px_per_pt)
            table_format.setHeaderRowCount(1)
            columns = max(len(r) for r in b.rows)
            table = cursor.insertTable(len(b.rows), columns, table_format)
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    table.cellAt(r, c).firstCursorPosition().insertText(cell, heads[3] if r == 0 else char(9))
            cursor.movePosition(cursor.MoveOperation.End)
