"""Small prompts for step actions: the reason for skipping (required, and when) and whom to assign.

The dialogs are window-modal and opened with `open()`, never `exec()`: the caller
gets the answer through `answered(text)` and the event loop keeps running (so the
notes timer and tests keep working).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit, local_zone_label
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.when_note import WhenNote


class TextPrompt(QDialog):
    """One line of text; with `with_time`, also when it happened (`occurred_at()`), checked as
    the core checks it, with a note when it is before `aware_at`."""

    answered = Signal(str)

    def __init__(self, parent: QWidget | None, title: str, label: str, *, required: bool,
                 suggestions: Iterable[str] = (), initial: str = "", ok_text: str = "OK",
                 with_time: bool = False, aware_at: datetime | str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._required = required
        offered = [s for s in suggestions if s]
        if offered:  # a drop-down only when there is something in it
            self.field: QWidget = QComboBox()
            self.field.setEditable(True)
            self.field.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            self.field.addItems(offered)
            self.field.setMinimumContentsLength(44)
            self.edit = self.field.lineEdit()
        else:
            self.field = self.edit = QLineEdit()
            self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("x") * 44)
        self.edit.setText(initial)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._update_ok)
        prompt = QLabel(label)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        prompt.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.field)
        self.when_edit: UtcDateTimeEdit | None = None
        self.when_note: WhenNote | None = None
        if with_time:
            self.when_edit = UtcDateTimeEdit()
            self._opened_at = self.when_edit.utc()
            self.when_note = WhenNote(self.when_edit, aware_at=aware_at)
            self.when_note.changed.connect(self._update_ok)
            form = QFormLayout()
            form.addRow("&When:", self.when_edit)
            form.addRow("", hint_label(local_zone_label()))
            form.addRow("", self.when_note)
            layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def text(self) -> str:
        return self.edit.text().strip()

    def occurred_at(self) -> datetime | None:
        """The time chosen, or None (the core's "now") when the field was left as it opened."""
        if self.when_edit is None:
            return None
        chosen = self.when_edit.utc()
        return None if chosen == self._opened_at else chosen

    def _acceptable(self) -> bool:
        time_ok = self.when_note is None or self.when_note.refusal() is None
        return time_ok and (bool(self.text()) or not self._required)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._acceptable())

    def accept(self) -> None:
        if not self._acceptable():
            return
        super().accept()
        self.answered.emit(self.text())


def skip_prompt(parent: QWidget, step_text: str, used: Iterable[str] = (), *,
                aware_at: datetime | str | None = None) -> TextPrompt:
    """`used`: reasons given before in this incident, most recent first, offered to pick from.
    `aware_at`: the incident's awareness time, for the note on an earlier time."""
    return TextPrompt(parent, "Skip step", f"Why is this step skipped?\n\n{step_text}", required=True,
                      suggestions=used, ok_text="Skip step", with_time=True, aware_at=aware_at)


def assign_prompt(parent: QWidget, step_text: str, current: str, suggestions: Iterable[str]) -> TextPrompt:
    return TextPrompt(parent, "Assign step", f"Who should do this step? Leave empty to unassign.\n\n{step_text}",
                      required=False, suggestions=suggestions, initial=current, ok_text="Assign")
