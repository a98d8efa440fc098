"""A strip across the top of the window that says something true of everything below it."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget


class Banner(QLabel):
    """One line (wrapped when the window is narrow) in the palette's tooltip colours, which
    every style keeps legible and distinct from the window's own background."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.setMargin(6)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)


def add_banner(window: QMainWindow, banner: Banner) -> None:
    """Put `banner` above the window's central widget, where no toolbar menu can hide it."""
    central = window.takeCentralWidget()
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(banner)
    column.addWidget(central, 1)
    window.setCentralWidget(holder)
