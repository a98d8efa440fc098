"""People per jurisdiction as horizontal bars, drawn with QPainter.

QtCharts is not in PySide6-Essentials, and a dozen bars with their numbers and the
notice thresholds need no charting library. Bars are sorted by count; past MAX_BARS the
rest are summed on a last line without a bar (one bar for them all would dwarf the rest). The `unknown` bar is drawn in the warning colour, and the
thresholds within the scale (250, 500, 1,000, ...) as dashed lines, so a bar crossing
one shows at a glance.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from incidentkit.core.scope.vocabulary import NOTICE_THRESHOLDS, UNKNOWN_JURISDICTION

MAX_BARS = 12
BAR_COLOUR = "#3d7cc9"
UNKNOWN_COLOUR = "#c94a3d"
THRESHOLD_COLOUR = "#9a6a00"


class JurisdictionChart(QWidget):
    """`set_counts({code: n})`; paints one bar per jurisdiction, largest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, int]] = []
        self._others: tuple[int, int] = (0, 0)   # jurisdictions past MAX_BARS, and their people
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(80)
        self.setAccessibleName("People per jurisdiction, as a bar chart")

    def set_counts(self, counts: dict[str, int]) -> None:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        self._others = (0, 0)
        if len(ranked) > MAX_BARS:
            unknown = [kv for kv in ranked[MAX_BARS:] if kv[0] == UNKNOWN_JURISDICTION]  # never hidden
            shown = ranked[:MAX_BARS - len(unknown)] + unknown
            rest = [kv for kv in ranked if kv not in shown]
            self._others = (len(rest), sum(n for _code, n in rest))
            ranked = shown
        self._bars = ranked
        self.setToolTip("\n".join(f"{code}: {n:,}" for code, n in sorted(counts.items(), key=lambda kv: -kv[1])))
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, int]]:
        return list(self._bars)

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + 6

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        rows = len(self._bars) + (1 if self._others[0] else 0)
        return QSize(360, max(80, QFontMetrics(self.font()).height() + 14 + self._row_height() * max(1, rows)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = QFontMetrics(self.font())
        if not self._bars:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), "No people counted yet")
            painter.end()
            return
        top = max(n for _code, n in self._bars) or 1
        label_w = max(metrics.horizontalAdvance(code) for code, _n in self._bars) + 10
        value_w = metrics.horizontalAdvance(f"{top:,}") + 10
        left, right = label_w, max(label_w + 20, self.width() - value_w)
        span = right - left
        row_h = self._row_height()
        y0 = metrics.height() + 6  # room for the thresholds' labels
        last_label = -1e9
        for t in NOTICE_THRESHOLDS:  # the thresholds inside the scale, as dashed lines with their value
            if t <= top and t / top >= 0.02:
                x = left + span * t / top
                painter.setPen(QPen(QColor(THRESHOLD_COLOUR), 1, Qt.PenStyle.DashLine))
                painter.drawLine(int(x), y0 - 2, int(x), y0 + row_h * len(self._bars))
                label = f"{t:,}"
                width = metrics.horizontalAdvance(label)
                if x - width / 2 > last_label + 4:  # skip a label that would overlap the one before
                    painter.setPen(QColor(THRESHOLD_COLOUR))
                    painter.drawText(QRectF(x - width / 2, 0, width + 2, y0 - 2),
                                     int(Qt.AlignmentFlag.AlignCenter), label)
                    last_label = x + width / 2
        for i, (code, n) in enumerate(self._bars):
            y = y0 + i * row_h
            painter.setPen(text)
            painter.drawText(QRectF(0, y, label_w - 6, row_h), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), code)
            width = max(2.0, span * n / top) if n else 0.0
            colour = UNKNOWN_COLOUR if code == UNKNOWN_JURISDICTION else BAR_COLOUR
            painter.fillRect(QRectF(left, y + 3, width, row_h - 6), QColor(colour))
            painter.setPen(text)
            painter.drawText(QRectF(left + width + 4, y, value_w + 40, row_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), f"{n:,}")
        if self._others[0]:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRectF(0, y0 + len(self._bars) * row_h, self.width(), row_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             f"and {self._others[0]} more jurisdictions with {self._others[1]:,} people in all")
        painter.end()
