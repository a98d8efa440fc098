"""Status marks drawn with QPainter: a shape per status as well as a colour, never colour alone.

overdue: a red triangle with `!`; needs input: an amber diamond with `?`; due: a blue
circle; met: a green check; met late: an orange check; not applicable: a grey dash.
The table's icons and the timeline strip's markers are the same drawings.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

COLOURS = {
    "overdue": QColor(200, 30, 30),
    "needs-input": QColor(215, 140, 0),
    "due": QColor(30, 100, 200),
    "met": QColor(30, 140, 60),
    "met-late": QColor(215, 100, 20),
    "not-applicable": QColor(130, 130, 130),
}


def draw_mark(painter: QPainter, status: str, rect: QRectF) -> None:
    """The status's shape, filled, inside `rect`."""
    colour = COLOURS.get(status, COLOURS["not-applicable"])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(colour.darker(130), max(1.0, rect.width() / 12))
    painter.setPen(pen)
    painter.setBrush(colour)
    c, w, h = rect.center(), rect.width(), rect.height()
    if status == "overdue":
        painter.drawPolygon(QPolygonF([QPointF(c.x(), rect.top()), rect.bottomRight(), rect.bottomLeft()]))
        _glyph(painter, "!", rect.adjusted(0, h * 0.25, 0, 0))
    elif status == "needs-input":
        painter.drawPolygon(QPolygonF([QPointF(c.x(), rect.top()), QPointF(rect.right(), c.y()),
                                       QPointF(c.x(), rect.bottom()), QPointF(rect.left(), c.y())]))
        _glyph(painter, "?", rect)
    elif status == "due":
        painter.drawEllipse(rect.adjusted(w * 0.1, h * 0.1, -w * 0.1, -h * 0.1))
    elif status in ("met", "met-late"):
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, max(2.0, w / 6), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        path = QPainterPath(QPointF(rect.left() + w * 0.15, c.y()))
        path.lineTo(QPointF(rect.left() + w * 0.4, rect.bottom() - h * 0.2))
        path.lineTo(QPointF(rect.right() - w * 0.1, rect.top() + h * 0.2))
        painter.drawPath(path)
    else:
        painter.drawRect(QRectF(rect.left() + w * 0.15, c.y() - h * 0.08, w * 0.7, h * 0.16))
    painter.restore()


def _glyph(painter: QPainter, text: str, rect: QRectF) -> None:
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(max(6, int(rect.height() * 0.6)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


@cache
def status_icon(status: str) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        draw_mark(painter, status, QRectF(1, 1, size - 2, size - 2))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
