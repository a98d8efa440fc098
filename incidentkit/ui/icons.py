"""Icons: the desktop theme's icon when it has one, else the small SVG we ship.

Names are freedesktop icon-naming-spec names; the fallbacks live in
`resources/icons/actions/<name>.svg` (package data `incidentkit.resources`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

from PySide6.QtGui import QIcon

APP_ICON = "io.github.incidentkit.IncidentKit"


def _resource_path(*parts: str) -> str:
    resource = files("incidentkit.resources").joinpath(*parts)
    # Installed editable or as a wheel these are real files; as_file keeps zip installs working.
    with as_file(resource) as path:
        return str(path) if path.exists() else ""


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
