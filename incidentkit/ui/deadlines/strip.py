"""A picture of the deadlines: a time axis from awareness to the last deadline, "now" on it, and
each dated obligation as its status mark with a short label (lanes keep labels apart).

Drawn with QPainter; hovering a mark shows the duty and its deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from incidentkit.core.deadlines.describe import STATUS_WORDS, countdown
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.deadlines.records import iso
from incidentkit.ui.deadlines.status_marks import COLOURS, draw_mark
from incidentkit.ui.widgets.times import local_time

MARK = 14
LANE = 22
MARGIN = 16
AXIS_TOP = 24
_STEPS = (timedelta(hours=6), timedelta(hours=12), timedelta(days=1), timedelta(days=2), timedelta(days=7),
          timedelta(days=14), timedelta(days=30), timedelta(days=91), timedelta(days=365))


def short_label(o: Obligation) -> str:
    if o.rule_id.startswith("step:"):
        return o.title if len(o.title) <= 28 else o.title[:27] + "…"
    return f"{o.jurisdiction} {o.recipient.replace('-', ' ')}"


class DeadlineStrip(QWidget):
    """`set_obligations(obligations, now, aware)`: the dated ones that apply are drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[Obligation] = []
        self._now: datetime | None = None
        self._aware: datetime | None = None
        self._placed: list[tuple[QRectF, Obligation]] = []
        self.setMinimumHeight(AXIS_TOP + 3 * LANE + 10)
        self.setAccessibleName("Deadlines on a time line")

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, AXIS_TOP + 4 * LANE + 10)

    def set_obligations(self, obligations: list[Obligation] | tuple[Obligation, ...], now: datetime,
                        aware: datetime | None) -> None:
        self._items = [o for o in obligations if o.applies and o.deadline is not None]
        self._now, self._aware = now, aware
        self.update()

    def set_now(self, now: datetime) -> None:
        self._now = now
        self.update()

    def _span(self) -> tuple[datetime, datetime] | None:
        if self._now is None:
            return None
        times = [o.deadline for o in self._items if o.deadline] + [self._now]
        if self._aware is not None:
            times.append(self._aware)
        start, end = min(times), max(times)
        if end - start < timedelta(hours=12):
            end = start + timedelta(hours=12)
        pad = (end - start) * 0.04
        return start - pad, end + pad

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        span = self._span()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        if span is None:
            painter.end()
            return
        start, end = span
        width = max(1, self.width() - 2 * MARGIN)

        def x_of(when: datetime) -> float:
            return MARGIN + width * ((when - start) / (end - start))

        painter.setPen(QPen(text_colour, 1))
        painter.drawLine(QPointF(MARGIN, AXIS_TOP), QPointF(MARGIN + width, AXIS_TOP))
        self._ticks(painter, start, end, x_of, text_colour)
        if self._aware is not None:
            self._flag(painter, x_of(self._aware), "aware", text_colour)
        if self._now is not None:
            pen = QPen(COLOURS["overdue"], 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            x = x_of(self._now)
            painter.drawLine(QPointF(x, AXIS_TOP - 8), QPointF(x, self.height() - 2))
            painter.drawText(QPointF(x + 3, AXIS_TOP - 10), "now")
        self._marks(painter, x_of, text_colour)
        painter.end()

    def _ticks(self, painter: QPainter, start: datetime, end: datetime, x_of, colour) -> None:
        metrics = QFontMetrics(painter.font())
        label_width = metrics.horizontalAdvance("2026-12-31") + 12
        most = max(1, int((self.width() - 2 * MARGIN) // label_width))
        step = next((s for s in _STEPS if (end - start) / s <= most), _STEPS[-1])
        local = start.astimezone()
        tick = local.replace(hour=0, minute=0, second=0, microsecond=0)
        painter.setPen(QPen(colour, 1))
        while tick <= end:
            if tick >= start:
                x = x_of(tick)
                painter.drawLine(QPointF(x, AXIS_TOP - 3), QPointF(x, AXIS_TOP + 3))
                fmt = "%m-%d %H:%M" if step < timedelta(days=1) else "%m-%d"
                text = tick.strftime(fmt)
                if x + 2 + metrics.horizontalAdvance(text) <= self.width():
                    painter.drawText(QPointF(x + 2, AXIS_TOP - 6), text)
            tick += step

    def _flag(self, painter: QPainter, x: float, label: str, colour) -> None:
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, AXIS_TOP), QPointF(x, self.height() - 2))
        painter.drawText(QPointF(x + 3, self.height() - 4), label)

    def _marks(self, painter: QPainter, x_of, colour) -> None:
        metrics = QFontMetrics(painter.font())
        lanes: list[float] = []            # the right edge of what each lane holds so far
        self._placed = []
        for o in sorted(self._items, key=lambda o: o.deadline):
            x = x_of(o.deadline)
            label = short_label(o)
            text_width = metrics.horizontalAdvance(label)
            # A label that would run off the right edge goes on the mark's left.
            on_left = x + MARK / 2 + 4 + text_width > self.width() - 2
            left = x - MARK / 2 - (text_width + 4 if on_left else 0)
            right = x + MARK / 2 + (0 if on_left else text_width + 4)
            lane = next((i for i, edge in enumerate(lanes) if edge < left - 4), None)
            if lane is None:
                lane = len(lanes)
                lanes.append(right)
            else:
                lanes[lane] = right
            y = AXIS_TOP + 8 + lane * LANE
            rect = QRectF(x - MARK / 2, y, MARK, MARK)
            draw_mark(painter, o.status, rect)
            painter.setPen(QPen(colour, 1))
            text_x = rect.left() - 4 - text_width if on_left else rect.right() + 4
            painter.drawText(QPointF(text_x, rect.bottom() - 2), label)
            self._placed.append((rect.adjusted(-3, -3, 3, 3), o))
        needed = AXIS_TOP + 8 + max(1, len(lanes)) * LANE + 14
        if self.minimumHeight() != needed:
            self.setMinimumHeight(needed)

    def obligation_at(self, point: QPointF) -> Obligation | None:
        return next((o for rect, o in self._placed if rect.contains(point)), None)

    def event(self, event) -> bool:
        if isinstance(event, QHelpEvent):
            o = self.obligation_at(QPointF(event.pos()))
            if o is None:
                QToolTip.hideText()
                event.ignore()
                return True
            left = countdown(o.deadline, self._now) if self._now else ""
            QToolTip.showText(event.globalPos(), f"{o.title}\n{STATUS_WORDS[o.status]} · "
                                                 f"{local_time(iso(o.deadline) or '')} · {left}", self)
            return True
        return super().event(event)
