"""What the window remembers between runs: geometry, dock and splitter positions, the last incident.

Everything goes to the `QSettings` passed in (tests give one on an ini file under
tmp_path); nothing is read or written at import time.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


class WindowState:
    def __init__(self, settings: QSettings, window: QMainWindow, *, persist: bool = True) -> None:
        self.settings = settings
        self.window = window
        self.persist = persist

    def _splitters(self) -> dict[str, QSplitter]:
        return {s.objectName(): s for s in self.window.findChildren(QSplitter) if s.objectName()}

    def restore(self) -> None:
        if not self.persist:
            return
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        else:
            self.window.resize(1280, 800)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.window.restoreState(state)
        for name, splitter in self._splitters().items():
            saved = self.settings.value(f"splitters/{name}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)

    def save(self) -> None:
        if not self.persist:
            return
        self.settings.setValue("window/geometry", self.window.saveGeometry())
        self.settings.setValue("window/state", self.window.saveState())
        for name, splitter in self._splitters().items():
            self.settings.setValue(f"splitters/{name}", splitter.saveState())
        self.settings.sync()

    def last_incident(self) -> str | None:
        value = self.settings.value("window/incident")
        return str(value) if value else None

    def remember_incident(self, incident_id: str) -> None:
        if self.persist:
            self.settings.setValue("window/incident", incident_id)
