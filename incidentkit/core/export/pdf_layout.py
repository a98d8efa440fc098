"""Page-by-page layout for the PDF: blocks of lines, each block kept on one page.

Imported only by `pdf.write_pdf`, after a QGuiApplication exists; Qt is imported where it
is used, so that no core module imports Qt at module level. The
document is never held whole: every block (an entry, a step, a heading) is made into
lines, placed on the current page or, when it does not fit, at the top of the next one,
and drawn at once; only a block taller than a page is split, between two of its lines.
Nothing is drawn twice or clipped, so the text a PDF reader extracts has each line once.

Speed: a line of one style that surely fits (`len * widest ASCII glyph`) is drawn with
one `drawText` and nothing measured; anything else is measured, and only text that
needs wrapping or mixes styles goes through a QTextLayout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from incidentkit.core.export.pdf_markdown import Para, Run

if TYPE_CHECKING:
    from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPdfWriter

BLACK, GREY, LATE = "#000000", "#555555", "#8a4b00"
# name: (point size, bold, italic, monospaced, colour); "late" marks a record written long after
STYLES = {
    "body": (9, False, False, False, BLACK), "bold": (9, True, False, False, BLACK),
    "italic": (9, False, True, False, BLACK), "bolditalic": (9, True, True, False, BLACK),
    "mono": (8.5, False, False, True, BLACK), "small": (8, False, False, False, GREY),
    "late": (8, False, False, False, LATE), "title": (17, True, False, False, BLACK),
    "h2": (13, True, False, False, BLACK), "h3": (10.5, True, False, False, BLACK),
    "footer": (7.5, False, False, False, GREY),
}


def plain_font(font: QFont) -> QFont:
    """`font` with no ligatures, for the PDF export and the notices' letter PDF: an "fi" glyph
    extracts as U+FB01, and "Confirm" would no longer be found. No shaping where the script needs none (Qt still shapes Arabic, Indic...): a quarter of
    the time of drawing a line of Latin text."""
    from PySide6.QtGui import QFont

    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


class _Advances(dict):
    """Character -> advance in a style, measured on first use."""

    __slots__ = ("metrics",)

    def __init__(self, metrics: QFontMetricsF) -> None:
        super().__init__()
        self.metrics = metrics

    def __missing__(self, char: str) -> float:
        width = self[char] = self.metrics.horizontalAdvance(char)
        return width


# Scripts whose text is as wide as its characters' advances added up: Latin, Greek,
# Cyrillic, punctuation, arrows, box drawing and symbols. Others (Hebrew, Arabic, Indic,
# CJK, emoji...) are shaped, so Qt measures and breaks them.
_NOT_SIMPLE = re.compile(r"[^\u0000-\u02ff\u0370-\u058f\u2000-\u2bff]")


class Style:
    """A font and colour, with what laying out text in it needs. Simple text (`_NOT_SIMPLE`)
    is measured from its characters' advances (a QFontMetricsF call shapes the text: about
    30 µs a line); the sum leaves out kerning, which only ever makes a line a little narrower."""

    __slots__ = ("name", "font", "color", "metrics", "ascent", "height", "widest", "advances", "space", "format")

    def __init__(self, name: str, device: QPdfWriter) -> None:
        from PySide6.QtGui import (
            QColor,
            QFont,
            QFontDatabase,
            QFontMetricsF,
            QTextCharFormat,
        )

        size, bold, italic, mono, color = STYLES[name]
        base = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont) if mono else QFont()
        font = plain_font(QFont(base))
        font.setPointSizeF(size)
        font.setBold(bold)
        font.setItalic(italic)
        self.name, self.font = name, font
        self.color = QColor(color)
        self.metrics = QFontMetricsF(font, device)
        self.ascent = self.metrics.ascent()
        self.height = self.metrics.lineSpacing()
        self.advances = _Advances(self.metrics)
        self.widest = max(self.advances[chr(c)] for c in range(32, 127))
        self.space = self.advances[" "]
        self.format = QTextCharFormat()
        self.format.setFont(font)
        self.format.setForeground(self.color)

    @staticmethod
    def simple(text: str) -> bool:
        return text.isascii() or _NOT_SIMPLE.search(text) is None

    def width(self, text: str) -> float:
        if self.simple(text):
            return sum(map(self.advances.__getitem__, text))
        return self.metrics.horizontalAdvance(text)

    def fits(self, text: str, width: float) -> bool:
        return (text.isascii() and len(text) * self.widest <= width) or self.width(text) <= width

    def wrap_simple(self, text: str, width: float, rest: float | None = None) -> list[str]:
        """Simple text broken between words (or anywhere, in a word wider than a line); lines
        after the first are `rest` wide (a hanging indent), if given."""
        advance = self.advances.__getitem__
        lines: list[str] = []
        line, used = "", 0.0
        for word in text.split(" "):
            w = sum(map(advance, word))
            if line and used + self.space + w <= width:
                line, used = f"{line} {word}", used + self.space + w
                continue
            if line or lines:
                lines.append(line)
                width = rest if rest is not None else width
            while w > width:  # a word longer than a line: as many characters as fit
                cut, taken = 0, 0.0
                while cut < len(word) and taken + advance(word[cut]) <= width:
                    taken += advance(word[cut])
                    cut += 1
                cut = max(cut, 1)
                lines.append(word[:cut])
                word = word[cut:]
                w = sum(map(advance, word))
            line, used = word, w
        lines.append(line)
        return lines


# A line: (height, ascent, parts); a part is (x, style, text) or (x, None, (layout, line)).
Line = tuple[float, float, list[tuple[float, Any, Any]]]


class Pager:
    """Draws blocks of lines on `painter` (open on `writer`), page after page."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, footer_text: str, log: list[str] | None = None) -> None:
        from PySide6.QtCore import QPointF

        self._point = QPointF  # every line drawn makes one: looked up once, not per line
        self.writer, self.painter = writer, painter
        self.px = writer.resolution() / 72  # device pixels per point
        self.styles = {name: Style(name, writer) for name in STYLES}
        area = writer.pageLayout().paintRectPixels(writer.resolution())
        self.width = area.width()
        self.footer_h = self.styles["footer"].height * 2
        self.height = area.height() - self.footer_h
        self.y = 0.0
        self.page = 1
        self.footer_text = footer_text
        self.log = log
        self._font: QFont | None = None
        self._color: QColor | None = None

    # making lines ------------------------------------------------------------------
    def lines(self, para: Para, indent: float = 0.0, first: list[tuple[float, Any, Any]] | None = None,
              hang: float = 0.0) -> list[Line]:
        """A paragraph as lines, `indent` points in (plus its own), lines after the first `hang`
        points further; `first` are parts to put at the start of its first line."""
        x = (indent + para.indent) * self.px
        width = self.width - x
        runs = para.runs
        if len(runs) == 1 and not para.code:
            style = self.styles[runs[0][0]]
            text = runs[0][1]
            if style.fits(text, width):
                return [self._line([*(first or ()), (x, style, text)])]
            if style.simple(text):
                parts = style.wrap_simple(text, width, width - hang * self.px)
                out = [self._line([*(first or ()), (x, style, parts[0])])]
                out += [self._line([(x + hang * self.px, style, part)]) for part in parts[1:]]
                return out
        elif not para.code:
            widths = [self.styles[name].width(text) for name, text in runs]
            if sum(widths) <= width:
                parts, at = list(first or ()), x
                for (name, text), w in zip(runs, widths):
                    parts.append((at, self.styles[name], text))
                    at += w
                return [self._line(parts)]
        return self._wrapped(runs, x, width, para.code, first)

    def _line(self, parts: list[tuple[float, Any, Any]]) -> Line:
        height = ascent = 0.0
        for _x, style, payload in parts:
            if style is None:
                line = payload[1]
                height, ascent = max(height, line.height()), max(ascent, line.ascent())
            else:
                height, ascent = max(height, style.height), max(ascent, style.ascent)
        return height, ascent, parts

    def _wrapped(self, runs: Sequence[Run], x: float, width: float, code: bool,
                 first: list[tuple[float, Any, Any]] | None) -> list[Line]:
        from PySide6.QtGui import QTextLayout, QTextOption

        text = "".join(part for _, part in runs).replace("\n", " ")
        base = self.styles[runs[0][0]]
        layout = QTextLayout(text, base.font, self.writer)
        ranges, at = [], 0
        for name, part in runs:  # the formats carry the colour too
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = at, len(part), self.styles[name].format
            ranges.append(r)
            at += len(part)
        layout.setFormats(ranges)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAnywhere if code
                           else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        out: list[Line] = []
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(self._point(0, 0))
            parts = list(first or ()) if not out else []
            parts.append((x, None, (layout, line)))
            out.append(self._line(parts))
        layout.endLayout()
        return out

    # placing and drawing -------------------------------------------------------------
    def space(self, points: float) -> None:
        if self.y > 0:
            self.y += points * self.px

    def place(self, block: list[Line], *, space: float = 0.0, keep_next: float = 0.0) -> None:
        """Draw the lines as one block: on this page if they fit (with `keep_next` points to
        spare, for a heading), else from the top of the next; split only if taller than a page."""
        gap = space * self.px if self.y > 0 else 0.0
        total = sum(h for h, _, _ in block)
        if self.y > 0 and self.y + gap + total + keep_next * self.px > self.height:
            self.new_page()
            gap = 0.0
        self.y += gap
        for line in block:
            if self.y + line[0] > self.height and self.y > 0:
                self.new_page()
            self._draw(line)

    def _draw(self, line: Line) -> None:
        height, ascent, parts = line
        painter, baseline, point = self.painter, self.y + ascent, self._point
        for x, style, payload in parts:
            if style is None:
                layout, qline = payload
                qline.draw(painter, point(x, baseline - qline.ascent()))
                self._font = self._color = None  # the layout set its own
                continue
            if style.font is not self._font:
                painter.setFont(style.font)
                self._font = style.font
            if style.color is not self._color:
                painter.setPen(style.color)
                self._color = style.color
            painter.drawText(point(x, baseline), payload)
        if self.log is not None:
            self.log.append("".join(self._text(part) for part in parts).rstrip())
        self.y += height

    @staticmethod
    def _text(part: tuple[float, Any, Any]) -> str:
        _x, style, payload = part
        if style is not None:
            return payload
        layout, qline = payload
        return layout.text()[qline.textStart():qline.textStart() + qline.textLength()]

    def _pen(self, font: QFont, color: QColor) -> None:
        if font is not self._font:
            self.painter.setFont(font)
            self._font = font
        if color is not self._color:
            self.painter.setPen(color)
            self._color = color

    def _footer(self, text: str) -> None:
        style = self.styles["footer"]
        self._pen(style.font, style.color)
        width = style.width(text)
        self.painter.drawText(self._point(self.width - width, self.height + self.footer_h - style.metrics.descent()), text)
        if self.log is not None:
            self.log.append(text)

    def new_page(self) -> None:
        self._footer(f"{self.footer_text} · page {self.page}")
        if self.log is not None:
            self.log.append("\f")
        self.writer.newPage()
        self._font = self._color = None  # a new page starts with the painter's defaults
        self.page += 1
        self.y = 0.0

    def finish(self) -> None:
        """The last page's footer says it is the last: "page 7 of 7"."""
        self._footer(f"{self.footer_text} · page {self.page} of {self.page}")
