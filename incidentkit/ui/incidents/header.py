"""The shown incident's title, its playbook, awareness time and status, and its next deadline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.widgets.times import local_time


class IncidentHeader(QWidget):
    """The shown incident's title, and its playbook, awareness time and status on a line below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline = QLabel()  # set by the Deadlines tab (`show_next_deadline`)
        self.deadline.setTextFormat(Qt.TextFormat.PlainText)
        self.deadline.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.deadline)

    def show_next_deadline(self, text: str) -> None:
        """The incident's most urgent open deadline in one line ("" hides it)."""
        self.deadline.setText(text)
        self.deadline.setVisible(bool(text))

    def show_session(self, session: IncidentSession | None) -> None:
        if session is None:
            self.title.clear()
            self.facts.clear()
            return
        row, incident = session.row(), session.incident
        status = "Closed" if row.status == "closed" else "Open"
        self.title.setText(row.title)
        self.facts.setText(f"{status} · {incident.playbook_title} {incident.playbook_version} · "
                           f"aware since {local_time(row.aware_at)} · {session.id[:8]}")
