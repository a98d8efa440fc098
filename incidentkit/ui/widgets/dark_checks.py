"""Whether the palette is dark, and the check-box style (check_style) installed only then.

Kept apart from check_style so that a start on a light palette never loads QStyle:
the first use of QStyle from Python creates all of its enums, a cost the window's
start need not pay for a style a light palette does not need. Even `app.style()`
would load it, so the palette is asked first.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def use_visible_checks(app: QApplication) -> None:
    """On a dark palette, wrap Fusion (the style that loses the outlines) once; call again when the palette changes."""
    if not is_dark(app.palette()):
        return
    from incidentkit.ui.widgets.check_style import VisibleChecksStyle

    style = app.style()
    if not isinstance(style, VisibleChecksStyle) and style.name().lower() == "fusion":
        app.setStyle(VisibleChecksStyle(style.name()))
