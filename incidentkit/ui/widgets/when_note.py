"""The line under a time field that says what is wrong with the time chosen, as the core would.

A time that cannot be right (in the future, before 1970: `core.times.refusal`) is shown
in bold and keeps the dialog from being accepted, so the typed values are not lost to a
refusal after it closes. A time before the incident's awareness time is only a note
(`core.times.before_awareness`): it is right for when the breach itself happened.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from incidentkit.core import times
from incidentkit.core.events import parse_ts
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit


def _aware(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return parse_ts(value)
    except ValueError:
        return None


class WhenNote(QLabel):
    """Follows `edit`; `refusal()` is the blocking problem (or None). `changed` fires on every new time."""

    changed = Signal()

    def __init__(self, edit: UtcDateTimeEdit, *, aware_at: datetime | str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self.aware_at = _aware(aware_at)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        edit.dateTimeChanged.connect(self.update_note)
        self.update_note()

    def refusal(self) -> str | None:
        return times.refusal(self.edit.utc())

    def warning(self) -> str | None:
        return times.before_awareness(self.edit.utc(), self.aware_at)

    def update_note(self) -> None:
        refusal = self.refusal()
        text = f"Cannot be saved: {refusal}." if refusal else self.warning() or ""
        font = self.font()
        font.setBold(bool(refusal))
        self.setFont(font)
        # A refusal in the text colour (bold); a note in the hint colour, like the zone hint above it.
        role = QPalette.ColorRole.WindowText if refusal else QPalette.ColorRole.PlaceholderText
        self.setForegroundRole(role)
        self.setText(text)
        self.setHidden(not text)
        self.changed.emit()
