"""What the window remembers between runs: geometry, dock and splitter positions, the last incident.

Everything goes through the `Settings` passed in (over a QSettings the app or a test
creates); nothing is read or written at import time.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMainWindow, QSplitter

from incidentkit.ui.settings import Settings

LAST_INCIDENT_KEY = "window/last_incident"
DEFAULT_SIZE = (1280, 800)


class WindowState:
    """`splitters` are the window's splitters, each saved under its object name. They are
    named rather than found with `findChildren`, which would wrap every widget of the
    window for Python during the start."""

    def __init__(self, settings: Settings, window: QMainWindow, splitters: Sequence[QSplitter], *,
                 persist: bool = True) -> None:
        self.settings = settings
        self.window = window
        self.persist = persist
        self.splitters = {s.objectName(): s for s in splitters}

    def restore(self) -> None:
        if not self.persist:
            return
        geometry = self.settings.geometry("main")
        if geometry is None or not self.window.restoreGeometry(geometry):
            self.window.resize(*DEFAULT_SIZE)
        state = self.settings.geometry("main-state")
        if state is not None:
            self.window.restoreState(state)
        for name, splitter in self.splitters.items():
            saved = self.settings.geometry(f"splitter-{name}")
            if saved is not None:
                splitter.restoreState(saved)

    def save(self) -> None:
        if not self.persist:
            return
        self.settings.set_geometry("main", self.window.saveGeometry())
        self.settings.set_geometry("main-state", self.window.saveState())
        for name, splitter in self.splitters.items():
            self.settings.set_geometry(f"splitter-{name}", splitter.saveState())
        self.settings.sync()

    def last_incident(self) -> str | None:
        value = self.settings.qsettings.value(LAST_INCIDENT_KEY)
        return str(value) if value else None

    def remember_incident(self, incident_id: str) -> None:
        if self.persist:
            self.settings.qsettings.setValue(LAST_INCIDENT_KEY, incident_id)
