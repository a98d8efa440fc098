"""Check boxes keep a visible outline on a dark palette: dialogs and the step tree alike
(item views draw their boxes through the same primitive)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleFactory, QStyleOptionButton

from incidentkit.ui.app import create_application
from incidentkit.ui.widgets.check_style import VisibleChecksStyle

DARK = {"Window": "#2d2d2d", "WindowText": "#e6e6e6", "Base": "#1e1e1e", "Text": "#e6e6e6", "Button": "#353535"}
LIGHT = {"Window": "#efefef", "WindowText": "#000000", "Base": "#ffffff", "Text": "#000000", "Button": "#efefef"}


def palette(colours: dict[str, str]) -> QPalette:
    result = QPalette()
    for role, colour in colours.items():
        result.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    return result


def box_contrast(qtbot, style: QStyle, colours: dict[str, str]) -> int:
    """The largest lightness difference between the unticked box's pixels and the base colour."""
    box = QCheckBox("Until")
    qtbot.addWidget(box)
    box.setStyle(style)
    box.setPalette(palette(colours))
    box.resize(box.sizeHint())
    option = QStyleOptionButton()
    box.initStyleOption(option) if hasattr(box, "initStyleOption") else option.initFrom(box)
    indicator = style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    ratio = image.width() / box.width()
    base = QColor(colours["Base"]).lightness()
    return max(abs(image.pixelColor(int(x * ratio), int(y * ratio)).lightness() - base)
               for x in range(indicator.left(), indicator.right() + 1)
               for y in range(indicator.top(), indicator.bottom() + 1))


def test_an_unticked_box_is_outlined_visibly_on_a_dark_palette(qtbot):
    plain = QStyleFactory.create("fusion")
    assert box_contrast(qtbot, plain, DARK) < 40  # what the fix is for: Fusion's outline is lost
    assert box_contrast(qtbot, VisibleChecksStyle("fusion"), DARK) > 100


def test_a_light_palette_is_painted_as_before(qtbot):
    assert box_contrast(qtbot, VisibleChecksStyle("fusion"), LIGHT) == box_contrast(
        qtbot, QStyleFactory.create("fusion"), LIGHT)


def test_the_style_is_wrapped_only_once_a_palette_is_dark(qtbot):
    app = QApplication.instance()
    app.setStyle("fusion")  # unwrapped, whatever ran before
    light = app.palette()
    create_application()  # offscreen, Qt's default style is Fusion, the palette light
    assert not isinstance(app.style(), VisibleChecksStyle)  # light: no Python call per primitive
    try:
        app.setPalette(palette(DARK))
        create_application()
        assert isinstance(app.style(), VisibleChecksStyle)
        create_application()  # a second call wraps nothing twice
        assert type(app.style().baseStyle()) is type(QStyleFactory.create("fusion"))
    finally:
        app.setPalette(light)
