"""The shown incident's title, its playbook, awareness time and status, and its next deadline.

The awareness time starts the legal clocks, so it can be corrected from here ("Correct
awareness time…"); a corrected time is marked "(corrected)", and its tooltip says what
it was before each correction, who corrected it, when and why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from incidentkit.core.text import shown
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.widgets.times import local_time


class IncidentHeader(QWidget):
    """The shown incident's title, and its playbook, awareness time and status on a line below."""

    correct_awareness = Signal()  # the responder asked to correct the awareness time

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
        # Wrapped rather than as wide as its text: the header must not push the incidents
        # list narrower on a small screen.
        self.facts.setWordWrap(True)
        self.correct_action = QAction("Correct awareness time…", self)
        self.correct_action.setToolTip("Correct when the organisation became aware of the incident, with a reason")
        self.correct_action.triggered.connect(self.correct_awareness)
        self.correct_action.setIconText(self.correct_action.text())  # a tool button would drop the "…"
        self.correct_button = QToolButton()
        self.correct_button.setDefaultAction(self.correct_action)
        facts_line = QHBoxLayout()
        facts_line.setContentsMargins(0, 0, 0, 0)
        # The facts take the line's width (a wrapped label left to its own size hint is a
        # narrow column of five lines beside the button); they wrap only when it is too narrow.
        facts_line.addWidget(self.facts, 1)
        facts_line.addSpacing(8)
        facts_line.addWidget(self.correct_button, 0, Qt.AlignmentFlag.AlignTop)
        self.deadline = QLabel()  # set by the Deadlines tab (`show_next_deadline`)
        self.deadline.setTextFormat(Qt.TextFormat.PlainText)
        self.deadline.setWordWrap(True)
        self.deadline.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addLayout(facts_line)
        layout.addWidget(self.deadline)

    def show_next_deadline(self, text: str) -> None:
        """The incident's most urgent open deadline in one line ("" hides it)."""
        self.deadline.setText(text)
        self.deadline.setVisible(bool(text))

    def show_session(self, session: IncidentSession | None) -> None:
        self.correct_button.setVisible(session is not None)
        if session is None:
            self.title.clear()
            self.facts.clear()
            self.facts.setToolTip("")
            return
        row = session.row()
        corrections = session.state.aware_corrections
        status = "Closed" if row.status == "closed" else "Open"
        self.title.setText(shown(row.title))
        self.facts.setText(shown(f"{status} · {session.playbook.title} {session.playbook.version} · "
                                 f"aware since {local_time(row.aware_at)}{' (corrected)' if corrections else ''}"
                                 f" · {session.id[:8]}"))
        self.facts.setToolTip(shown("\n".join(
            f"Corrected by {c.by} on {local_time(c.at)}: was {local_time(c.previous)}. Reason: {c.reason or '(none)'}"
            for c in corrections)))
        # A closed incident takes no changes (the core would refuse): reopen it first; a
        # read-only database none at all.
        self.correct_action.setEnabled(row.status == "open" and not session.store.read_only)
