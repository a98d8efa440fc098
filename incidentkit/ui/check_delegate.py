"""An item delegate that keeps check boxes visible on a dark palette.

Qt's Fusion style outlines a check box with the window colour made darker; on a dark
palette that outline vanishes into the dark base, and an open step's box cannot be
seen. For dark palettes only, this delegate hands the style a window colour taken from
the text colour, so the outline it derives stands out. It sits on the one check-box
column; light palettes are painted exactly as before.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem


class VisibleCheckDelegate(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        palette = option.palette
        if palette.color(QPalette.ColorRole.Base).lightness() < 128:
            palette = QPalette(palette)
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
                palette.setColor(group, QPalette.ColorRole.Window, palette.color(group, QPalette.ColorRole.Text))
            option.palette = palette
