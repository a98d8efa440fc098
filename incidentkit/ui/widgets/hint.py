"""Secondary text (hints under fields, empty states) in the palette's placeholder colour.

The placeholder role is legible in light and dark palettes alike, unlike disabled text,
which many styles draw too faint to read.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget


def hint_label(text: str, parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label
