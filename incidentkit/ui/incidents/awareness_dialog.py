"""Correcting the awareness time from the incident header: the new time and a required reason.

The awareness time starts every legal notification clock, so it is a fact with a
history: a correction is its own event (`operations.correct_awareness`), and the time it
replaces, who corrected it, when and why stay in the record and in every export.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from incidentkit.core import operations
from incidentkit.core.corrections import awareness_time
from incidentkit.core.events import format_ts, parse_ts
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit, local_zone_label
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.times import local_and_utc

if TYPE_CHECKING:
    from incidentkit.ui.commands import Commands
    from incidentkit.ui.incident_session import IncidentSession


class AwarenessDialog(QDialog):
    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct awareness time")
        self.setMinimumWidth(460)
        self._current = format_ts(parse_ts(current))[:16]  # to the minute, as the editor shows it
        intro = QLabel("When did the organisation become aware of this incident? This time starts the legal "
                       "notification clocks. The time it replaces stays in the record, with your reason.")
        intro.setWordWrap(True)
        self.now_label = QLabel(local_and_utc(current))
        self.now_label.setTextFormat(Qt.TextFormat.PlainText)
        self.when_edit = UtcDateTimeEdit(parse_ts(current))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why (required), e.g. the vendor's first email came at 07:30")
        form = QFormLayout()
        form.addRow("Recorded as:", self.now_label)
        form.addRow("&Aware at:", self.when_edit)
        form.addRow("", hint_label(local_zone_label()))
        form.addRow("&Reason:", self.reason_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Correct")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update_ok)
        self.when_edit.dateTimeChanged.connect(self._update_ok)
        self._update_ok()
        self.when_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def aware_at(self) -> datetime:
        return self.when_edit.utc()

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def _ready(self) -> bool:
        return bool(self.reason()) and format_ts(self.aware_at())[:16] != self._current

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self._ready())

    def accept(self) -> None:
        if self._ready():
            super().accept()


def ask_awareness_correction(window: QWidget, commands: Commands, session: IncidentSession) -> AwarenessDialog:
    """Open the dialog for `session`'s incident; on OK, write the correction as the current actor."""
    dialog = AwarenessDialog(awareness_time(session.incident, session.state), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: commands.run(operations.correct_awareness, incident_id=session.id,
                                                 aware_at=dialog.aware_at(), reason=dialog.reason()))
    dialog.open()
    return dialog
