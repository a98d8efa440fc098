"""A row of tool buttons for QActions that drops their text when the row is too narrow.

With text beside the icons, the step buttons (Done, Skip, Reopen, Assign) need about
330 px, which held the right pane that wide on a small screen. This row asks only for
the width of the icons; given less than the width of the text it shows icons alone, and
each button's tooltip still says what it does and its key.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

TEXT = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
ICONS = Qt.ToolButtonStyle.ToolButtonIconOnly


class ActionBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QToolButton] = []
        self._widths: dict[Qt.ToolButtonStyle, int] = {}

    def set_actions(self, actions: Iterable[QAction]) -> None:
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(TEXT)
            self._row.addWidget(button)
            self.buttons.append(button)
        self._row.addStretch(1)
        self._widths.clear()
        self.updateGeometry()

    def _width(self, style: Qt.ToolButtonStyle) -> int:
        """The row's width with every button in `style` (measured once per font and style)."""
        if style not in self._widths:
            spacing = max(0, self._row.spacing()) * max(0, len(self.buttons) - 1)
            shown = self.buttons[0].toolButtonStyle() if self.buttons else TEXT
            for button in self.buttons:
                button.setToolButtonStyle(style)
            self._widths[style] = sum(b.sizeHint().width() for b in self.buttons) + spacing
            for button in self.buttons:
                button.setToolButtonStyle(shown)
        return self._widths[style]

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._width(ICONS), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._width(TEXT), super().sizeHint().height())

    def showing_text(self) -> bool:
        return not self.buttons or self.buttons[0].toolButtonStyle() == TEXT

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._widths.clear()
            self.updateGeometry()
            self._fit()

    def _fit(self) -> None:
        style = TEXT if self.width() >= self._width(TEXT) else ICONS
        if self.buttons and self.buttons[0].toolButtonStyle() != style:
            for button in self.buttons:
                button.setToolButtonStyle(style)
