"""Icons: the desktop theme's icon when it has one, else the small SVG we ship.

Names are freedesktop icon-naming-spec names; the fallbacks live in
`resources/icons/actions/<name>.svg` (package data `incidentkit.resources`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

import incidentkit.resources

APP_ICON = "io.github.incidentkit.IncidentKit"


def _resource_path(*parts: str) -> str:
    # The package is a folder of real files in every way IncidentKit is installed (editable,
    # wheel, PyInstaller), so its path is read directly rather than through
    # importlib.resources, which the window's start need not load.
    path = Path(incidentkit.resources.__file__).parent.joinpath(*parts)
    return str(path) if path.is_file() else ""


@cache
def icon(name: str) -> QIcon:
    """The theme's `name` icon, falling back to our bundled `name.svg`."""
    bundled = _resource_path("icons", "actions", f"{name}.svg")
    return QIcon.fromTheme(name, QIcon(bundled) if bundled else QIcon())


@cache
def app_icon() -> QIcon:
    """The application icon: the theme's (when installed) or the bundled scalable SVG."""
    bundled = _resource_path("icons", "hicolor", "scalable", "apps", f"{APP_ICON}.svg")
    return QIcon.fromTheme(APP_ICON, QIcon(bundled) if bundled else QIcon())
