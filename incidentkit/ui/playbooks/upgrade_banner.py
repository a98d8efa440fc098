"""The banner over an incident whose playbook has a newer version in the library.

"Playbook 1.1.0 is available: 3 new steps, 1 removed, 2 changed", with Preview… (the
window opens `upgrade_dialog`) and Not now (hidden for that incident and that version
until the window restarts; the window's Upgrade playbook… action still offers it).
The library is the one the window already watches, so saving a newer file shows it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from incidentkit.core.playbook.diff import diff_playbooks
from incidentkit.core.playbook.library import PlaybookEntry, PlaybookLibrary
from incidentkit.core.upgrade import available_upgrade
from incidentkit.ui.incident_session import IncidentSession


def banner_text(current_version: str, entry: PlaybookEntry, summary: str) -> str:
    new = entry.playbook.version
    if new == current_version:
        return f"This incident's playbook ({new}) was edited since: {summary}"
    return f"Playbook {new} is available: {summary}"


class UpgradeBanner(QFrame):
    """Shown when the library holds another, not older, version of the shown incident's playbook."""

    preview_requested = Signal()
    available_changed = Signal(bool)  # whether an upgrade can be previewed for the shown incident

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("upgrade-banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#upgrade-banner { border: 1px solid palette(highlight); border-radius: 3px;"
                           " background: palette(alternate-base); }")
        self.entry: PlaybookEntry | None = None
        self._incident: str | None = None
        self._dismissed: set[tuple[str, str]] = set()
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.preview = QPushButton("Preview upgrade…")
        self.preview.setToolTip("See what would change, step by step, before moving the incident onto it")
        self.later = QPushButton("Not now")
        self.preview.clicked.connect(self.preview_requested)
        self.later.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.later)
        self.setVisible(False)

    def update_for(self, session: IncidentSession | None, library: PlaybookLibrary) -> None:
        """Look again: another incident shown, a new library, or the incident upgraded."""
        entry = available_upgrade(session.playbook, library) if session is not None else None
        changed = (entry is None) != (self.entry is None)
        self.entry, self._incident = entry, session.id if session is not None else None
        if entry is not None:
            summary = diff_playbooks(session.playbook, entry.playbook).summary()
            self.label.setText(banner_text(session.playbook.version, entry, summary))
            self.label.setToolTip(entry.path)
        self.setVisible(entry is not None and (self._incident, entry.playbook.sha256) not in self._dismissed)
        if changed:
            self.available_changed.emit(entry is not None)

    def dismiss(self) -> None:
        if self.entry is not None and self._incident is not None:
            self._dismissed.add((self._incident, self.entry.playbook.sha256))
        self.setVisible(False)
