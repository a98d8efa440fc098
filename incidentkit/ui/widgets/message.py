"""Showing a core error to the user: a window-modal message box that never blocks the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """Open a warning box over `parent` and return it (tests find and close it)."""
    from PySide6.QtWidgets import QMessageBox  # its type and enums load on the first error, not at start

    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()
    return box
