"""A thin proxy style that keeps check boxes and radio buttons visible on a dark palette.

Qt's Fusion style outlines a check box (and a radio button) with the window colour made
darker; on a dark palette that outline vanishes into the dark base, so an unticked box
in a dialog or in the step tree cannot be seen. This proxy hands the style, for those
indicators only and only when the palette is dark, a window colour taken from the text
colour, so the outline it derives stands out. Item views draw their check boxes through
the same primitive, so the step tree needs nothing of its own. Every other call goes
straight to the base style in C++ (PySide caches that nothing else is overridden), and
the proxy is installed (by dark_checks) only once a palette is dark: a light one is
painted by Fusion alone, without a Python call per primitive.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from incidentkit.ui.widgets.dark_checks import is_dark

INDICATORS = frozenset({QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorRadioButton})
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)


def outlined(palette: QPalette) -> QPalette:
    """`palette` with the window colour from the text colour (what Fusion darkens into the outline)."""
    palette = QPalette(palette)
    for group in GROUPS:
        palette.setColor(group, QPalette.ColorRole.Window, palette.color(group, QPalette.ColorRole.Text))
    return palette


class VisibleChecksStyle(QProxyStyle):
    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,  # noqa: N802
                      widget: QWidget | None = None) -> None:
        if element not in INDICATORS or not is_dark(option.palette):
            super().drawPrimitive(element, option, painter, widget)
            return
        palette = option.palette  # the caller's option: lend it the outline colour, then give it back
        option.palette = outlined(palette)
        try:
            super().drawPrimitive(element, option, painter, widget)
        finally:
            option.palette = palette
